"""Typed configuration: TOML file, then `VOICE_<SECTION>_<KEY>` environment overrides.

Every key is declared once, in its section's frozen dataclass (`AppSection`, `SmtpSection`, ...)
with its type and default; `Config` holds one of each, built once by `load` and passed in.
`config.example.toml` documents the same keys, and a test keeps the two in step.
"""

from __future__ import annotations

import difflib
import functools
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, get_origin, get_type_hints

# The conversations folder shipped with the service (surveys, pledges, vocabularies).
REPO_CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"
PLACEHOLDER = "change-me"
DEFAULTS = "built-in defaults"  # a Config's `source` when no file was read
DEMO_PHONE_KEY = "ZGVtby1waG9uZS1rZXktbm90LWZvci1yZWFsLXVzZSE="  # Fernet key; demo only
DEMO_HASH_KEY = "demo-hash-key-do-not-use-in-production"
DEMO_SECRET_KEY = "demo-secret-key-do-not-use-in-production"
DEMO_VALUES = frozenset({DEMO_PHONE_KEY, DEMO_HASH_KEY, DEMO_SECRET_KEY})
# Shorter than this cannot be a key: a random 32-character string (what `secrets.token_hex(16)` or a
# Twilio auth token gives) is the least that resists guessing offline.
MIN_SECRET_LENGTH = 32
# config.example.toml's own values: copied unchanged they name no council and no address Twilio can reach,
# so outside the demo `serve` and `scheduler` refuse them (`Config.start_problems`).
EXAMPLE_PUBLIC_URL = "https://voice.example-council.gov.uk"
PLACEHOLDER_COUNCIL_NAME = "the council"
# What to put in a secret, by where it comes from: one is made with a one-liner; a Twilio one is copied.
MAKE_FERNET_KEY = "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
MAKE_RANDOM_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


class ConfigError(ValueError):
    """A configuration problem, naming the key and what is wrong."""


def setting(default: Any, *, secret: bool = False, choices: tuple[str, ...] = ()) -> Any:
    """Declare one key of a section: its default, and whether it is a secret or limited to some choices."""
    metadata = {"secret": secret, "choices": choices}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=metadata)
    return field(default=default, metadata=metadata)


class _Section:
    """Shared by the section classes: a repr that never shows a secret."""

    def __repr__(self) -> str:
        shown = {
            item.name: ("***" if item.metadata.get("secret") and getattr(self, item.name) else getattr(self, item.name))
            for item in fields(self)  # type: ignore[arg-type]
        }
        return f"{type(self).__name__}({shown})"


# Each section is declared once, here: its keys, their types and defaults. `config.example.toml`
# documents the same keys, and a test keeps the two in step.


