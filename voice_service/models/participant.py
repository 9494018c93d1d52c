"""Participants (children in care and care leavers) and the opt-out register."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from ..participants.groups import AGE_BANDS, ParticipantStatus, age_on, is_adult, status_words
from .base import UTCDateTime, utcnow

__all__ = [
    "AGE_BANDS",
    "ErasedNumber",
    "OptOut",
    "Participant",
    "ParticipantBase",
    "ParticipantStatus",
    "new_pseudonym",
]


def new_pseudonym() -> str:
    """A random, non-identifying id used in exports and summaries."""
    return "P-" + secrets.token_hex(4).upper()


class ParticipantBase(SQLModel):
    """Fields a participation worker may see."""

    first_name: str | None = Field(default=None, max_length=80)
    status: str = Field(default=ParticipantStatus.UNKNOWN, max_length=20)
    date_of_birth: date | None = None
    age_band: str | None = Field(default=None, max_length=10)
    area: str | None = Field(default=None, max_length=80)
    language: str = Field(default="en", max_length=5)


class Participant(ParticipantBase, table=True):
    """A young person who can be messaged; the phone number is only stored encrypted.

    `phone_hash` is an HMAC of the E.164 number (keyed by privacy.hash_key) so a
    number can be looked up without decrypting every row.
    """

    __table_args__ = (CheckConstraint("status IN ('in_care', 'care_leaver', 'unknown')", name="ck_participant_status"),)

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(default_factory=new_pseudonym, unique=True, max_length=20)
    phone_hash: str | None = Field(default=None, unique=True, index=True, max_length=64)
    phone_encrypted: str | None = Field(default=None, sa_column=Column(String(400), nullable=True))
    source: str = Field(default="import", max_length=20)  # import | text_in | webchat
    onboarding: dict | None = Field(default=None, sa_type=JSON)
    remind: bool = True
    # When they said STOP in the web chat with no number to put on the opt-out register (`OptOut`); None once START
    # clears it. Who has said STOP is read in one place: `participants.opt_outs`.
    chat_stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def age_on(self, day: date) -> int | None:
        """Age in whole years on a day, from date of birth (None when unknown)."""
        return age_on(self.date_of_birth, day)

    def age_words(self, day: date) -> str:
        """How old they are for a duty worker: "age 14" from date of birth, else the band they chose
        ("age 11-15"), else "" (age decides the help line and the response)."""
        age = self.age_on(day)
        if age is not None:
            return f"age {age}"
        return f"age {self.age_band}" if self.age_band else ""

    def status_words(self) -> str:
        """Their status for a duty worker: "in care", "care leaver" or "in care or care leaver: not known"."""
        return status_words(self.status)

    def adult_on(self, day: date) -> bool:
        """18 or over on a day (by date of birth, else the age band they chose): help lines for adults."""
        return is_adult(self.date_of_birth, self.age_band, day)


class OptOut(SQLModel, table=True):
    """A number that has said STOP. Keyed by phone hash so it holds for numbers we never imported."""

    phone_hash: str = Field(primary_key=True, max_length=64)
    keyword: str = Field(max_length=20)
    opted_out_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ErasedNumber(SQLModel, table=True):
    """A number whose young person was erased (`privacy erase`): only its keyed hash and when, so the council's
    next import of a list that still holds them leaves them out rather than adding them back unseen."""

    phone_hash: str = Field(primary_key=True, max_length=64)
    erased_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
