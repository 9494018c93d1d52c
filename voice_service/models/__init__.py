"""The service's tables. Importing this package registers every table on `SQLModel.metadata`."""

from .action import Action, ActionStatus
from .alert import Alert, AlertStatus
from .audit import AuditEvent
from .base import utcnow
from .chat import ChatSession
from .message import Direction, Message
from .outbox import OutboxMessage, OutboxStatus
from .participant import AGE_BANDS, OptOut, Participant, ParticipantStatus
from .response import Response
from .round import Round, RoundStatus
from .run import Run, RunStatus
from .schedule import RoundSchedule, ScheduledLaunch
from .survey import SurveyVersion
from .user import Role, StaffSession, User, UserRole, normalise_email

__all__ = [
    "Action",
    "ActionStatus",
    "AGE_BANDS",
    "Alert",
    "AlertStatus",
    "AuditEvent",
    "ChatSession",
    "Direction",
    "Message",
    "OptOut",
    "OutboxMessage",
    "OutboxStatus",
    "normalise_email",
    "Participant",
    "ParticipantStatus",
    "Response",
    "Role",
    "Round",
    "RoundSchedule",
    "RoundStatus",
    "Run",
    "RunStatus",
    "ScheduledLaunch",
    "StaffSession",
    "SurveyVersion",
    "User",
    "UserRole",
    "utcnow",
]
