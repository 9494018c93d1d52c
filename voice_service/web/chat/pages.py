"""The chat page: `GET /chat` (anonymous) and `GET /chat/<invite-token>`, plus plain form posts
so the whole chat works with JavaScript off. Every message is rendered escaped.

A refused form post shows the page again with the refusal's words (`security.refusal`), in the page's language: the
chat's, where this device has one; a chat link's; else the one the page the form was on was in (its `?lang=`, which
a page not in English puts in its forms' addresses, so that even a refusal made before anything is read, the error
page of a post over its size limit say, is in it)."""

from __future__ import annotations

import logging
import secrets

from flask import current_app, redirect, render_template, request, url_for
from sqlmodel import Session
from werkzeug.exceptions import HTTPException

from ...engine import texts
from . import bp
from .invites import invite_language, participant_for_invite
from .security import (
    CHAT_COOKIE,
    CLIENT_ID,
    BadInput,
    clean_text,
    count_address,
    csrf_ok,
    csrf_token,
    finish_response,
    forget_device,
    hit,
    may_send,
    refusal,
    refused_as_too_big,
    said_from_our_page,
    set_chat_cookie,
    worrying,
)
from .sessions import (
    MAX_TEXT,
    InviteExpired,
    Waiting,
    deliver,
    find_chat,
    hash_token,
    leave_chat,
    open_chat,
    resume,
    waiting_for,
)

log = logging.getLogger(__name__)


def _services():
    return current_app.extensions["voice"]


bp.before_request(count_address)
# The chat layout's own words for a page rendered without them (its error pages): English.
bp.add_app_template_global(texts.chat_page_words, "chat_page_words")


@bp.after_request
def headers(response):
    """Strict security headers (CSP default-src 'self', no caching, no referrer) on every chat page."""
    return finish_response(response)


def _render(
    *,
    messages=(),
    waiting: Waiting | None = None,
    started: bool = False,
    invite: str | None = None,
    error: str | None = None,
    draft: str = "",
    status: int = 200,
    language: str = "en",
):
    """The chat page, its own words in `language` (`Waiting.language`: the chat's, where it is known), and the
    refusal named `error` (`texts.CHAT_REFUSALS`) in them, if one."""
    services = _services()
    messages = list(messages)
    council = services.config.app.council_name
    language = waiting.language if waiting is not None else texts.chat_page_language(language)
    body = render_template(
        "chat/page.html",
        messages=messages,
        # The newest stored message shown: the page asks for what comes after it.
        after=max((message["id"] for message in messages if "id" in message), default=0),
        quick_replies=(waiting or Waiting()).quick_replies,
        hint=(waiting or Waiting()).hint,
        started=started,
        invite=invite,
        error=refusal(error, language) if error else None,
        refused=error,
        draft=draft,
        csrf=csrf_token(),
        session_token=request.cookies.get(CHAT_COOKIE) if started else None,
        council=council,
        exit_url=services.config.webchat.exit_url,
        language=language,
        lang_hint=_hint(language),
        words=texts.chat_page_words(language, council),
        # Every language the page is written in, for its script to switch to when the chat's language changes, with
        # the chat's refusals in it, for the script to say an API's refusal in the page's language.
        all_words={
            code: {**texts.chat_page_words(code, council), "refused": texts.chat_refusals(code, longest=MAX_TEXT)}
            for code in ("en", *texts.CHAT_PAGE_IN)
        },
        form_ids=(secrets.token_urlsafe(12), secrets.token_urlsafe(12)),
    )
    return body, status


def _hint(language: str) -> str | None:
    """What a page in `language` puts in its forms' addresses (`?lang=`) to say so: nothing for English."""
    return None if language == "en" else language


def _hinted() -> str:
    """The language the page a form was sent from was in (its `?lang=`, `_hint`), for words only, else English."""
    return texts.chat_page_language(request.args.get("lang", "en"))


def _plain_page(template: str, language: str, status: int, **context):
    """One of the chat's own pages with no chat on it (`chat/error.html`, `chat/expired.html`), its words in
    `language`."""
    services = _services()
    words = texts.chat_page_words(language, services.config.app.council_name)
    page = render_template(
        template, words=words, lang_hint=_hint(language), exit_url=services.config.webchat.exit_url, **context
    )
    return page, status


def _link_broken(session: Session, invite: str):
    """The page of a chat link that does not work, in its young person's language (`invite_language`)."""
    return _plain_page(
        "chat/expired.html", invite_language(session=session, config=_services().config, token=invite), 404
    )


def _page(invite: str | None, *, error: str | None = None, draft: str = "", status: int = 200):
    """The chat page for this device (its chat, else a Start button) with the refusal named `error`, if one."""
    services = _services()
    # With no chat on this device, the page is in the language of the page a refused form was sent from (`_hinted`):
    # a visit's is English, as an anonymous chat starts with onboarding, whose texts are English.
    language = _hinted()
    with Session(services.engine, expire_on_commit=False) as session:
        chat = find_chat(session=session, config=services.config, token=request.cookies.get(CHAT_COOKIE))
        if invite is not None:
            invited = participant_for_invite(session=session, config=services.config, token=invite)
            if invited is None:
                return _link_broken(session, invite)
            if chat is not None and chat.participant_id != invited.id:
                chat = None  # a link for someone else: start their chat, don't show this one
            if chat is None:  # the page is in the language their chat will start in
                language = waiting_for(session=session, services=services, participant=invited).language
        if chat is None:  # their words ride with the Start button (`start` sends them into the new chat)
            return _render(invite=invite, error=error, draft=draft, status=status, language=language)
        messages, waiting = resume(session=session, services=services, chat=chat)
        session.commit()
    return _render(messages=messages, waiting=waiting, started=True, error=error, draft=draft, status=status)


