"""Responses: each answer (or text sent in) with its analysis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Response(SQLModel, table=True):
    """One stored answer. `question_id` is None for a message texted in outside a survey.
    Each inbound message makes at most one response (`message_id` is unique)."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="run.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    question_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="text", max_length=10)
    answer: str = Field(sa_type=Text)
    value_number: int | None = None
    value_text: str | None = Field(default=None, max_length=200)
    skipped: bool = False
    free_text: bool = False
    themes: list = Field(default_factory=list, sa_type=JSON)
    sentiment: str | None = Field(default=None, max_length=10)
    score: float | None = None
    risk: bool = False
    risk_categories: list = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
