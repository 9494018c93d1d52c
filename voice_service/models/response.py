"""Responses: each answer (or text sent in) with its analysis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ColumnElement, Index, String, Text, and_, cast, func, not_, text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Response(SQLModel, table=True):
    """One stored answer. `question_id` is None for a message texted in outside a survey.
    Each inbound message makes at most one response (`message_id` is unique).
    `themes` and `sentiment` are the machine's; `human_*` a worker's correction of them;
    `theme_sentiments` the machine's feeling per theme."""

    __table_args__ = (
        CheckConstraint(
            "human_sentiment IS NULL OR human_sentiment IN ('positive', 'neutral', 'negative')",
            name="ck_response_human_sentiment",
        ),
        CheckConstraint(
            "(human_themes IS NULL AND human_sentiment IS NULL)"
            " OR (labelled_by IS NOT NULL AND labelled_at IS NOT NULL)",
            name="ck_response_labelled",
        ),
        # A text-in has no run or round: its row is stored without an entry in these two (migration 0016).
        # Every reader looks a run's or a round's responses up by `=`, which the partial index serves.
        Index(
            "ix_response_run_id",
            "run_id",
            postgresql_where=text("run_id IS NOT NULL"),
            sqlite_where=text("run_id IS NOT NULL"),
        ),
        Index(
            "ix_response_round_id",
            "round_id",
            postgresql_where=text("round_id IS NOT NULL"),
            sqlite_where=text("round_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="run.id")
    round_id: int | None = Field(default=None, foreign_key="round.id")
    message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    question_id: str | None = Field(default=None, max_length=64)
    # A message kept with no question (a text-in) that came while their survey was waiting on one: that question, as
    # it was then (migration 0025). The inbox says which question they were on; the run keeps no history of it.
    during_question: str | None = Field(default=None, max_length=64)
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
    # Each theme's own feeling ({"carers": "positive", "education": "negative"}), from the clause(s)
    # that raised it; the summary counts a theme's praise and worries by it. None: not worked out
    # (rows from before migration 0013, or written by hand), so the message's `sentiment` stands.
    theme_sentiments: dict | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # A worker's correction, kept beside the machine's tags (never over them), so the analysis can
    # learn from the difference. None means nobody has corrected that tag.
    human_themes: list | None = Field(default=None, sa_type=JSON(none_as_null=True))
    human_sentiment: str | None = Field(default=None, max_length=10)
    labelled_by: str | None = Field(default=None, max_length=254)
    labelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def unread(self) -> bool:
        """True when it is flagged only because the screen could not read it (`flagged_unread`)."""
        return flagged_unread(self.risk, self.risk_categories)


def flagged_unread(risk: bool, categories: list | None) -> bool:
    """True for an answer flagged only because the screen could not read it (not in English: `analysis.unread`):
    a risk with no category, as every risk the screen reads has one. A person should read it; it is not a
    disclosure the screen found, and is not called one (the export's `not_in_english`, not its `risk`). The one
    rule, read through `Response.unread`, and in SQL through `flagged_unread_sql`."""
    return bool(risk) and not categories


def flagged_unread_sql(r) -> ColumnElement[bool]:
    """`flagged_unread` in SQL (SQLite and PostgreSQL), for `r` the response table's columns: flagged, with no
    category. A category is a quoted name in the list's JSON text, so a list without one has no '"' in it."""
    return and_(r.risk.is_(True), not_(_has_category(r)))


def disclosure_sql(r) -> ColumnElement[bool]:
    """A possible safeguarding disclosure, in SQL: flagged, and not only because the screen could not read it
    (`flagged_unread_sql`); the export's `risk` (`risk and not unread`), for filters over many answers."""
    return and_(r.risk.is_(True), _has_category(r))


def _has_category(r) -> ColumnElement[bool]:
    return func.coalesce(cast(r.risk_categories, String), "").contains('"')
