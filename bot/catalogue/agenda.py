"""Sentences of the four-step cycle's last step (추진 상황), the agenda's material, and the
discussion (의견)."""

MESSAGES = {
    # --- the agenda in the chat (handlers/agenda.py) ---
    "agenda.list": {"ko": "어떤 안건을 볼까요? ({page}/{pages}쪽)",
                    "en": "Which agenda item? (page {page}/{pages})"},
    "agenda.list.item": {"ko": "{title} ({state})", "en": "{title} ({state})"},
    "agenda.list.empty": {"ko": "지금 볼 수 있는 안건이 없어요.",
                          "en": "There is no agenda item to look at now."},
    "agenda.state.open": {"ko": "투표 중", "en": "voting"},
    "agenda.state.published": {"ko": "결과 공개", "en": "results out"},
    "agenda.state.plan": {"ko": "추진계획", "en": "planned"},
    "agenda.state.progress": {"ko": "추진 중", "en": "in progress"},
    "agenda.state.result": {"ko": "추진 완료", "en": "done"},
    "agenda.view": {"ko": "[안건] {title}\n{ballot} · {state}",
                    "en": "[Agenda] {title}\n{ballot} · {state}"},
    "agenda.view.passed": {"ko": "결과: 가결 (찬성 {yes} · 반대 {no})",
                           "en": "Result: passed ({yes} for, {no} against)"},
    "agenda.view.rejected": {"ko": "결과: 부결 (찬성 {yes} · 반대 {no})",
                             "en": "Result: rejected ({yes} for, {no} against)"},
    "agenda.view.chosen": {"ko": "결과: {options}", "en": "Result: {options}"},
    "agenda.view.funded": {"ko": "선정 사업: {projects} (합계 {total})",
                           "en": "Funded: {projects} (total {total})"},
    "agenda.view.trail": {"ko": "추진 상황이에요.", "en": "What has been done:"},
    "agenda.view.due": {"ko": "(완료 예정 {due})", "en": "(due {due})"},
    "agenda.view.entry.plan": {"ko": "- {when} 추진계획 {name}{text} {due}",
                               "en": "- {when} plan {name}{text} {due}"},
    "agenda.view.entry.progress": {"ko": "- {when} 추진경과 {name}{text} {due}",
                                   "en": "- {when} progress {name}{text} {due}"},
    "agenda.view.entry.result": {"ko": "- {when} 추진결과 {name}{text}",
                                 "en": "- {when} result {name}{text}"},
    "agenda.view.entry.overdue": {"ko": "- {when} {name}완료 예정일이 지났어요. {due}",
                                  "en": "- {when} {name}the due date passed. {due}"},
    "agenda.material.document": {"ko": "자료: {title}", "en": "Document: {title}"},
    "agenda.material.video": {"ko": "영상: {title}", "en": "Video: {title}"},
    "agenda.material.link": {"ko": "{title}\n{url}\n\n다른 것을 보려면 번호를 골라 주세요.",
                             "en": "{title}\n{url}\n\nPick a number to see something else."},
    "agenda.material.hint": {"ko": "자료가 있어요. '자료'라고 보내면 볼 수 있어요.",
                             "en": "There is material. Send 'material' to see it."},
    "agenda.vote": {"ko": "투표하기", "en": "Vote"},
    "agenda.back": {"ko": "안건 목록", "en": "Agenda list"},
    # --- pushes ---
    "agenda.notice.plan": {
        "ko": "[추진계획] 투표로 정한 '{title}'의 추진계획이 나왔어요.\n{text}\n완료 예정: {due}\n\n"
              "'안건'이라고 보내면 추진 상황을 볼 수 있어요.",
        "en": "[Plan] The plan for '{title}', decided by your vote:\n{text}\nDue: {due}\n\n"
              "Send 'agenda' to follow it."},
    "agenda.notice.progress": {
        "ko": "[추진경과] '{title}' 소식이에요.\n{text}\n완료 예정: {due}\n\n"
              "'안건'이라고 보내면 추진 상황을 볼 수 있어요.",
        "en": "[Progress] News of '{title}':\n{text}\nDue: {due}\n\n"
              "Send 'agenda' to follow it."},
    "agenda.notice.result": {
        "ko": "[추진결과] 투표로 정한 '{title}'이(가) 마무리됐어요.\n{text}\n\n"
              "함께해 주셔서 고마워요.",
        "en": "[Result] '{title}', decided by your vote, is done:\n{text}\n\n"
              "Thank you for taking part."},
    "agenda.notice.overdue": {
        "ko": "[추진 지연] 투표로 정한 '{title}'의 완료 예정일({due})이 지났어요. "
              "주민센터가 새 소식을 올리면 바로 알려 드릴게요.",
        "en": "[Delayed] The due date ({due}) of '{title}', decided by your vote, has passed. "
              "We will tell you as soon as the centre posts news."},
    "agenda.notice.video": {
        "ko": "[영상] '{ballot}' 영상이 올라왔어요.\n{title}\n{url}",
        "en": "[Video] A video of '{ballot}':\n{title}\n{url}"},
    "comment.notice.reply": {
        "ko": "{author} 님이 '{title}'에 남기신 의견에 답글을 달았어요.\n\"{text}\"\n\n"
              "'의견 보기'라고 보내면 볼 수 있어요. 이 알림을 그만 받으려면 '알림 끄기'라고 "
              "보내 주세요.",
        "en": "{author} replied to your comment on '{title}':\n\"{text}\"\n\n"
              "Send 'comments' to read it. Send 'notifications off' to stop these."},
    "proposal.notice.on_agenda": {
        "ko": "공감하신 제안 '{title}'이(가) 주민총회 안건 '{ballot}'에 올랐어요. {opens}부터 "
              "투표할 수 있어요.",
        "en": "The proposal '{title}' you agreed with is on the assembly's agenda, '{ballot}'. "
              "Voting opens {opens}."},
    # --- the discussion in the chat (handlers/comments.py) ---
    "comment.see": {"ko": "의견 보기 ({count})", "en": "Comments ({count})"},
    "comment.leave": {"ko": "의견 남기기", "en": "Leave a comment"},
    "comment.back": {"ko": "돌아가기", "en": "Back"},
    "comment.which": {"ko": "어느 안건의 의견인지 먼저 골라 주세요. 제안의 의견은 '제안 보기'에서 "
                            "볼 수 있어요.",
                      "en": "First pick the agenda item. Comments on proposals are under "
                            "'proposals'."},
    "comment.none": {"ko": "'{title}'에는 아직 의견이 없어요.",
                     "en": "No comments on '{title}' yet."},
    "comment.list": {"ko": "'{title}'에 남긴 의견 {count}개예요. ({page}/{pages}쪽)",
                     "en": "{count} comments on '{title}' (page {page}/{pages})."},
    "comment.by": {"ko": "{author} · {when}", "en": "{author} · {when}"},
    "comment.reply_to": {"ko": "(↳ {author} 님께 답글)", "en": "(↳ reply to {author})"},
    "comment.option": {"ko": "{author} 님 의견", "en": "{author}'s comment"},
    "comment.hidden": {"ko": "관리자가 가린 의견이에요. (사유: {reason})",
                       "en": "A manager hid this comment (reason: {reason})."},
    "comment.reply": {"ko": "답글 달기", "en": "Reply"},
    "comment.delete": {"ko": "삭제하기", "en": "Delete"},
    "comment.to_list": {"ko": "의견 목록으로", "en": "Back to the comments"},
    "comment.need_enrol": {"ko": "의견을 남기려면 먼저 본인 인증을 해 주세요.",
                           "en": "Please verify yourself first to leave a comment."},
    "comment.other_community": {"ko": "{own} 주민은 이곳에 의견을 남길 수 없어요.",
                                "en": "Residents of {own} cannot comment here."},
    "comment.moved_out": {"ko": "전출 처리되어 의견을 남길 수 없어요. 주민센터({phone})에 "
                                "문의해 주세요.",
                          "en": "You are recorded as moved out, so you cannot comment. Please "
                                "call the centre ({phone})."},
    "comment.refused.closed": {"ko": "이 안건은 지금 의견을 받지 않아요.",
                               "en": "This item does not take comments now."},
    "comment.refused.too_many": {"ko": "의견은 하루에 {limit}개까지 남길 수 있어요. 내일 다시 "
                                       "남겨 주세요.",
                                 "en": "You can leave {limit} comments a day. Please come back "
                                       "tomorrow."},
    "comment.ask": {"ko": "'{title}'에 남길 의견을 {limit}자 안에서 적어 주세요.\n"
                          "이름은 김*수처럼 일부만 보이고, 어떻게 투표했는지는 보이지 않아요.",
                    "en": "Write your comment on '{title}' ({limit} characters at most).\n"
                          "Only part of your name shows, and never how you voted."},
    "comment.ask.reply": {"ko": "답글을 {limit}자 안에서 적어 주세요.",
                          "en": "Write your reply ({limit} characters at most)."},
    "comment.bad_text": {"ko": "의견은 2자에서 {limit}자 사이로 적어 주세요.",
                         "en": "A comment is 2 to {limit} characters."},
    "comment.confirm": {"ko": "이 의견을 올릴까요?\n\n\"{text}\"",
                        "en": "Post this comment?\n\n\"{text}\""},
    "comment.post": {"ko": "예 (올리기)", "en": "Yes (post)"},
    "comment.rewrite": {"ko": "아니오 (다시 쓰기)", "en": "No (rewrite)"},
    "comment.posted": {"ko": "의견을 올렸어요.", "en": "Your comment is posted."},
    "comment.gone": {"ko": "답글을 달려던 의견이 지워졌어요.",
                     "en": "The comment you were replying to is gone."},
    "comment.delete.ask": {"ko": "이 의견을 지울까요? 지우면 되돌릴 수 없어요.\n\n\"{text}\"",
                           "en": "Delete this comment? This cannot be undone.\n\n\"{text}\""},
    "comment.delete.yes": {"ko": "예 (지우기)", "en": "Yes (delete)"},
    "comment.deleted": {"ko": "의견을 지웠어요.", "en": "Your comment is deleted."},
    # --- refusals (REST, console) ---
    "error.agenda.url": {"ko": "https://로 시작하는 주소여야 해요 (500자 이내).",
                         "en": "Must be an https:// address (500 characters at most)."},
    "error.agenda.plan_due": {"ko": "추진계획에는 완료 예정일이 필요해요 (YYYY-MM-DD).",
                              "en": "A plan needs the date it is due by (YYYY-MM-DD)."},
    "error.agenda.result_due": {"ko": "추진결과에는 예정일을 적지 않아요.",
                                "en": "A result takes no due date."},
    "error.agenda.project_needed": {"ko": "주민참여예산 안건은 선정 사업 번호(project)를 "
                                          "골라 주세요.",
                                    "en": "A budget item needs the funded project's number "
                                          "(project)."},
    "error.agenda.project_only_budget": {"ko": "사업 번호는 주민참여예산 안건에만 써요.",
                                         "en": "A project number is only for budget items."},
    "error.agenda.no_item": {"ko": "그런 안건이 없어요 (안건은 {count}개예요).",
                             "en": "No such item (there are {count})."},
    "error.comment.text": {"ko": "의견은 2자에서 {limit}자 사이예요.",
                           "en": "A comment is 2 to {limit} characters."},
    "error.ballot.source_proposal": {"ko": "{number}번 제안은 이 공동체에 공개된 제안이 아니에요.",
                                     "en": "Proposal {number} is not a public proposal of this "
                                           "community."},
    "error.item_not_found": {"ko": "{number}번 안건이 없어요.", "en": "There is no item {number}."},
    "error.agenda_not_published": {"ko": "결과를 공개한 뒤에 추진 상황을 올릴 수 있어요.",
                                   "en": "Progress can be posted once the results are "
                                         "published."},
    "error.agenda_not_adopted": {"ko": "'{title}'은(는) 가결되지 않았어요 (또는 투표율 기준에 "
                                       "못 미쳤어요). 추진 상황은 가결된 안건에만 올려요.",
                                 "en": "'{title}' was not adopted (or the quorum was missed). "
                                       "Progress is for adopted items."},
    "error.project_not_funded": {"ko": "'{title}'은(는) 선정되지 않은 사업이에요.",
                                 "en": "'{title}' was not funded."},
    "error.agenda_done": {"ko": "'{title}'은(는) 추진결과가 이미 올라갔어요.",
                          "en": "The result of '{title}' is already posted."},
    "error.agenda_no_plan": {"ko": "'{title}'의 추진계획(완료 예정일)을 먼저 올려 주세요.",
                             "en": "Post the plan of '{title}' (with its due date) first."},
    "error.material_not_found": {"ko": "그런 자료가 없어요.", "en": "No such material."},
    "error.comment_not_found": {"ko": "그런 의견이 없어요.", "en": "No such comment."},
    "error.comment_hidden": {"ko": "이미 가린 의견이에요.", "en": "The comment is already hidden."},
    "error.comment_deleted": {"ko": "작성자가 지운 의견이에요.",
                              "en": "The author deleted this comment."},
    "error.comment_not_yours": {"ko": "본인이 쓴 의견만 지울 수 있어요.",
                                "en": "Only your own comments can be deleted."},
    "error.comment_gone": {"ko": "답글을 달려던 의견이 없어요.",
                           "en": "The comment being answered is gone."},
    "error.comment_not_verified": {"ko": "본인 인증한 주민만 의견을 남길 수 있어요.",
                                   "en": "Only verified residents can comment."},
    "error.comment_other_community": {"ko": "다른 공동체 주민이에요.",
                                      "en": "A resident of another community."},
    "error.comment_moved_out": {"ko": "전출 처리된 주민이에요.",
                                "en": "The resident has moved out."},
    "error.comment_closed": {"ko": "지금 의견을 받지 않는 안건이에요.",
                             "en": "This item does not take comments now."},
    "error.comment_too_many": {"ko": "오늘 남길 수 있는 의견을 다 남겼어요.",
                               "en": "The day's comments are used up."},
    "error.invalid_target": {"ko": "target은 ballot_item:<투표 번호>:<안건 번호> 또는 "
                                   "proposal:<제안 번호>예요.",
                             "en": "target is ballot_item:<ballot id>:<item number> or "
                                   "proposal:<proposal id>."},
    # --- the public page ---
    "public.passed": {"ko": "가결", "en": "Passed"},
    "public.rejected": {"ko": "부결", "en": "Rejected"},
    "public.funded": {"ko": "선정 사업 {count}개", "en": "{count} projects funded"},
    # --- console ---
    "console.agenda.progress": {"ko": "추진 상황을 올렸어요. 투표에 참여한 주민에게 알림이 가요.",
                                "en": "Posted. Everyone who voted will hear it."},
    "console.agenda.material": {"ko": "자료를 올렸어요.", "en": "Material added."},
    "console.agenda.material_removed": {"ko": "자료를 내렸어요.", "en": "Material removed."},
    "console.agenda.hidden": {"ko": "의견을 가렸어요. 사유가 대신 보여요.",
                              "en": "Hidden. Its reason shows instead."},
}
