"""Sentences of voting (주민총회 투표) and of 내 참여 내역."""

MESSAGES = {
    "ballot.need_enrol": {
        "ko": "투표는 본인 인증을 한 주민만 할 수 있어요. 먼저 인증할게요.",
        "en": "Only verified residents can vote.\nLet's verify you first.",
    },
    "ballot.other_community": {
        "ko": "이 투표는 {here} 주민이 해요.\n회원님은 {own} 주민으로 인증되어 있어 참여할 수 없어요.",
        "en": "This vote is for {here}.\nYou are verified with {own},\nso you cannot take part.",
    },
    "ballot.moved_out": {
        "ko": "명부에 전출로 되어 있어서 투표할 수 없어요.\n주민센터({phone})에 문의해 주세요.",
        "en": "The roster shows you moved out,\nso you cannot vote.\nPlease call the centre ({phone}).",
    },
    "ballot.too_young": {
        "ko": "'{title}' 투표는 만 {age}세 이상 주민만 할 수 있어요.",
        "en": "'{title}' is open to residents\naged {age} and over.",
    },
    "ballot.none_open": {
        "ko": "지금 진행 중인 투표가 없어요.",
        "en": "There is no vote open right now.",
    },
    "ballot.next": {
        "ko": "다음 투표: {title}\n{when}에 시작해요.",
        "en": "Next vote: {title}\nIt opens {when}.",
    },
    "ballot.pick": {
        "ko": "진행 중인 투표가 {count}개 있어요.\n어느 투표를 할까요?",
        "en": "{count} votes are open.\nWhich one?",
    },
    "ballot.pick.done": {"ko": "{title} (참여함)", "en": "{title} (voted)"},
    "ballot.already": {
        "ko": "'{title}'에는 이미 투표하셨어요.\n({when}, {how})\n한 분은 한 번만 투표할 수 있어요.",
        "en": "You have already voted in '{title}'.\n({when}, {how})\nEveryone votes once.",
    },
    "ballot.overview": {
        "ko": "[{title}]\n{overview}\n마감: {closes}",
        "en": "[{title}]\n{overview}\nCloses: {closes}",
    },
    "ballot.item": {
        "ko": "안건 {number}/{total}. {title}",
        "en": "Item {number}/{total}. {title}",
    },
    "ballot.ask.one": {
        "ko": "하나를 골라 번호를 보내 주세요.",
        "en": "Choose one and send its number.",
    },
    "ballot.ask.many": {
        "ko": "최대 {k}개까지 고를 수 있어요.\n여러 개는 띄어서 보내 주세요.\n(예: 1 3)",
        "en": "You may choose up to {k}.\nSend several numbers with spaces.\n(e.g. 1 3)",
    },
    "ballot.hint.many": {
        "ko": "죄송해요, 잘 알아듣지 못했어요.\n{k}개까지 번호를 띄어서 보내 주세요.",
        "en": "Sorry, I did not understand.\nSend up to {k} numbers with spaces.",
    },
    "ballot.check_many": {
        "ko": "고르신 것이 맞나요?\n{picked}",
        "en": "Is this what you chose?\n{picked}",
    },
    "ballot.check.yes": {"ko": "예", "en": "Yes"},
    "ballot.check.no": {"ko": "아니오 (다시 고르기)", "en": "No (choose again)"},
    "ballot.summary": {
        "ko": "선택하신 내용이에요.\n{lines}\n\n이대로 제출할까요?\n제출하면 바꿀 수 없어요.",
        "en": "Here is what you chose.\n{lines}\n\nSubmit it?\nIt cannot be changed afterwards.",
    },
    "ballot.submit": {"ko": "예 (제출)", "en": "Yes (submit)"},
    "ballot.redo": {"ko": "아니오 (다시 고르기)", "en": "No (choose again)"},
    "ballot.ask.back": {
        "ko": "앞 안건을 고치려면 '이전'이라고 보내 주세요.",
        "en": "To change the previous item, send 'back'.",
    },
    "ballot.hint.first": {
        "ko": "첫 번째 안건이라 앞으로 갈 곳이 없어요.",
        "en": "This is the first item; there is nothing before it.",
    },
    "ballot.hint.too_many": {
        "ko": "{k}개까지만 고를 수 있어요. 다시 골라 주세요.",
        "en": "You can choose up to {k}. Please choose again.",
    },
    "ballot.hint.yes_no": {
        "ko": "찬성이면 1, 반대면 2를 보내 주세요.",
        "en": "Send 1 for yes (in favour), 2 for no (against).",
    },
    "ballot.paused": {
        "ko": "투표는 아직 제출되지 않았어요.\n'{title}'에서 고르신 것은 마감({closes}) 전까지 그대로 남아 있어요.",
        "en": "Your vote has not been submitted yet.\nWhat you chose in '{title}' is kept until the close ({closes}).",
    },
    "ballot.paused.short": {
        "ko": "투표는 아직 제출되지 않았어요. '투표'라고 보내면 이어서 할 수 있어요.",
        "en": "Your vote has not been submitted yet. Send 'vote' to go on with it.",
    },
    "ballot.resume": {"ko": "이어서 하기", "en": "Go on voting"},
    "ballot.abstain": {"ko": "기권", "en": "Abstain"},
    "ballot.hint.abstain_alone": {
        "ko": "기권은 다른 선택지와 함께 고를 수 없어요. 다시 골라 주세요.",
        "en": "Abstaining cannot be combined with other options. Please choose again.",
    },
    "ballot.resumed": {
        "ko": "하시던 투표를 이어서 할게요.",
        "en": "Let's go on with your vote.",
    },
    "ballot.redo.done": {
        "ko": "처음 안건부터 다시 고를게요.",
        "en": "Let's start again from the first item.",
    },
    "ballot.recorded": {
        "ko": "투표가 접수되었어요.\n참여해 주셔서 감사합니다.\n결과는 {closes} 마감 뒤에 공개돼요.",
        "en": "Your vote is recorded.\nThank you for taking part.\nResults come after the close ({closes}).",
    },
    "ballot.closed_meanwhile": {
        "ko": "'{title}' 투표가 마감되었어요.\n기록된 것은 없어요.",
        "en": "'{title}' has closed.\nNothing was recorded.",
    },
    "ballot.channel.onsite": {"ko": "현장 투표", "en": "on site"},
    "ballot.channel.kakao": {"ko": "카카오톡", "en": "KakaoTalk"},
    "ballot.channel.telegram": {"ko": "텔레그램", "en": "Telegram"},
    "ballot.channel.band": {"ko": "밴드", "en": "BAND"},
    "ballot.channel.simulator": {"ko": "시험 채팅", "en": "test chat"},
    "mine.title": {
        "ko": "참여하신 내역이에요. ({page}/{pages}쪽)",
        "en": "What you took part in. (page {page}/{pages})",
    },
    "mine.agree": {
        "ko": "- 공감: {title}\n  ({when})",
        "en": "- Agreed: {title}\n  ({when})",
    },
    "mine.disagree": {
        "ko": "- 비공감: {title}\n  ({when})",
        "en": "- Disagreed: {title}\n  ({when})",
    },
    "mine.proposal": {
        "ko": "- 내 제안: {title}\n  ({when}, {status})",
        "en": "- My proposal: {title}\n  ({when}, {status})",
    },
    "mine.ballot": {
        "ko": "- 투표: {title}\n  ({when}, {how})",
        "en": "- Voted: {title}\n  ({when}, {how})",
    },
    "mine.none": {
        "ko": "아직 참여하신 투표·공감·제안이 없어요.",
        "en": "You have not voted, agreed or proposed yet.",
    },
    "mine.need_enrol": {
        "ko": "참여 내역은 본인 인증 뒤에 볼 수 있어요. 먼저 인증할게요.",
        "en": "Your history needs verification.\nLet's verify you first.",
    },
}

