"""Configuration: TOML, environment overrides, types, placeholders."""

from pathlib import Path

import pytest

from voice_service.config import SCHEMA, ConfigError, load


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_load_without_a_file():
    config = load(None, environ={})
    assert config.app.timezone == "Europe/London"
    assert config.schedule.weekday_window == "16:00-20:00"
    assert config.sms.provider == "console"


def test_environment_overrides_file(tmp_path):
    path = write(tmp_path, '[database]\nurl = "sqlite:///a.db"\n[schedule]\nrate_per_second = 5\n')
    config = load(
        path,
        environ={
            "VOICE_DATABASE_URL": "sqlite:///b.db",
            "VOICE_SCHEDULE_RATE_PER_SECOND": "2.5",
            "VOICE_SAFEGUARDING_DUTY_EMAILS": "a@x.org, b@x.org",
        },
    )
    assert config.database.url == "sqlite:///b.db"
    assert config.schedule.rate_per_second == 2.5
    assert config.safeguarding.duty_emails == ["a@x.org", "b@x.org"]


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[nonsense]\nx = 1\n", "unknown section [nonsense]"),
        ('[app]\ntimezon = "Europe/London"\n', "unknown key app.timezon"),
        # A typo is named with the key it nearly is, as a VOICE_* variable's is (a trial).
        ('[app]\ncouncl_name = "Testshire"\n', "unknown key app.councl_name in"),
        ('[app]\ncouncl_name = "Testshire"\n', "; did you mean app.council_name?"),
        ("[safeguardng]\nduty_phones = []\n", "unknown section [safeguardng] in"),
        ("[safeguardng]\nduty_phones = []\n", "; did you mean safeguarding?"),
        (
            '[schedule]\nrate_per_second = "fast"\n',
            "schedule.rate_per_second must be a number, such as 2.5, got 'fast'",
        ),
        ("[privacy]\nretention_days = true\n", "privacy.retention_days must be a whole number, such as 30, got true"),
        ('[smtp]\nstarttls = "yes"\n', "smtp.starttls must be true or false, got 'yes'"),
        (
            '[schedule]\nschool_hours = "sometimes"\n',
            'schedule.school_hours must look like "16:00-20:00", or be "off" for no school-hours rule, got',
        ),
        ('[sms]\nprovider = "carrier-pigeon"\n', "sms.provider must be one of console, twilio"),
        ('[schedule]\nweekday_window = "4pm-8pm"\n', "schedule.weekday_window must look like"),
        ('[app]\ntimezone = "Mars/Olympus"\n', "unknown time zone"),
        ("[app\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, needle):
    with pytest.raises(ConfigError) as error:
        load(write(tmp_path, text), environ={})
    assert needle in str(error.value)


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ConfigError, match="VOICE_PRIVACY_RETENTION_DAYS"):
        load(None, environ={"VOICE_PRIVACY_RETENTION_DAYS": "forever"})


def test_placeholder_secrets_refuse_to_start_outside_demo():
    config = load(None, environ={})
    with pytest.raises(ConfigError) as error:
        config.require_production_secrets()
    for key in ("app.secret_key", "privacy.phone_key", "privacy.hash_key"):
        assert key in str(error.value)
    load(None, environ={}, demo=True).require_production_secrets()  # the demo may


def test_twilio_token_is_required_when_twilio_sends():
    config = load(None, environ={"VOICE_SMS_PROVIDER": "twilio"})
    assert "twilio.auth_token" in config.placeholder_secrets()


def test_example_config_documents_every_key():
    import tomllib
    from pathlib import Path

    example = tomllib.loads((Path(__file__).parent.parent / "config.example.toml").read_text())
    for section, keys in SCHEMA.items():
        assert section in example, f"[{section}] missing from config.example.toml"
        for key in keys:
            assert key in example[section], f"{section}.{key} missing from config.example.toml"
    load(Path(__file__).parent.parent / "config.example.toml", environ={})


