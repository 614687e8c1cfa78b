"""Configuration: read once at start-up, validated, explained when wrong."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

ENVIRONMENTS = ("production", "development", "demo", "test")

# Secrets a production process cannot run without, with the reason an operator reads.
# What development and tests run with when nothing is given (production must give its own).
DEVELOPMENT_DEFAULTS = {
    "SECRET_KEY": "dev-secret-key",
    "IDENTITY_PEPPER": "dev-identity-pepper",
    "SEALING_KEY": "dev-sealing-key",
    # The privacy policy's names, in the catalogue's words (privacy.dev.*) when none is given.
    "PRIVACY_CONTROLLER": "privacy.dev.controller",
    "PRIVACY_OFFICER": "privacy.dev.officer",
    "PRIVACY_CONTACT": "privacy.dev.contact",
}
PRODUCTION_SECRETS = {
    "SECRET_KEY": "signs console sessions",
    "IDENTITY_PEPPER": "keys the residents' identity data (HMAC)",
    "SEALING_KEY": "seals secret ballots and vote drafts (at least 32 random characters; "
                   "see docs/architecture.md, Ballot secrecy)",
    "ADMIN_API_TOKEN": "lets the city admin reach the REST API",
    "KAKAO_WEBHOOK_TOKEN": "the secret path segment of the Kakao skill URL "
                           "(or KAKAO_WEBHOOK_TOKENS: two at once while rotating)",
    "DATABASE_URL": "production runs on PostgreSQL, not the embedded SQLite file",
    # 개인정보 처리방침 (PIPA art. 30): /privacy names them, and the chat links to it.
    "PRIVACY_CONTROLLER": "the personal information controller named on /privacy "
                          "(e.g. the district office)",
    "PRIVACY_OFFICER": "the person in charge of personal information named on /privacy "
                       "(e.g. the head of the self-government division)",
    "PRIVACY_CONTACT": "how residents reach the person in charge (phone or e-mail)",
    "PUBLIC_BASE_URL": "the public address of this server (https://…), for the privacy policy "
                       "link residents get in the chat",
}

MIN_SEALING_KEY = 32

DEFAULTS: dict[str, Any] = {
    # Production unless told otherwise: only `maeul demo` and the test suite name another.
    "MAEUL_ENV": "production",
    "DATABASE_URL": "sqlite:///maeul.db",
    "SECRET_KEY": "",
    "IDENTITY_PEPPER": "",
    # Seals secret ballots and drafts: the database alone never opens a vote without it.
    "SEALING_KEY": "",
    "ADMIN_API_TOKEN": "",
    "TIMEZONE": "Asia/Seoul",
    "KAKAO_WEBHOOK_TOKEN": "",
    # Comma-separated: every token listed opens the Kakao skill URL (rotation without downtime).
    "KAKAO_WEBHOOK_TOKENS": "",
    "KAKAO_BOT_ID": "",
    "KAKAO_REST_API_KEY": "",
    "KAKAO_API_BASE": "https://bot-api.kakao.com",
    "KAKAO_EVENT_NAME": "maeul_notice",
    # Where a room points residents for personal business (the Kakao channel's 1:1 chat).
    "KAKAO_CHANNEL_URL": "",
    "BAND_ACCESS_TOKEN": "",
    "BAND_API_BASE": "https://openapi.band.us",
    "TELEGRAM_BOT_TOKEN": "",
    "TELEGRAM_BOT_USERNAME": "",
    "TELEGRAM_WEBHOOK_SECRET": "",
    "TELEGRAM_API_BASE": "https://api.telegram.org",
    "CONVERSATION_IDLE_MINUTES": 30,
    "ENROLMENT_MAX_FAILURES": 5,
    # Failures aimed at one roster person from any accounts before enrolment by details pauses
    # for that person (same window); failures across a community that pause it there (a sweep).
    "ENROLMENT_PERSON_MAX_FAILURES": 5,
    "ENROLMENT_COMMUNITY_MAX_FAILURES": 30,
    "ENROLMENT_COMMUNITY_WINDOW_MINUTES": 60,
    "ENROLMENT_FAILURE_WINDOW_HOURS": 24,
    "ENROLMENT_LOCK_MINUTES": 30,
    "ENROLMENT_CODE_DAYS": 14,
    "QUIET_HOURS": "21:00-08:00",
    # Outbox delivery: messages a second per channel, HTTP timeout, attempts before giving up.
    "KAKAO_RATE_PER_SECOND": 200,
    "TELEGRAM_RATE_PER_SECOND": 30,
    "BAND_RATE_PER_SECOND": 1,
    "HTTP_TIMEOUT_SECONDS": 10,
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_LEASE_SECONDS": 120,
    "CLOCK_TICK_SECONDS": 10,
    "MAX_WEBHOOK_BYTES": 64 * 1024,
    "SIMULATOR_ENABLED": None,  # None: on in demo/development/test, off in production
    "DB_CREATE_ALL": None,  # None: create tables in demo/development/test; production uses Alembic
    "DB_POOL_SIZE": 5,
    # Console sessions end after this long without a request, and after the maximum in any case.
    "CONSOLE_IDLE_HOURS": 8,
    "CONSOLE_SESSION_MAX_HOURS": 24,
    # Sign-in throttling (Flask-Limiter notation): failed sign-ins per client address, and per
    # address and e-mail. Storage: the database unless a limits URI (e.g. redis://…) is given.
    "SIGN_IN_LIMIT_PER_ADDRESS": "30 per hour",
    "SIGN_IN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "RATE_LIMIT_STORAGE_URI": "",
    # How many reverse proxies in front of the app set X-Forwarded-For (the client's address).
    "PROXY_COUNT": 0,
    # The privacy policy (/privacy) and where the chat points to it.
    "PUBLIC_BASE_URL": "",
    "PRIVACY_CONTROLLER": "",
    "PRIVACY_OFFICER": "",
    "PRIVACY_CONTACT": "",
    # Retention (개인정보 보호법 art. 21): the daily `privacy.retention` job destroys, in days
    # after the last use, what no longer serves its purpose (docs/architecture.md, Personal data).
    "RETAIN_ENROLMENT_ATTEMPTS_DAYS": 30,
    "RETAIN_PROCESSED_MESSAGES_DAYS": 7,
    "RETAIN_IDLE_CONVERSATION_DAYS": 30,
    "RETAIN_MOVED_OUT_DAYS": 90,
    "RETAIN_OUTBOX_DAYS": 90,
    "RETAIN_AUDIT_DETAIL_DAYS": 365,
    # Operations (docs/architecture.md, "Operations"). /metrics answers a scraper that sends
    # `Authorization: Bearer METRICS_TOKEN`, or one from METRICS_ALLOW_FROM (addresses or
    # networks, comma-separated); with neither it answers nobody.
    "METRICS_TOKEN": "",
    "METRICS_ALLOW_FROM": "",
    # json or text; unset: JSON lines in production, readable lines elsewhere.
    "LOG_FORMAT": "",
    "LOG_LEVEL": "INFO",
    # /readyz calls the clock silent after this many seconds without a tick (0: six ticks,
    # at least a minute).
    "CLOCK_SILENT_SECONDS": 0,
}

INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and not isinstance(v, bool)}
BOOL_KEYS = {"SIMULATOR_ENABLED", "DB_CREATE_ALL"}


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work; the message names every problem."""


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def env(self) -> str:
        return self.values["MAEUL_ENV"]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.values["TIMEZONE"])


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _merged(overrides: Mapping[str, Any] | None, use_env: bool) -> dict[str, Any]:
    merged: dict[str, Any] = dict(DEFAULTS)
    if use_env:
        for source in (dotenv_values(".env"), os.environ):
            for key in DEFAULTS:
                if source.get(key) not in (None, ""):
                    merged[key] = source[key]
    merged.update(overrides or {})
    return merged


