"""The code's shape (issue 20): no module a reader cannot hold in mind. ruff's C901 (max 12,
pyproject.toml) holds each function; this holds each module of the product code."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "adapters", "scheduler")
MAX_LINES = 400


def _modules() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in path.parts]


def test_no_module_is_over_400_lines():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
             for path in _modules()}
    assert len(sizes) > 50  # the walk found the code
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
