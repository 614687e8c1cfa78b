"""Words of the roster import (bot/roster.py) as the console and the REST API show them."""

MESSAGES = {
    "roster.column.name": {"ko": "이름", "en": "name"},
    "roster.column.birth_date": {"ko": "생년월일", "en": "birth date"},
    "roster.column.phone": {"ko": "휴대폰 번호", "en": "mobile number"},
    "roster.someone": {"ko": "{name}({year}년생)", "en": "{name} (born {year})"},
    "error.invalid_roster": {"ko": "명부에 고칠 곳이 {count}군데 있어요. 아무것도 가져오지 않았어요.",
                             "en": "{count} things to fix in the roster. Nothing was imported."},
    "error.roster.encoding": {"ko": "파일을 읽을 수 없어요. CSV를 UTF-8이나 CP949(엑셀 기본)로 "
                                    "저장해 주세요.",
                              "en": "The file cannot be read. Save the CSV as UTF-8 or CP949."},
    "error.roster.empty_file": {"ko": "빈 파일이에요. 첫 줄에 이름, 생년월일, 휴대폰 번호 열이 "
                                      "있어야 해요.",
                                "en": "The file is empty. The first line needs name, birth date "
                                      "and mobile number columns."},
    "error.roster.column": {"ko": "'{column}' 열을 찾지 못했어요. 파일 첫 줄의 열: {own}. "
                                  "첫 줄에 이름, 생년월일, 휴대폰 번호 열이 있어야 해요.",
                            "en": "No '{column}' column. The file's first line: {own}. It needs "
                                  "name, birth date and mobile number columns."},
    "error.roster.name_empty": {"ko": "이름이 비어 있어요.", "en": "The name is empty."},
    "error.roster.name_chars": {"ko": "이름에 쓸 수 없는 글자가 있어요.",
                                "en": "The name has characters a name cannot have."},
    "error.roster.birth_empty": {"ko": "생년월일이 비어 있어요.", "en": "The birth date is empty."},
    "error.roster.birth_future": {"ko": "생년월일이 미래 날짜예요.",
                                  "en": "The birth date is in the future."},
    "error.roster.birth_format": {"ko": "생년월일 형식이 올바르지 않아요 (예: 1952-03-15).",
                                  "en": "The birth date cannot be read (e.g. 1952-03-15)."},
    "error.roster.phone": {"ko": "전화번호가 올바르지 않아요 (예: 010-1234-5678).",
                           "en": "The phone number is not valid (e.g. 010-1234-5678)."},
    "error.roster.duplicate": {"ko": "{first}번째 줄과 같은 주민이에요 (중복).",
                               "en": "The same resident as line {first} (a duplicate)."},
    "error.roster.csv": {"ko": "CSV 형식 오류: {reason}", "en": "CSV format error: {reason}"},
    "error.roster.nobody": {"ko": "주민이 한 명도 없어요.", "en": "There are no residents."},
    "error.roster.overlaps": {
        "ko": "명부의 여러 주민과 겹쳐요: {who}. 이름·생년월일·전화번호 중 두 가지가 같아요. "
              "어느 분인지 파일에서 고쳐 주세요.",
        "en": "Overlaps several residents: {who}. Two of name, birth date and phone match. "
              "Say which one in the file."},
    "error.roster.same_person": {
        "ko": "{lines}번째 줄이 모두 같은 주민({name})으로 보여요. 한 줄만 남기거나 고쳐 주세요.",
        "en": "Lines {lines} all look like one resident ({name}). Keep one or fix them."},
    "error.roster_too_large": {"ko": "명부 파일은 5MB까지 올릴 수 있어요.",
                               "en": "A roster file may be at most 5 MB."},
    "error.missing_file": {"ko": "'file' 필드에 CSV 파일을 넣어 주세요.",
                           "en": "Put the CSV file in the 'file' field."},
    "error.roster_format": {"ko": "CSV 본문(text/csv)이나 multipart 'file' 필드로 보내 주세요.",
                            "en": "Send a CSV body (text/csv) or a multipart 'file' field."},
    "error.confirm_moved_out": {
        "ko": "전출 처리 {count}명 (그 중 인증한 주민 {verified}명) — 명부 {roster}명 중. "
              "전출된 주민은 투표와 공감을 할 수 없어요. "
              "맞으면 confirm_moved_out={count} 을 붙여 다시 보내 주세요.",
        "en": "{count} moved out ({verified} of them verified) of a roster of {roster}. "
              "Moved-out residents cannot vote or agree. "
              "If that is right, send again with confirm_moved_out={count}."},
    "error.confirm_large": {
        "ko": "명부의 5분의 1이 넘는 {count}명을 전출 처리해요. "
              "정말 맞으면 confirm_large=yes 도 붙여 주세요.",
        "en": "This moves out {count}, more than a fifth of the roster. "
              "If that is right, add confirm_large=yes too."},
    "error.invalid_mode": {"ko": "mode는 add(기본: 추가·수정) 또는 replace(명부 교체)예요.",
                           "en": "mode is add (the default: add and update) or replace."},
    "error.verified_filter": {"ko": "verified는 true 또는 false 예요.",
                              "en": "verified is true or false."},
    "error.lookup_both": {"ko": "이름과 생년월일(예: 1952-03-15)을 함께 주세요.",
                          "en": "Give the name and the birth date (e.g. 1952-03-15) together."},
    "error.not_on_roster": {"ko": "이 공동체의 명부에 없는 주민이에요.",
                            "en": "Not a resident on this community's roster."},
    "error.code_moved_out": {"ko": "전출로 표시된 주민에게는 인증번호를 줄 수 없어요.",
                             "en": "A resident marked as moved out cannot get a code."},
    "error.binding_not_found": {"ko": "이 주민은 {channel}에 인증된 계정이 없어요.",
                                "en": "This resident has no verified account on {channel}."},
}
