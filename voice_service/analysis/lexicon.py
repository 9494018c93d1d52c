"""Load the theme and risk vocabularies that councils keep in `conversations/`.

THEME_IDS and RISK_CATEGORIES are the one home of the public ids in themes.md:
every other module (survey loader, summaries, exports) imports them from here.

Analysis is given its conversations folder (`directory=`); only when none is
passed (the `voice-service analyse` command, tests) does it fall back to
$VOICE_CONVERSATIONS_DIR and then the repository's own folder.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

THEME_IDS: tuple[str, ...] = (
    "safety",
    "health",
    "mental_health",
    "education",
    "work_and_money",
    "housing",
    "leaving_care",
    "carers",
    "family_and_friends",
    "social_workers",
    "stability",
    "having_a_say",
    "everyday_life",
    "leisure",
    "love_and_belonging",
    "respect_and_identity",
    "rights",
    "aspirations",
)
RISK_CATEGORIES: tuple[str, ...] = (
    "self_harm",
    "abuse",
    "exploitation",
    "missing",
    "violence",
    "unsafe_home",
)


class LexiconError(RuntimeError):
    """A vocabulary file is missing, empty or malformed: analysis must not run without it."""


@lru_cache(maxsize=1)
def _repo_conversations() -> Path:
    return Path(__file__).resolve().parents[2] / "conversations"


def conversations_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the conversations directory: the one passed in, else $VOICE_CONVERSATIONS_DIR, else the repo's."""
    if isinstance(override, Path):
        return override  # the same object each time: its hash is kept, for the compiled screens' caches
    if override is not None:
        return Path(override)
    env = os.environ.get("VOICE_CONVERSATIONS_DIR")
    if env:
        return Path(env)
    return _repo_conversations()


def _read(path: Path) -> dict:
    """Parse one TOML file, turning every failure into a LexiconError naming the file."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise LexiconError(f"{path}: vocabulary file is missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML: {exc}") from exc
    if not data:
        raise LexiconError(f"{path}: vocabulary file is empty")
    return data


def load_themes(directory: str | os.PathLike[str] | None = None) -> dict[str, dict]:
    """Return {theme_id: {"label", "terms", "not"}} from themes.toml, validated (cached per folder)."""
    return _load_themes(conversations_dir(directory))


@lru_cache(maxsize=8)
def _load_themes(directory: Path) -> dict[str, dict]:
    path = directory / "themes.toml"
    themes = _read(path).get("themes")
    if not isinstance(themes, dict) or not themes:
        raise LexiconError(f"{path}: no [themes.<id>] tables")
    for theme_id, table in themes.items():
        where = f"{path}: themes.{theme_id}"
        if not isinstance(table.get("label"), str) or not table["label"].strip():
            raise LexiconError(f"{where}.label: missing")
        terms = table.get("terms")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) for t in terms):
            raise LexiconError(f"{where}.terms: must be a non-empty list of strings")
        if not all(isinstance(t, str) for t in table.get("not", [])):
            raise LexiconError(f"{where}.not: must be a list of strings")
    missing = [t for t in THEME_IDS if t not in themes]
    if missing:
        raise LexiconError(f"{path}: default themes missing: {', '.join(missing)}")
    return themes


def load_risk(directory: str | os.PathLike[str] | None = None) -> dict:
    """Return risk.toml validated: every category has patterns, so screening is never silently empty."""
    return _load_risk(conversations_dir(directory))


@lru_cache(maxsize=8)
def _load_risk(directory: Path) -> dict:
    path = directory / "risk.toml"
    data = _read(path)
    categories = data.get("categories")
    if not isinstance(categories, dict):
        raise LexiconError(f"{path}: no [categories.<id>] tables")
    for category in RISK_CATEGORIES:
        patterns = categories.get(category, {}).get("patterns")
        if not isinstance(patterns, list) or not patterns:
            raise LexiconError(f"{path}: categories.{category}.patterns: must be a non-empty list")
    for key in ("safe", "past", "resolved", "ongoing", "negation", "topic"):
        if not isinstance(data.get(key, {}).get("patterns", []), list):
            raise LexiconError(f"{path}: {key}.patterns: must be a list")
    return data
