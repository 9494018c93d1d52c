"""Typed configuration: TOML file, then `VOICE_<SECTION>_<KEY>` environment overrides.

Every key is declared once in `SCHEMA` with its type and default; `config.example.toml`
documents the same keys, and a test keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PLACEHOLDER = "change-me"
DEMO_PHONE_KEY = "ZGVtby1waG9uZS1rZXktbm90LWZvci1yZWFsLXVzZSE="  # Fernet key; demo only
DEMO_HASH_KEY = "demo-hash-key-do-not-use-in-production"
DEMO_SECRET_KEY = "demo-secret-key-do-not-use-in-production"
DEMO_VALUES = frozenset({DEMO_PHONE_KEY, DEMO_HASH_KEY, DEMO_SECRET_KEY})
# Shorter than this cannot be a key: a random 32-character string (what `secrets.token_hex(16)` or a
# Twilio auth token gives) is the least that resists guessing offline.
MIN_SECRET_LENGTH = 32


class ConfigError(ValueError):
    """A configuration problem, naming the key and what is wrong."""


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, default, and whether it is a secret."""

    type: type
    default: Any
    secret: bool = False
    choices: tuple[str, ...] = ()


SCHEMA: dict[str, dict[str, Key]] = {
    "app": {
        "public_url": Key(str, "http://127.0.0.1:5000"),
        "secret_key": Key(str, PLACEHOLDER, secret=True),
        "timezone": Key(str, "Europe/London"),
        "council_name": Key(str, "the council"),
        "council_logo": Key(str, ""),
        "demo": Key(bool, False),
        "log_level": Key(str, "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
        "trusted_proxies": Key(int, 0),
    },
    "database": {
        "url": Key(str, "sqlite:///instance/voice.db"),
    },
    "spool": {
        "dir": Key(str, "instance/spool"),
        "deadline_seconds": Key(float, 3.0),
    },
    "conversations": {
        "path": Key(str, ""),
    },
    "sms": {
        "provider": Key(str, "console", choices=("console", "twilio")),
    },
    "twilio": {
        "account_sid": Key(str, ""),
        "auth_token": Key(str, PLACEHOLDER, secret=True),
        "from_number": Key(str, ""),
        "messaging_service_sid": Key(str, ""),
        "api_base_url": Key(str, ""),
        "status_callback": Key(bool, True),
    },
    "schedule": {
        "weekday_window": Key(str, "16:00-20:00"),
        "weekend_window": Key(str, "10:00-18:00"),
        "school_hours": Key(str, "08:30-15:30"),
        "rate_per_second": Key(float, 10.0),
        "reminder_after_days": Key(int, 3),
        "max_reminders": Key(int, 1),
        "misfire_grace_minutes": Key(int, 60),
        "claim_lease_seconds": Key(float, 120.0),
        "poll_seconds": Key(float, 5.0),
        "reconcile_settle_seconds": Key(float, 2.0),
        "send_concurrency": Key(int, 4),
    },
    "privacy": {
        "phone_key": Key(str, PLACEHOLDER, secret=True),
        "old_phone_keys": Key(list, [], secret=True),
        "hash_key": Key(str, PLACEHOLDER, secret=True),
        "retention_days": Key(int, 730),
    },
    "safeguarding": {
        "duty_phones": Key(list, []),
        "duty_emails": Key(list, []),
        "webhook_url": Key(str, ""),
        "renotify_minutes": Key(int, 30),
        "acknowledge_within_minutes": Key(int, 15),
        "escalate_after_minutes": Key(int, 60),
        "escalation_phones": Key(list, []),
        "escalation_emails": Key(list, []),
        "office_hours": Key(str, "09:00-17:00"),
    },
    "smtp": {
        "host": Key(str, ""),
        "port": Key(int, 587),
        "username": Key(str, ""),
        "password": Key(str, "", secret=True),
        "starttls": Key(bool, True),
        "from_address": Key(str, "voice-service@localhost"),
        "ca_file": Key(str, ""),
    },
    "panel": {
        "emails": Key(list, []),
        "drop_dir": Key(str, ""),
        "min_response_rate": Key(float, 0.3),
        "alert_target_minutes": Key(int, 60),
    },
    "advocacy": {
        "email": Key(str, ""),
    },
    "webchat": {
        "rate_limit_storage": Key(str, "memory://"),
        "rate_limit_per_address": Key(str, "120 per minute;2000 per day"),
        "rate_limit_per_session": Key(str, "20 per minute;400 per day"),
        "sessions_per_address": Key(str, "20 per hour"),
        "invite_max_age_days": Key(int, 30),
        "session_max_age_days": Key(int, 90),
        "join_open_rounds": Key(bool, True),
        "exit_url": Key(str, "https://www.bbc.co.uk/weather"),
    },
}


class Section:
    """Attribute access to one section's values (`config.twilio.auth_token`)."""

    def __init__(self, name: str, values: dict[str, Any]):
        self._name = name
        self.__dict__.update(values)

    def __repr__(self) -> str:
        shown = {
            k: ("***" if SCHEMA[self._name][k].secret and v else v)
            for k, v in self.__dict__.items()
            if not k.startswith("_")
        }
        return f"Section({self._name}, {shown})"


class Config:
    """The whole validated configuration; sections are attributes (`config.app.public_url`)."""

    def __init__(self, values: dict[str, dict[str, Any]], source: str):
        self.source = source
        self._values = values
        for name, section in values.items():
            setattr(self, name, Section(name, section))

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """A plain copy of every value (secrets included: never log this)."""
        return {name: dict(section) for name, section in self._values.items()}

    def with_overrides(self, **sections: dict[str, Any]) -> Config:
        """A copy with some keys replaced, validated like the file was (for tests and the demo)."""
        raw = self.as_dict()
        for name, values in sections.items():
            raw.setdefault(name, {}).update(values)
        return build(raw, source=self.source, environ={})

    def placeholder_secrets(self) -> list[str]:
        """Secrets still at a placeholder or demo value, as `section.key` names."""
        found = []
        demo_values = {PLACEHOLDER, "", *DEMO_VALUES}
        for name in self._needed_secrets():
            section, key = name.split(".")
            if self._values[section][key] in demo_values:
                found.append(name)
        return found

    def _needed_secrets(self) -> list[str]:
        needed = {"app.secret_key", "privacy.phone_key", "privacy.hash_key"}
        if self.sms.provider == "twilio":
            needed.add("twilio.auth_token")
        return sorted(needed)

    def weak_secrets(self) -> list[str]:
        """Set secrets that cannot be keys: too short, or a phone key that is not a Fernet key; each names its key."""
        from cryptography.fernet import Fernet

        problems = []
        for name in self._needed_secrets():
            section, key = name.split(".")
            value = self._values[section][key]
            if value in {PLACEHOLDER, "", *DEMO_VALUES}:
                continue  # reported by placeholder_secrets
            if name == "privacy.phone_key":
                continue
            if len(value) < MIN_SECRET_LENGTH:
                problems.append(f"{name} is too short to be a key (at least {MIN_SECRET_LENGTH} random characters)")
        keys = [("privacy.phone_key", self._values["privacy"]["phone_key"])]
        keys += [(f"privacy.old_phone_keys[{i}]", k) for i, k in enumerate(self._values["privacy"]["old_phone_keys"])]
        for name, value in keys:
            if value in {PLACEHOLDER, "", *DEMO_VALUES} and name == "privacy.phone_key":
                continue
            try:
                Fernet(value.encode())
            except (ValueError, TypeError):
                problems.append(f"{name} is not a Fernet key (32 url-safe base64-encoded bytes)")
        return problems

    def require_production_secrets(self) -> None:
        """Refuse to go on with placeholder, demo or weak secrets, naming each key.

        Only the demo with the console provider may run on the published demo keys: once a
        real SMS provider is configured, real young people can reach the service, so demo
        mode is no excuse.
        """
        if self.app.demo and self.sms.provider == "console":
            return
        problems = []
        missing = self.placeholder_secrets()
        if missing:
            why = "placeholders or the published demo keys"
            if self.app.demo:
                why += f" (demo mode cannot use them with sms.provider = {self.sms.provider!r})"
            problems.append(f"these secrets are still {why}: " + ", ".join(missing))
        problems += self.weak_secrets()
        if problems:
            raise ConfigError(
                "refusing to start: "
                + "; ".join(problems)
                + f" (set them in {self.source} or as VOICE_<SECTION>_<KEY>; "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'` "
                "makes a phone_key, `python -c 'import secrets; print(secrets.token_urlsafe(32))'` the others)"
            )

    def require_duty_route(self) -> None:
        """Refuse to go on when no alert could reach a person, unless this is the demo."""
        if self.app.demo:
            return
        guard = self.safeguarding
        if not (guard.duty_phones or guard.duty_emails or guard.webhook_url):
            raise ConfigError(
                "refusing to start: safeguarding alerts would reach nobody; set at least one of "
                "safeguarding.duty_phones, safeguarding.duty_emails or safeguarding.webhook_url "
                f"(in {self.source} or as VOICE_SAFEGUARDING_<KEY>)"
            )


def _coerce(section: str, key: str, spec: Key, value: Any, origin: str) -> Any:
    """Check or convert one value to its declared type, naming the key when it is wrong."""
    name = f"{section}.{key}"
    if origin == "env" and isinstance(value, str):
        try:
            if spec.type is bool:
                lowered = value.strip().lower()
                if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise ValueError
                value = lowered in {"1", "true", "yes", "on"}
            elif spec.type is int:
                value = int(value)
            elif spec.type is float:
                value = float(value)
            elif spec.type is list:
                value = [item.strip() for item in value.split(",") if item.strip()]
        except ValueError:
            raise ConfigError(
                f"{name} (from VOICE_{section.upper()}_{key.upper()}) must be {spec.type.__name__}, got {value!r}"
            ) from None
    if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, spec.type) or (spec.type is not bool and isinstance(value, bool)):
        raise ConfigError(f"{name} must be {spec.type.__name__}, got {type(value).__name__} {value!r}")
    if spec.type is list and not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{name} must be a list of strings")
    if spec.choices and value not in spec.choices:
        raise ConfigError(f"{name} must be one of {', '.join(spec.choices)}, got {value!r}")
    return value


