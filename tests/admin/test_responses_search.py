"""Searching Responses by the words of an answer (tester T23): any case, every word, part of a word; LIKE's
own characters matched as themselves; combined with the filters and paging; kept in the URL and in the
round's download; an empty result says so; the page stays the workers'."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.models import Participant, Response
from voice_service.web.admin.responses_service import PAGE_SIZE, ResponseFilter, filter_responses

SAID = (
    "My carers SHOUT at me",
    "school is fine, nobody shouts",
    "I got 100% in my test",
    "my_social_worker never rings back",
    "Zoë my carer is kind",
)


def _text_ins(services, client) -> None:
    """Each of SAID texted in by its own young person (outside any survey: kept as text-ins)."""
    add_participants(services, [{"phone": phone_number(i + 1)} for i in range(len(SAID))])
    for index, words in enumerate(SAID):
        SmsPhone(client, phone_number(index + 1)).send(words)


def _found(services, **filters) -> list[str]:
    with Session(services.engine) as session:
        page = filter_responses(session=session, catalogue=services.catalogue, filters=ResponseFilter(**filters))
        assert page.total == len(page.rows)
        return sorted(row.response.answer for row in page.rows)


def test_search_finds_answers_containing_every_word_in_any_case(services, client):
    _text_ins(services, client)
    assert _found(services, words="shout") == ["My carers SHOUT at me", "school is fine, nobody shouts"]
    assert _found(services, words="SHOUT carers") == ["My carers SHOUT at me"]  # every word, any order
    assert _found(services, words="carer") == ["My carers SHOUT at me", "Zoë my carer is kind"]  # part of a word
    assert _found(services, words="zoë") == ["Zoë my carer is kind"]
    assert _found(services, words="shout  kind") == []
    # LIKE's own characters are only themselves: % and _ match no other text.
    assert _found(services, words="100%") == ["I got 100% in my test"]
    assert _found(services, words="%") == ["I got 100% in my test"]
    assert _found(services, words="_") == ["my_social_worker never rings back"]
    assert _found(services, words="my_s") == ["my_social_worker never rings back"]
    # Quotes and SQL are only words too (the search is a bound parameter).
    assert _found(services, words="' OR 1=1 --") == []
    assert len(_found(services)) == len(SAID)


def test_search_goes_with_the_filters_and_paging(services, client):
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    round_id = launch(services)
    for index, (scale, why) in enumerate((("1", "my carers shout at me"), ("2", "the carers shout a lot"))):
        texter = SmsPhone(client, phone_number(index + 1))
        texter.send("yes")
        texter.send(scale)
        texter.send(why)
    assert _found(services, words="shout", round_id=round_id) == ["my carers shout at me", "the carers shout a lot"]
    assert _found(services, words="shout", round_id=round_id + 1) == []
    assert _found(services, words="shout", risk=True) == []
    with Session(services.engine) as session:
        first = filter_responses(
            session=session, catalogue=services.catalogue, filters=ResponseFilter(words="shout"), limit=1
        )
        second = filter_responses(
            session=session, catalogue=services.catalogue, filters=ResponseFilter(words="shout"), offset=1, limit=1
        )
    assert first.total == second.total == 2  # the count is of every match, not of the page
    assert [r.response.answer for r in first.rows + second.rows] == ["the carers shout a lot", "my carers shout at me"]


def test_the_search_is_read_from_the_query_string_tidied():
    assert ResponseFilter.from_args({"q": "  carers \t shout "}).words == "carers shout"
    assert ResponseFilter.from_args({"q": "   "}).words is None
    assert ResponseFilter.from_args({"q": "x" * 1000}).words == "x" * 200
    many = " ".join(f"w{i}" for i in range(30))
    assert len(ResponseFilter.from_args({"q": many}).searched_words) == 12
    assert ResponseFilter(words="a b a").searched_words == ["a", "b"]
    assert ResponseFilter(round_id=3, words="shout").as_args() == {"round": "3", "q": "shout"}
    assert not ResponseFilter(round_id=3).narrowed and ResponseFilter(round_id=3, words="x").narrowed


def _answers(services, count: int, *, words: str, tag: str = "A") -> None:
    """`count` text-ins saying `words`, each from its own young person, a minute apart (written directly:
    a page of 50 by webhook would only be slower, not truer)."""
    start = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    with session_scope(services.engine) as session:
        for index in range(count):
            person = Participant(pseudonym=f"P-{tag}{index:04d}", source="sms")
            session.add(person)
            session.flush()
            at = start + timedelta(minutes=index)
            session.add(Response(participant_id=person.id, answer=f"{words} {index}", created_at=at))


def test_the_page_keeps_the_search_in_the_url_and_says_when_nothing_matches(services, admin_client):
    _answers(services, PAGE_SIZE + 1, words="the bus pass ran out")
    _answers(services, 2, words="nothing to say", tag="B")
    worker = admin_client("worker")
    page = worker.get("/admin/responses?q=BUS+pass")
    html = page.data.decode()
    assert page.status_code == 200
    assert 'name="q" type="search" value="BUS pass"' in html
    assert f"{PAGE_SIZE + 1} answers containing “BUS pass”, page 1 of 2." in html
    assert "nothing to say" not in html
    older = re.search(r'href="([^"]+)" rel="next"', html).group(1)
    assert "q=BUS+pass" in older and "page=2" in older
    second = worker.get(older.replace("&amp;", "&")).data.decode()
    assert "the bus pass ran out 0" in second and "page 2 of 2" in second

    none = worker.get("/admin/responses?q=skateboard").data.decode()
    assert "No answers contain “skateboard”." in none and 'id="responses"' not in none
    assert "Clear the search" in none
    filtered = worker.get("/admin/responses?q=skateboard&risk=yes").data.decode()
    assert "No answers contain “skateboard” with these filters." in filtered
    assert 'href="/admin/responses?q=skateboard"' in filtered  # search everything instead
    assert 'href="/admin/responses?risk=yes"' in filtered  # or keep the filters, drop the search


def test_only_workers_may_search(services, admin_client):
    _answers(services, 1, words="the bus pass ran out")
    for role in ("panel", "duty"):
        assert admin_client(role).get("/admin/responses?q=bus").status_code == 403


def test_a_rounds_download_keeps_the_search_and_filters(services, client, admin_client):
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    round_id = launch(services)
    for index, (scale, why) in enumerate((("1", "my carers shout at me"), ("2", "=I miss my sister"))):
        texter = SmsPhone(client, phone_number(index + 1))
        texter.send("yes")
        texter.send(scale)
        texter.send(why)
    worker = admin_client("worker")
    html = worker.get(f"/admin/responses?round={round_id}&q=shout").data.decode()
    link = re.search(r'id="download-csv" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=shout" in link and f"round={round_id}" in link
    assert f"Download these answers from round {round_id} as CSV" in html
    rows = list(csv.DictReader(io.StringIO(worker.get(link).data.decode())))
    assert [row["answer"] for row in rows] == ["my carers shout at me"]

    everything = worker.get(f"/admin/responses/export?round={round_id}&format=csv").data.decode()
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 4  # two scale answers, two whys
    plain = worker.get(f"/admin/responses?round={round_id}").data.decode()
    assert f"Download round {round_id} as CSV" in plain
