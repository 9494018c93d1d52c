"""Retention for the scheduler: the nightly job applies `voice_service.privacy.retention`.

Kept as the scheduler's own name for it; the rules (what goes after `retention_days`,
silent anonymous chats after a day) live in one place, `privacy/retention.py`.
"""

from __future__ import annotations

from ..privacy.retention import PurgeReport, purge_expired, purge_silent_chats

__all__ = ["PurgeReport", "purge_expired", "purge_silent_chats"]
