"""Every transition names a state that exists: a typo in a `goto` fails here, not in a resident's
chat. States are named by constants (handlers/states.py) and installed explicitly."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import handlers
from bot.catalogue.lexicon import KEYWORDS as KEYWORD_WORDS
from handlers import states
from handlers.base import STATES, State

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "handlers").glob("*.py")) + [ROOT / "bot" / "dispatch.py"]


def _targets(tree: ast.AST) -> list[ast.expr]:
    """The expressions a transition names: `goto(X)`, `then=X`, `.state = X`, `STATES[X]`."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "goto" and node.args:
                found.append(node.args[0])
            found += [k.value for k in node.keywords if k.arg == "then"]
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Attribute) and t.attr == "state" for t in node.targets):
                found.append(node.value)
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "STATES":
            found.append(node.slice)
    return found


def _state_names(expr: ast.expr) -> list[str]:
    """The state names a target expression can take (constants and their tuples and choices)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.Attribute) and getattr(expr.value, "id", "") == "states":
        return [getattr(states, expr.attr)]
    if isinstance(expr, ast.IfExp):
        return _state_names(expr.body) + _state_names(expr.orelse)
    if isinstance(expr, ast.Subscript):
        return _state_names(expr.value)
    if isinstance(expr, ast.Tuple):
        return [name for element in expr.elts for name in _state_names(element)]
    return []  # a variable: its values are targets elsewhere in the code


def test_every_transition_names_an_installed_state():
    handlers.install()
    checked = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for target in _targets(tree):
            if isinstance(target, ast.Constant):
                raise AssertionError(f"{path.name}:{target.lineno}: a bare state name "
                                     f"{target.value!r}; use handlers.states")
            for name in _state_names(target):
                assert name in STATES, f"{path.name}:{target.lineno}: no state {name!r}"
                checked += 1
    assert checked > 60


def test_the_constants_keywords_and_classes_agree():
    handlers.install()
    assert set(states.ALL) == set(STATES)
    assert set(KEYWORD_WORDS) <= set(STATES)
    for flow in handlers.FLOWS:
        defined = [cls for _, cls in inspect.getmembers(flow, inspect.isclass)
                   if issubclass(cls, State) and cls.__module__ == flow.__name__
                   and isinstance(cls.__dict__.get("name"), str)]
        assert set(defined) == set(flow.STATE_CLASSES), flow.__name__


def test_a_typo_in_a_transition_is_caught():
    tree = ast.parse('ctx.goto("ballot.itme")\nctx.goto(states.HOME if x else states.MINE)')
    targets = _targets(tree)
    assert isinstance(targets[0], ast.Constant)
    assert _state_names(targets[1]) == ["home", "mine"]
