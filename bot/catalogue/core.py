"""Sentences of the core conversation: home menu, help, re-asking, errors."""

MESSAGES = {
    "core.home": {
        "ko": "안녕하세요, 마을 도우미예요.\n원하시는 번호를 눌러 주세요.",
        "en": "Hello, this is the Maeul helper.\nPlease choose a number.",
    },
    "core.home.community": {
        "ko": "안녕하세요, {community} 마을 도우미예요.\n원하시는 번호를 눌러 주세요.",
        "en": "Hello, this is the {community} helper.\nPlease choose a number.",
    },
    "core.menu.vote": {"ko": "투표하기", "en": "Vote"},
    "core.menu.proposals": {"ko": "제안 보기·하기", "en": "Proposals"},
    "core.menu.mine": {"ko": "내 참여 내역", "en": "My participation"},
    "core.menu.enrol": {"ko": "본인 인증", "en": "Verify identity"},
    "core.menu.help": {"ko": "도움말", "en": "Help"},
    "core.option.home": {"ko": "처음으로", "en": "Home"},
    "core.help": {
        "ko": (
            "마을 도우미 사용법이에요.\n"
            "- 번호만 눌러도 돼요.\n"
            "- '투표'라고 쓰면 투표를 해요.\n"
            "- '제안'이라고 쓰면 제안을 보거나 해요.\n"
            "- '인증'이라고 쓰면 본인 인증을 해요.\n"
            "- '0'을 쓰면 언제든 처음으로 가요."
        ),
        "en": (
            "How to use the Maeul helper.\n"
            "- Just send a number.\n"
            "- 'vote' (투표) to vote.\n"
            "- 'proposal' (제안) for proposals.\n"
            "- 'verify' (인증) to verify yourself.\n"
            "- '0' goes home at any time."
        ),
    },
    "core.greeting": {
        "ko": "반가워요! 번호를 누르거나, '투표'·'제안'처럼 하고 싶은 일을 글로 보내셔도 돼요.",
        "en": "Nice to meet you! Choose a number, or write what you want, like 'vote'.",
    },
    "core.thanks": {
        "ko": "감사합니다. 필요하실 때 언제든 불러 주세요.",
        "en": "Thank you. Call me whenever you need.",
    },
    "core.help.phone": {
        "ko": "궁금한 점은 주민센터({phone})로 전화 주세요.",
        "en": "For questions, call the community centre ({phone}).",
    },
    "core.hint.number": {
        "ko": "죄송해요, 잘 알아듣지 못했어요.\n아래 번호 중 하나만 보내 주세요.",
        "en": "Sorry, I did not understand.\nPlease send just one of the numbers below.",
    },
    "core.hint.numbers": {
        "ko": "죄송해요, 잘 알아듣지 못했어요.\n번호를 띄어서 보내 주세요. (예: 1 3)",
        "en": "Sorry, I did not understand.\nSend the numbers with spaces. (e.g. 1 3)",
    },
    "core.hint.phone": {
        "ko": "어려우시면 주민센터({phone})로 전화 주세요.",
        "en": "If this is hard, please call the community centre ({phone}).",
    },
    "core.hint.phone.none": {
        "ko": "어려우시면 가까운 주민센터에 문의해 주세요.",
        "en": "If this is hard, please ask your community centre.",
    },
    "core.error": {
        "ko": "죄송해요, 잠시 문제가 생겼어요.\n잠시 후 다시 보내 주세요.",
        "en": "Sorry, something went wrong.\nPlease try again in a moment.",
    },
    "core.unavailable": {
        "ko": "지금 사용하는 분이 많아요.\n잠시 후 다시 보내 주세요.",
        "en": "The service is busy.\nPlease try again in a moment.",
    },
    "core.idle_reset": {
        "ko": "한동안 말씀이 없어서 처음으로 돌아왔어요.",
        "en": "It has been a while, so we are back at the start.",
    },
    "core.private_only": {
        "ko": "이 일은 1:1 대화에서만 할 수 있어요.\n{link}",
        "en": "This can only be done in a private chat.\n{link}",
    },
    "core.room_help": {
        "ko": "마을 도우미예요. 이 방에는 공지가 올라와요.\n투표·인증·제안은 1:1 채팅에서 해요.\n{link}",
        "en": "This is the Maeul helper. Notices land here.\nVote, verify and propose in a private chat.\n{link}",
    },
    "room.linked": {
        "ko": "이 방을 {community}\n공지방으로 연결했어요.",
        "en": "This group is now the notice room\nof {community}.",
    },
    "room.already": {
        "ko": "이 방은 이미 {community}에 연결되어 있어요.",
        "en": "This group is already linked\nto {community}.",
    },
    "room.bad_code": {
        "ko": "연결 코드가 맞지 않거나 만료되었어요.\n주민센터에서 새 코드를 받아 주세요.",
        "en": "The link code is wrong or expired.\nAsk the centre for a new one.",
    },
    "core.yes": {"ko": "예", "en": "Yes"},
    "core.no": {"ko": "아니오", "en": "No"},
    "core.resident": {"ko": "주민", "en": "Resident"},
    "manager.removed_name": {"ko": "삭제된 담당자", "en": "Removed manager"},
    "privacy.withdrawn_name": {"ko": "탈퇴한 주민", "en": "Withdrawn resident"},
}
