"""Words the bot understands (the catalogue's other half: what residents say, not what they read).

`KEYWORDS`: a word that opens a state from anywhere in the conversation, by the state's name
(handlers/states.py; tests/test_states.py checks every name has its state).
"""

from __future__ import annotations

KEYWORDS: dict[str, tuple[str, ...]] = {
    "ballot.start": ("투표", "투표하기", "주민총회", "주민투표"),
    "enrol.start": ("인증", "본인 인증", "본인인증", "인증하기"),
    "help": ("도움말", "도움", "사용법", "help"),
    "mine": ("내 참여", "내참여", "내 참여 내역", "참여 내역", "참여내역"),
    "notify.off": ("알림 끄기", "알림 꺼", "알림 꺼 주세요", "알림 그만"),
    "notify.on": ("알림 켜기", "알림 켜", "알림 켜 주세요"),
    "privacy.me": ("내 정보", "내정보", "내 개인정보", "개인정보", "개인정보 열람"),
    "privacy.unbind": ("인증 해제", "인증해제", "인증 취소", "탈퇴", "회원 탈퇴"),
    "proposal.menu": ("제안", "주민제안", "주민 제안", "제안 보기·하기"),
    "proposal.title": ("제안하기",),
    "proposal.list": ("제안 보기",),
    "proposal.mine": ("내 제안",),
    "agenda.list": ("안건", "안건 보기", "안건 목록", "추진 상황", "추진상황"),
    "agenda.item": ("자료", "자료 보기", "영상", "영상 보기"),
    "comment.list": ("의견", "의견 보기", "댓글", "댓글 보기"),
    "comment.write": ("의견 남기기", "의견 쓰기", "의견 달기", "댓글 달기", "댓글 쓰기"),
}

# --- reading numbered replies (bot/choices.py) ---------------------------------------------

SINO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
NATIVE = {"하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
          "아홉": 9}
# Determiner forms used before 번째 / 번 (한 번째 is unusual; 첫 번째 is the word).
NATIVE_DET = {"첫": 1, "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7,
              "여덟": 8, "아홉": 9}
ORDINAL = {"첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5, "여섯째": 6, "일곱째": 7,
           "여덟째": 8, "아홉째": 9}

# Light politeness after a number or a label: `3번이요`, `찬성합니다`, `2번으로 할게요`.
POLITE_SUFFIXES = ("으로할게요", "로할게요", "으로해주세요", "로해주세요", "으로요", "로요",
                   "으로", "입니다", "이에요", "이예요", "예요", "에요", "이요", "합니다",
                   "할게요", "할래요", "해주세요", "해요", "요", "로", "이")
FILLER = {"", "번", "번째", "째"}  # what may stand beside a number and mean nothing more

YES = {"예", "네", "넵", "네네", "응", "예스", "yes", "y", "ㅇㅇ", "좋아요", "맞아요", "그래요"}
NO = {"아니오", "아니요", "아뇨", "아니", "노", "no", "n", "ㄴㄴ"}
ORDINAL_TAILS = ("번째", "째", "번")  # after a number word: 세번째, 셋째, 삼번
NOT_BEFORE_BEON = {"한", "첫"}  # 한 번 is "once", not "number one"
QUESTION_ENDINGS = ("까", "나요", "가요", "죠", "니")  # a question is never a choice
VERB_ENDING = "하기"  # `제안하기` is also named by `제안`
# Between several numbers: `1번 그리고 3번`, `1이랑 3`.
SEPARATOR_WORDS = ("그리고", "하고", "이랑", "랑", "및", "와", "과", "번")

# --- the home menu's small talk (handlers/home.py) -----------------------------------------

GREETINGS = ("안녕", "반가", "하이", "hi", "hello", "처음뵙", "여보세요", "계세요")
THANKS = ("고마", "감사", "수고", "thank")
# A question about the bot itself or how to use it (`이게 뭐예요?`, `투표 어떻게 해요?`).
HOW_TO = ("어떻게", "뭐예요", "뭐에요", "뭔가요", "뭐하는", "무엇", "뭐죠", "모르겠", "몰라",
          "알려주", "가르쳐", "어떡해", "어케", "방법")

# --- the dispatcher (bot/dispatch.py) ---------------------------------------------------------

