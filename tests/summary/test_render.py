"""Every format of the panel's summary, and the command line that writes them."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.summary import data
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Action, OutboxMessage
from voice_service.summary import render, summarise


@pytest.fixture
def summary(services):
    ids = data.people(services, 20)
    first = data.round_at(services, days_ago=60)
    data.scale_answers(services, first, ids[:10], [5] * 5 + [2] * 5)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids[:17], [5] * 6 + [4] * 6 + [1] * 3 + [3] * 2)
    data.comments(
        services,
        round_id,
        ids[:7],
        [
            "my name is Jade Smith, the bus at night is scary",
            "text me on 07700 900123 the estate is not safe",
            "I go to St Mary's Academy where I get bullied a lot",
            "flat 3, 12 High Street, WR1 2AB is not a safe place",
            "email jade.smith@example.com I get bullied on the bus",
            "follow @jaydee_22 people are mean online to me",
            "I feel safe with my foster carers now thank you",
        ],
        ["safety"],
    )
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                said="Buses at night feel unsafe",
                did="Taxi passes for late journeys",
                owner="Transport lead",
                status="in_progress",
            )
        )
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        return summarise(session=session, services=services, round_id=round_id)


SECRETS = ("Jade", "Smith", "07700", "900123", "Mary", "High Street", "WR1", "jade.smith", "jaydee")


def test_html_is_self_contained_accessible_and_redacted(summary):
    html = render(summary, "html").decode()
    # Nothing fetched from elsewhere: no external src/href/url().
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html) and "@import" not in html
    assert "<script" not in html
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs and all("<title" in svg and "<desc" in svg and 'role="img"' in svg for svg in svgs)
    assert "Pledge 1: Support and help you to keep safe and prevent bullying" in html
    assert "fewer than 5" in html and "Still open" in html and "At a glance" in html
    assert "since last round" in html
    # One chart per question, headed by its label, never by the SMS prompt.
    assert len(svgs) == 1 + 1  # the one scale question answered, and the themes chart
    assert "<h3>Safe home</h3>" in html and "<h3>How safe do you feel" not in html
    # Landmarks and heading order for screen readers.
    assert "<main" in html and "<nav" in html and "<header" in html and "<footer" in html
    levels = [int(h) for h in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    for secret in SECRETS:
        assert secret not in html


def test_pdf_is_a_pdf(summary):
    assert render(summary, "pdf").startswith(b"%PDF")


def test_json_says_why_each_hidden_count_is_hidden(summary):
    document = json.loads(render(summary, "json"))
    assert document["schema_version"] == 2 and document["round_id"] == summary.round_id
    question = next(q for q in document["questions"] if q["id"] == "safe_home")
    answers = {a["answer"]: a["people"] for a in question["distribution"]}
    # 1 is a part of the negative band, itself fewer than 5: "0 to 4" (trial2: it may be none).
    assert answers["1"] == {"hidden": "primary", "label": "0 to 4"}
    # 4 and 5 are hidden beside it, whatever their numbers: beside a "fewer than 5" band, every other band is
    # hidden, with its answers.
    hidden = {"hidden": "secondary", "label": "hidden to protect a smaller group"}
    assert answers["5"] == hidden and answers["4"] == hidden
    pledge = document["pledges"][0]
    assert pledge["questions"] == ["safe_home", "safe_home_why"]
    assert pledge["we_did"] == [] and pledge["we_will"][0]["did"] == "Taxi passes for late journeys"
    assert not any(secret in json.dumps(document) for secret in SECRETS)


def test_csv_has_one_figure_per_row(summary):
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    assert rows[0]["measure"] == "invited"
    responded = next(r for r in rows if r["measure"] == "responded")
    assert responded["value"] == "17"
    hidden = [r for r in rows if r["item"] == "safe_home=1"]
    assert hidden and hidden[0]["value"] == "0 to 4"  # a part of a small band


def test_the_csv_says_each_figure_in_words_and_keeps_the_ids_for_joining(summary):
    """A panel officer opening the CSV in a spreadsheet reads what each figure is and the answer as offered
    ("1 (Not safe)"), not question ids and snake_case; the codes and ids stay in columns of their own."""
    text = render(summary, "csv").decode()
    # The first ten columns as they always were; `unit` was added at the end.
    assert text.splitlines()[0] == "section,number,title,figure,about,value,previous,change,measure,item,unit"
    rows = list(csv.DictReader(io.StringIO(text)))
    not_safe = next(r for r in rows if r["item"] == "safe_home=1")
    assert (not_safe["figure"], not_safe["about"], not_safe["value"]) == (
        "People who gave this answer",
        "1 (Not safe)",
        "0 to 4",  # hidden stays hidden (a part of the small negative band)
    )
    assert not_safe["measure"] == "answer"
    totally = next(r for r in rows if r["item"] == "safe_home=5")
    assert totally["about"] == "5 (Totally safe)"  # "1 = not safe, 5 = totally safe"
    assert totally["value"] == "hidden to protect a smaller group"  # beside the small negative band
    three = next(r for r in rows if r["item"] == "safe_home=3")
    assert three["about"] == "3"  # a point the question gave no words
    rate = next(r for r in rows if r["measure"] == "response_rate")
    assert rate["figure"].startswith("Response rate")
    assert next(r for r in rows if r["measure"] == "mean")["figure"] == "Average answer (1 to 5)"
    # Every row says what its figure is in words: no code name in the columns a reader reads.
    for row in rows:
        assert row["figure"] and "_" not in row["figure"], row
        assert "=" not in row["about"] and "_" not in row["about"], row


def test_markdown(summary):
    text = render(summary, "md").decode()
    assert text.startswith("# You said, we did") and "fewer than 5" in text


def _env(services, tmp_path, **extra):
    config = services.config
    env = {
        "VOICE_CONFIG": "",
        "VOICE_DATABASE_URL": config.database.url,
        "VOICE_PRIVACY_PHONE_KEY": config.privacy.phone_key,
        "VOICE_PRIVACY_HASH_KEY": config.privacy.hash_key,
        "VOICE_APP_SECRET_KEY": config.app.secret_key,
        "VOICE_APP_PUBLIC_URL": "https://voice.example",
    }
    env.update(extra)
    return env


def test_action_commands(services, tmp_path):
    round_id = data.round_at(services)
    env = _env(services, tmp_path)
    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "action",
            "add",
            "--round",
            str(round_id),
            "--pledge",
            "1",
            "--said",
            "Buses feel unsafe",
            "--did",
            "Taxi passes",
            "--status",
            "planned",
            "--owner",
            "Transport",
            "--theme",
            "safety",
        ],
        env=env,
    )
    assert added.exit_code == 0, added.output
    action_id = int(added.output.strip().splitlines()[-1])
    bad = runner.invoke(
        main,
        [
            "action",
            "add",
            "--round",
            str(round_id),
            "--pledge",
            "99",
            "--said",
            "x",
            "--did",
            "y",
            "--status",
            "planned",
        ],
        env=env,
    )
    assert bad.exit_code != 0 and "no pledge 99" in bad.output
    blank = runner.invoke(main, ["action", "update", str(action_id), "--did", "   "], env=env)
    assert blank.exit_code != 0 and "can't be empty" in blank.output
    updated = runner.invoke(main, ["action", "update", str(action_id), "--status", "done"], env=env)
    assert updated.exit_code == 0, updated.output
    listed = runner.invoke(main, ["action", "list", "--round", str(round_id)], env=env)
    assert "done" in listed.output and "Taxi passes" in listed.output
    with session_scope(services.engine) as session:
        action = session.get(Action, action_id)
        assert action.status == "done" and action.done_at is not None and action.theme == "safety"


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv", "pdf"])
def test_summary_command_writes_every_format(services, tmp_path, fmt):
    ids = data.people(services, 6)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4] * 6)
    out = tmp_path / f"summary.{fmt}"
    result = CliRunner().invoke(
        main, ["summary", "--round", str(round_id), "--format", fmt, "--out", str(out)], env=_env(services, tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 200


def test_summary_command_for_young_people(services, tmp_path):
    round_id = data.round_at(services)
    result = CliRunner().invoke(
        main,
        ["summary", "--round", str(round_id), "--format", "md", "--audience", "young-people"],
        env=_env(services, tmp_path),
    )
    assert result.exit_code == 0 and "Thank you" in result.output and "https://voice.example/r/" in result.output


def test_round_close_twice_sends_nothing_twice(services, tmp_path):
    ids = data.people(services, 6)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4] * 6)
    drop = tmp_path / "panel"
    env = _env(
        services,
        tmp_path,
        VOICE_PANEL_DROP_DIR=str(drop),
        VOICE_PANEL_EMAILS='["chair@council.example", "clerk@council.example"]',
    )
    for said in ("6 thank-you texts queued", "was already closed on"):
        result = CliRunner().invoke(main, ["round", "close", str(round_id)], env=env)
        assert result.exit_code == 0, result.output
        assert said in result.output
    assert (drop / f"you-said-we-did-round-{round_id}.pdf").read_bytes().startswith(b"%PDF")
    with session_scope(services.engine) as session:
        rows = session.exec(select(OutboxMessage)).scalars().all()
    loops = sorted(r.key for r in rows if r.kind == "loop")
    assert loops == sorted(f"loop:{round_id}:{pid}" for pid in ids)
    emails = [r for r in rows if r.kind == "summary"]
    assert len(emails) == 2 and all(r.channel == "email" and r.attachments for r in emails)


def test_pdf_is_tagged_with_language_and_title(summary, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary, "pdf"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+You said, we did: .+, round \d+", info, re.M), info
    assert re.search(rb"/Lang\s*\(en-GB\)", _pdf_objects(path.read_bytes()))
    structure = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    assert "H1" in structure and "Table" in structure and "Figure" in structure


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (the catalog sits in an object stream)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_a_scale_answer_takes_the_words_the_question_gave_it():
    from voice_service.summary.report import QuestionResult

    question = QuestionResult(
        id="safe_home",
        text="How safe do you feel where you live? Reply 1 (not safe) to 5 (really safe).",
        kind="scale",
        respondents=9,
        distribution=[],
        scale=(1, 5),
        ends={1: "not safe", 5: "really safe"},
    )
    assert [question.answer_words(p) for p in ("1", "3", "5")] == ["1 (Not safe)", "3", "5 (Really safe)"]
    assert QuestionResult("x", "Yes or no?", "yes_no", 9, []).answer_words("Yes") == "Yes"


def test_a_scale_chart_says_what_its_ends_mean_in_every_format(summary, tmp_path):
    """The panel reads "1 (Not safe)" beside a bar, not a bare 1: in the chart's labels, in the text a screen
    reader reads for it (its title and description), in the Markdown table and in the PDF; a hidden figure
    still reads as hidden."""
    html = render(summary, "html").decode()
    chart = next(svg for svg in re.findall(r"<svg.*?</svg>", html, re.S) if "Safe home" in svg)
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', chart)
    assert labels == ["1 (Not safe)", "2", "3", "4", "5 (Totally safe)"], labels
    title = re.search(r"<title[^>]*>(.*?)</title>", chart).group(1)
    assert title == "Answers to: Safe home, from 1 (Not safe) to 5 (Totally safe)"
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1)
    hidden = "5 or more people (exact number hidden to protect a smaller group)"  # beside the small negative band
    assert f"5 (Totally safe): {hidden}, better news; last round 50%" in desc, desc
    assert "1 (Not safe): 0 to 4 people, worse news" in desc, desc
    # The hidden bars are written, not drawn; each reads "0 to 4", as the answer nobody gave beside them does.
    assert ">0 to 4</text>" in chart and ">fewer than 5</text>" not in chart

    text = render(summary, "md").decode()
    assert "| 1 (Not safe) | 0 to 4 |" in text
    assert "| 5 (Totally safe) | hidden to protect a smaller group | 5 |" in text

    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary, "pdf"))
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "1 (Not safe)" in words and "5 (Totally safe)" in words and "fewer than 5" in words


# Run the real command line in a fresh interpreter where the dynamic loader cannot find Pango, as on a
# machine without libpango-1.0-0: WeasyPrint's own import then fails the way it does there.
WITHOUT_PANGO = """
import sys
import cffi

real_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if "pango" in str(name):
        raise OSError(f"cannot load library '{name}': {name}: cannot open shared object file: No such file")
    return real_dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = dlopen
from voice_service.cli import main

sys.argv = ["voice-service", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("command", ["summary", "report"])
def test_pdf_without_pango_says_which_package_to_install(services, tmp_path, command):
    import os
    import sys

    round_id = data.round_at(services)
    out = tmp_path / "summary.pdf"
    which = ["--round", str(round_id)] if command == "summary" else ["--year", "2026"]
    env = {**os.environ, **_env(services, tmp_path)}
    ran = subprocess.run(
        [sys.executable, "-c", WITHOUT_PANGO, command, *which, "--format", "pdf", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 1, ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == ""
    assert "libpango-1.0-0" in ran.stderr and "apt-get install" in ran.stderr and "md" in ran.stderr
    assert not out.exists()
    # The other formats need no Pango.
    ran = subprocess.run(
        [sys.executable, "-c", WITHOUT_PANGO, command, *which, "--format", "md", "--out", str(tmp_path / "s.md")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
