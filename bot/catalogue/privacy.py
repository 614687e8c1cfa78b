"""Sentences of personal data: consent before enrolment, 내 정보, 인증 해제 (개인정보 보호법)."""

MESSAGES = {
    # The default consent text (a community may word its own in the console). It says what is
    # collected and why, how long it is kept, that one may refuse and what refusing means.
    "privacy.consent": {
        "ko": "본인 인증 전에 동의를 받을게요.\n"
              "- 받는 정보: 이름, 생년월일, 휴대전화 끝 4자리\n"
              "- 명부와 맞춰 투표·공감 자격만 확인하고, 입력한 정보는 저장하지 않아요.\n"
              "- 인증 결과는 인증 해제 때까지 두고, 전출하면 {days}일 뒤 지워요.\n"
              "- 동의하지 않아도 공지와 제안은 볼 수 있어요. 투표와 공감은 할 수 없어요.",
        "en": "Before verifying, we need your consent.\n"
              "- We ask: your name, birth date and the last 4 digits of your phone.\n"
              "- Only to match the roster for voting and agreeing. Nothing typed is stored.\n"
              "- Kept until you unbind (인증 해제), or {days} days after you move out.\n"
              "- Without consent you can read notices and proposals, but not vote or agree.",
    },
    "privacy.consent.yes": {"ko": "동의합니다", "en": "I agree"},
    "privacy.consent.no": {"ko": "동의하지 않습니다", "en": "I do not agree"},
    "privacy.consent.refused": {
        "ko": "동의하지 않으셨어요. 아무것도 저장하지 않았어요.\n"
              "공지와 제안은 그대로 볼 수 있어요.\n"
              "나중에 '인증'이라고 보내시면 다시 할 수 있어요.",
        "en": "You did not agree. Nothing was stored.\nYou can still read notices and "
              "proposals.\nSend 'verify' (인증) any time to start again.",
    },
    "privacy.consent.code_first": {
        "ko": "인증번호는 동의하신 뒤에 한 번 더 보내 주세요.",
        "en": "Please send your code again after giving consent.",
    },
    "privacy.under_14": {
        "ko": "만 14세 미만은 보호자 동의가 필요해서 여기서는 인증할 수 없어요.\n"
              "입력하신 내용은 저장하지 않았어요.\n"
              "보호자와 함께 주민센터({phone})에 와 주세요.",
        "en": "Under 14, a guardian's consent is needed, so you cannot verify here.\n"
              "Nothing you typed was stored.\n"
              "Please visit the centre ({phone}) with a guardian.",
    },
    "privacy.me": {
        "ko": "마을 도우미가 가진 정보예요.\n"
              "어느 쪽에 투표했는지는 저장하지 않아요.\n"
              "- 이름: {name} ({community})\n"
              "- 인증한 메신저: {channels}\n"
              "- 알림: {notices}\n"
              "- 동의한 날: {consented}\n"
              "- 투표 참여 {votes}번, 공감 {agreements}번, 제안 {proposals}건",
        "en": "What Maeul holds about you.\nHow you voted is never stored.\n"
              "- Name: {name} ({community})\n"
              "- Verified messengers: {channels}\n"
              "- Notices: {notices}\n"
              "- Consent given: {consented}\n"
              "- Voted {votes} times, agreed {agreements} times, {proposals} proposals",
    },
    "privacy.me.unverified": {
        "ko": "아직 인증하지 않으셨어요.\n"
              "마을 도우미는 이 메신저 계정과 대화 진행 상황만 가지고 있어요.\n"
              "- 알림: {notices}",
        "en": "You are not verified.\nMaeul only holds this messenger account and where "
              "the chat is.\n- Notices: {notices}",
    },
    "privacy.me.on": {"ko": "받아요", "en": "on"},
    "privacy.me.off": {"ko": "받지 않아요", "en": "off"},
    "privacy.me.none": {"ko": "없음", "en": "none"},
    "privacy.me.policy": {
        "ko": "개인정보 처리방침: {url}",
        "en": "Privacy policy: {url}",
    },
    "privacy.option.unbind": {"ko": "인증 해제", "en": "Unbind (인증 해제)"},
    "privacy.unbind.ask": {
        "ko": "인증을 해제할까요?\n"
              "이 메신저와 주민 명부의 연결을 끊고 대화 기록과 알림 설정을 지워요.\n"
              "이미 한 투표와 공감은 누구 것인지 모르게 그대로 세어요.\n"
              "쓰신 제안은 '탈퇴한 주민'의 제안으로 남아요.",
        "en": "Unbind your verification?\n"
              "This messenger is unlinked from the roster, and the chat and notice settings "
              "are deleted.\nVotes and agreements already given stay counted, anonymously.\n"
              "Your proposals stay, by 'a former resident'.",
    },
    "privacy.unbind.done": {
        "ko": "인증을 해제했어요.\n다시 하시려면 '인증'이라고 보내 주세요.\n"
              "모든 정보를 지우려면 주민센터({phone})에 요청해 주세요.",
        "en": "Your verification is removed.\nSend 'verify' (인증) to verify again.\n"
              "To delete everything, ask the centre ({phone}).",
    },
    "privacy.unbind.kept": {
        "ko": "인증을 그대로 두었어요.",
        "en": "Your verification stays.",
    },
    "privacy.unbind.none": {
        "ko": "인증되어 있지 않아서 해제할 것이 없어요.",
        "en": "You are not verified, so there is nothing to unbind.",
    },
    "privacy.dev.controller": {"ko": "마을 도우미 (개발용)", "en": "Maeul (development)"},
    "privacy.dev.officer": {"ko": "개인정보 보호책임자 (개발용)",
                            "en": "Privacy officer (development)"},
    "privacy.dev.contact": {"ko": "주민센터", "en": "The community centre"},
}
