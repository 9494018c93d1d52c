"""Benchmark: building a round's "You said, we did" summary on PostgreSQL, against a plain GROUP BY.

Seeds 100,000 and then 1,000,000 responses into a fresh scratch database with one
`INSERT ... SELECT generate_series(...)` each, then times `summarise()` (the passes over the
answers and runs of the round and the round before it, counting people, disclosure control,
quotes) and the floor: a plain `SELECT question_id, count(*) ... GROUP BY question_id` over the
same round. Targets: under 1 s for 100k and under 5 s for 1M (issue 14). Beneath each build it
prints where the time went: the slowest SQL statements, each as a share of the build. Times are
wall-clock, so each line gives the machine's load average when the build finished.

Uses VOICE_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test, to create and
drop the scratch database. Run with `make bench` or `python -m benchmarks.summary`.
"""

from __future__ import annotations

import os
import time
import uuid

from sqlalchemy import create_engine, event, text

from voice_service.config import load
from voice_service.context import REPO_CONVERSATIONS, Services
from voice_service.db import normalise_url, session_scope, upgrade
from voice_service.summary import render, summarise
from voice_service.surveys.loader import load_survey

# BENCH_SUMMARY_SIZES=100000 runs the smaller size alone.
SIZES = tuple(int(size) for size in os.environ.get("BENCH_SUMMARY_SIZES", "100000,1000000").split(","))
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


