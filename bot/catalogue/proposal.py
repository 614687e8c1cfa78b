"""Sentences of proposals (제안) and agreements (공감), and the notices residents receive."""

MESSAGES = {
    "proposal.menu": {
        "ko": "주민 제안이에요.\n원하시는 번호를 눌러 주세요.",
        "en": "Residents' proposals.\nPlease choose a number.",
    },
    "proposal.menu.list": {"ko": "제안 보기", "en": "See proposals"},
    "proposal.menu.new": {"ko": "제안하기", "en": "Make a proposal"},
    "proposal.menu.mine": {"ko": "내 제안", "en": "My proposals"},
    "proposal.no_community": {
        "ko": "어느 마을의 제안인지 몰라서 먼저 본인 인증을 할게요.",
        "en": "We need to know your community.\nLet's verify you first.",
    },
    "proposal.list": {
        "ko": "{community} 제안이에요. ({page}/{pages}쪽)\n번호를 누르면 자세히 보여 드려요.",
        "en": "Proposals of {community}. (page {page}/{pages})\nChoose a number for details.",
    },
    "proposal.list.item": {"ko": "{title} (공감 {count})", "en": "{title} ({count} agree)"},
    "proposal.list.empty": {
        "ko": "아직 공개된 제안이 없어요.\n첫 제안을 해 보세요.",
        "en": "No proposals are public yet.\nWhy not make the first?",
    },
    "proposal.prev": {"ko": "이전", "en": "Previous"},
    "proposal.next": {"ko": "다음", "en": "Next"},
    "proposal.back": {"ko": "목록으로", "en": "Back to the list"},
    "proposal.view": {
        "ko": "[{field}] {title}\n상태: {status}\n공감 {agreements}명{disagreements}",
        "en": "[{field}] {title}\nStatus: {status}\n{agreements} agree{disagreements}",
    },
    "proposal.view.disagreements": {"ko": " · 비공감 {count}명", "en": " · {count} disagree"},
    "proposal.view.goal": {
        "ko": "{goal}명이 공감하면 {actor}로 넘어가요.\n({until}까지)",
        "en": "At {goal} agreements it goes to {actor}.\n(until {until})",
    },
    "proposal.view.due": {
        "ko": "{actor}: {due}까지 답변해야 해요.",
        "en": "{actor} must answer by {due}.",
    },
    "proposal.view.answer": {"ko": "답변: {text}", "en": "Answer: {text}"},
    "proposal.agree": {"ko": "공감하기", "en": "Agree"},
    "proposal.view.mine.agree": {
        "ko": "{when}에 공감하셨어요.",
        "en": "You agreed on {when}.",
    },
    "proposal.view.mine.disagree": {
        "ko": "{when}에 비공감하셨어요.",
        "en": "You disagreed on {when}.",
    },
    "proposal.disagree": {"ko": "비공감하기", "en": "Disagree"},
    "proposal.confirm.agree": {
        "ko": "'{title}'에 공감할까요?",
        "en": "Agree with\n'{title}'?",
    },
    "proposal.confirm.disagree": {
        "ko": "'{title}'에 비공감할까요?",
        "en": "Disagree with\n'{title}'?",
    },
    "proposal.agreed": {
        "ko": "공감했어요. 지금 공감은 {count}명이에요.",
        "en": "Recorded. {count} residents agree now.",
    },
    "proposal.disagreed": {
        "ko": "비공감을 남겼어요.",
        "en": "Your disagreement is recorded.",
    },
    "proposal.reached": {
        "ko": "공감이 기준을 넘어 {actor}로 넘어갔어요. 답변이 오면 알려 드려요.",
        "en": "It passed the threshold and went\nto {actor}. You will hear the answer.",
    },
    "proposal.need_enrol": {
        "ko": "공감과 제안은 본인 인증을 한 주민만 할 수 있어요. 먼저 인증할게요.",
        "en": "Only verified residents can agree\nor propose. Let's verify you first.",
    },
    "proposal.other_community": {
        "ko": "이 제안은 {here} 주민이 공감해요.\n회원님은 {own} 주민으로 인증되어 있어요.\n이사하셨다면 주민센터에 명부 등록을 요청한 뒤 '인증'을 다시 해 주세요.",
        "en": "Residents of {here} agree here.\nYou are verified with {own}.\nIf you moved, ask the centre to add\nyou, then send 'verify' again.",
    },
    "proposal.ineligible": {
        "ko": "명부 기준으로 지금은 공감할 수 없어요.\n주민센터({phone})에 문의해 주세요.",
        "en": "By the roster you cannot agree now.\nPlease call the centre ({phone}).",
    },
    "proposal.already": {
        "ko": "이미 공감하셨어요. ({when})\n한 분은 한 번만 공감할 수 있어요.",
        "en": "You already responded. ({when})\nEveryone can respond once.",
    },
    "proposal.own": {
        "ko": "내 제안에는 공감할 수 없어요.",
        "en": "You cannot agree with your own.",
    },
    "proposal.closed": {
        "ko": "지금은 공감을 받지 않는 제안이에요.",
        "en": "This proposal is not taking agreements.",
    },
    "proposal.ask_title": {
        "ko": "제안 제목을 한 줄로 보내 주세요.\n(예: 놀이터에 그늘막을 설치해 주세요)",
        "en": "Send a one-line title.\n(e.g. Shade for the playground)",
    },
    "proposal.bad_title": {
        "ko": "제목은 2~100자, 한 줄로 써 주세요.",
        "en": "A title is 2-100 characters, one line.",
    },
    "proposal.ask_content": {
        "ko": "제안 내용을 한 번에 보내 주세요.\n길어도 괜찮아요.",
        "en": "Send the proposal in one message.\nLong is fine.",
    },
    "proposal.bad_content": {
        "ko": "내용은 5자 이상 4,000자 이하로 써 주세요.",
        "en": "The text needs 5 to 4,000\ncharacters.",
    },
    "proposal.ask_field": {
        "ko": "어느 분야의 제안인가요?",
        "en": "Which field is it about?",
    },
    "proposal.draft": {
        "ko": "이 내용으로 제안할까요?\n[{field}] {title}\n{content}",
        "en": "Here is your proposal.\n[{field}] {title}\n{content}\n\nSubmit it?",
    },
    "proposal.submit": {"ko": "예 (제출)", "en": "Yes (submit)"},
    "proposal.rewrite": {"ko": "아니오 (다시 쓰기)", "en": "No (write again)"},
    "proposal.submitted": {
        "ko": "제안이 접수되었어요.\n주민센터에서 확인한 뒤 공개돼요.\n결과는 알려 드릴게요.",
        "en": "Your proposal is received.\nThe centre checks it before it is public.\nYou will hear the result.",
    },
    "proposal.mine": {
        "ko": "내 제안이에요.\n번호를 누르면 자세히 보여 드려요.",
        "en": "Your proposals.\nChoose a number for details.",
    },
    "proposal.mine.item": {"ko": "{title} ({status})", "en": "{title} ({status})"},
    "proposal.mine.none": {
        "ko": "아직 하신 제안이 없어요.",
        "en": "You have not made a proposal yet.",
    },
    "proposal.complaint.default": {
        "ko": "민원은 국민신문고(epeople.go.kr)나\n120으로 알려 주세요.",
        "en": "Please send complaints to e-People\n(epeople.go.kr) or call 120.",
    },
    "proposal.notice.approved": {
        "ko": "제안 '{title}'이(가) 공개되었어요.\n{days}일 안에 {goal}명이 공감하면 답변을 받아요.",
        "en": "Your proposal '{title}' is public.\nWith {goal} agreements in {days} days\nit gets an answer.",
    },
    "proposal.notice.complaint": {
        "ko": "제안 '{title}'은(는) 민원으로 처리하는 것이 좋겠어요.\n{where}",
        "en": "'{title}' is best handled\nas a complaint.\n{where}",
    },
    "proposal.notice.hidden": {
        "ko": "제안 '{title}'은(는)\n공개하지 않기로 했어요.\n이유: {reason}",
        "en": "'{title}' will not be\npublished.\nReason: {reason}",
    },
    "proposal.notice.stage": {
        "ko": "제안 '{title}'에 {count}명이 공감했어요. {actor}로 넘어가 {due}까지 답변을 받아요.",
        "en": "'{title}' has {count} agreements.\nIt goes to {actor}\nfor an answer by {due}.",
    },
    "proposal.notice.answer.accepted": {
        "ko": "제안 '{title}'이(가) 수용되었어요.\n{until}까지 추진해요.\n{text}",
        "en": "'{title}' was accepted.\nTo be carried out by {until}.\n{text}",
    },
    "proposal.notice.answer.rejected": {
        "ko": "제안 '{title}'은(는) 수용되지 않았어요. 이유:\n{text}",
        "en": "'{title}' was not accepted.\nReasons:\n{text}",
    },
    "proposal.notice.answer.more_input": {
        "ko": "제안 '{title}'에 의견을 더 듣기로 했어요. {until}까지 공감과 의견을 받아요.\n{text}",
        "en": "'{title}' needs more views.\nAgreements reopen until {until}.\n{text}",
    },
    "proposal.notice.progress": {
        "ko": "제안 '{title}' {stage}이에요.\n{text}",
        "en": "'{title}': {stage}.\n{text}",
    },
    "proposal.notice.expired": {
        "ko": "제안 '{title}'은(는) 기간 안에 공감이 모이지 않아 마감되었어요.",
        "en": "'{title}' closed: not enough\nagreements in time.",
    },
}

