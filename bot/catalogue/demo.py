"""`maeul demo`'s made-up community: its people, ballot and proposal, and what it prints.

Content, not code: a city trying Maeul reads these in the simulator and the console.
"""

from __future__ import annotations

from datetime import date

COMMUNITY = {"name": "풍산동 주민자치회", "phone": "031-8075-5000",
             "complaint_text": "민원은 국민신문고(epeople.go.kr)나 120으로 알려 주세요."}
# Made-up residents for trying enrolment in the simulator: (name, birth date, phone's last 4).
ROSTER = [
    ("김민수", date(1952, 3, 15), "1234"),
    ("이영희", date(1948, 11, 2), "5678"),
    ("박지훈", date(1985, 7, 30), "4321"),
    ("최수아", date(2012, 5, 5), "8765"),
]
MANAGER_NAME = "풍산동 담당자"
MATERIAL = "주민총회 안건 설명 (공표 페이지)"
PROPOSAL = {"author": "박지훈", "title": "놀이터에 그늘막을 설치해 주세요",
            "content": "여름 한낮에 놀이터가 너무 뜨거워요. 그늘막이 있으면 "
                       "아이들과 어르신이 함께 쉴 수 있어요."}
BALLOT = {
    "title": "2026 풍산동 주민총회",
    "overview": "주민자치회 분과에서 정한 내년 마을 사업을 주민 여러분이 정해요.",
    "onsite": True,
    "items": [
        {"title": "마을 축제 예산 300만 원", "summary": "12월 골목 축제에 주민참여예산을 써요.",
         "kind": "yes_no"},
        {"title": "새 공원 이름", "kind": "choose_one",
         "options": ["풍산공원", "햇살공원", "느티나무공원"]},
        {"title": "내년 사업 우선순위", "summary": "두 개까지 골라 주세요.", "kind": "choose_up_to",
         "options": ["경로당 보수", "어린이 도서관", "골목 가로등", "텃밭"], "max_choices": 2},
    ],
}

MESSAGES = {
    "demo.ready": {"ko": "데모 데이터를 준비했어요: {name} ({url})",
                   "en": "Demo data ready: {name} ({url})"},
    "demo.running": {"ko": "마을 데모가 실행 중이에요: {name}", "en": "The Maeul demo runs: {name}"},
    "demo.simulator": {"ko": "  시뮬레이터 (채팅):  {url}", "en": "  Simulator (chat):   {url}"},
    "demo.health": {"ko": "  상태 확인:          {url}", "en": "  Health:             {url}"},
    "demo.kakao": {"ko": "  카카오 웹훅:        {url}", "en": "  Kakao webhook:      {url}"},
    "demo.try_enrol": {"ko": "  인증 연습:          '인증' → 1 (동의) → 1 → {name} → {born} → {last4}",
                       "en": "  Try enrolment:      '인증' → 1 → 1 → {name} → {born} → {last4}"},
    "demo.try_vote": {"ko": "  투표 연습:          인증한 뒤 '투표' → 번호로 답하기 → '1. 예 (제출)'",
                      "en": "  Try voting:         after enrolling, '투표' → numbers → 1"},
    "demo.try_propose": {"ko": "  제안 연습:          '제안' → 1. 제안 보기 → 1. 공감하기",
                         "en": "  Try proposals:      '제안' → 1 → 1"},
    "demo.try_agenda": {"ko": "  안건과 의견:        '안건' → 1 → 자료 보기, 의견 남기기",
                        "en": "  Agenda, comments:   '안건' → 1 → material, comments"},
    "demo.console": {"ko": "  관리 화면:          {url}  ({email} / {password})",
                     "en": "  Console:            {url}  ({email} / {password})"},
    "demo.try_live": {
        "ko": "  현장 투표 연습:     투표 관리 → '현장 투표 화면 열기' → 번호 6자리 보내기",
        "en": "  On-site voting:     a ballot → 'open the on-site screen' → send the digits"},
    "demo.public": {"ko": "  공표 페이지:        {url}", "en": "  Public page:        {url}"},
    "demo.stop": {"ko": "끝내려면 Ctrl+C 를 누르세요.", "en": "Ctrl+C stops it."},
}
