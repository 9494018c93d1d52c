"""The service's tables. Importing this package registers every table on `SQLModel.metadata`."""

from .base import utcnow
from .participant import AGE_BANDS, OptOut, Participant, ParticipantStatus
from .survey import SurveyVersion
from .round import Round, RoundStatus
from .run import Run, RunStatus
from .message import Direction, Message
from .response import Response
from .outbox import OutboxMessage, OutboxStatus
from .alert import Alert, AlertStatus
from .chat import ChatSession
from .action import Action, ActionStatus
from .schedule import RoundSchedule, ScheduledLaunch

__all__ = [
    "Action",
    "ActionStatus",
    "AGE_BANDS",
    "Alert",
    "AlertStatus",
    "ChatSession",
    "Direction",
    "Message",
    "OptOut",
    "OutboxMessage",
    "OutboxStatus",
    "Participant",
    "ParticipantStatus",
    "Response",
    "Round",
    "RoundSchedule",
    "RoundStatus",
    "Run",
    "RunStatus",
    "ScheduledLaunch",
    "SurveyVersion",
    "utcnow",
]
