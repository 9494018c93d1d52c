"""`create_app`: nothing happens at import time; each app gets its own services."""

from __future__ import annotations

import logging

from flask import Flask, jsonify

from ..config import Config, load
from ..context import Services
from ..db import check_database


def create_app(config: Config | None = None, *, services: Services | None = None) -> Flask:
    """Build the Flask app from configuration (or ready-made services, for tests)."""
    if services is None:
        config = config or load()
        config.require_production_secrets()
        services = Services.from_config(config)
    config = services.config
    app = Flask(__name__)
    app.config["SECRET_KEY"] = config.app.secret_key
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.extensions["voice"] = services
    if config.app.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = config.app.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.getLogger("voice_service").setLevel(config.app.log_level)
    from .headers import install as install_security_headers

    install_security_headers(app, config.app.public_url)  # every response: pages, health, static, errors

    from .chat import api_bp as chat_api_bp
    from .chat import bp as chat_bp
    from .sms import bp as sms_bp

    app.register_blueprint(sms_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(chat_api_bp)

    @app.get("/healthz")
    def healthz():
        """Liveness and database check for load balancers."""
        if check_database(services.engine):
            return jsonify(status="ok", database="ok")
        return jsonify(status="error", database="unreachable"), 503

    return app


def services_of(app: Flask) -> Services:
    """The services an app was built with."""
    return app.extensions["voice"]
