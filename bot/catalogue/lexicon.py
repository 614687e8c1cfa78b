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
}
