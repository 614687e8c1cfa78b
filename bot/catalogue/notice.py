"""Sentences of the notices the clock sends: ballot agenda, pushes, reminders, results."""

MESSAGES = {
    "notice.identity.attempt": {
        "ko": "회원님 정보로 다른 계정에서 인증을 시도했어요.\n본인이 아니면 걱정하지 마세요. 인증되지 않았어요.\n"
              "혹시 모르니 주민센터({phone})에 알려 주세요.",
        "en": "Someone tried to verify another account\nwith your details. It was not verified.\n"
              "Please tell the centre ({phone}).",
    },
    "notice.identity.new_account": {
        "ko": "회원님 정보로 {channel} 계정이 새로 인증되었어요.\n본인이 하신 게 아니면 바로 "
              "주민센터({phone})에 알려 주세요.",
        "en": "A {channel} account was just verified\nwith your details. If it was not you,\n"
              "please tell the centre ({phone}) now.",
    },
    "notice.ballot.agenda": {
        "ko": "[주민총회 투표] {title}\n{overview}\n\n안건\n{items}\n\n마감: {closes}\n"
              "투표는 마을 도우미와 1:1 채팅에서 '투표'라고 보내면 할 수 있어요.",
        "en": "[Assembly vote] {title}\n{overview}\n\nItems\n{items}\n\nCloses: {closes}\n"
              "Vote in a private chat with the helper:\nsend 'vote' (투표).",
    },
    "notice.ballot.open": {
        "ko": "'{title}' 투표가 시작되었어요.\n'투표'라고 보내면 참여할 수 있어요.\n마감: {closes}",
        "en": "Voting on '{title}' has opened.\nSend 'vote' (투표) to take part.\nCloses: {closes}",
    },
    "notice.ballot.remind": {
        "ko": "'{title}' 투표 마감이 다가와요.\n마감: {closes}\n'투표'라고 보내면 참여할 수 있어요.",
        "en": "'{title}' closes soon.\nCloses: {closes}\nSend 'vote' (투표) to take part.",
    },
    "notice.ballot.results": {
        "ko": "[투표 결과] {title}\n{lines}\n참여 {participants}명 (투표율 {rate}%)",
        "en": "[Results] {title}\n{lines}\n{participants} took part ({rate}%)",
    },
    "notice.proposal": {
        "ko": "[주민 제안] {title}\n{content}\n\n공감은 1:1 채팅에서 '제안'이라고 보내면 할 수 있어요. 의견은 댓글로 남겨 주세요.",
        "en": "[Proposal] {title}\n{content}\n\nAgree in a private chat: send 'proposal'.\nComments are welcome here.",
    },
    "notice.off": {
        "ko": "알림을 껐어요.\n다시 받으려면 '알림 켜기'라고 보내 주세요.",
        "en": "Notices are off.\nSend 'notices on' (알림 켜기) to resume.",
    },
    "notice.on": {
        "ko": "알림을 켰어요.\n투표와 제안 소식을 보내 드릴게요.",
        "en": "Notices are on.\nYou will hear about votes and proposals.",
    },
}