@dataclass(frozen=True, repr=False)
class AppSection(_Section):
    """[app]"""

    public_url: str = setting("http://127.0.0.1:5000")
    secret_key: str = setting(PLACEHOLDER, secret=True)
    timezone: str = setting("Europe/London")
    council_name: str = setting(PLACEHOLDER_COUNCIL_NAME)
    council_logo: str = setting("")
    demo: bool = setting(False)
    log_level: str = setting("INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    trusted_proxies: int = setting(0)


@dataclass(frozen=True, repr=False)
class DatabaseSection(_Section):
    """[database]"""

    url: str = setting("sqlite:///instance/voice.db")


@dataclass(frozen=True, repr=False)
class SpoolSection(_Section):
    """[spool]"""

    dir: str = setting("instance/spool")
    deadline_seconds: float = setting(3.0)


@dataclass(frozen=True, repr=False)
class ConversationsSection(_Section):
    """[conversations]"""

    path: str = setting("")

    @property
    def folder(self) -> Path:
        """Where surveys, pledges and the analysis vocabularies live: `path`, else the shipped folder."""
        return Path(self.path) if self.path else REPO_CONVERSATIONS


@dataclass(frozen=True, repr=False)
class SmsSection(_Section):
    """[sms]"""

    provider: str = setting("console", choices=("console", "twilio"))


@dataclass(frozen=True, repr=False)
class TwilioSection(_Section):
    """[twilio]"""

    account_sid: str = setting("")
    auth_token: str = setting(PLACEHOLDER, secret=True)
    from_number: str = setting("")
    messaging_service_sid: str = setting("")
    api_base_url: str = setting("")
    status_callback: bool = setting(True)


@dataclass(frozen=True, repr=False)
class ScheduleSection(_Section):
    """[schedule]"""

    weekday_window: str = setting("16:00-20:00")
    weekend_window: str = setting("10:00-18:00")
    school_hours: str = setting("08:30-15:30")
    reply_hours: str = setting("08:00-21:00")
    talk_hours: int = setting(72)
    rate_per_second: float = setting(10.0)
    reminder_after_days: int = setting(3)
    max_reminders: int = setting(1)
    misfire_grace_minutes: int = setting(60)
    claim_lease_seconds: float = setting(120.0)
    poll_seconds: float = setting(5.0)
    reconcile_settle_seconds: float = setting(2.0)
    send_concurrency: int = setting(4)


@dataclass(frozen=True, repr=False)
class PrivacySection(_Section):
    """[privacy]"""

    phone_key: str = setting(PLACEHOLDER, secret=True)
    old_phone_keys: list[str] = setting([], secret=True)
    hash_key: str = setting(PLACEHOLDER, secret=True)
    retention_days: int = setting(730)


@dataclass(frozen=True, repr=False)
class SafeguardingSection(_Section):
    """[safeguarding]"""

    duty_phones: list[str] = setting([])
    duty_emails: list[str] = setting([])
    webhook_url: str = setting("")
    webhook_secret: str = setting("", secret=True)
    renotify_minutes: int = setting(30)
    acknowledge_within_minutes: int = setting(15)
    escalate_after_minutes: int = setting(60)
    unsent_notice_minutes: int = setting(2)
    scheduler_silent_minutes: int = setting(5)
    escalation_phones: list[str] = setting([])
    escalation_emails: list[str] = setting([])
    unread_answers_wait_for_office_hours: bool = setting(False)
    office_hours: str = setting("09:00-17:00")
    bank_holidays: str = setting("england-and-wales", choices=("england-and-wales", "none"))
    closed_days: list[str] = setting([])


@dataclass(frozen=True, repr=False)
class SmtpSection(_Section):
    """[smtp]"""

    host: str = setting("")
    port: int = setting(587)
    username: str = setting("")
    password: str = setting("", secret=True)
    starttls: bool = setting(True)
    from_address: str = setting("voice-service@localhost")
    ca_file: str = setting("")


@dataclass(frozen=True, repr=False)
class PanelSection(_Section):
    """[panel]"""

    emails: list[str] = setting([])
    drop_dir: str = setting("")
    min_response_rate: float = setting(0.3)
    # 0: judge against the duty team's [safeguarding] acknowledge_within_minutes (Config.panel_alert_target_minutes).
    alert_target_minutes: int = setting(0)


@dataclass(frozen=True, repr=False)
class AdvocacySection(_Section):
    """[advocacy]"""

    email: str = setting("")


@dataclass(frozen=True, repr=False)
class WebchatSection(_Section):
    """[webchat]"""

    rate_limit_storage: str = setting("memory://")
    rate_limit_per_address: str = setting("120 per minute;2000 per day")
    rate_limit_per_session: str = setting("20 per minute;400 per day")
    sessions_per_address: str = setting("60 per hour")
    poll_limit_per_chat: str = setting("30 per minute")
    poll_limit_per_address: str = setting("600 per minute")
    invite_max_age_days: int = setting(30)
    session_max_age_days: int = setting(90)
    join_open_rounds: bool = setting(True)
    exit_url: str = setting("https://www.bbc.co.uk/weather")


@dataclass(frozen=True)
class Key:
    """One configuration key, as the section classes declare it: type, default, secret, choices."""

    type: type
    default: Any
    secret: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, repr=False)