@pytest.mark.parametrize("text", ["", "off", "OFF"])
def test_school_hours_can_be_turned_off(tmp_path, text):
    """ "" or "off" means no school-hours rule: under-16s may be texted whenever the window is open."""
    from datetime import UTC, datetime

    from voice_service.outbox.windows import Windows

    path = write(tmp_path, f'[schedule]\nschool_hours = "{text}"\nweekday_window = "09:00-20:00"\n')
    config = load(path, environ={})
    windows = Windows.from_config(config)
    assert windows.school is None
    tuesday_noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert windows.is_open(tuesday_noon, under_16=True)
    ruled = Windows.from_config(config.with_overrides(schedule={"school_hours": "08:30-15:30"}))
    assert not ruled.is_open(tuesday_noon, under_16=True)


def test_a_malformed_school_hours_still_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match="schedule.school_hours"):
        load(write(tmp_path, '[schedule]\nschool_hours = "never"\n'), environ={})


def test_an_unknown_voice_variable_is_refused_naming_the_nearest_key():
    """As an unknown key in the file is: a typo would otherwise switch a setting off in silence."""
    with pytest.raises(
        ConfigError, match="VOICE_SAFEGUARDING_ESCALATION_PHONE; did you mean VOICE_SAFEGUARDING_ESCALATION_PHONES"
    ):
        load(None, environ={"VOICE_SAFEGUARDING_ESCALATION_PHONE": "+447700900111"})
    with pytest.raises(ConfigError, match="unknown setting in the environment: VOICE_APP_BOGUS"):
        load(None, environ={"VOICE_APP_BOGUS": "1"})
    # Not settings: which file to read, the analysis's word lists, the tests' own, and other programs'.
    others = {"VOICE_CONFIG": "", "VOICE_CONVERSATIONS_DIR": "x", "VOICE_TEST_DATABASE_URL": "x", "VOICE_MAIL_X": "1"}
    load(None, environ=others)


def test_duty_numbers_are_kept_in_e164_as_a_council_writes_them():
    config = load(
        None,
        environ={
            "VOICE_SAFEGUARDING_DUTY_PHONES": "07700 900901, +44 7700 900902",
            "VOICE_SAFEGUARDING_ESCALATION_PHONES": "(07700) 900-903",
        },
    )
    assert config.safeguarding.duty_phones == ["+447700900901", "+447700900902"]
    assert config.safeguarding.escalation_phones == ["+447700900903"]


@pytest.mark.parametrize(
    "variable, value, needle",
    [
        ("VOICE_SAFEGUARDING_DUTY_PHONES", "not-a-phone", "duty_phones: the 1st entry, 'not-a-phone', is not a"),
        ("VOICE_SAFEGUARDING_ESCALATION_PHONES", "+447700900901, 0770", "phones: the 2nd entry, '0770', is"),
        ("VOICE_SAFEGUARDING_DUTY_EMAILS", "duty-at-council", "duty_emails: the 1st entry, 'duty-at-council',"),
        ("VOICE_SAFEGUARDING_ESCALATION_EMAILS", "edt@council", "safeguarding.escalation_emails"),
        ("VOICE_PANEL_EMAILS", "panel@council.gov.uk, chair at council", "emails: the 2nd entry, 'chair at council',"),
        ("VOICE_ADVOCACY_EMAIL", "advocacy", "advocacy.email: 'advocacy' is not an email address"),
    ],
)
def test_a_route_that_could_never_be_delivered_to_is_refused_at_start_up(variable, value, needle):
    # A notice sent to a typo reaches nobody: refused when the settings are read, naming the key.
    with pytest.raises(ConfigError) as caught:
        load(None, environ={variable: value})
    assert needle in str(caught.value)


