"""The service's tables. Importing this package registers every table on `SQLModel.metadata`."""

from .action import Action, ActionStatus
from .alert import Alert, AlertAction, AlertEntry, AlertMessage, AlertPriority, AlertStatus, AlertStep
from .audit import AuditEvent
from .base import as_utc, utcnow
from .chat import ChatSession
from .conversation import Contact, ContactOutcome, Conversation, ConversationStatus
from .heartbeat import SchedulerHeartbeat
from .held_back import HeldBack, HeldBackStatus
from .message import Direction, Message
from .outbox import OutboxKind, OutboxMessage, OutboxStatus
from .participant import AGE_BANDS, ErasedNumber, OptOut, Participant, ParticipantStatus
from .response import Response
from .round import Round, RoundStatus
from .run import Run, RunStatus
from .schedule import RoundSchedule, ScheduledLaunch
from .survey import SurveyVersion
from .user import Role, StaffSession, TrustedDevice, User, UserRole, normalise_email, valid_email

__all__ = [
    "Action",
    "ActionStatus",
    "AGE_BANDS",
    "Alert",
    "AlertAction",
    "AlertEntry",
    "AlertMessage",
    "AlertPriority",
    "AlertStatus",
    "AlertStep",
    "AuditEvent",
    "ChatSession",
    "Contact",
    "ContactOutcome",
    "Conversation",
    "ConversationStatus",
    "Direction",
    "ErasedNumber",
    "HeldBack",
    "HeldBackStatus",
    "Message",
    "OptOut",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "normalise_email",
    "valid_email",
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
    "SchedulerHeartbeat",
    "StaffSession",
    "SurveyVersion",
    "TrustedDevice",
    "User",
    "UserRole",
    "as_utc",
    "utcnow",
]