def build(raw: dict[str, Any], *, source: str, environ: dict[str, str] | None = None) -> Config:
    """Validate a raw TOML dict plus environment overrides into a Config."""
    environ = os.environ if environ is None else environ
    for section, values in raw.items():
        if section not in SCHEMA:
            raise ConfigError(f"unknown section [{section}] in {source}; known: {', '.join(SCHEMA)}")
        if not isinstance(values, dict):
            raise ConfigError(f"[{section}] in {source} must be a table")
        for key in values:
            if key not in SCHEMA[section]:
                raise ConfigError(f"unknown key {section}.{key} in {source}; known: {', '.join(SCHEMA[section])}")
    result: dict[str, dict[str, Any]] = {}
    for section, keys in SCHEMA.items():
        result[section] = {}
        for key, spec in keys.items():
            env_name = f"VOICE_{section.upper()}_{key.upper()}"
            if env_name in environ:
                value, origin = environ[env_name], "env"
            elif key in raw.get(section, {}):
                value, origin = raw[section][key], "file"
            else:
                value, origin = (list(spec.default) if spec.type is list else spec.default), "default"
            result[section][key] = _coerce(section, key, spec, value, origin)
    _check_values(result)
    if result["app"]["demo"]:
        _fill_demo_secrets(result)
    return Config(result, source)


