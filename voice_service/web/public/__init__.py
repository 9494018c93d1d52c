"""The young people's "You said, we did" page for one round, at `/r/<token>`: no sign-in, made for phones."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select
from sqlmodel import Session, col
from werkzeug.exceptions import NotFound

from ...models import Round, utcnow
from ...rounds.membership import local_date
from ...summary import summarise
from ...summary.loop import (
    INTRO,
    INTRO_ACTIONS_ONLY,
    MORE,
    NOT_MANY,
    WELSH_PAGE,
    explain_acronyms,
    reached_welsh_speakers,
    round_audience,
    things_to_tell,
)
from ..errors import friendly_page
from ..front import number_to_text

# Its stylesheet is a static file: the CSP (default-src 'self') refuses inline styles.
bp = Blueprint("public", __name__, template_folder="templates", static_folder="static", static_url_path="/r/static")


@bp.errorhandler(NotFound)
def not_found(error: NotFound):
    """A bad /r/ link gets the same warm page as any unknown address, saying nothing about which rounds exist."""
    response = friendly_page(error)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/r/<token>")
def you_said_we_did(token: str):
    """The round's plain-English summary; an unknown token is a plain 404 that says nothing more."""
    return _page(token, welsh=False)


@bp.get("/r/<token>/cy")
def you_said_we_did_in_welsh(token: str):
    """The round's page for a Welsh speaker, the link their Welsh thank-you carries (trial 13, T13-17): its own
    words in Welsh (heading, thanks, how to tell us more, where help is), and what young people said and the
    council is doing, in English, as the council wrote it, said so in Welsh first."""
    return _page(token, welsh=True)


def _page(token: str, *, welsh: bool):
    """The round's young people's page, in English or (`welsh`) with its own words in Welsh."""
    services = current_app.extensions["voice"]
    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 16:
        abort(404)
    with Session(services.engine) as session:
        round_ = session.execute(select(Round).where(col(Round.public_token) == token)).scalars().first()
        if round_ is None:
            abort(404)
        summary = summarise(session=session, services=services, round_id=round_.id)
        audience = round_audience(
            session=session, round_id=round_.id, today=local_date(utcnow(), services.config.app.timezone)
        )
        # The English page offers the Welsh one where the round reached a Welsh speaker; the Welsh one the English.
        offers_welsh = not welsh and reached_welsh_speakers(session=session, round_id=round_.id)
    told = things_to_tell(summary)
    things = [
        {
            "heading": explain_acronyms(thing.heading),
            "did": [explain_acronyms(d) for d in thing.did],
            "will": [explain_acronyms(w) for w in thing.will],
            "answer": thing.answer,
            "more": MORE if thing.told and number > 0 and not told[number - 1].told else "",
        }
        for number, thing in enumerate(told)
    ]
    words = {
        "not_many": NOT_MANY if all(thing.told for thing in told) else "",
        "intro": "" if not told else INTRO_ACTIONS_ONLY if told[0].told else INTRO,
    }
    response = current_app.make_response(
        render_template(
            "public/you_said_we_did.html",
            summary=summary,
            things=things,
            words=words,
            council=summary.council,
            audience=audience,
            number=number_to_text(services.config),
            welsh=welsh,
            other_language="/r/" + token if welsh else "/r/" + token + WELSH_PAGE if offers_welsh else "",
        )
    )
    # A private link: not for search engines, and not kept by shared computers.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