MESSAGES.update({
    "ballot.kind.yes_no": {"ko": "찬반", "en": "Yes or no"},
    "ballot.kind.choose_one": {"ko": "하나 고르기", "en": "Choose one"},
    "ballot.kind.choose_up_to": {"ko": "여러 개 고르기", "en": "Choose several"},
    "ballot.passed.true": {"ko": "가결", "en": "passed"},
    "ballot.passed.false": {"ko": "부결", "en": "failed"},
    "csv.ballot": {"ko": "투표", "en": "Ballot"},
    "csv.eligible": {"ko": "선거인수", "en": "Eligible"},
    "csv.participants": {"ko": "참여", "en": "Participants"},
    "csv.online": {"ko": "온라인", "en": "Online"},
    "csv.onsite": {"ko": "현장", "en": "On site"},
    "csv.rate": {"ko": "투표율", "en": "Turnout"},
    "csv.item": {"ko": "안건번호", "en": "Item"},
    "csv.title": {"ko": "안건", "en": "Title"},
    "csv.kind": {"ko": "방식", "en": "Kind"},
    "csv.option": {"ko": "선택지", "en": "Option"},
    "csv.total": {"ko": "합계", "en": "Total"},
    "csv.rank": {"ko": "순위", "en": "Rank"},
    "csv.passed": {"ko": "가결", "en": "Passed"},
})
