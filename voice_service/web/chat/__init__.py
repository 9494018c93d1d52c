"""Web chat: the page young people use (`/chat`) and its JSON API (`/api/chat/...`).

Register both `bp` and `api_bp`; the first registration also sets up the chat's
rate limiter for that app.
"""

from flask import Blueprint

bp = Blueprint("chat", __name__)
api_bp = Blueprint("chat_api", __name__, url_prefix="/api/chat")


def _install(state) -> None:
    from .security import install

    install(state.app)


bp.record_once(_install)
api_bp.record_once(_install)

from . import api, pages  # noqa: E402,F401

__all__ = ["api_bp", "bp"]
