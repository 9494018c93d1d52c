"""The bootstrap: services are built once from configuration and passed in, never left in the environment."""

from __future__ import annotations

import os

import pytest

from tests.conftest import make_config
from voice_service.config import REPO_CONVERSATIONS, AppSection, ConfigError
from voice_service.context import Services


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
