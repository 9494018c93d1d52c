"""Security headers on every response the app sends: pages, JSON, health checks, static files, errors.

Applied as WSGI middleware around the whole Flask app, so nothing (a 404 from the router, a
405, a static file, an error page) leaves without them. A blueprint that sets its own, stricter
value for a header (the chat's no-store caching, say) keeps it: these are the floor, not a cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

BASELINE = {
    # Nothing is loaded from anywhere but this service, and nobody may frame a page.
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Tokens live in some addresses (/chat/<invite>, /r/<token>): never pass them on to another site.
    "Referrer-Policy": "no-referrer",
    # The service needs no camera, microphone, location or other device features: switch them all off.
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
        "magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# A year, with subdomains: only ever sent when the service's public address is https.
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(public_url: str) -> dict[str, str]:
    """The headers every response carries for a service published at `public_url`."""
    headers = dict(BASELINE)
    if public_url.lower().startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """WSGI middleware adding `headers` to every response that does not already set them."""

    def __init__(self, app: Callable, headers: dict[str, str]):
        self.app = app
        self.headers = list(headers.items())

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def start(status: str, response_headers: list[tuple[str, str]], exc_info=None):
            present = {name.lower() for name, _ in response_headers}
            response_headers.extend((name, value) for name, value in self.headers if name.lower() not in present)
            return (
                start_response(status, response_headers, exc_info)
                if exc_info
                else start_response(status, response_headers)
            )

        return self.app(environ, start)


def install(app, public_url: str) -> None:
    """Wrap a Flask app so every response carries the security headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, security_headers(public_url))