class Config:
    """The whole validated configuration, built once; sections are typed attributes (`config.app.public_url`)."""

    app: AppSection
    database: DatabaseSection
    spool: SpoolSection
    conversations: ConversationsSection
    sms: SmsSection
    twilio: TwilioSection
    schedule: ScheduleSection
    privacy: PrivacySection
    safeguarding: SafeguardingSection
    smtp: SmtpSection
    panel: PanelSection
    advocacy: AdvocacySection
    webchat: WebchatSection
    source: str = DEFAULTS
    # "section.key" -> "env" or "file", for the keys not left at their default (`where`).
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        return f"Config(source={self.source!r})"

    @property
    def sandbox(self) -> bool:
        """The demo on the console provider: no real young person can reach it and no text leaves this
        machine, so the published demo keys, the example's name and address and a missing duty route are
        allowed. Once a real SMS provider is set, demo mode is no excuse for any of them (the one home of
        that rule)."""
        return self.app.demo and self.sms.provider == "console"

    @property
    def file(self) -> Path | None:
        """The file these settings were read from (`load`), or None: built-in defaults and the environment."""
        return None if self.source == DEFAULTS else Path(self.source)

    def where(self, section: str, key: str) -> str:
        """Where a setting came from, in words for an error message: the environment variable, the file's key,
        or the built-in default."""
        origin = self.origins.get(f"{section}.{key}")
        if origin == "env":
            return f"the VOICE_{section.upper()}_{key.upper()} environment variable"
        if origin == "file":
            return f"[{section}] {key} in {self.source}"
        if origin == "override":
            return f"[{section}] {key} as this command set it"
        variable = f"VOICE_{section.upper()}_{key.upper()}"
        return f"the built-in default [{section}] {key} (set it in a config file or {variable})"

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """A plain copy of every value (secrets included: never log this)."""
        return {name: asdict(getattr(self, name)) for name in SECTIONS}

    def with_overrides(self, **sections: dict[str, Any]) -> Config:
        """A copy with some keys replaced, validated like the file was (for tests and the demo)."""
        raw = self.as_dict()
        for name, values in sections.items():
            raw.setdefault(name, {}).update(values)
        origins = dict(self.origins)
        origins.update({f"{name}.{key}": "override" for name, values in sections.items() for key in values})
        return replace(build(raw, source=self.source, environ={}), origins=origins)

    @property
    def panel_alert_target_minutes(self) -> int:
        """The target the panel's summary judges alert acknowledgement against: the duty team's own
        (`[safeguarding] acknowledge_within_minutes`, what the duty pages ask of them), unless the
        council deliberately sets a different one in `[panel] alert_target_minutes`."""
        return self.panel.alert_target_minutes or self.safeguarding.acknowledge_within_minutes

    def placeholder_secrets(self, *, serving: bool = False) -> list[str]:
        """Secrets still at a placeholder or demo value, as `section.key` names (`serving`: see
        `secret_problems`)."""
        found = []
        demo_values = {PLACEHOLDER, "", *DEMO_VALUES}
        for name in self._needed_secrets(serving):
            section, key = name.split(".")
            if getattr(getattr(self, section), key) in demo_values:
                found.append(name)
        return found

    def _needed_secrets(self, serving: bool = False) -> list[str]:
        needed = {"app.secret_key", "privacy.phone_key", "privacy.hash_key"}
        # twilio.auth_token sends texts, and it is the only thing that authenticates /sms/inbound: a
        # server answering that webhook needs a real one whatever sms.provider says.
        if self.sms.provider == "twilio" or serving:
            needed.add("twilio.auth_token")
        if self.safeguarding.webhook_url:  # signs every notice, so the receiver can refuse forgeries
            needed.add("safeguarding.webhook_secret")
        return sorted(needed)

    def weak_secrets(self, *, serving: bool = False) -> list[str]:
        """Set secrets that cannot be keys: too short, or a phone key that is not a Fernet key; each names its key."""
        from cryptography.fernet import Fernet

        problems = []
        for name in self._needed_secrets(serving):
            section, key = name.split(".")
            value = getattr(getattr(self, section), key)
            if value in {PLACEHOLDER, "", *DEMO_VALUES}:
                continue  # reported by placeholder_secrets
            if name == "privacy.phone_key":
                continue
            if len(value) < MIN_SECRET_LENGTH:
                problems.append(f"{name} is too short to be a key (at least {MIN_SECRET_LENGTH} random characters)")
        keys = [("privacy.phone_key", self.privacy.phone_key)]
        keys += [(f"privacy.old_phone_keys[{i}]", k) for i, k in enumerate(self.privacy.old_phone_keys)]
        for name, value in keys:
            if value in {PLACEHOLDER, "", *DEMO_VALUES} and name == "privacy.phone_key":
                continue
            try:
                Fernet(value.encode())
            except (ValueError, TypeError):
                problems.append(f"{name} is not a Fernet key (32 url-safe base64-encoded bytes)")
        return problems

    def secret_problems(self, *, serving: bool = False) -> list[str]:
        """Every secret still a placeholder, a demo key or too weak to be a key, one line each, naming the key
        and what to put there (`secret_hint`). Only the demo with the console provider may run on the
        published demo keys: once a real SMS provider is configured, real young people can reach the
        service, so demo mode is no excuse. `serving`: the web app is about to answer requests,
        /sms/inbound among them, so twilio.auth_token (which signs them) must be real even with the
        console provider."""
        if self.sandbox:
            return []
        problems = []
        for name in self.placeholder_secrets(serving=serving):
            section, key = name.split(".")
            value = getattr(getattr(self, section), key)
            if value == PLACEHOLDER:  # the example file's, or the built-in one where the key is left out
                said = f"is not set (or is still the placeholder {PLACEHOLDER!r})"
            else:
                said = "is still " + (
                    "not set" if value == "" else "the published demo key" if value in DEMO_VALUES else f"{value!r}"
                )
            problems.append(f"{name} {said}: {secret_hint(name)}")
        for problem in self.weak_secrets(serving=serving):
            problems.append(f"{problem}: {secret_hint(problem.split(' ')[0])}")
        return problems

    def require_production_secrets(self, *, serving: bool = False, starting: bool = True) -> None:
        """Refuse to go on with placeholder, demo or weak secrets, naming each key (`secret_problems`). `starting`:
        the refusal says "refusing to start" (the app, a server); a one-off command says "refusing to go on"."""
        self._refuse(self.secret_problems(serving=serving), starting=starting)

    def start_problems(self, *, serving: bool = False, sending: bool = False) -> list[str]:
        """Everything that stops `serve` (`serving`) or `scheduler` (`sending`: its dispatcher sends texts)
        from starting, all at once, one line each naming the key and what to put there. The one home of
        the start-up checks: secrets (`secret_problems`), the duty routes (`duty_route_problems`), the
        council's name and public_url still config.example.toml's, and a Twilio sender to send from."""
        problems = self.secret_problems(serving=serving)
        live = not self.sandbox
        name = self.app.council_name.strip()
        if live and name.lower() in {"", PLACEHOLDER_COUNCIL_NAME}:
            problems.append(
                f"app.council_name is {f'still {name!r}' if name else 'empty'}: put the council's own name, as "
                'young people know it (their first text reads "Hi! Voice team at <council_name>, ...")'
            )
        url = self.app.public_url.rstrip("/")
        if live and url == EXAMPLE_PUBLIC_URL:
            problems.append(
                f"app.public_url is still the example's ({EXAMPLE_PUBLIC_URL}): put the https:// address the "
                "internet reaches this service at, the start of the webhook URLs in the Twilio console "
                "(Twilio's signatures are checked against it: with the wrong one every text is refused with 403)"
            )
        elif self.sms.provider == "twilio" and _host(url) in LOOPBACK_HOSTS:
            problems.append(
                f"app.public_url is {url}, which Twilio cannot reach (sms.provider = 'twilio'): put the https:// "
                "address the internet reaches this service at, the start of the webhook URLs in the Twilio console"
            )
        if sending and self.sms.provider == "twilio":
            if not self.twilio.account_sid:
                problems.append(
                    "twilio.account_sid is not set: copy the Account SID (it starts AC) from the Twilio console"
                )
            if not (self.twilio.from_number or self.twilio.messaging_service_sid):
                problems.append(
                    "twilio.from_number (or twilio.messaging_service_sid) is not set: copy the number texts are "
                    "sent from (+44...) or a Messaging Service's SID (it starts MG) from the Twilio console"
                )
        return problems + self.duty_route_problems()

    def require_ready_to_start(self, *, serving: bool = False, sending: bool = False) -> None:
        """Refuse to start `serve` or `scheduler`, listing every problem `start_problems` finds in one message."""
        self._refuse(self.start_problems(serving=serving, sending=sending))

    def _refuse(self, problems: list[str], *, starting: bool = True) -> None:
        if not problems:
            return
        refusing = "refusing to start" if starting else "refusing to go on"
        where = f"in {self.source} or as VOICE_<SECTION>_<KEY>"
        if self.source == DEFAULTS:  # no file was found: say where one goes, not "in built-in defaults"
            where = "in a config.toml (none was found: cp config.example.toml config.toml) or as VOICE_<SECTION>_<KEY>"
        demo = ""
        if self.app.demo and self.sms.provider != "console":
            demo = f" (demo mode excuses nothing once sms.provider = {self.sms.provider!r})"
        if len(problems) == 1:  # one line, as a log or a terminal shows it at a glance
            raise ConfigError(f"{refusing}{demo}: {problems[0]} (change it {where})")
        intro = f"{refusing}: {len(problems)} settings to change, {where}{demo}"
        raise ConfigError(intro + ":\n" + "\n".join(f"  - {problem}" for problem in problems))

    def duty_route_problems(self) -> list[str]:
        """Why an alert (or other notice) could not reach a person, unless this is the demo: no duty route;
        an email route without an SMTP host (the email would wait in the outbox for ever); an SMS route on
        the console provider (a text printed to a console reaches nobody). The demo is let off only on the
        console provider (`sandbox`): with Twilio set, real young people can reach it."""
        if self.sandbox:
            return []
        guard = self.safeguarding
        problems = []
        if not (guard.duty_phones or guard.duty_emails or guard.webhook_url):
            # Each route named with what it needs besides, so following this one message starts the service
            # (trial 10, T10-9: a duty phone on the console provider, then a webhook with no secret, were each
            # refused on the next try).
            emails = "safeguarding.duty_emails" + ("" if self.smtp.host.strip() else " (with smtp.host)")
            webhook = "safeguarding.webhook_url (with safeguarding.webhook_secret)"
            if self.sms.provider == "console":
                problems.append(
                    f"safeguarding alerts would reach nobody: set at least one of {emails}, {webhook}, or "
                    "safeguarding.duty_phones with sms.provider = 'twilio' (the console provider only prints texts)"
                )
            else:
                problems.append(
                    f"safeguarding alerts would reach nobody: set at least one of safeguarding.duty_phones, "
                    f"{emails} or {webhook}"
                )
        if unsent := self.email_without_smtp():
            problems.append(f"safeguarding notices would not arrive: {unsent}; put the council's mail server there")
        texting = [
            name
            for name, value in {
                "safeguarding.duty_phones": guard.duty_phones,
                "safeguarding.escalation_phones": guard.escalation_phones,
            }.items()
            if value
        ]
        if texting and self.sms.provider == "console":
            problems.append(
                f"safeguarding notices would not arrive: {', '.join(texting)} would only be printed to this "
                "console (sms.provider = 'console'); set sms.provider = 'twilio' or remove the numbers"
            )
        return problems

    def require_duty_route(self) -> None:
        """Refuse to go on when a notice could not reach a person (`duty_route_problems`)."""
        self._refuse(self.duty_route_problems())

    def email_without_smtp(self) -> str | None:
        """What is wrong when an email route is set but smtp.host is not (its email would wait in the outbox
        for ever), e.g. "panel.emails send email but smtp.host is not set"; None when nothing is. The one
        check: `serve` and `scheduler` refuse to start on it (`duty_route_problems`), and the one-off commands
        that queue email warn with it."""
        guard = self.safeguarding
        email_routes = {
            "safeguarding.duty_emails": guard.duty_emails,
            "safeguarding.escalation_emails": guard.escalation_emails,
            "panel.emails": self.panel.emails,
            "advocacy.email": self.advocacy.email,
        }
        emailing = [name for name, value in email_routes.items() if value]
        if emailing and not self.smtp.host.strip():
            return f"{', '.join(emailing)} send email but smtp.host is not set"
        return None

    def council_name_warning(self) -> str | None:
        """What to warn about at start-up when `[app] council_name` takes the first texts to young people past one
        SMS segment: a letter the SMS alphabet lacks ("Ynys Môn": every text naming it goes as UCS-2), or a name
        longer than the texts are written for (`engine.texts.council_name_warning`, naming the key)."""
        from voice_service.engine.texts import council_name_warning

        name = self.app.council_name.strip()
        if self.app.demo or name.lower() in {"", PLACEHOLDER_COUNCIL_NAME}:
            return None
        return council_name_warning(name, "app.council_name")

    def out_of_hours_warning(self) -> str | None:
        """What to warn about at start-up when an alert raised while the duty desk is shut (nights, weekends,
        bank holidays) would reach no one out of hours: no escalation_phones or escalation_emails."""
        guard = self.safeguarding
        if self.sandbox or guard.escalation_phones or guard.escalation_emails:
            return None
        return (
            "safeguarding.escalation_phones and escalation_emails are empty: an alert raised out of hours "
            f"(outside office_hours {guard.office_hours}, at weekends, on bank holidays) reaches only the duty "
            "routes, which nobody reads until the desk reopens; set the emergency duty team's number or email"
        )


