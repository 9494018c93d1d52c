"""Access logs never carry chat session ids, invite tokens or the /r/ page's token."""

import pytest

from voice_service.web.access_log import redact_path


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/chat/sessions/AbC123xyz/messages", "/api/chat/sessions/<token>/messages"),
        ("/api/chat/sessions/AbC123xyz", "/api/chat/sessions/<token>"),
        ("/api/chat/sessions", "/api/chat/sessions"),
        ("/chat/eyJwIjoiUC0xMjM0In0.abc.def", "/chat/<token>"),
        ("/chat/start", "/chat/start"),
        ("/chat/send", "/chat/send"),
        ("/chat", "/chat"),
        ("/sms/inbound", "/sms/inbound"),
        ("/r/N8yFClZYl45u", "/r/<token>"),
    ],
)
def test_tokens_are_blanked(path, expected):
    assert redact_path(path) == expected


def _logged(logger_class, form, environ, status="200 OK", sent=123):
    """The access lines a gunicorn logger of this class writes for one request, and how often it built
    gunicorn's whole dictionary of atoms."""
    import datetime
    import io
    import logging
    import types

    from gunicorn.config import Config

    built = []

    class Logger(logger_class):
        def atoms(self, *args):
            built.append(1)
            return super().atoms(*args)

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", form)
    logger = Logger(cfg)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.access_log.handlers = [handler]
    resp = types.SimpleNamespace(status=status, sent=sent, headers=[("Content-Type", "application/xml")])
    req = types.SimpleNamespace(headers=[("HOST", "bench.test"), ("USER-AGENT", 'a "quoted" agent')])
    base = {"REQUEST_METHOD": "POST", "RAW_URI": "/sms/inbound", "SERVER_PROTOCOL": "HTTP/1.1"}
    base["REMOTE_ADDR"] = "127.0.0.1"
    logger.access(resp, req, {**base, **environ}, datetime.timedelta(seconds=1, microseconds=2345))
    return stream.getvalue(), len(built)


SERVICE_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'


@pytest.mark.parametrize(
    "environ, sent",
    [
        ({"PATH_INFO": "/sms/inbound"}, 123),
        ({"PATH_INFO": "/chat/eyJwIjoiUC0xMjM0In0.abc"}, None),  # a token blanked; nothing sent
        ({"PATH_INFO": '/odd"path'}, 0),  # quotes escaped as gunicorn escapes them
        ({"PATH_INFO": "/r/N8yFClZYl45u", "REMOTE_ADDR": "10.0.0.1"}, 5),
    ],
)
def test_the_service_s_access_line_is_gunicorn_s_without_its_whole_dictionary(environ, sent):
    """The service's format (cli/serve.py) gives the same line as gunicorn's atoms would, built from its six
    atoms alone: gunicorn's `atoms()` copies and escapes every header and environ variable per request."""
    from gunicorn.glogging import Logger

    from voice_service.cli.serve import gunicorn_options
    from voice_service.web.access_log import RedactingLogger

    assert gunicorn_options(host="127.0.0.1", port=1, workers=1)["access_log_format"] == SERVICE_FORMAT

    class Gunicorns(RedactingLogger):  # gunicorn's own access(), over the same redacted atoms
        access = Logger.access

    line, built = _logged(RedactingLogger, SERVICE_FORMAT, environ, sent=sent)
    expected, _ = _logged(Gunicorns, SERVICE_FORMAT, environ, sent=sent)
    assert line == expected and line.startswith(environ.get("REMOTE_ADDR", "127.0.0.1"))
    assert "N8yFClZYl45u" not in line and "eyJw" not in line
    assert built == 0


