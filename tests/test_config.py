"""Configuration is checked at start-up and every problem is named."""

import pytest

from bot import create_app
from bot.config import ConfigError, load_settings

SEALING = "k" * 32
PRIVACY = {"PRIVACY_CONTROLLER": "고양시 일산동구청", "PRIVACY_OFFICER": "자치행정과장 홍길동",
           "PRIVACY_CONTACT": "031-000-0000", "PUBLIC_BASE_URL": "https://maeul.example.kr"}


def test_production_refuses_to_start_without_its_secrets_and_names_them():
    with pytest.raises(ConfigError) as caught:
        load_settings({"MAEUL_ENV": "production"}, use_env=False)
    message = str(caught.value)
    for name in ("SECRET_KEY", "IDENTITY_PEPPER", "SEALING_KEY", "ADMIN_API_TOKEN",
                 "KAKAO_WEBHOOK_TOKEN", "DATABASE_URL", "PRIVACY_CONTROLLER", "PRIVACY_OFFICER",
                 "PRIVACY_CONTACT", "PUBLIC_BASE_URL"):
        assert name in message


def test_production_refuses_sqlite():
    values = {"MAEUL_ENV": "production", "SECRET_KEY": "s", "IDENTITY_PEPPER": "p", **PRIVACY,
              "SEALING_KEY": SEALING, "ADMIN_API_TOKEN": "a", "KAKAO_WEBHOOK_TOKEN": "k",
              "DATABASE_URL": "sqlite:///x.db", "SIMULATOR_ENABLED": "false"}
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings(values, use_env=False)


def test_production_refuses_a_short_sealing_key():
    values = {"MAEUL_ENV": "production", "SECRET_KEY": "s", "IDENTITY_PEPPER": "p", **PRIVACY,
              "SEALING_KEY": "short", "ADMIN_API_TOKEN": "a", "KAKAO_WEBHOOK_TOKEN": "k",
              "DATABASE_URL": "postgresql://u@h/db"}
    with pytest.raises(ConfigError, match="SEALING_KEY is too short"):
        load_settings(values, use_env=False)


def test_production_with_all_secrets_starts():
    values = {"MAEUL_ENV": "production", "SECRET_KEY": "s", "IDENTITY_PEPPER": "p", **PRIVACY,
              "SEALING_KEY": SEALING, "ADMIN_API_TOKEN": "a", "KAKAO_WEBHOOK_TOKEN": "k",
              "DATABASE_URL": "postgresql://u@h/db"}
    settings = load_settings(values, use_env=False)
    assert settings.env == "production"
    assert settings["SIMULATOR_ENABLED"] is False
    assert settings["DB_CREATE_ALL"] is False


@pytest.mark.parametrize("key, value, words", [
    ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
    ("MAEUL_ENV", "staging", "MAEUL_ENV"),
    ("CONVERSATION_IDLE_MINUTES", "half an hour", "CONVERSATION_IDLE_MINUTES"),
    ("QUIET_HOURS", "9pm-8am", "QUIET_HOURS"),
])
def test_bad_values_are_named(key, value, words):
    with pytest.raises(ConfigError, match=words):
        load_settings({key: value}, use_env=False)


def test_create_app_raises_config_error_before_serving(tmp_path):
    with pytest.raises(ConfigError):
        create_app({"MAEUL_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_development_gets_throwaway_secrets():
    settings = load_settings({"MAEUL_ENV": "development"}, use_env=False)
    assert settings["SECRET_KEY"] and settings["IDENTITY_PEPPER"] and settings["SEALING_KEY"]
    assert settings["SIMULATOR_ENABLED"] is True


def test_an_operator_command_without_an_environment_runs_as_production(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MAEUL_ENV" and not k.endswith("_KEY")}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "tick"], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path,
                          env={**env, "PYTHONPATH": os.getcwd()})
    assert done.returncode == 2
    assert "SECRET_KEY is not set" in done.stderr and "SEALING_KEY is not set" in done.stderr


def test_the_kakao_token_may_be_given_as_a_rotation_pair_in_production():
    values = {"MAEUL_ENV": "production", "SECRET_KEY": "s", "IDENTITY_PEPPER": "p", **PRIVACY,
              "SEALING_KEY": SEALING, "ADMIN_API_TOKEN": "a",
              "KAKAO_WEBHOOK_TOKENS": "new-one, old-one", "DATABASE_URL": "postgresql://u@h/db"}
    assert load_settings(values, use_env=False)["KAKAO_WEBHOOK_TOKENS"] == ("new-one", "old-one")