def test_an_empty_voice_config_reads_no_file_even_with_a_config_toml_here(tmp_path, monkeypatch):
    # Tests set VOICE_CONFIG="" for "no file": a council's own config.toml in the checkout must not leak in.
    from voice_service.config import config_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.toml").write_text('[app]\ncouncil_name = "Real Council"\n')
    monkeypatch.setenv("VOICE_CONFIG", "")
    assert config_path(None) is None
    monkeypatch.delenv("VOICE_CONFIG")
    assert config_path(None) == Path("config.toml")


EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def example_with(**changes: str) -> str:
    """config.example.toml as a council IT team copies it, with some keys set (`section__key` = TOML value)."""
    import re

    wanted = {name.replace("__", "."): value for name, value in changes.items()}
    section, lines = "", []
    for line in EXAMPLE.read_text().splitlines():
        if heading := re.match(r"\[(\w+)\]$", line):
            section = heading.group(1)
        if (key := re.match(r"(\w+) = ", line)) and f"{section}.{key.group(1)}" in wanted:
            line = f"{key.group(1)} = {wanted.pop(f'{section}.{key.group(1)}')}"
        lines.append(line)
    assert not wanted, f"not in config.example.toml: {wanted}"
    return "\n".join(lines) + "\n"


def _refusal(result) -> dict[str, str]:
    """The refusal's lines, by the key each names first."""
    assert result.exit_code == 1, result.output
    assert "refusing to start" in result.output and "Traceback" not in result.output
    lines = [line.strip()[2:] for line in result.output.splitlines() if line.strip().startswith("- ")]
    if not lines:  # one problem is said in one line: "Error: refusing to start: <problem> (change it in ...)"
        lines = [result.output.strip().split("refusing to start: ", 1)[1]]
    return {line.split(" ")[0]: line for line in lines}


def _no_gunicorn(monkeypatch) -> list[str]:
    started: list[str] = []
    monkeypatch.setattr("voice_service.cli.serve.run_gunicorn", lambda *args, **kwargs: started.append("serve"))
    return started