def secret_hint(name: str) -> str:
    """What to put in a secret: a Twilio one is copied from the Twilio console, a key is made with a one-liner."""
    if name.startswith("twilio."):
        return "copy the Auth Token from the Twilio console (Account Info); it comes from Twilio, it is not made up"
    if name.startswith(("privacy.phone_key", "privacy.old_phone_keys")):
        if name.startswith("privacy.old_phone_keys"):
            return "put the phone_key it replaces, as it was"
        return f"a Fernet key; make one with {MAKE_FERNET_KEY}"
    return f"at least {MIN_SECRET_LENGTH} random characters; make them with {MAKE_RANDOM_KEY}"


def _host(url: str) -> str:
    """The host name of an http(s) URL ("" when it has none)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _default_of(item: Field[Any]) -> Any:
    """A section field's default value, from its default or its default factory."""
    if item.default is not MISSING:
        return item.default
    factory = item.default_factory
    return factory() if callable(factory) else None


def _section_classes() -> dict[str, type]:
    hints = get_type_hints(Config)
    return {item.name: hints[item.name] for item in fields(Config) if item.name not in ("source", "origins")}


# Section name -> its class, and the derived table of every key (for validation and the example-file test).
SECTIONS: dict[str, type] = _section_classes()
SCHEMA: dict[str, dict[str, Key]] = {
    name: {
        item.name: Key(
            type=get_origin(hint) or hint,
            default=_default_of(item),
            secret=item.metadata["secret"],
            choices=item.metadata["choices"],
        )
        for item in fields(cls)
        for hint in [get_type_hints(cls)[item.name]]
    }
    for name, cls in SECTIONS.items()
}


