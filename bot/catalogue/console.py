"""Sentences of the manager console (bot/console/): what each action says it did or refused."""

MESSAGES = {
    "console.ballot.created": {"ko": "투표를 만들었어요.", "en": "The ballot is created."},
    "console.ballot.saved": {"ko": "투표를 고쳤어요.", "en": "The ballot is saved."},
    "console.ballot.closed": {"ko": "투표를 마감했어요.", "en": "The ballot is closed."},
    "console.ballot.closed_trustees": {
        "ko": "투표를 마감했어요. 개표 관리인들이 비밀번호로 개표해 주세요.",
        "en": "The ballot is closed. The trustees count it with their secrets."},
    "console.ballot.secret_set": {
        "ko": "{number}번 관리인의 비밀번호를 저장했어요. "
              "비밀번호는 저장되지 않고, 개표할 때 다시 입력해야 해요.",
        "en": "Trustee {number}'s secret is set. "
              "The secret itself is not kept: type it again at the count."},
    "console.ballot.counted": {"ko": "개표했어요. 봉인된 표는 모두 지웠어요.",
                               "en": "Counted. Every sealed vote is destroyed."},
    "console.ballot.cancelled": {"ko": "투표를 취소했어요.", "en": "The ballot is cancelled."},
    "console.ballot.extended": {"ko": "마감 시간을 바꿨어요.", "en": "The closing time changed."},
    "console.ballot.published": {"ko": "결과를 공개했어요.", "en": "The result is published."},
    "console.ballot.marked": {"ko": "{name} 님을 현장 투표로 표시했어요.",
                              "en": "{name} is marked as voting on site."},
    "console.ballot.counts_saved": {"ko": "현장 개표 결과를 저장했어요.",
                                    "en": "The on-site counts are saved."},
    "console.ballot.csv_header": {"ko": "안건번호,안건,선택지,온라인,현장,합계,순위",
                                  "en": "Item,Title,Option,Online,On site,Total,Rank"},
    "console.ballot.state.scheduled": {"ko": "예정", "en": "Scheduled"},
    "console.ballot.state.open": {"ko": "진행 중", "en": "Open"},
    "console.ballot.state.closed": {"ko": "마감", "en": "Closed"},
    "console.ballot.state.published": {"ko": "결과 공개", "en": "Published"},
    "console.ballot.state.cancelled": {"ko": "취소", "en": "Cancelled"},
    "console.hidden": {"ko": "비공개", "en": "hidden"},
    "console.sign_in.too_many": {"ko": "로그인 시도가 너무 많아요. {minutes}분 뒤에 다시 해 주세요.",
                                 "en": "Too many sign-in attempts. Try again in {minutes} min."},
    "console.sign_in.wrong": {"ko": "이메일 또는 비밀번호가 맞지 않아요.",
                              "en": "The e-mail or the password is wrong."},
    "console.sign_in.disabled": {"ko": "사용이 중지된 계정이에요. 시 관리자에게 문의해 주세요.",
                                 "en": "This account is disabled. Ask the city admin."},
    "console.abstain": {"ko": "기권", "en": "Abstain"},
    "console.proposal.screened": {"ko": "처리했어요.", "en": "Done."},
    "console.proposal.answered": {"ko": "답변을 등록했어요.", "en": "The answer is posted."},
    "console.proposal.progress": {"ko": "추진 상황을 올렸어요.", "en": "The progress is posted."},
    "console.proposal.sent_back": {"ko": "답변을 다시 쓰도록 돌려보냈어요.",
                                   "en": "The answer is sent back to be rewritten."},
    "console.roster.confirm_all": {"ko": "전출 처리할 인원을 확인하는 칸에 모두 체크해 주세요.",
                                   "en": "Tick every box that confirms the moves out."},
    "console.roster.imported": {
        "ko": "명부를 가져왔어요: 새로 {added}명, 바뀜 {updated}명, 전출 {moved_out}명.",
        "en": "Roster imported: {added} new, {updated} changed, {moved_out} moved out."},
    "roster.field.name": {"ko": "이름", "en": "name"},
    "roster.field.birth_date": {"ko": "생년월일", "en": "birth date"},
    "roster.field.phone": {"ko": "전화번호", "en": "phone"},
    "console.consent.too_long": {"ko": "동의 문구는 {limit}자 안으로 써 주세요.",
                                 "en": "Keep the consent text within {limit} characters."},
    "console.consent.saved": {
        "ko": "동의 문구를 저장했어요. 다음에 인증하는 주민부터 이 문구로 동의를 받아요.",
        "en": "The consent text is saved. Residents who enrol next agree to it."},
    "console.consent.default": {"ko": "기본 동의 문구로 되돌렸어요.",
                                "en": "Back to the default consent text."},
    "console.erase.already": {"ko": "이미 개인정보를 삭제한 주민이에요.",
                              "en": "This resident's personal data is erased already."},
    "console.erase.needed": {
        "ko": "아직 공개하지 않은 투표나 끝나지 않은 제안에 이 주민의 참여가 있어요. "
              "투표 결과를 공개하거나 제안이 끝난 뒤에 삭제할 수 있어요.",
        "en": "This resident took part in an unpublished ballot or an open proposal. "
              "Erase after the result is published or the proposal ends."},
    "console.erase.confirm": {"ko": "주민의 삭제 요청을 확인하는 칸에 체크해 주세요.",
                              "en": "Tick the box that confirms the resident's request."},
    "console.erase.done": {
        "ko": "개인정보를 삭제했어요. 이미 한 투표와 공감은 누구 것인지 모르게 남아요.",
        "en": "Personal data erased. Votes and agreements stay, tied to nobody."},
    "console.unbind.done": {"ko": "인증을 풀었어요. 주민은 다시 인증할 수 있어요.",
                            "en": "Unbound. The resident can verify again."},
    "console.unbind.none": {"ko": "그 채널에 인증된 계정이 없어요.",
                            "en": "No verified account on that channel."},
    "console.room.not_usable": {"ko": "이 토큰으로 쓸 수 있는 밴드가 아니에요.",
                                "en": "The token cannot post to that band."},
    "console.room.linked": {"ko": "밴드 '{name}'를 공지방으로 연결했어요.",
                            "en": "Band '{name}' is linked as a notice room."},
    "console.notice.queued": {"ko": "공지를 방 {rooms}곳에 보내도록 맡겼어요.",
                              "en": "The notice is queued for {rooms} rooms."},
    "console.manager.disabled": {
        "ko": "{name} 님을 중지했어요. 로그인 {sessions}개를 끝내고 토큰 {tokens}개를 폐기했어요.",
        "en": "{name} is disabled: {sessions} sign-ins ended, {tokens} tokens revoked."},
    "console.manager.enabled": {"ko": "{name} 님이 다시 쓸 수 있어요. 토큰은 새로 만들어야 해요.",
                                "en": "{name} can sign in again. Tokens must be issued anew."},
    "console.manager.confirm_remove": {
        "ko": "삭제하려면 확인 칸에 체크해 주세요. 삭제는 되돌릴 수 없어요.",
        "en": "Tick the box to remove. Removing cannot be undone."},
    "console.manager.removed": {"ko": "{name} 님을 삭제했어요.", "en": "{name} is removed."},
    "console.alert.enrol.second_account": {
        "ko": "새 계정 인증: 이미 인증한 주민에게 다른 메신저 계정이 더해졌어요",
        "en": "New account: a verified resident added another messenger account"},
    "console.alert.enrol.attempt_on_bound": {
        "ko": "인증된 주민의 정보로 다른 계정이 인증을 시도했어요",
        "en": "Another account tried to verify as a verified resident"},
    "console.alert.enrol.person_paused": {
        "ko": "한 주민에 대한 인증 실패가 많아 그 주민의 이름·생년월일 인증을 쉬어요",
        "en": "Many failures for one resident: their name check is paused"},
    "console.alert.enrol.community_paused": {
        "ko": "인증 실패가 한꺼번에 많아 이름·생년월일 인증을 잠시 쉬어요",
        "en": "Many failures at once: name checks are paused for a while"},
}
