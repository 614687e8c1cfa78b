"""Tiered agreement thresholds as configuration: every city guessed its first thresholds and later
lowered them (report L2352–2387, L3366), so they live in data, per community.

A stage: reach `agreements` within `window_days` of the stage's start (and, with
`require_majority`, 공감 ≥ 비공감), then `actor` must answer within `answer_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACTORS = ("department", "council", "head")  # read as `proposal.actor.<code>` in the catalogue


@dataclass(frozen=True)
class Stage:
    agreements: int
    window_days: int
    actor: str
    answer_days: int
    require_majority: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"agreements": self.agreements, "window_days": self.window_days,
                "actor": self.actor, "answer_days": self.answer_days,
                "require_majority": self.require_majority}


# The platforms of the domain table (docs/domain.md §2; report lines in comments).
PRESETS: dict[str, list[Stage]] = {
    # 민주주의서울: 50 in 30 days → department answers; 100 → debate; 1,000 → mayor (L2352–2387).
    "seoul": [Stage(50, 30, "department", 30), Stage(100, 30, "council", 30),
              Stage(1000, 30, "head", 30)],
    # 대전시소: 10 in 30 days → department review in 10 days; 100 → debate; 1,000 → mayor in 20.
    "daejeon": [Stage(10, 30, "department", 10), Stage(100, 30, "council", 30),
                Stage(1000, 30, "head", 20)],
    # 금천1번가: 20 → department answers within 20 days (L3454–3460).
    "geumcheon": [Stage(20, 30, "department", 20)],
    # 광산ON: 50 in 20 days → department review; 300 in 30 days → head answers.
    "gwangsan": [Stage(50, 20, "department", 20), Stage(300, 30, "head", 30)],
    # 봄의대화 (춘천): 50 and 공감 ≥ 비공감 in 20 days; 200 and 공감 ≥ 비공감 → mayor's answer.
    "chuncheon": [Stage(50, 20, "department", 20, True), Stage(200, 20, "head", 30, True)],
}
DEFAULT_PRESET = "geumcheon"


def validate_rules(value: Any) -> list[tuple[str, dict[str, Any]]]:
    """Problems with a preset name or a list of stages, as (message key, values); empty when
    fine."""
    if isinstance(value, str):
        return [] if value in PRESETS else [
            ("error.rules.preset", {"name": value, "presets": ", ".join(PRESETS)})]
    if not isinstance(value, list) or not 1 <= len(value) <= 5:
        return [("error.rules.shape", {})]
    problems: list[tuple[str, dict[str, Any]]] = []
    previous = 0
    for number, stage in enumerate(value, start=1):
        if not isinstance(stage, dict):
            problems.append(("error.rules.stage", {"number": number}))
            continue
        for key, low, high in (("agreements", 1, 1_000_000), ("window_days", 1, 365),
                               ("answer_days", 1, 365)):
            item = stage.get(key)
            if isinstance(item, bool) or not isinstance(item, int) or not low <= item <= high:
                problems.append(("error.rules.range",
                                 {"number": number, "field": key, "low": low, "high": high}))
        if stage.get("actor") not in ACTORS:
            problems.append(("error.rules.actor", {"number": number, "actors": ", ".join(ACTORS)}))
        if not isinstance(stage.get("require_majority", False), bool):
            problems.append(("error.rules.majority", {"number": number}))
        count = stage.get("agreements")
        if isinstance(count, int) and not isinstance(count, bool):
            if count <= previous:
                problems.append(("error.rules.increasing", {"number": number}))
            previous = count
    return problems


def stages_from(value: Any) -> list[Stage]:
    if isinstance(value, str):
        return PRESETS[value]
    return [Stage(s["agreements"], s["window_days"], s["actor"], s["answer_days"],
                  bool(s.get("require_majority", False))) for s in value]


def rules_for(community: Any) -> list[Stage]:
    """The community's stages: its own list, else its preset, else the default."""
    if community.proposal_rules:
        return stages_from(community.proposal_rules)
    return PRESETS[community.proposal_preset or DEFAULT_PRESET]