# What each type of setting is, in the words of someone editing the file (not Python's type names).
TYPE_WORDS = {
    bool: "true or false",
    int: "a whole number, such as 30",
    float: "a number, such as 2.5",
    str: 'text in quotes, such as "text"',
    list: 'a list in square brackets, such as ["first", "second"]',
}


def _type_words(kind: type) -> str:
    """What a setting of this type must be, in plain words."""
    return TYPE_WORDS.get(kind, kind.__name__)


def _shown_value(value: Any) -> str:
    """A wrong value as it was written: a TOML true/false as true/false, text in quotes."""
    return str(value).lower() if isinstance(value, bool) else repr(value)


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
                f"{name} (from VOICE_{section.upper()}_{key.upper()}) must be {_type_words(spec.type)}, got {value!r}"
            ) from None
    if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, spec.type) or (spec.type is not bool and isinstance(value, bool)):
        raise ConfigError(f"{name} must be {_type_words(spec.type)}, got {_shown_value(value)}")
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        raise ConfigError(f'{name} must be a list of text in quotes, such as ["first", "second"]')
    if spec.choices and value not in spec.choices:
        raise ConfigError(f"{name} must be one of {', '.join(spec.choices)}, got {value!r}")
    return value


def _nearest(name: str, known: Iterable[str], prefix: str = "") -> str:
    """ "; did you mean X?" for a name within a typo of a known one, else "": a file's key or section and a VOICE_*
    variable alike."""
    nearest = difflib.get_close_matches(name, list(known), n=1, cutoff=0.8)
    return f"; did you mean {prefix}{nearest[0]}?" if nearest else ""


