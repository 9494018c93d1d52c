"""Benchmark: building a round's "You said, we did" summary, against a plain GROUP BY (issue 14).

Seeds a round of 100,000 and then one of 1,000,000 responses on PostgreSQL, and a round of 100,000
on SQLite, each into a fresh scratch database, with the round before it (half as many responses)
that the summary compares against. Each response comes in a message of its own, as a live round's
do (one in five by web chat), beside the reply that went out, so the summary's channel look-up
reads a message table of the size a real round leaves behind. The tables are then vacuumed and
analysed, as autovacuum leaves a live database: the first read of freshly written rows would
otherwise pay for marking them, whichever query came first.

Then it times `summarise()` (the passes over the answers and runs of the round and the round
before it, counting people, disclosure control, quotes) and the floor: a plain
`SELECT question_id, count(*) ... GROUP BY question_id` over the same round, each BENCH_REPEATS
times (3). It prints the first build, the median, and the CPU time of the median build here and
in the database server (which the machine's other load does not inflate, as it does wall-clock
time), the load average, and where the time went: the slowest SQL statements, each as a share of
the build. Targets: under 1 s for 100,000 and under 5 s for 1,000,000, met when every build is
under them.

Uses VOICE_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test, to create and
drop the scratch databases. BENCH_SUMMARY_SIZES (100000,1000000) sets the PostgreSQL sizes,
BENCH_SUMMARY_SQLITE_SIZES (100000) the SQLite ones (empty: none). Run with `make bench` or
`python -m benchmarks summary`.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text

from voice_service.config import load
from voice_service.context import REPO_CONVERSATIONS, Services
from voice_service.db import normalise_url, session_scope, upgrade
from voice_service.models import Participant, Round, Run, SurveyVersion, utcnow
from voice_service.summary import render, summarise
from voice_service.surveys.loader import load_survey


def _sizes(name: str, default: str) -> tuple[int, ...]:
    return tuple(int(size) for size in os.environ.get(name, default).split(",") if size.strip())


SIZES = _sizes("BENCH_SUMMARY_SIZES", "100000,1000000")
SQLITE_SIZES = _sizes("BENCH_SUMMARY_SQLITE_SIZES", "100000")
REPEATS = max(1, int(os.environ.get("BENCH_REPEATS", "3")))
TARGETS = {100_000: 1.0, 1_000_000: 5.0}
ANSWERS_PER_PERSON = 8
COMMENTS = [
    "I don't feel safe on the bus home at night",
    "my carers are really kind and help me with homework",
    "I never get to see my little brother and it makes me sad",
    "school is going better now I have a tutor",
    "I want more clubs and trips at the weekend",
    "my social worker keeps changing and I have to tell my story again",
]
THEMES = [
    "safety",
    "carers",
    "family_and_friends",
    "education",
    "leisure",
    "social_workers",
    "stability",
    "having_a_say",
    "mental_health",
]
SENTIMENTS = ("positive", "neutral", "negative")
REPLY = "Thanks. Next question: how safe do you feel where you live? Reply 1 to 5."


def _admin_url() -> str:
    return normalise_url(os.environ.get("VOICE_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test")


def _with_database(url: str, name: str) -> str:
    return url.rpartition("/")[0] + "/" + name


def _channel(participant: int) -> str:
    """One young person in five takes part by web chat."""
    return "webchat" if participant % 5 == 0 else "sms"


MESSAGE_COLUMNS = ("id", "direction", "channel", "provider_sid", "participant_id", "body", "created_at")
RESPONSE_COLUMNS = (
    "participant_id",
    "round_id",
    "message_id",
    "question_id",
    "kind",
    "answer",
    "value_number",
    "value_text",
    "skipped",
    "free_text",
    "themes",
    "sentiment",
    "score",
    "risk",
    "risk_categories",
    "created_at",
)


def _rows(survey, round_id: int, responses: int, people: int, first_message: int, now) -> Iterator[tuple[tuple, ...]]:
    """For each response of a round: the message it came in, the reply that went out, and the response
    (in MESSAGE_COLUMNS and RESPONSE_COLUMNS order; theme lists as JSON text).

    The same for either database: a person answers in turn each question of the survey, one in 23
    answers is skipped, one in 997 is a risk; comments carry two of nine themes and a feeling.
    """
    questions = [(q.id, q.kind) for q in survey.questions]
    no_themes = json.dumps([])
    for i in range(1, responses + 1):
        participant = 1 + i % people
        question, kind = questions[i % len(questions)]
        value = 1 + (i * 7919) % 5
        comment = COMMENTS[i % len(COMMENTS)]
        inbound = first_message + 2 * (i - 1)
        channel = _channel(participant)
        said = comment if kind == "text" else str(value)
        yield (
            (inbound, "in", channel, f"SM{round_id}i{i}", participant, said, now),
            (inbound + 1, "out", channel, f"SM{round_id}o{i}", participant, REPLY, now),
            (
                participant,
                round_id,
                inbound,
                question,
                kind,
                said,
                value if kind == "scale" else value % 2 if kind == "yes_no" else None,
                {"yes_no": "yes" if value % 2 else "no", "choice": "Sometimes", "text": comment}.get(kind),
                i % 23 == 0,
                False,
                json.dumps([THEMES[i % 9], THEMES[(i // 9) % 9]]) if kind == "text" else no_themes,
                SENTIMENTS[i % 3],
                ((i % 21) - 10) / 10.0,
                i % 997 == 0,
                no_themes,
                now,
            ),
        )


def _write(connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows into a table as they are: PostgreSQL's COPY FROM STDIN, or SQLite's executemany."""
    if connection.dialect.name == "postgresql":
        with connection.connection.dbapi_connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _seed(engine, survey, round_id: int, responses: int, people: int) -> None:
    """A round's runs, messages and responses, in bulk (COPY on PostgreSQL, executemany on SQLite)."""
    now = utcnow()
    # SQLite keeps times as text, in the form SQLAlchemy writes and reads.
    stamp = now if engine.dialect.name == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
    with engine.begin() as connection:
        version = connection.execute(
            text("SELECT survey_version_id FROM round WHERE id = :round"), {"round": round_id}
        ).scalar_one()
        first_message = 1 + (connection.execute(text("SELECT coalesce(max(id), 0) FROM message")).scalar_one())
        runs = [
            dict(
                participant_id=p,
                round_id=round_id,
                survey_version_id=version,
                channel=_channel(p),
                status="finished",
                reasked=False,
                language="en",
                created_at=now,
                updated_at=now,
                ended_at=now,
                current_asked=True,
            )
            for p in range(1, people + 1)
        ]
        connection.execute(insert(Run.__table__), runs)
        messages: list[tuple] = []
        answers: list[tuple] = []
        for inbound, outbound, answer in _rows(survey, round_id, responses, people, first_message, stamp):
            messages += (inbound, outbound)
            answers.append(answer)
            if len(answers) >= 50_000:
                _write(connection, "message", MESSAGE_COLUMNS, messages)
                _write(connection, "response", RESPONSE_COLUMNS, answers)
                messages, answers = [], []
        if answers:
            _write(connection, "message", MESSAGE_COLUMNS, messages)
            _write(connection, "response", RESPONSE_COLUMNS, answers)
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT setval('message_id_seq', (SELECT max(id) FROM message))"))


