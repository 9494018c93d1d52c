"""Safeguarding: the help reply to a young person, alerts to the duty team."""

from .alerts import RISK_REPLY, raise_alert

__all__ = ["RISK_REPLY", "raise_alert"]