# Codes of bot/proposals.py and bot/proposal_rules.py as residents and managers read them.
MESSAGES.update({
    "proposal.status.pending_review": {"ko": "검토 대기", "en": "Awaiting review"},
    "proposal.status.collecting": {"ko": "공감 모으는 중", "en": "Collecting agreements"},
    "proposal.status.awaiting_answer": {"ko": "답변 대기", "en": "Awaiting an answer"},
    "proposal.status.answered_accepted": {"ko": "답변 완료(수용)", "en": "Answered (accepted)"},
    "proposal.status.answered_rejected": {"ko": "답변 완료(불수용)", "en": "Answered (rejected)"},
    "proposal.status.answered_more_input": {"ko": "답변 완료(추가 의견 수렴)",
                                            "en": "Answered (more input)"},
    "proposal.status.in_progress": {"ko": "추진 중", "en": "In progress"},
    "proposal.status.done": {"ko": "완료", "en": "Done"},
    "proposal.status.expired": {"ko": "기간 만료", "en": "Expired"},
    "proposal.status.complaint": {"ko": "민원 이관", "en": "Routed as a complaint"},
    "proposal.status.hidden": {"ko": "비공개", "en": "Not public"},
    "proposal.field.traffic": {"ko": "교통", "en": "Traffic"},
    "proposal.field.environment": {"ko": "환경", "en": "Environment"},
    "proposal.field.welfare": {"ko": "복지", "en": "Welfare"},
    "proposal.field.safety": {"ko": "안전", "en": "Safety"},
    "proposal.field.culture": {"ko": "문화·교육", "en": "Culture and education"},
    "proposal.field.other": {"ko": "기타", "en": "Other"},
    "proposal.stage.plan": {"ko": "추진계획", "en": "Plan"},
    "proposal.stage.progress": {"ko": "추진경과", "en": "Progress"},
    "proposal.stage.result": {"ko": "추진결과", "en": "Result"},
    "proposal.actor.department": {"ko": "담당 부서 검토", "en": "Department review"},
    "proposal.actor.council": {"ko": "주민자치회 심의", "en": "Residents' council review"},
    "proposal.actor.head": {"ko": "단체장 답변", "en": "The mayor's answer"},
    "error.proposal.title": {"ko": "제목은 한 줄로 2~100자예요.", "en": "A title is one line of 2 to 100."},
    "error.proposal.content": {"ko": "내용은 5~4,000자예요.", "en": "Content is 5 to 4,000 characters."},
    "error.proposal.field": {"ko": "분야를 골라 주세요.", "en": "Choose a field."},
    "error.invalid_proposal": {"ko": "제목, 내용, 분야를 확인해 주세요.",
                               "en": "Please check the title, the text and the field."},
    "error.wrong_status.screen": {"ko": "'{status}' 상태의 제안은 검토할 수 없어요.",
                                  "en": "A proposal '{status}' cannot be screened."},
    "error.wrong_status.answer": {"ko": "'{status}' 상태의 제안은 답변할 수 없어요.",
                                  "en": "A proposal '{status}' cannot be answered."},
    "error.wrong_status.send_back": {"ko": "'{status}' 상태의 제안은 돌려보낼 수 없어요.",
                                     "en": "A proposal '{status}' cannot be sent back."},
    "error.wrong_status.progress": {"ko": "'{status}' 상태의 제안은 추진 상황을 올릴 수 없어요.",
                                    "en": "A proposal '{status}' takes no progress updates."},
    "error.text_limit": {"ko": "{name}을(를) {limit}자 이내로 적어 주세요.",
                         "en": "Write {name} in at most {limit} characters."},
    "error.future_date": {"ko": "{name}은(는) 오늘 이후 날짜예요 (예: 2026-12-31).",
                          "en": "{name} is a date from today on (e.g. 2026-12-31)."},
    "error.field.date": {"ko": "오늘 이후 날짜예요 (예: 2026-12-31).",
                         "en": "A date from today on (e.g. 2026-12-31)."},
})
