"""`voice-service text-in`: try the SMS path on a running server without a phone or Twilio."""

import urllib.error

import click

from . import AppState, pass_state

# Ofcom's drama range: never a real person's phone.
TRIAL_NUMBER = "+447700900555"


@click.command("text-in")
@click.option("--from", "number", default=TRIAL_NUMBER, show_default=True, help="The phone number it comes from.")
@click.option(
    "--url",
    metavar="URL",
    help="Where the server listens, if not at app.public_url (the signature is always for app.public_url).",
)
@click.argument("words", nargs=-1, required=True)
@pass_state
def text_in(state: AppState, number: str, url: str | None, words: tuple[str, ...]) -> None:
    """Text the running service as a young person's phone would (a signed Twilio webhook); print the replies.

    The request is signed with twilio.auth_token against app.public_url, exactly as Twilio signs it, so
    it takes the same path as a real text: screening, the survey, alerts. Use a drama-range number.
    """
    from ..webhook_phone import WebhookPhone

    if url is not None and not url.lower().startswith(("http://", "https://")):
        # "127.0.0.1:5000" is the easy slip: urllib took it for an unknown kind of address, with a traceback (trial 9).
        raise click.BadParameter(f"{url!r} must start with http:// or https://", param_hint="--url")
    config = state.config()
    public_url = config.app.public_url.rstrip("/")
    phone = WebhookPhone(url.rstrip("/") if url else public_url, public_url, config.twilio.auth_token, number)
    try:
        replies = phone.send(" ".join(words))
    except urllib.error.HTTPError as exc:
        hint = (
            f" (check twilio.auth_token, and that app.public_url is the address Twilio posts to: this text was "
            f"signed for {public_url}, and the server checks against its own app.public_url)"
            if exc.code == 403
            else ""
        )
        reason = _reason(exc)
        raise click.ClickException(
            f"the server answered {exc.code} {exc.reason}{': ' + reason if reason else ''}{hint}"
        ) from None
    except OSError as exc:
        where = url or public_url
        raise click.ClickException(f"cannot reach {where} ({exc}); is `voice-service serve` running?") from None
    for reply in replies or ["(no reply)"]:
        click.echo(reply)


def _reason(error: urllib.error.HTTPError) -> str:
    """The server's own words for a refusal ("From is not a phone number we can reply to"), if it gave any."""
    import json
    import re

    try:
        raw = error.read(4000).decode("utf-8", "replace")
    except OSError:
        return ""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or "")[:200]
    # An HTML error page: its paragraph text, without the title werkzeug repeats.
    paragraphs = re.findall(r"<p>(.*?)</p>", raw, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", " ".join(paragraphs) if paragraphs else raw).split())
    return text[:200]