def _read_types(merged: dict[str, Any], problems: list[str]) -> str:
    """Numbers, booleans, the environment, the time zone and quiet hours; returns the
    environment."""
    for key in INT_KEYS:
        try:
            merged[key] = int(merged[key])
        except (TypeError, ValueError):
            problems.append(f"{key} must be a whole number (got {merged[key]!r})")
    env = merged["MAEUL_ENV"] = str(merged["MAEUL_ENV"]).lower()
    if env not in ENVIRONMENTS:
        problems.append(f"MAEUL_ENV must be one of {', '.join(ENVIRONMENTS)} (got {env!r})")
    try:
        ZoneInfo(str(merged["TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"TIMEZONE is not a known time zone (got {merged['TIMEZONE']!r})")
    for key in BOOL_KEYS:
        merged[key] = env != "production" if merged[key] is None else _as_bool(merged[key])
    if not _valid_quiet_hours(str(merged["QUIET_HOURS"])):
        problems.append(
            f"QUIET_HOURS must look like 21:00-08:00 or be off (got {merged['QUIET_HOURS']!r})")
    return env


def _secret_problem(key: str, value: Any, why: str) -> str | None:
    if key == "DATABASE_URL" and str(value).startswith("sqlite"):
        value = ""
    if not value:
        return f"{key} is not set ({why})"
    if key == "SEALING_KEY" and len(str(value)) < MIN_SEALING_KEY:
        return (f"SEALING_KEY is too short: {MIN_SEALING_KEY} characters at least "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return None


def _check_production(merged: dict[str, Any], overrides: Mapping[str, Any] | None,
                      use_env: bool, problems: list[str]) -> None:
    """Production needs every secret given explicitly (no development default) and no
    simulator."""
    explicit = dict(overrides or {})
    if use_env:
        explicit = {**{k: v for k, v in os.environ.items() if k in DEFAULTS}, **explicit}
        explicit = {**{k: v for k, v in dotenv_values(".env").items() if k in DEFAULTS},
                    **explicit}
    for key, why in PRODUCTION_SECRETS.items():
        value = explicit.get(key) or ""
        if key == "KAKAO_WEBHOOK_TOKEN":
            value = value or explicit.get("KAKAO_WEBHOOK_TOKENS") or ""
        problem = _secret_problem(key, value, why)
        if problem:
            problems.append(problem)
    if merged["SIMULATOR_ENABLED"]:
        problems.append("SIMULATOR_ENABLED must be off in production")


def _development_defaults(merged: dict[str, Any]) -> None:
    """Development and tests get stable throw-away secrets so that nothing real is needed."""
    from bot.catalogue import t

    for key, value in DEVELOPMENT_DEFAULTS.items():
        merged[key] = merged[key] or (t(value) if value.startswith("privacy.") else value)
    if not (merged["KAKAO_WEBHOOK_TOKEN"] or merged["KAKAO_WEBHOOK_TOKENS"]):
        merged["KAKAO_WEBHOOK_TOKEN"] = "dev-kakao-token"


def _check_limits(merged: dict[str, Any], problems: list[str]) -> None:
    from limits import parse_many

    for key in ("SIGN_IN_LIMIT_PER_ADDRESS", "SIGN_IN_LIMIT_PER_ACCOUNT"):
        try:
            parse_many(str(merged[key]))
        except ValueError:
            problems.append(f"{key} must look like '30 per hour' (got {merged[key]!r})")
    _check_operations(merged, problems)
    for key in [k for k in INT_KEYS if k.startswith("RETAIN_")]:
        if isinstance(merged[key], int) and merged[key] < 1:
            problems.append(f"{key} must be at least 1 day (got {merged[key]})")


def allowed_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOW_FROM: addresses or networks, comma-separated. Raises ValueError."""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in text.split(",") if part.strip()]


def _check_operations(merged: dict[str, Any], problems: list[str]) -> None:
    given = merged["METRICS_ALLOW_FROM"]
    if isinstance(given, tuple | list):  # settings read before, given again (the demo)
        given = ",".join(map(str, given))
    try:
        merged["METRICS_ALLOW_FROM"] = tuple(allowed_networks(str(given)))
    except ValueError:
        problems.append("METRICS_ALLOW_FROM must list addresses or networks, e.g. "
                        f"10.0.0.0/8,127.0.0.1 (got {merged['METRICS_ALLOW_FROM']!r})")
    if merged["METRICS_TOKEN"] and len(str(merged["METRICS_TOKEN"])) < 16:
        problems.append("METRICS_TOKEN is too short: 16 characters at least")
    if str(merged["LOG_FORMAT"]).lower() not in ("", "json", "text"):
        problems.append(f"LOG_FORMAT must be json or text (got {merged['LOG_FORMAT']!r})")
    level = merged["LOG_LEVEL"] = str(merged["LOG_LEVEL"]).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        problems.append(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got {level!r})")
    tick = merged["CLOCK_TICK_SECONDS"]
    if not merged["CLOCK_SILENT_SECONDS"] and isinstance(tick, int):
        merged["CLOCK_SILENT_SECONDS"] = max(60, 6 * tick)


def load_settings(overrides: Mapping[str, Any] | None = None, *, use_env: bool = True) -> Settings:
    """Merge defaults, `.env`, the process environment and `overrides` (strongest last)."""
    merged = _merged(overrides, use_env)
    problems: list[str] = []
    env = _read_types(merged, problems)
    if env == "production":
        _check_production(merged, overrides, use_env, problems)
    else:
        _development_defaults(merged)
    tokens = [merged["KAKAO_WEBHOOK_TOKEN"], *str(merged["KAKAO_WEBHOOK_TOKENS"]).split(",")]
    merged["KAKAO_WEBHOOK_TOKENS"] = tuple(dict.fromkeys(t.strip() for t in tokens if t.strip()))
    _check_limits(merged, problems)
    if problems:
        raise ConfigError(
            "Maeul cannot start; fix the configuration:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return Settings(merged)


def _valid_quiet_hours(text: str) -> bool:
    if text.strip().lower() in ("", "off"):
        return True
    try:
        start, end = text.split("-")
        for part in (start, end):
            hour, minute = part.strip().split(":")
            if not (0 <= int(hour) < 24 and 0 <= int(minute) < 60):
                return False
    except ValueError:
        return False
    return True