def build(
    raw: dict[str, Any], *, source: str, environ: Mapping[str, str] | None = None, folder: Path | None = None
) -> Config:
    """Validate a raw TOML dict plus environment overrides into a Config. `folder`: the settings file's, which a
    relative file or folder from the file (or its default) is read from (`anchored`)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    problems: list[str] = []  # every problem in the file and the environment, listed together at the end
    for section, values in raw.items():
        if section not in SCHEMA:
            problems.append(
                f"unknown section [{section}] in {source}{_nearest(section, SCHEMA)}; known: {', '.join(SCHEMA)}"
            )
        elif not isinstance(values, dict):
            problems.append(f"[{section}] in {source} must be a table")
        else:
            problems += [
                f"unknown key {section}.{key} in {source}{_nearest(key, SCHEMA[section], f'{section}.')}; "
                f"known: {', '.join(SCHEMA[section])}"
                for key in values
                if key not in SCHEMA[section]
            ]
    problems += _check_environment(env)
    result: dict[str, dict[str, Any]] = {}
    origins: dict[str, str] = {}
    for section, keys in SCHEMA.items():
        result[section] = {}
        for key, spec in keys.items():
            env_name = f"VOICE_{section.upper()}_{key.upper()}"
            default = list(spec.default) if spec.type is list else spec.default
            value: Any
            if env_name in env:
                value, origin = env[env_name], "env"
            elif isinstance(raw.get(section), dict) and key in raw[section]:
                value, origin = raw[section][key], "file"
            else:
                value, origin = default, "default"
            if folder is not None and origin != "env":
                value = anchored(section, key, value, folder, given=origin == "file")
            if origin != "default":
                origins[f"{section}.{key}"] = origin
            try:
                result[section][key] = _coerce(section, key, spec, value, origin)
            except ConfigError as exc:
                problems.append(str(exc))
                result[section][key] = default  # so the checks below can look at the other settings
    problems += _check_values(result)
    problems += _check_routes(result)
    if len(problems) == 1:
        raise ConfigError(problems[0])
    if problems:
        where = "as VOICE_<SECTION>_<KEY>" if source == DEFAULTS else f"in {source} or as VOICE_<SECTION>_<KEY>"
        raise ConfigError(f"{len(problems)} settings to change, {where}:\n" + "\n".join(f"  - {p}" for p in problems))
    if result["app"]["demo"]:
        _fill_demo_secrets(result)
    return Config(source=source, origins=origins, **{name: SECTIONS[name](**values) for name, values in result.items()})


# VOICE_* variables that are not settings: which file to read, the analysis's word lists, and the
# test suite's own (never read by the service).
OTHER_VARIABLES = frozenset({"VOICE_CONFIG", "VOICE_CONVERSATIONS_DIR"})
OTHER_PREFIXES = ("VOICE_TEST_", "VOICE_SCREENSHOT")


def _check_environment(env: Mapping[str, str]) -> list[str]:
    """The problems with VOICE_* variables that look like a setting but name none, refused as an unknown key in
    the file is:
    a typo such as VOICE_SAFEGUARDING_ESCALATION_PHONE would otherwise switch escalation off in silence.

    Refused: VOICE_<SECTION>_<KEY> with a known section and an unknown key, and any name within a typo of
    a real one. Other VOICE_* names (another program's) are left alone."""
    known = {f"VOICE_{section.upper()}_{key.upper()}" for section, keys in SCHEMA.items() for key in keys}
    sections = tuple(f"VOICE_{section.upper()}_" for section in SCHEMA)
    problems = []
    for name in sorted(env):
        if not name.startswith("VOICE_") or name in known or name in OTHER_VARIABLES:
            continue
        if name.startswith(OTHER_PREFIXES):
            continue
        nearest = _nearest(name, known)
        if name.startswith(sections) or nearest:
            hint = nearest or " (VOICE_<SECTION>_<KEY>, keys as in config.example.toml)"
            problems.append(f"unknown setting in the environment: {name}{hint}")
    return problems


def _check_values(values: dict[str, dict[str, Any]]) -> list[str]:
    """Checks that span a value's shape rather than its type: every problem found, each naming its key."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    problems: list[str] = []

    def check(run: Callable[[], object]) -> None:
        """Run one check that raises ConfigError, keeping its message and going on to the next."""
        try:
            run()
        except ConfigError as exc:
            problems.append(str(exc))

    try:
        ZoneInfo(values["app"]["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"app.timezone: unknown time zone {values['app']['timezone']!r}")
    schedule, safeguarding = values["schedule"], values["safeguarding"]
    for key in ("weekday_window", "weekend_window", "reply_hours"):
        check(functools.partial(parse_window, schedule[key], name=f"schedule.{key}"))
    check(lambda: school_hours_window(schedule["school_hours"]))
    if schedule["rate_per_second"] <= 0:
        problems.append("schedule.rate_per_second must be more than 0")
    for key in ("reminder_after_days", "max_reminders", "misfire_grace_minutes", "talk_hours"):
        if schedule[key] < 0:
            problems.append(f"schedule.{key} must not be negative")
    if not 1 <= schedule["send_concurrency"] <= 32:
        problems.append("schedule.send_concurrency must be between 1 and 32")
    if schedule["claim_lease_seconds"] < 10:
        problems.append("schedule.claim_lease_seconds must be at least 10")
    if schedule["poll_seconds"] <= 0 or schedule["reconcile_settle_seconds"] < 0:
        problems.append("schedule.poll_seconds must be more than 0 and schedule.reconcile_settle_seconds not negative")
    check(lambda: parse_window(safeguarding["office_hours"], name="safeguarding.office_hours"))
    check(lambda: _check_webhook_url(safeguarding["webhook_url"]))
    for day in safeguarding["closed_days"]:
        try:
            date.fromisoformat(day)
        except ValueError:
            problems.append(f"safeguarding.closed_days: {day!r} is not a date (YYYY-MM-DD)")
    for key in (
        "renotify_minutes",
        "acknowledge_within_minutes",
        "escalate_after_minutes",
        "unsent_notice_minutes",
        "scheduler_silent_minutes",
    ):
        if safeguarding[key] < 1:
            problems.append(f"safeguarding.{key} must be at least 1")
    if values["panel"]["alert_target_minutes"] < 0:
        problems.append(
            "panel.alert_target_minutes must not be negative "
            "(0: the duty team's safeguarding.acknowledge_within_minutes)"
        )
    if not 0 < values["panel"]["min_response_rate"] <= 1:
        # A percentage (30) would judge every round against 3000%.
        problems.append(
            f"panel.min_response_rate must be a fraction more than 0 and at most 1 (0.30 is 30%), "
            f"got {values['panel']['min_response_rate']!r}"
        )
    check(lambda: _check_chat_limits(values["webchat"]))
    if values["privacy"]["retention_days"] < 1:
        problems.append("privacy.retention_days must be at least 1")
    if problem := database_url_problem(values["database"]["url"]):
        problems.append(f"database.url {problem}")
    if not values["app"]["public_url"].startswith(("http://", "https://")):
        problems.append("app.public_url must start with http:// or https://")
    if not 0.5 <= values["spool"]["deadline_seconds"] <= 10:
        # Twilio waits 15 s for the webhook; the holding reply must be back well before that.
        problems.append("spool.deadline_seconds must be between 0.5 and 10")
    if not values["spool"]["dir"]:
        problems.append("spool.dir must name a folder")
    return problems


# The databases the service runs on (SQLAlchemy's dialect names, with or without a driver).
DATABASE_SCHEMES = ("sqlite://", "sqlite+", "postgresql://", "postgresql+", "postgres://")


def database_url_problem(url: str) -> str | None:
    """Why the service cannot run on this database address, or None when it can. It names the address by its
    scheme alone: the rest may hold a password."""
    if url.startswith(DATABASE_SCHEMES):
        return None
    scheme = url.partition("://")[0] + "://" if "://" in url else "no scheme"
    return (
        "must be a SQLite file (sqlite:///instance/voice.db) or a PostgreSQL database "
        f"(postgresql://user@host/voice), got {scheme}"
    )


CHAT_LIMITS = (
    "rate_limit_per_address",
    "rate_limit_per_session",
    "sessions_per_address",
    "poll_limit_per_chat",
    "poll_limit_per_address",
)


def _check_chat_limits(webchat: dict[str, Any]) -> None:
    """Each `[webchat]` limit reads as a rate limit ("20 per minute;400 per day"), checked when the file
    is loaded, as every other setting is, rather than when `serve` first builds the chat."""
    from limits import parse_many

    for key in CHAT_LIMITS:
        try:
            parse_many(webchat[key])
        except ValueError:
            raise ConfigError(f'webchat.{key}: not a rate limit like "20 per minute": {webchat[key]!r}') from None


PHONE_ROUTES = (("safeguarding", "duty_phones"), ("safeguarding", "escalation_phones"))
EMAIL_ROUTES = (
    ("safeguarding", "duty_emails"),
    ("safeguarding", "escalation_emails"),
    ("panel", "emails"),
    ("advocacy", "email"),
)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 21st: which entry of a list."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _shown_number(text: str) -> str:
    """A duty number that could not be read, as a config error may show it: as written when it is too short to
    be anyone's number ("12345"), else only its last three digits, so a mistyped real number is not copied
    into a log."""
    digits = sum(character.isdigit() for character in text)
    return repr(text) if digits < 10 else f"'...{text.strip()[-3:]}' (shortened)"


def _check_routes(values: dict[str, dict[str, Any]]) -> list[str]:
    """Every number a notice is texted to and every address it is emailed to could be delivered to: a
    typo found at a start-up, not when the first alert goes nowhere. UK numbers are written as a
    council writes them ("07700 900901") and kept in E.164, the form the SMS provider needs. Returns
    every problem, naming the key and the entry ("the 1st entry, '12345', is not a phone number")."""
    from voice_service.email_address import valid_email
    from voice_service.privacy.phones import InvalidPhone, normalise_phone

    problems = []
    for section, key in PHONE_ROUTES:
        numbers = []
        for position, number in enumerate(values[section][key], start=1):
            try:
                numbers.append(normalise_phone(number))
            except InvalidPhone:  # the entry is shown: "is not a phone number" is the whole of it, said once
                entry = f"the {ordinal(position)} entry, {_shown_number(number)},"
                problems.append(f"{section}.{key}: {entry} is not a phone number")
        values[section][key] = numbers
    for section, key in EMAIL_ROUTES:
        value = values[section][key]
        for position, address in enumerate([value] if isinstance(value, str) else value, start=1):
            if address and not valid_email(address.strip()):
                entry = f"{address!r}" if isinstance(value, str) else f"the {ordinal(position)} entry, {address!r},"
                problems.append(f"{section}.{key}: {entry} is not an email address")
    return problems


def _check_webhook_url(url: str) -> None:
    """`safeguarding.webhook_url` is empty or an http(s) URL with a host: anything else reaches nobody."""
    if not url:
        return
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or url != url.strip():
        raise ConfigError(
            f"safeguarding.webhook_url must be an http:// or https:// address, got {url!r}: "
            "notices sent there would reach nobody"
        )


def parse_window(text: str, *, name: str = "window", otherwise: str = "") -> tuple[int, int]:
    """Parse "HH:MM-HH:MM" into minutes since midnight; "00:00-24:00" is always open. `otherwise` names
    what else the setting may say, for the message when it says neither."""
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
        raise ConfigError(f'{name} must look like "16:00-20:00"{otherwise}, got {text!r}') from None
    if result[0] >= result[1]:
        raise ConfigError(f"{name}: the start must be before the end, got {text!r}")
    return result[0], result[1]


# What `schedule.school_hours` may say to mean "no school-hours rule".
NO_SCHOOL_HOURS = frozenset({"", "off"})


def school_hours_window(text: str) -> tuple[int, int] | None:
    """`schedule.school_hours` as minutes since midnight, or None when it is "" or "off" (no school-hours rule)."""
    if text.strip().lower() in NO_SCHOOL_HOURS:
        return None
    return parse_window(text, name="schedule.school_hours", otherwise=', or be "off" for no school-hours rule')


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
    """Which file to read: --config, else $VOICE_CONFIG, else ./config.toml, else none.
    VOICE_CONFIG set but empty reads no file at all (built-in defaults and VOICE_* settings only),
    whatever config.toml is in the working folder."""
    if explicit:
        return Path(explicit)
    if "VOICE_CONFIG" in os.environ:
        return Path(os.environ["VOICE_CONFIG"]) if os.environ["VOICE_CONFIG"] else None
    local = Path("config.toml")
    return local if local.exists() else None


def load(
    path: str | Path | None = None, *, environ: Mapping[str, str] | None = None, demo: bool | None = None
) -> Config:
    """Load and validate configuration from a TOML file (or built-in defaults) plus the environment."""
    raw: dict[str, Any] = {}
    source = DEFAULTS
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
    return build(raw, source=source, environ=environ, folder=path.resolve().parent if path is not None else None)


# Settings that name a file or folder. In a settings file, a relative one is read from the file's own folder, not
# from wherever the command runs (a trial: `db upgrade` in one folder and a service started in another, by a
# systemd unit, say, made and used two databases); the first two also when the file leaves them out. A relative
# one from the environment (VOICE_DATABASE_URL...) is read from the folder the command runs in.
_FILE_SETTINGS = (("database", "url"), ("spool", "dir"), ("conversations", "path"), ("panel", "drop_dir"))
_ANCHORED_DEFAULTS = (("database", "url"), ("spool", "dir"))


def anchored(section: str, key: str, value: Any, folder: Path, *, given: bool) -> Any:
    """A setting's value with a relative file or folder read from the settings file's `folder` (`_FILE_SETTINGS`):
    one the file `given`, or the built-in default of one of `_ANCHORED_DEFAULTS`; anything else as it is."""
    if (section, key) not in _FILE_SETTINGS or (not given and (section, key) not in _ANCHORED_DEFAULTS):
        return value
    if not isinstance(value, str) or not value:
        return value  # not a path (`_coerce` says so), or none set
    return _sqlite_from(value, folder) if key == "url" else _path_from(value, folder)


def _path_from(value: str, folder: Path) -> str:
    path = Path(value).expanduser()
    return value if path.is_absolute() else str(folder / path)


def _sqlite_from(url: str, folder: Path) -> str:
    """A SQLite URL whose file is relative (sqlite:///instance/voice.db), with the file read from `folder`."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.startswith(prefix + "/") or url[len(prefix) :].startswith(":memory:"):
        return url
    file, _, query = url[len(prefix) :].partition("?")
    if not file:
        return url
    return prefix + _path_from(file, folder) + (f"?{query}" if query else "")
