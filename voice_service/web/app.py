"""`create_app`: nothing happens at import time; each app gets its own services."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from ..config import Config, load
from ..context import Services
from ..db import check_database, deadline
from ..models import utcnow
from ..safeguarding.unsent import scheduler_silence, unsent_notices

# The largest request body the app takes (Twilio's webhooks and the chat's forms are far smaller); the server's
# worker reads no more than this before handing a request on (`web.worker`).
MAX_BODY = 64 * 1024

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, services: Services | None = None) -> Flask:
    """Build the Flask app from configuration (or ready-made services, for tests)."""
    if services is None:
        config = config or load()
        config.require_production_secrets(serving=True)
        services = Services.from_config(config)
    # Config's sections are attributes made at load time, so typed loosely here.
    settings: Any = services.config
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.app.secret_key
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["voice"] = services
    # The send windows as the config file says now, as the running scheduler goes by them (`live_config`).
    from ..scheduler.config_watch import ConfigWatch

    app.extensions["voice_config_watch"] = ConfigWatch(services.config.file, services.config, process="web server")
    from .sms.fast import install as install_fast_inbound

    install_fast_inbound(app)  # first: inside every other WSGI layer, so its answers pass through them
    if settings.app.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.app.trusted_proxies
        # Flask's documented way to add WSGI middleware.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    logging.getLogger("voice_service").setLevel(settings.app.log_level)
    from .headers import install as install_security_headers

    install_security_headers(app, settings.app.public_url)  # every response: pages, health, static, errors

    from .admin import bp as admin_bp
    from .chat import api_bp as chat_api_bp
    from .chat import bp as chat_bp
    from .front import bp as front_bp
    from .sms import bp as sms_bp

    app.register_blueprint(sms_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(chat_api_bp)
    app.register_blueprint(front_bp)
    app.register_blueprint(admin_bp)
    from .public import bp as public_bp  # /r/<token>, the young people's summary (summary's)

    app.register_blueprint(public_bp)
    from .errors import install as install_error_pages

    install_error_pages(app)  # after the dashboard's handler for unrouted /admin/ addresses, which it keeps

    # After every blueprint: wraps the inbound views, so a database outage spools instead of losing words.
    from ..spool.guard import install as install_spool
    from .limits import install as install_limits

    install_limits(app)

    install_spool(app)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        """Elsewhere, a database outage is a 503 that says so, not a 500."""
        log.warning("database unavailable on %s (%s)", request.endpoint, type(error.orig).__name__)
        message = "The service is busy. Please try again in a few minutes."
        if request.path.startswith("/api/"):
            return jsonify(error="unavailable", message=message), 503
        return Response(message, status=503, mimetype="text/plain", headers={"Retry-After": "60"})

    @app.get("/api/openapi.json")
    def openapi():
        """The OpenAPI description of the web chat's JSON API."""
        from .openapi import spec

        return jsonify(spec())

    @app.get("/healthz")
    def healthz():
        """Liveness, the database, how many spooled messages wait to be stored, whether safeguarding
        notices are leaving and whether the scheduler is running (for load balancers and monitors).

        503 "error" only when the database is unreachable. "degraded" with a 200 when spooled messages
        failed to be stored (or the spool cannot be read), when a safeguarding notice has waited to be
        sent longer than `[safeguarding] unsent_notice_minutes` (no scheduler is running, or sending
        fails), or when the scheduler's heartbeat is older than `[safeguarding] scheduler_silent_minutes`
        (or it has never run here): a person must look, but this server still takes messages, so a load
        balancer must keep sending them here. `?monitor=1` answers 503 for "degraded" too, for a monitor
        that pages someone on anything but a 200."""
        monitor = request.args.get("monitor") not in (None, "", "0")
        try:
            depth = app.extensions["voice_spool"].depth()
            spool = {
                "pending": depth.pending,
                "failed": depth.failed,
                "worrying": depth.worrying,
                # Of those, how many no duty route has heard of: their early notice has not gone (`spool.early`).
                "unwarned": depth.unwarned,
            }
            degraded = depth.failed > 0
        except OSError:
            spool, degraded = {"error": "unreadable"}, True
        if not check_database(services.engine, seconds=settings.spool.deadline_seconds):
            return jsonify(status="error", database="unreachable", spool=spool), 503
        notices: dict[str, Any]
        scheduler: dict[str, Any]
        try:
            now = utcnow()
            # Under the texts' deadline and ended by COMMIT, as `check_database` is: a pooled connection keeps
            # the timeouts a text wants and the statements psycopg prepared on it (a rollback deallocates them).
            with deadline(settings.spool.deadline_seconds), Session(services.engine) as session:
                unsent = unsent_notices(
                    session=session, now=now, after_minutes=settings.safeguarding.unsent_notice_minutes
                )
                silence = scheduler_silence(
                    session=session, now=now, after_minutes=settings.safeguarding.scheduler_silent_minutes
                )
                session.commit()
            notices, scheduler = unsent.health(now), silence.health(now)
            degraded = degraded or bool(unsent) or bool(silence)
        except SQLAlchemyError:
            notices, scheduler, degraded = {"error": "unreadable"}, {"error": "unreadable"}, True
        status = "degraded" if degraded else "ok"
        body = jsonify(status=status, database="ok", spool=spool, duty_notices=notices, scheduler=scheduler)
        return body, 503 if monitor and degraded else 200

    return app


def services_of(app: Flask) -> Services:
    """The services an app was built with."""
    return app.extensions["voice"]
