"""Every sentence a person reads, and every word the bot understands, lives in bot/catalogue
(issue 20): a Hangul string literal anywhere else in the product code fails here. Docstrings
and comments, which are for developers, may quote Korean."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def hangul_literals(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and HANGUL.search(node.value)]


def test_no_korean_outside_the_catalogue():
    found = []
    checked = 0
    for package in ("bot", "handlers", "adapters", "scheduler"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith("bot/catalogue/") or "/migrations/" in relative:
                continue
            checked += 1
            found += [f"{relative}:{line}: {text[:40]!r}"
                      for line, text in hangul_literals(path.read_text())]
    assert checked > 80
    assert found == []


def test_the_check_sees_literals_and_skips_docstrings():
    source = '"""설명"""\n\ndef f():\n    """도움말"""\n    return "안녕하세요" + f"{1}번"\n'
    assert [text for _, text in hangul_literals(source)] == ["안녕하세요", "번"]
