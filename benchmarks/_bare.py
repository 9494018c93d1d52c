"""The ceiling for `benchmarks.inbound`: a bare Flask endpoint answering a text with the same TwiML.

Served by gunicorn with the same worker settings as `voice-service serve`; no signature
check, no database, no screening: what a webhook costs before the service does anything.
"""

from flask import Flask, Response, request
from twilio.twiml.messaging_response import MessagingResponse

app = Flask(__name__)


@app.post("/sms/inbound")
def inbound():
    """Read the form, answer one TwiML message."""
    if not request.form.get("MessageSid"):
        return Response(status=400)
    reply = MessagingResponse()
    reply.message("Thanks for telling us. The Voice team reads every message.")
    return Response(str(reply), mimetype="application/xml")
