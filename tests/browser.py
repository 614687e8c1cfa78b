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