@bp.get("/chat")
def page():
    """The web chat: a start button, or the chat so far on a device that has one."""
    return _page(None)


@bp.get("/chat/<invite>")
def invited_page(invite: str):
    """The web chat from an invitation link, bound to the participant it was sent to."""
    return _page(invite)


@bp.post("/chat/start")
def start():
    """Start a chat with a plain form post (JavaScript off)."""
    invite = request.form.get("invite") or None
    if not csrf_ok(request.form.get("csrf")):
        return _page(invite, error="start_expired", status=403)
    if not hit("create", request.remote_addr or "-"):
        return _page(invite, error="too_many_chats", status=429)
    services = _services()
    try:
        started = open_chat(services=services, invite=invite)
    except InviteExpired:
        with Session(services.engine) as session:
            return _link_broken(session, invite or "")
    log.info("web chat started (form): invited=%s", bool(invite))
    carried = request.form.get("text", "")
    if carried.strip():
        # What they wrote to a chat that had ended (`send_form` refused it, keeping it with this button): sent now.
        try:
            deliver(services=services, token=started.token, text=clean_text(carried), client_id=None)
        except BadInput:
            pass  # only a start, then: the box is there for them to write again
    response = redirect(url_for("chat.page", _anchor="latest"), code=303)
    set_chat_cookie(response, started.token)
    return response


@bp.post("/chat/send")
def send_form():
    """Send a message or a quick reply with a plain form post (JavaScript off).

    A refused message goes back in the box. A page whose token has expired is refused (403), unless the message
    is worrying, this device's chat cookie came with it and the browser says it came from our own page: then it
    goes on down the normal path, as one over a limit does, since no other site could have sent it
    (docs/conversations.md)."""
    raw = request.form.get("text", "")
    draft = raw if len(raw) <= MAX_TEXT * 2 else ""
    token = request.cookies.get(CHAT_COOKIE)
    page_ok = csrf_ok(request.form.get("csrf"))
    if not page_ok and not (token and said_from_our_page()):
        return _page(None, error="page_expired", draft=draft, status=403)
    try:
        text = clean_text(raw)
    except BadInput as problem:  # a form's text is always a string: never a refusal without words of its own
        return _page(None, error=problem.refused or "something_wrong", draft=draft, status=problem.status)
    if not page_ok and not worrying(text):
        return _page(None, error="page_expired", draft=text, status=403)
    if not may_send(text, hash_token(token) if token else None):
        return _page(None, error="rate_limited", draft=text, status=429)
    # The form's own id makes a double-tapped Send count once.
    services, client_id = _services(), _form_id(request.form.get("id"))
    turn = deliver(services=services, token=token, text=text, client_id=client_id)
    started = None
    if turn is None and worrying(text) and (page_ok or said_from_our_page()):
        # Their chat has ended (it ran out, or this device's cookie is stale), and what they wrote is worrying: it is
        # never lost. A new chat is started for it, from our own page, and it goes on down the normal path: screened,
        # stored, alerted, with the help reply (reviewer's finding: it was refused with an empty box).
        started = open_chat(services=services, invite=None)
        turn = deliver(services=services, token=started.token, text=text, client_id=client_id)
    if turn is None:
        return _page(None, error="session_not_found", draft=text, status=404)
    log.info("web chat message handled (form): duplicate=%s alert=%s", turn.duplicate, turn.alert)
    response = redirect(url_for("chat.page", _anchor="latest"), code=303)
    if started is not None:
        set_chat_cookie(response, started.token)
    return response


def _form_id(value: str | None) -> str | None:
    return value if value and CLIENT_ID.match(value) else None


@bp.post("/chat/leave")
def leave():
    """ "Leave this page": go to a neutral site, forgetting the chat on this device.

    POST only, and the chat is forgotten only when the request comes from this service's own
    page (the browser says so, or the form's CSRF token is good), so another site cannot wipe a
    young person's chat. Going to the neutral site never depends on either.

    Forgetting it is recorded on the chat (`sessions.leave`: when, nothing more), so the inbox says they left it and
    a worker's reply does not go into a chat nobody can open. A database that is away never keeps anyone here.
    """
    response = redirect(_services().config.webchat.exit_url, code=303)
    if _from_our_page():
        token = request.cookies.get(CHAT_COOKIE)
        if token:
            try:
                leave_chat(services=_services(), token=token)
            except Exception as problem:  # leaving matters more than the record of it
                log.warning("web chat left, but not recorded as left: %s", type(problem).__name__)
        forget_device(response)
    return response


def _from_our_page() -> bool:
    """True when a POST came from one of this service's pages, not another site."""
    said = said_from_our_page()
    return said if said is not None else csrf_ok(request.form.get("csrf"))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Errors on the chat pages, in the page's plain words, in the language of the page the request came from (nothing
    is read for them: `_hinted`)."""
    if error.code == 429:
        refused = "rate_limited"
    elif refused_as_too_big(error):
        refused = "too_long"
    else:
        refused = "something_wrong"
    language = _hinted()
    return _plain_page("chat/error.html", language, error.code or 500, message=refusal(refused, language))
