"""Twilio's Messaging webhooks: inbound texts and delivery status."""

from flask import Blueprint

bp = Blueprint("sms", __name__, url_prefix="/sms")

from . import routes  # noqa: E402,F401