def _check_values(values: dict[str, dict[str, Any]]) -> None:
    """Checks that span a value's shape rather than its type."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(values["app"]["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"app.timezone: unknown time zone {values['app']['timezone']!r}") from None
    for key in ("weekday_window", "weekend_window", "school_hours"):
        parse_window(values["schedule"][key], name=f"schedule.{key}")
    if values["schedule"]["rate_per_second"] <= 0:
        raise ConfigError("schedule.rate_per_second must be more than 0")
    for key in ("reminder_after_days", "max_reminders", "misfire_grace_minutes"):
        if values["schedule"][key] < 0:
            raise ConfigError(f"schedule.{key} must not be negative")
    if not 1 <= values["schedule"]["send_concurrency"] <= 32:
        raise ConfigError("schedule.send_concurrency must be between 1 and 32")
    if values["schedule"]["claim_lease_seconds"] < 10:
        raise ConfigError("schedule.claim_lease_seconds must be at least 10")
    if values["schedule"]["poll_seconds"] <= 0 or values["schedule"]["reconcile_settle_seconds"] < 0:
        raise ConfigError(
            "schedule.poll_seconds must be more than 0 and schedule.reconcile_settle_seconds not negative"
        )
    parse_window(values["safeguarding"]["office_hours"], name="safeguarding.office_hours")
    for key in ("renotify_minutes", "acknowledge_within_minutes", "escalate_after_minutes"):
        if values["safeguarding"][key] < 1:
            raise ConfigError(f"safeguarding.{key} must be at least 1")
    if values["privacy"]["retention_days"] < 1:
        raise ConfigError("privacy.retention_days must be at least 1")
    if not values["app"]["public_url"].startswith(("http://", "https://")):
        raise ConfigError("app.public_url must start with http:// or https://")
    if not 0.5 <= values["spool"]["deadline_seconds"] <= 10:
        # Twilio waits 15 s for the webhook; the holding reply must be back well before that.
        raise ConfigError("spool.deadline_seconds must be between 0.5 and 10")
    if not values["spool"]["dir"]:
        raise ConfigError("spool.dir must name a folder")


def parse_window(text: str, *, name: str = "window") -> tuple[int, int]:
    """Parse "HH:MM-HH:MM" into minutes since midnight; "00:00-24:00" is always open."""
    try:
        start, end = text.split("-")
        result = []
        for part in (start, end):
            hours, minutes = part.strip().split(":")
            total = int(hours) * 60 + int(minutes)
            if not (0 <= int(minutes) < 60 and 0 <= total <= 24 * 60):
                raise ValueError
            result.append(total)
    except ValueError:
        raise ConfigError(f'{name} must look like "16:00-20:00", got {text!r}') from None
    if result[0] >= result[1]:
        raise ConfigError(f"{name}: the start must be before the end, got {text!r}")
    return result[0], result[1]


def _fill_demo_secrets(values: dict[str, dict[str, Any]]) -> None:
    """The demo runs with fixed, clearly-labelled secrets so it needs no set-up."""
    defaults = {
        ("app", "secret_key"): DEMO_SECRET_KEY,
        ("privacy", "phone_key"): DEMO_PHONE_KEY,
        ("privacy", "hash_key"): DEMO_HASH_KEY,
    }
    for (section, key), demo_value in defaults.items():
        if values[section][key] == PLACEHOLDER:
            values[section][key] = demo_value


def config_path(explicit: str | None) -> Path | None:
    """Which file to read: --config, else $VOICE_CONFIG, else ./config.toml, else none."""
    if explicit:
        return Path(explicit)
    if os.environ.get("VOICE_CONFIG"):
        return Path(os.environ["VOICE_CONFIG"])
    local = Path("config.toml")
    return local if local.exists() else None


def load(path: str | Path | None = None, *, environ: dict[str, str] | None = None, demo: bool | None = None) -> Config:
    """Load and validate configuration from a TOML file (or built-in defaults) plus the environment."""
    raw: dict[str, Any] = {}
    source = "built-in defaults"
    if path is not None:
        path = Path(path)
        try:
            with path.open("rb") as handle:
                raw = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        source = str(path)
    if demo is not None:
        raw.setdefault("app", {})["demo"] = demo
    return build(raw, source=source, environ=environ)
