"""Sentences of enrolment (본인 인증)."""

MESSAGES = {
    "enrol.start": {
        "ko": "본인 인증을 할게요.\n투표와 공감은 명부에 있는 주민만 할 수 있어요.\n어떻게 확인할까요?",
        "en": "Let's verify who you are.\nOnly residents on the roster\ncan vote and agree.\nHow shall we check?",
    },
    "enrol.option.details": {"ko": "이름·생년월일로 확인", "en": "Name and birth date"},
    "enrol.option.code": {"ko": "주민센터에서 받은 인증번호", "en": "Code from the centre"},
    "enrol.ask_name": {
        "ko": "성함을 입력해 주세요.\n(예: 홍길동)",
        "en": "Please type your name.\n(e.g. 홍길동)",
    },
    "enrol.bad_name": {
        "ko": "성함을 글자로만 입력해 주세요.",
        "en": "Please type your name in letters only.",
    },
    "enrol.ask_birth": {
        "ko": "생년월일을 입력해 주세요.\n(예: 520315 또는 1952-03-15)",
        "en": "Please type your birth date.\n(e.g. 520315 or 1952-03-15)",
    },
    "enrol.bad_birth": {
        "ko": "생년월일을 알아보지 못했어요.\n520315, 19520315, 1952.3.15 처럼 써 주세요.",
        "en": "I could not read the date.\nWrite it like 520315, 19520315\nor 1952.3.15.",
    },
    "enrol.ask_phone": {
        "ko": "휴대전화 번호 끝 4자리를 입력해 주세요. (예: 5678)",
        "en": "Please type the last 4 digits\nof your mobile number. (e.g. 5678)",
    },
    "enrol.bad_phone": {
        "ko": "휴대전화 번호 끝 4자리를 숫자로 보내 주세요. (예: 5678)",
        "en": "Please send just 4 digits.",
    },
    "enrol.ask_code": {
        "ko": "주민센터에서 받은 인증번호 8자리를 입력해 주세요.",
        "en": "Please type the 8-digit code\nfrom the community centre.",
    },
    "enrol.bad_code": {
        "ko": "인증번호는 숫자 8자리예요. 다시 입력해 주세요.",
        "en": "The code has 8 digits.\nPlease type it again.",
    },
    "enrol.bound": {
        "ko": "인증되었어요. {community} 주민으로 확인했어요.\n이제 투표와 공감을 할 수 있어요.",
        "en": "Verified. You are a resident\nof {community}.\nYou can now vote and agree.",
    },
    "enrol.already": {
        "ko": "이미 인증되어 있어요.\n({community} 주민)",
        "en": "You are already verified.\n(resident of {community})",
    },
    "enrol.no_match": {
        "ko": "입력하신 정보가 명부와 맞지 않아요.\n성함부터 다시 입력해 주세요. (남은 기회 {left}번)\n"
              "계속 안 되면 주민센터({phone})에서 인증번호를 받아 주세요.",
        "en": "The details do not match the roster.\nPlease start again with your name ({left} "
              "tries left).\nIf it keeps failing, get a code from the centre ({phone}).",
    },
    "enrol.paused": {
        "ko": "지금은 이름·생년월일로 인증할 수 없어요.\n주민센터({phone})에서 받은 인증번호로 "
              "인증해 주세요.",
        "en": "Verifying by name and birth date\nis paused for now.\nPlease use a code from "
              "the centre ({phone}).",
    },
    "enrol.locked": {
        "ko": "여러 번 맞지 않았어요. {until} 이후에 다시 해 주세요.\n급하시면 주민센터({phone})에 문의해 주세요.",
        "en": "Too many tries. Please try again after {until}.\nIf it is urgent, call the centre ({phone}).",
    },
    "enrol.taken": {
        "ko": "입력하신 분은 이미 다른 계정으로 인증되어 있어요.\n주민센터({phone})에 문의해 주세요.",
        "en": "This resident is already verified\nwith another account.\nPlease call the centre ({phone}).",
    },
    "enrol.code_used": {
        "ko": "이미 사용한 인증번호예요.\n주민센터({phone})에서 새 번호를 받아 주세요.",
        "en": "This code was already used.\nPlease get a new one\nfrom the centre ({phone}).",
    },
    "enrol.code_expired": {
        "ko": "기간이 지난 인증번호예요.\n주민센터({phone})에서 새 번호를 받아 주세요.",
        "en": "This code has expired.\nPlease get a new one\nfrom the centre ({phone}).",
    },
    "enrol.centre": {"ko": "가까운 주민센터", "en": "nearest centre"},
    "enrol.id_number": {
        "ko": "생년월일만 쓸게요. 주민등록번호 뒷자리는 어디에도 보내지 마세요.",
        "en": "Only the birth date is used. Never send the rest of your resident number.",
    },
}
