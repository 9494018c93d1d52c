"""Surveys in the database: each loaded version stored once, so a run can be pinned to it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlmodel import Session, col, select

from ..models import Round, Run, RunStatus, SurveyVersion
from .loader import parse_survey
from .model import Survey


def store_version(*, session: Session, survey: Survey, source: str) -> SurveyVersion:
    """Return the stored row for this exact survey version, adding it the first time."""
    row = session.exec(
        select(SurveyVersion).where(
            col(SurveyVersion.survey_id) == survey.id, col(SurveyVersion.version) == survey.version
        )
    ).first()
    if row is None:
        row = SurveyVersion(survey_id=survey.id, version=survey.version, title=survey.title, source=source)
        session.add(row)
        session.flush()
    return row


@lru_cache(maxsize=256)
def parse_stored(source: str, name: str) -> Survey:
    """A stored survey source parsed once per process (the text fixes the version, so caching by it is safe)."""
    return parse_survey(source.encode("utf-8"), name)


def survey_titles(*, session: Session, rounds: Iterable[Round]) -> dict[int, str]:
    """Each round's survey as the panel and young people know it: its title ("How are things?"),
    not its file id; the id only if the stored version is missing."""
    rounds = [r for r in rounds if r.id is not None]
    versions = {r.survey_version_id for r in rounds}
    query = select(col(SurveyVersion.id), col(SurveyVersion.title)).where(col(SurveyVersion.id).in_(versions))
    titles = dict(session.exec(query).all()) if versions else {}
    return {r.id: titles.get(r.survey_version_id) or r.survey_id for r in rounds if r.id is not None}


def round_surveys(*, session: Session, rounds: Iterable[Round]) -> dict[int, Survey]:
    """Each round's survey as it was pinned at launch (its own audience and ages among it), by round id; a round
    whose stored version is missing is left out."""
    rounds = [r for r in rounds if r.id is not None]
    versions = {r.survey_version_id for r in rounds}
    if not versions:
        return {}
    query = select(col(SurveyVersion.id), col(SurveyVersion.survey_id), col(SurveyVersion.version))
    found = {row[0]: (row[1], row[2]) for row in session.exec(query.where(col(SurveyVersion.id).in_(versions)))}
    return {
        r.id: survey_for_version(session, r.survey_version_id, *found[r.survey_version_id])
        for r in rounds
        if r.id is not None and r.survey_version_id in found
    }


def pinned_survey(row: SurveyVersion) -> Survey:
    """The survey exactly as it was when this version was stored (parsed once per process)."""
    return parse_stored(row.source, f"{row.survey_id}@{row.version}")


# Parsed surveys by (survey id, version hash). The hash is of the file's bytes, so one key is
# one survey in every database; the cache never needs invalidating and stays small.
_BY_VERSION: dict[tuple[str, str], Survey] = {}


def survey_for_version(session: Session, version_id: int, survey_id: str, version: str) -> Survey:
    """The pinned survey for a stored version, loading its source text only the first time per process.

    Callers read `survey_id` and `version` with the run (two short columns) so that the row
    with its source text is only fetched on a miss.
    """
    key = (survey_id, version)
    survey = _BY_VERSION.get(key)
    if survey is None:
        source = session.exec(select(SurveyVersion.source).where(col(SurveyVersion.id) == version_id)).one()
        survey = parse_stored(source, f"{survey_id}@{version}")
        _BY_VERSION[key] = survey
    return survey


def load_waiting_versions(session: Session) -> int:
    """Parse now every survey version a waiting run is pinned to (a server's master does this before it
    forks, so no worker pays for it on its first answer); how many there are."""
    rows = session.exec(
        select(col(SurveyVersion.id), col(SurveyVersion.survey_id), col(SurveyVersion.version))
        .where(
            col(SurveyVersion.id).in_(select(col(Run.survey_version_id)).where(col(Run.status).in_(RunStatus.WAITING)))
        )
        .distinct()
    ).all()
    for version_id, survey_id, version in rows:
        assert version_id is not None  # a stored row's
        survey_for_version(session, version_id, survey_id, version)
    return len(rows)