@pytest.mark.parametrize("form", ['%(h)s %({host}i)s "%(a)s" %(t)s', "%(r)s %(missing)s", "%s", "plain"])
def test_any_other_access_format_is_gunicorn_s_own(form):
    """A format naming other atoms (headers, the user agent, the request line) is formatted by gunicorn's atoms."""
    from gunicorn.glogging import Logger

    from voice_service.web.access_log import RedactingLogger

    class Gunicorns(RedactingLogger):
        access = Logger.access

    line, built = _logged(RedactingLogger, form, {"PATH_INFO": "/r/N8yFClZYl45u"})
    expected, _ = _logged(Gunicorns, form, {"PATH_INFO": "/r/N8yFClZYl45u"})
    if "%(t)s" not in form:  # the time of day may move on between the two
        assert line == expected
    assert built == 1


def _gunicorn_set_up(monkeypatch, logger_class):
    """A logger of this class set up as `serve` sets it up (its access log on standard output, with gunicorn's
    own handler), standard output being a StringIO; (logger, that StringIO)."""
    import io
    import logging
    import sys

    from gunicorn.config import Config

    from voice_service.cli.serve import gunicorn_options

    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(logging.getLogger("gunicorn.access"), "handlers", [])  # none left by another test
    cfg = Config()
    options = gunicorn_options(host="127.0.0.1", port=1, workers=1)
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, options[name])
    return logger_class(cfg), stdout


def _access(logger, path="/r/N8yFClZYl45u"):
    import datetime
    import types

    resp = types.SimpleNamespace(status="200 OK", sent=57, headers=[])
    req = types.SimpleNamespace(headers=[("HOST", "bench.test")])
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    environ["REMOTE_ADDR"] = "127.0.0.1"
    logger.access(resp, req, environ, datetime.timedelta(microseconds=2345))


def _records_made(monkeypatch) -> list:
    import logging

    made: list = []
    factory = logging.getLogRecordFactory()

    def counting(*args, **kwargs):
        made.append(args[0])
        return factory(*args, **kwargs)

    monkeypatch.setattr(logging, "_logRecordFactory", counting)
    return made


def test_the_access_line_goes_straight_to_gunicorn_s_own_handler(monkeypatch):
    """Under `serve`'s settings the line is written to gunicorn's handler's stream as the logging machinery
    would write it, without a LogRecord made for each request (its frame look-up and hand-over cost more
    than the line)."""
    from gunicorn.glogging import Logger

    from voice_service.web.access_log import RedactingLogger

    class Gunicorns(RedactingLogger):
        access = Logger.access

    made = _records_made(monkeypatch)
    logger, stdout = _gunicorn_set_up(monkeypatch, RedactingLogger)
    _access(logger)
    assert made == []
    theirs, their_stdout = _gunicorn_set_up(monkeypatch, Gunicorns)
    _access(theirs)
    assert stdout.getvalue() == their_stdout.getvalue() == '127.0.0.1 "POST /r/<token>" 200 57 0.002345s\n'


def test_any_other_logging_set_up_still_gets_a_record(monkeypatch):
    """A filter on the access log, or a handler of anyone else's beside gunicorn's, sees every line as a record."""
    import io
    import logging

    from voice_service.web.access_log import RedactingLogger

    logger, stdout = _gunicorn_set_up(monkeypatch, RedactingLogger)
    seen: list[str] = []

    def keep(record: logging.LogRecord) -> bool:
        seen.append(record.getMessage())
        return "/sms/" not in record.getMessage()

    logger.access_log.addFilter(keep)
    try:
        _access(logger, "/sms/inbound")
        _access(logger, "/healthz")
    finally:
        logger.access_log.removeFilter(keep)
    assert seen == ['127.0.0.1 "POST /sms/inbound" 200 57 0.002345s', '127.0.0.1 "POST /healthz" 200 57 0.002345s']
    assert stdout.getvalue() == seen[1] + "\n"

    theirs = io.StringIO()
    handler = logging.StreamHandler(theirs)
    logger.access_log.addHandler(handler)
    try:
        _access(logger, "/healthz")
    finally:
        logger.access_log.removeHandler(handler)
    assert theirs.getvalue() == seen[1] + "\n" and stdout.getvalue() == (seen[1] + "\n") * 2