# `0` and these go home from anywhere.
MENU_WORD = "메뉴"  # what the terminal chat says first
HOME_WORDS = {"0", "０", "처음", "처음으로", "메뉴", "홈", "home", "menu", "취소", "0처음으로"}
KEYWORD_SUFFIXES = ("하고싶어요", "할게요", "할래요", "해주세요", "하기", "해요", "요")
# In a room, a reply that reads as a vote is pointed to the 1:1 chat (a vote is never public).
VOTE_WORDS = ("찬성", "반대")
ABSTAIN_WORD = "기권"

# --- enrolment (handlers/enrol.py) -------------------------------------------------------------

NAME_PATTERN = r"^[가-힣A-Za-z][가-힣A-Za-z .·]{0,29}$"
NAME_LEADS_PATTERN = (r"^(?:(?:제|내|저의|나의)\s*(?:이름|성함)\s*(?:은|는|이)?|저는|전|나는|난|"
                      r"(?:이름|성함)\s*(?:은|는|이)?)\s*")
NAME_SUFFIXES = ("이라고합니다", "라고합니다", "이라고해요", "라고해요", "입니다", "이에요", "이예요",
                 "예요", "에요", "이요", "요")
PHONE_POLITE_PATTERN = r"(?:이에요|이예요|예요|에요|입니다|이요|요|번)+$"

# --- voting (handlers/ballot_steps.py) ---------------------------------------------------------

BACK_WORDS = {"이전", "이전으로", "뒤로", "뒤로가기", "전으로", "앞안건", "이전안건", "전안건"}
AGREEMENT_WORDS = YES | NO | {"좋아", "좋아요", "싫어", "싫어요", "좋습니다", "그렇다", "응응"}
JAMO_ANSWERS = "ㅇㄴ"  # ㅇㅇ (yes) and ㄴㄴ (no) are answers, not noise

# --- answers a prompt takes besides its options' own words (option number by word) ------------

ALIASES: dict[str, dict[str, int]] = {
    "enrol.method": {"이름": 1, "생년월일": 1, "인증번호": 2, "번호": 2, "코드": 2},
    "consent": {"동의해요": 1, "동의함": 1, "네": 1, "예": 1, "거부": 2, "싫어요": 2, "아니요": 2,
                "아니오": 2, "동의안함": 2, "동의 안 해요": 2, "동의안해요": 2},
    "unbind": {"해제": 1},
    "redo": {"다시": 2},
    "ballot.resume": {"이어서": 1, "계속": 1, "투표": 1},
    "proposal.menu": {"보기": 1, "목록": 1, "내것": 3},
    "proposal.field": {"문화": 5, "교육": 5},
}
# Money as managers type it in the console (`1억 2000만 원`, `1,200만`): 억, 만, then won.
MONEY_PATTERN = r"^(?:(\d+)억)?\s*(?:(\d+)만)?\s*(\d*)\s*원?$"
NEXT_WORD = "다음"  # the next page of a list
# Finishing the picks of a budget item (`9. 다 골랐어요`).
BUDGET_DONE_WORDS = ("다골랐어요", "다 골랐어요", "다골랐음", "골랐어요", "끝", "완료", "다했어요")
PREV_WORD = "이전"  # the page before
LIST_WORD = "목록"  # back to the list
AGREE_WORD = "공감"

# --- birth dates as people write them (bot/birthdate.py) ---------------------------------------

BIRTH_PARTS_PATTERN = (r"^(\d{2}|\d{4})\s*(?:년|[-./\s])\s*(\d{1,2})\s*(?:월|[-./\s])\s*"
                       r"(\d{1,2})\s*일?$")
BIRTH_POLITE_PATTERN = r"\s*(?:이에요|이예요|예요|에요|입니다|이요|요|생|생이에요|생입니다)?[.!~\s]*$"

# --- Telegram deep links (adapters/telegram.py): `/start vote` opens voting ----------------------

START_WORDS = {"vote": "투표", "proposals": "제안", "enrol": "인증"}

# --- roster files (bot/roster_file.py) ----------------------------------------------------------

# Column names as Excel users write them, in Korean or English: an exact name first, then a
# header that contains one of the words ("휴대폰 번호", "성명(한글)", "생년월일 8자리").
ROSTER_COLUMNS = {
    "name": ("이름", "성명", "성함", "name", "fullname"),
    "birth_date": ("생년월일", "생일", "출생일", "출생", "birthdate", "birth_date", "birth", "dob"),
    "phone": ("휴대폰", "핸드폰", "휴대전화", "전화", "연락처", "phone", "mobile", "tel"),
    "address": ("주소", "address"),
}
ROSTER_NAME_PATTERN = r"^[가-힣A-Za-z][가-힣A-Za-z .·-]{0,38}$"
