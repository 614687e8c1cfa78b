"""docs/prometheus-alerts.yml: valid rules, naming only metrics Maeul exposes (issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

RULES = Path(__file__).parent.parent / "docs" / "prometheus-alerts.yml"
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def _family(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def test_every_alert_names_metrics_that_exist(config):
    from bot import create_app

    app = create_app({**config, "METRICS_TOKEN": "alert-rules-test-token"})
    text = app.test_client().get(
        "/metrics", headers={"Authorization": "Bearer alert-rules-test-token"}).get_data(
        as_text=True)
    app.extensions["maeul.db"].dispose()
    exposed = {_family(name) for name in re.findall(r"^# TYPE (\S+)", text, flags=re.M)}
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"][0]["rules"]
    assert {rule["alert"] for rule in rules} >= {"MaeulOutboxBackingUp", "MaeulClockSilent",
                                                 "MaeulPushFailureRate"}
    for rule in rules:
        assert rule["expr"] and rule["annotations"]["summary"]
        named = {_family(name) for name in re.findall(r"\bmaeul_[a-z_]+", rule["expr"])}
        assert named, rule["alert"]
        assert named <= exposed, (rule["alert"], named - exposed)
