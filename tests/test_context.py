"""The bootstrap: services are built once from configuration and passed in, never left in the environment."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import make_config
from voice_service.config import REPO_CONVERSATIONS, AppSection, ConfigError
from voice_service.context import CATALOGUE_RECHECK_SECONDS, Services


def test_services_carry_the_conversations_folder_and_leave_the_environment_alone(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("VOICE_CONVERSATIONS_DIR", raising=False)
    shipped = Services.from_config(make_config(database_url))
    assert shipped.conversations_dir == REPO_CONVERSATIONS
    own = Services.from_config(make_config(database_url, conversations={"path": str(tmp_path)}))
    assert own.conversations_dir == tmp_path
    assert "VOICE_CONVERSATIONS_DIR" not in os.environ
    shipped.engine.dispose()
    own.engine.dispose()


def test_config_sections_are_typed_frozen_and_keep_secrets_out_of_repr(database_url):
    config = make_config(database_url)
    assert isinstance(config.app, AppSection)
    with pytest.raises(AttributeError):
        config.app.public_url = "http://elsewhere"  # type: ignore[misc]
    assert config.privacy.phone_key not in repr(config.privacy) and "***" in repr(config.privacy)
    with pytest.raises(ConfigError, match="send_concurrency"):
        config.with_overrides(schedule={"send_concurrency": 0})


def test_the_catalogue_is_read_again_after_a_file_changes_and_a_broken_change_keeps_the_last_good_one(
    database_url, tmp_path, monkeypatch, caplog
):
    """`Services.catalogue` looks at the folder again at most every CATALOGUE_RECHECK_SECONDS (the clock is passed
    in); a change that breaks the folder keeps what was read before for the pages, but a launch is refused, naming
    the problem, rather than send what the files no longer say."""
    folder = tmp_path / "conversations"
    shutil.copytree(REPO_CONVERSATIONS, folder)
    services = Services.from_config(make_config(database_url, conversations={"path": str(folder)}))
    first = services.catalogue
    assert services.catalogue is first  # not read again while nothing changed
    pulse = folder / "surveys" / "pulse.toml"
    pulse.write_text(pulse.read_text(encoding="utf-8").replace('title = "How are things?"', 'title = "Hello"'))
    now = [0.0]
    clock = lambda: now[0]  # noqa: E731
    services._folder.checked = 0.0
    assert services._folder.get(folder, clock=clock) is first  # not looked at again so soon
    now[0] = CATALOGUE_RECHECK_SECONDS + 1
    changed = services._folder.get(folder, clock=clock)
    assert changed.surveys["pulse"].title == "Hello"
    survey, source = services.survey_source("pulse")
    assert survey.title == "Hello" and 'title = "Hello"' in source
    services._folder.checked = now[0]  # survey_source read it on the real clock; back to the test's
    (folder / "surveys" / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    now[0] += CATALOGUE_RECHECK_SECONDS + 1
    with caplog.at_level("WARNING", logger="voice_service.context"):
        assert services._folder.get(folder, clock=clock) is changed  # the pages keep working
    assert "have a problem now" in caplog.text
    read = []
    monkeypatch.setattr("voice_service.surveys.loader.load_catalogue", lambda d: read.append(d) or changed)
    now[0] += CATALOGUE_RECHECK_SECONDS + 1
    assert services._folder.get(folder, clock=clock) is changed and read == []  # not read again while unchanged
    monkeypatch.undo()
    with pytest.raises(LookupError, match="broken.toml"):
        services.survey_source("pulse")
    services.engine.dispose()