def test_serve_with_the_example_unchanged_lists_every_problem_at_once_with_the_hint_for_each_key(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from voice_service.cli import main

    started = _no_gunicorn(monkeypatch)
    path = write(tmp_path, example_with(sms__provider='"twilio"'))
    problems = _refusal(CliRunner().invoke(main, ["--config", str(path), "serve"]))
    assert not started
    assert set(problems) == {
        "app.secret_key",
        "privacy.hash_key",
        "privacy.phone_key",
        "twilio.auth_token",
        "app.council_name",
        "app.public_url",
        "safeguarding",  # "safeguarding alerts would reach nobody: set at least one of ..."
    }
    fernet, random = "Fernet.generate_key()", "secrets.token_urlsafe(32)"
    assert fernet in problems["privacy.phone_key"] and random not in problems["privacy.phone_key"]
    for key in ("app.secret_key", "privacy.hash_key"):
        assert random in problems[key] and fernet not in problems[key]
    token = problems["twilio.auth_token"]
    assert "Twilio console" in token and fernet not in token and random not in token
    assert "the council" in problems["app.council_name"] and "council's own name" in problems["app.council_name"]
    assert "voice.example-council.gov.uk" in problems["app.public_url"] and "403" in problems["app.public_url"]
    assert "safeguarding.duty_phones" in problems["safeguarding"]


FILLED_IN = {
    "app__secret_key": '"' + "s" * 40 + '"',
    "privacy__phone_key": '"ZmFrZS1mZXJuZXQta2V5LWZvci10aGlzLXRlc3QtMzI="',
    "privacy__hash_key": '"' + "h" * 40 + '"',
    "sms__provider": '"twilio"',
    "twilio__account_sid": '"AC' + "0" * 32 + '"',
    "twilio__auth_token": '"' + "t" * 32 + '"',
    "twilio__from_number": '"+447700900000"',
    "safeguarding__duty_phones": '["07700 900901"]',
}


@pytest.mark.parametrize("command", ["serve", "scheduler"])
def test_the_examples_council_name_and_public_url_are_refused_outside_the_demo(
    database_url, tmp_path, monkeypatch, command
):
    """The trial's set-up: secrets, database, duty phone and Twilio filled in, but the council still "the
    council" (young people would read "Voice team at the council") and public_url still the example's
    (every real webhook refused with 403). Both named, in one message, by serve and scheduler alike."""
    from click.testing import CliRunner

    from voice_service.cli import main

    started = _no_gunicorn(monkeypatch)
    filled = {**FILLED_IN, "database__url": f'"{database_url}"'}
    path = write(tmp_path, example_with(**filled))
    problems = _refusal(CliRunner().invoke(main, ["--config", str(path), command]))
    assert set(problems) == {"app.council_name", "app.public_url"}
    # Left unset, public_url is this machine's own address: Twilio cannot reach that either.
    path.write_text(example_with(**filled, app__council_name='"Testshire County Council"', app__public_url='""'))
    path.write_text(path.read_text().replace('public_url = ""\n', ""))
    problems = _refusal(CliRunner().invoke(main, ["--config", str(path), command]))
    assert set(problems) == {"app.public_url"} and "Twilio cannot reach" in problems["app.public_url"]
    if command == "serve":  # set right, it starts (the scheduler would run until stopped)
        path.write_text(
            example_with(
                **filled, app__council_name='"Testshire County Council"', app__public_url='"https://voice.test"'
            )
        )
        result = CliRunner().invoke(main, ["--config", str(path), "serve"])
        assert result.exit_code == 0, result.output
        assert started == ["serve"]


def test_the_demo_on_the_console_provider_may_keep_the_examples_name_and_address():
    config = load(EXAMPLE, environ={}, demo=True)
    assert config.start_problems(serving=True, sending=True) == []
    # With the console provider outside the demo the unset public_url is fine (nothing comes from Twilio).
    console = load(None, environ={})  # built-in defaults: public_url is this machine's own address
    assert not any(problem.startswith("app.public_url") for problem in console.start_problems(serving=True))


def test_the_scheduler_names_every_twilio_setting_it_needs_at_once(tmp_path):
    """account_sid and from_number used to stop the scheduler one at a time, after the secrets."""
    config = load(write(tmp_path, example_with(sms__provider='"twilio"')), environ={})
    keys = [problem.split(" ")[0] for problem in config.start_problems(sending=True)]
    assert {"twilio.account_sid", "twilio.from_number", "twilio.auth_token", "app.secret_key"} <= set(keys)
    assert "twilio.account_sid" not in [p.split(" ")[0] for p in config.start_problems(serving=True)]


def test_an_empty_council_name_is_refused_like_the_examples():
    keys = [p.split(" ")[0] for p in load(None, environ={"VOICE_APP_COUNCIL_NAME": " "}).start_problems()]
    assert "app.council_name" in keys
    named = load(None, environ={"VOICE_APP_COUNCIL_NAME": "Testshire County Council"}).start_problems()
    assert not any(p.startswith("app.council_name") for p in named)


@pytest.mark.parametrize("key", ["rate_limit_per_address", "poll_limit_per_chat", "sessions_per_address"])
def test_a_chat_limit_that_is_not_a_rate_is_refused_when_the_file_is_loaded(tmp_path, key):
    """Found trying the product: `serve` used to start, then die in gunicorn with a traceback."""
    with pytest.raises(ConfigError, match=f"webchat.{key}: not a rate limit"):
        load(write(tmp_path, f'[webchat]\n{key} = "lots"\n'), environ={})


@pytest.mark.parametrize("rate", ["30", "0", "-0.1", "1.5"])
def test_a_response_rate_that_is_not_a_fraction_is_refused(tmp_path, rate):
    """30 (a percentage) would judge every round against 3000%."""
    with pytest.raises(ConfigError, match=r"panel.min_response_rate must be a fraction"):
        load(write(tmp_path, f"[panel]\nmin_response_rate = {rate}\n"), environ={})


def test_a_response_rate_of_one_is_allowed(tmp_path):
    assert load(write(tmp_path, "[panel]\nmin_response_rate = 1\n"), environ={}).panel.min_response_rate == 1


def test_one_setting_to_change_is_refused_in_one_line(tmp_path):
    """`serve` with everything set but a duty route says so in one line, naming the keys (issue 10's check)."""
    from click.testing import CliRunner
    from cryptography.fernet import Fernet

    from voice_service.cli import main

    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{"s" * 40}"\ncouncil_name = "Testshire County Council"\n'
        'public_url = "https://voice.test"\n'
        f'[database]\nurl = "sqlite:///{tmp_path / "voice.db"}"\n[twilio]\nauth_token = "{"x" * 32}"\n'
        f'[privacy]\nphone_key = "{Fernet.generate_key().decode()}"\nhash_key = "{"h" * 32}"\n'
    )
    result = CliRunner().invoke(main, ["--config", str(path), "serve"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: refusing to start: safeguarding alerts would reach nobody")
    for key in ("safeguarding.duty_phones", "safeguarding.duty_emails", "safeguarding.webhook_url"):
        assert key in lines[0]


def _ready_but_for_a_duty_route(tmp_path, extra: str = "") -> Path:
    from cryptography.fernet import Fernet

    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{"s" * 40}"\ncouncil_name = "Testshire County Council"\n'
        'public_url = "https://voice.test"\n'
        f'[database]\nurl = "sqlite:///{tmp_path / "voice.db"}"\n[twilio]\nauth_token = "{"x" * 32}"\n'
        f'[privacy]\nphone_key = "{Fernet.generate_key().decode()}"\nhash_key = "{"h" * 32}"\n' + extra
    )
    return path


@pytest.mark.parametrize(
    "route",
    [
        '[safeguarding]\nduty_emails = ["duty@council.example"]\n[smtp]\nhost = "127.0.0.1"\n',
        '[safeguarding]\nwebhook_url = "https://duty.council.example/hook"\nwebhook_secret = "' + "w" * 32 + '"\n',
    ],
    ids=["email", "webhook"],
)
def test_a_missing_duty_route_is_refused_once_with_all_each_route_needs(tmp_path, route):
    """Trial 10, T10-9: on the console provider the refusal offered a duty phone, which the next start refused (a
    console only prints texts), and a webhook, whose missing secret the next start refused. Each route it offers
    now says what it needs besides, so following it starts the service."""
    problems = load(_ready_but_for_a_duty_route(tmp_path), environ={}).start_problems(serving=True)
    [problem] = problems
    assert "(with smtp.host)" in problem and "(with safeguarding.webhook_secret)" in problem
    assert "safeguarding.duty_phones with sms.provider = 'twilio'" in problem
    assert load(_ready_but_for_a_duty_route(tmp_path, route), environ={}).start_problems(serving=True) == []


def test_with_no_config_file_the_refusal_says_where_one_goes(tmp_path, monkeypatch):
    """Run where there is no config.toml, `serve` said "... to change, in built-in defaults or as ...", which
    names no file to edit."""
    from click.testing import CliRunner

    from voice_service.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve"], env={"VOICE_CONFIG": None})
    assert result.exit_code == 1
    assert "in built-in defaults" not in result.output
    assert "cp config.example.toml config.toml" in result.output


def test_a_database_url_the_service_cannot_use_is_refused_by_name_without_its_password():
    # Trial2: VOICE_DATABASE_URL=mysql://... ended every command in a traceback (no module named MySQLdb).
    for url in ("mysql://voice:s3cret@db.internal/voice", "voice.db", "mssql+pyodbc://voice:s3cret@db/voice"):
        with pytest.raises(ConfigError) as refused:
            load(None, environ={"VOICE_DATABASE_URL": url})
        message = str(refused.value)
        assert "database.url" in message and "sqlite:///" in message and "postgresql://" in message
        assert "s3cret" not in message
    for url in ("sqlite:///instance/voice.db", "postgresql://voice@db/voice", "postgres://voice@db/voice"):
        assert load(None, environ={"VOICE_DATABASE_URL": url}).database.url == url


def test_the_demo_refuses_a_database_it_cannot_use_and_leaves_its_folder(tmp_path):
    from click.testing import CliRunner

    from voice_service.cli import main

    out = tmp_path / "demo-output"
    out.mkdir()
    (out / "kept.txt").write_text("the last demo's files")
    result = CliRunner().invoke(
        main, ["demo", "--no-serve", "--out", str(out), "--database", "mysql://voice:s3cret@db/voice"]
    )
    assert result.exit_code == 2 and "--database" in result.output and "postgresql://" in result.output
    assert "s3cret" not in result.output and isinstance(result.exception, SystemExit)  # a usage error, not a crash
    assert (out / "kept.txt").exists()


def test_every_value_problem_in_the_file_is_listed_in_one_message(tmp_path):
    """Trial 3, F13: a bad duty number and a bad escalation email came one at a time (fix one, run again, meet
    the next); so did renotify_minutes = -1 and escalate_after_minutes = 0. Now all in one message, each
    naming its key, and which entry of a list it is."""
    path = tmp_path / "config.toml"
    path.write_text(
        "[safeguarding]\n"
        'duty_phones = ["07700 900901", "12345"]\n'
        'escalation_emails = ["not-an-email"]\n'
        "renotify_minutes = -1\n"
        "escalate_after_minutes = 0\n"
        "escalate_after_minute = 5\n"
        '[schedule]\nsend_concurrency = "four"\n'
        '[app]\ntimezone = "Europe/Londn"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load(path, environ={})
    message = str(caught.value)
    problems = [
        "unknown key safeguarding.escalate_after_minute in",
        "app.timezone: unknown time zone 'Europe/Londn'",
        "schedule.send_concurrency must be a whole number, such as 30, got 'four'",
        "safeguarding.renotify_minutes must be at least 1",
        "safeguarding.escalate_after_minutes must be at least 1",
        "safeguarding.duty_phones: the 2nd entry, '12345', is not a phone number",
        "safeguarding.escalation_emails: the 1st entry, 'not-an-email', is not an email address",
    ]
    assert message.startswith(f"7 settings to change, in {path} or as VOICE_<SECTION>_<KEY>:\n"), message
    assert all(f"\n  - {problem}" in message for problem in problems), message
    assert message.count("\n  - ") == 7
    # One problem alone stays one line, as before.
    path.write_text('[safeguarding]\nduty_phones = ["12345"]\n')
    with pytest.raises(ConfigError, match=r"^safeguarding.duty_phones: the 1st entry, '12345', is not a phone number$"):
        load(path, environ={})


def test_a_mistyped_real_looking_number_is_not_copied_whole_into_the_error():
    with pytest.raises(ConfigError) as caught:
        load(None, environ={"VOICE_SAFEGUARDING_DUTY_PHONES": "07911 12345678"})
    assert "12345678" not in str(caught.value) and "the 1st entry, '...678' (shortened), is not" in str(caught.value)


def test_where_names_the_place_a_setting_came_from(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text('[database]\nurl = "sqlite:///from-file.db"\n')
    assert load(file, environ={}).where("database", "url") == f"[database] url in {file}"
    from_env = load(file, environ={"VOICE_DATABASE_URL": "sqlite:///from-env.db"})
    assert from_env.where("database", "url") == "the VOICE_DATABASE_URL environment variable"
    assert load(None, environ={}).where("database", "url").startswith("the built-in default [database] url")