def _prepare(url: str, survey, responses: int) -> tuple[int, int]:
    """Seed people, a survey version and two closed rounds (90 days ago and just now) with their answers;
    return the rounds' ids (before, current) and the number of people."""
    engine = create_engine(url)
    people = responses // ANSWERS_PER_PERSON
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(
            insert(Participant.__table__),
            [
                dict(
                    pseudonym=f"B-{p}",
                    status="in_care",
                    language="en",
                    source="import",
                    remind=True,
                    created_at=now,
                    updated_at=now,
                    age_band=("11-15", "16-17", "18-21", "22-25")[p % 4],
                )
                for p in range(1, people + 1)
            ],
        )
        version = connection.execute(
            insert(SurveyVersion.__table__).returning(SurveyVersion.__table__.c.id),
            dict(
                survey_id=survey.id,
                version=survey.version,
                title=survey.title,
                source=Path(survey.source).read_text(encoding="utf-8"),
                loaded_at=now,
            ),
        ).scalar_one()
        rounds = [
            connection.execute(
                insert(Round.__table__).returning(Round.__table__.c.id),
                dict(
                    survey_id=survey.id,
                    survey_version_id=version,
                    status="closed",
                    cohort={},
                    opens_at=now - timedelta(days=days),
                    closed_at=now - timedelta(days=days - 20),
                    created_at=now,
                ),
            ).scalar_one()
            for days in (90, 1)
        ]
    previous, current = rounds
    _seed(engine, survey, previous, responses // 2, people)
    _seed(engine, survey, current, responses, people)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    engine.dispose()
    return current, people


def _cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) of a process on this machine, or None when it cannot be read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _one_size(label: str, url: str, responses: int) -> None:
    survey = load_survey(REPO_CONVERSATIONS / "surveys" / "pulse.toml")
    upgrade(url, "heads")
    started = time.perf_counter()
    current, people = _prepare(url, survey, responses)
    seeded = time.perf_counter() - started
    config = load(None, environ={}).with_overrides(database={"url": url})
    services = Services.from_config(config)
    engine = services.engine
    postgres = engine.dialect.name == "postgresql"

    floors = []
    with engine.connect() as connection:
        for _ in range(REPEATS):
            floor_started = time.perf_counter()
            connection.execute(
                text("SELECT question_id, count(*) FROM response WHERE round_id = :r GROUP BY question_id"),
                {"r": current},
            ).all()
            floors.append(time.perf_counter() - floor_started)

    statements: list[tuple[float, str]] = []

    def started_statement(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def ended_statement(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((time.perf_counter() - conn.info.pop("bench_started"), statement))

    builds: list[tuple[float, float, float | None, list[tuple[float, str]]]] = []
    for _ in range(REPEATS):
        statements.clear()
        with session_scope(engine) as session:
            server = session.execute(text("SELECT pg_backend_pid()")).scalar() if postgres else None
            event.listen(engine, "before_cursor_execute", started_statement)
            event.listen(engine, "after_cursor_execute", ended_statement)
            server_before = _cpu_seconds(server)
            cpu_started, build_started = time.process_time(), time.perf_counter()
            summary = summarise(session=session, services=services, round_id=current)
            build = time.perf_counter() - build_started
            here = time.process_time() - cpu_started
            server_after = _cpu_seconds(server)
            event.remove(engine, "before_cursor_execute", started_statement)
            event.remove(engine, "after_cursor_execute", ended_statement)
        there = server_after - server_before if server_before is not None and server_after is not None else None
        builds.append((build, here, there, list(statements)))
    html = render(summary, "html")
    engine.dispose()

    walls = [build for build, *_ in builds]
    median = statistics.median(walls)
    build, here, there, slowest = sorted(builds, key=lambda b: b[0])[len(builds) // 2]  # the median build
    floor = statistics.median(floors)
    target = TARGETS.get(responses, 5.0 * responses / 1_000_000)
    verdict = "ok" if max(walls) < target else "SLOW"
    cpu = f"{here:.2f}s here" + (f" + {there:.2f}s in the database" if there is not None else "")
    print(
        f"summary  {label:<10} {responses:>9,} responses ({people:,} people, seeded in {seeded:.0f}s): "
        f"build {walls[0]:.2f}s first, {median:.2f}s median of {len(walls)} (CPU {cpu}) "
        f"vs plain GROUP BY {floor:.3f}s = {median / floor:.1f}x; target < {target:g}s {verdict}; "
        f"html {len(html) // 1024} KiB; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    in_sql = sum(seconds for seconds, _ in slowest)
    print(f"         {len(slowest)} SQL statements took {in_sql / build:.0%} of the median build; the slowest:")
    for seconds, statement in sorted(slowest, key=lambda item: item[0], reverse=True)[:4]:
        print(f"         {seconds:6.2f}s {seconds / build:4.0%}  {_gist(statement)}")


def _gist(statement: str) -> str:
    """A statement's first words and what it groups by, on one line."""
    words = " ".join(statement.split())
    grouped = words.rpartition(" GROUP BY ")[2][:60] if " GROUP BY " in words else ""
    return words[:70] + (f" ... GROUP BY {grouped}" if grouped else "")


def run() -> None:
    """Time the summary over each size on PostgreSQL and on SQLite, and print it against the floor."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        for size in SIZES:
            name = f"voice_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                _one_size("postgresql", _with_database(_admin_url(), name), size)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
    for size in SQLITE_SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            _one_size("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", size)


if __name__ == "__main__":
    run()