def _admin_url() -> str:
    return normalise_url(os.environ.get("VOICE_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test")


def _with_database(url: str, name: str) -> str:
    return url.rpartition("/")[0] + "/" + name


def _seed(engine, survey, round_id: int, responses: int, participants: int, first_participant: int) -> None:
    """Insert a round's runs and responses in bulk, in the database."""
    questions = [(q.id, q.kind, list(q.choices)) for q in survey.questions]
    ids = "ARRAY[" + ",".join(f"'{q}'" for q, _, _ in questions) + "]"
    kinds = "ARRAY[" + ",".join(f"'{k}'" for _, k, _ in questions) + "]"
    comments = "ARRAY[" + ",".join("'" + c.replace("'", "''") + "'" for c in COMMENTS) + "]"
    themes = "ARRAY[" + ",".join(f"'{t}'" for t in THEMES) + "]"
    with engine.begin() as connection:
        connection.execute(
            text("""
            INSERT INTO run (participant_id, round_id, survey_version_id, channel, status, reasked, language,
                             created_at, updated_at, ended_at)
            SELECT p, :round, (SELECT survey_version_id FROM round WHERE id = :round),
                   CASE WHEN p % 5 = 0 THEN 'webchat' ELSE 'sms' END, 'finished', false, 'en', now(), now(), now()
            FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS p"""),
            {"round": round_id, "first": first_participant, "last": first_participant + participants - 1},
        )
        connection.execute(
            text(f"""
            INSERT INTO response (participant_id, run_id, round_id, question_id, kind, answer, value_number,
                                  value_text, skipped, free_text, themes, sentiment, score, risk, risk_categories,
                                  created_at)
            SELECT CAST(:first AS integer) + (i % CAST(:people AS integer)), NULL, CAST(:round AS integer), q.id, q.kind,
                   CASE WHEN q.kind = 'text' THEN c.text ELSE v::text END,
                   CASE WHEN q.kind = 'scale' THEN v WHEN q.kind = 'yes_no' THEN v % 2 END,
                   CASE WHEN q.kind = 'yes_no' THEN (CASE WHEN v % 2 = 1 THEN 'yes' ELSE 'no' END)
                        WHEN q.kind = 'choice' THEN 'Sometimes'
                        WHEN q.kind = 'text' THEN c.text END,
                   i % 23 = 0, false,
                   CASE WHEN q.kind = 'text'
                        THEN json_build_array(({themes})[1 + i % 9], ({themes})[1 + (i / 9) % 9])
                        ELSE '[]'::json END,
                   (ARRAY['positive', 'neutral', 'negative'])[1 + i % 3], ((i % 21) - 10) / 10.0,
                   i % 997 = 0, '[]'::json, now()
            FROM generate_series(1, CAST(:n AS integer)) AS i
            CROSS JOIN LATERAL (SELECT ({ids})[1 + i % {len(questions)}] AS id,
                                       ({kinds})[1 + i % {len(questions)}] AS kind) AS q
            CROSS JOIN LATERAL (SELECT CAST(1 + (CAST(i AS bigint) * 7919) % 5 AS integer) AS v) AS s(v)
            CROSS JOIN LATERAL (SELECT ({comments})[1 + i % {len(COMMENTS)}] AS text) AS c"""),
            {"round": round_id, "people": participants, "first": first_participant, "n": responses},
        )
        connection.execute(text("ANALYZE"))


def _one_size(admin, responses: int) -> None:
    name = f"voice_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _with_database(_admin_url(), name)
    try:
        upgrade(url, "heads")
        config = load(None, environ={}).with_overrides(database={"url": url})
        services = Services.from_config(config)
        engine = services.engine
        survey = load_survey(REPO_CONVERSATIONS / "surveys" / "pulse.toml")
        people = responses // ANSWERS_PER_PERSON
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(
                text("""
                INSERT INTO participant (pseudonym, status, language, source, remind, created_at, updated_at,
                                         age_band)
                SELECT 'B-' || p, 'in_care', 'en', 'import', true, now(), now(),
                       (ARRAY['11-15', '16-17', '18-21', '22-25'])[1 + p % 4]
                FROM generate_series(1, CAST(:n AS integer)) AS p"""),
                {"n": people},
            )
            version = connection.execute(
                text(
                    "INSERT INTO surveyversion (survey_id, version, title, source, loaded_at) "
                    "VALUES (:id, :version, :title, :source, now()) RETURNING id"
                ),
                {
                    "id": survey.id,
                    "version": survey.version,
                    "title": survey.title,
                    "source": open(survey.source, encoding="utf-8").read(),
                },
            ).scalar_one()
            rounds = [
                connection.execute(
                    text(
                        "INSERT INTO round (survey_id, survey_version_id, status, cohort, opens_at, closed_at, created_at) "
                        f"VALUES (:id, :version, 'closed', '{{}}', now() - interval '{days} days', "
                        f"now() - interval '{days} days' + interval '20 days', now()) RETURNING id"
                    ),
                    {"id": survey.id, "version": version},
                ).scalar_one()
                for days in (90, 1)
            ]
        previous, current = rounds
        _seed(engine, survey, previous, responses // 2, people, 1)
        _seed(engine, survey, current, responses, people, 1)
        seeded = time.perf_counter() - started

        with engine.connect() as connection:
            floor_started = time.perf_counter()
            connection.execute(
                text("SELECT question_id, count(*) FROM response WHERE round_id = :r GROUP BY question_id"),
                {"r": current},
            ).all()
            floor = time.perf_counter() - floor_started
        statements: list[tuple[float, str]] = []

        def started_statement(conn, cursor, statement, parameters, context, executemany) -> None:
            conn.info["bench_started"] = time.perf_counter()

        def ended_statement(conn, cursor, statement, parameters, context, executemany) -> None:
            statements.append((time.perf_counter() - conn.info.pop("bench_started"), statement))

        event.listen(engine, "before_cursor_execute", started_statement)
        event.listen(engine, "after_cursor_execute", ended_statement)
        build_started = time.perf_counter()
        with session_scope(engine) as session:
            summary = summarise(session=session, services=services, round_id=current)
        build = time.perf_counter() - build_started
        event.remove(engine, "before_cursor_execute", started_statement)
        event.remove(engine, "after_cursor_execute", ended_statement)
        html = render(summary, "html")
        target = TARGETS.get(responses, 5.0 * responses / 1_000_000)
        verdict = "ok" if build < target else "SLOW"
        print(
            f"summary  {responses:>9,} responses ({people:,} people, seeded in {seeded:.1f}s): "
            f"build {build:.2f}s vs GROUP BY floor {floor:.3f}s = {build / floor:.1f}x; "
            f"target < {target:g}s {verdict}; html {len(html) // 1024} KiB; load {os.getloadavg()[0]:.1f}"
        )
        in_sql = sum(seconds for seconds, _ in statements)
        print(f"         {len(statements)} SQL statements took {in_sql / build:.0%} of the build; the slowest:")
        for seconds, statement in sorted(statements, key=lambda item: item[0], reverse=True)[:4]:
            print(f"         {seconds:6.2f}s {seconds / build:4.0%}  {_gist(statement)}")
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _gist(statement: str) -> str:
    """A statement's first words and what it groups by, on one line."""
    words = " ".join(statement.split())
    grouped = words.rpartition(" GROUP BY ")[2][:60] if " GROUP BY " in words else ""
    return words[:70] + (f" ... GROUP BY {grouped}" if grouped else "")


def run() -> None:
    """Time the summary over 100k and 1M responses on PostgreSQL and print it against the floor."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        for size in SIZES:
            _one_size(admin, size)
    finally:
        admin.dispose()


if __name__ == "__main__":
    run()
