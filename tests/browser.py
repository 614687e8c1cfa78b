"""The browser tests' parts: Debian's Chromium driven by Playwright (no browser download), a
live server on loopback, and where screenshots go. Fixtures `server` and `page` are in conftest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian's chromium is not installed (.ci/run installs it)")
PHONE = {"width": 390, "height": 844}


def sign_in(page, server: str, email: str = "desk@pungsan.kr") -> None:
    """Sign in to the console in the browser as a manager made with tests.console_helpers."""
    from tests.console_helpers import PASSWORD

    page.goto(f"{server}/console/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("load")
