"""Shared fixtures: one real engine on the bundled article for the whole session.

The real embedder is small (1 s to load, 5 ms a question), so the core is tested on the model it
ships with rather than on a stand-in; each test that writes gets its own throw-away store.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "index" / "articles" / "china-russia-solidarity.txt"
SHARED = ROOT.parent / "shared"
DEV_QUESTIONS = SHARED / "eval" / "dev_questions.json"
TUNING_QUESTIONS = ROOT / "tests" / "data" / "tuning_questions.json"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """No test sees the developer's tokens, keys or settings."""
    for name in list(os.environ):
        if name.startswith("QUOTEBOT_") or name in ("DISCORD_TOKEN", "OPENAI_API_KEY"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def embed_model():
    from index.embedding import MiniLMEmbedding

    return MiniLMEmbedding()


@pytest.fixture(scope="session")
def engine(tmp_path_factory, embed_model):
    """An engine with the bundled article indexed, shared by tests that only read."""
    from bot.engine import Engine
    from bot.settings import Settings

    return Engine.open(Settings(data_dir=tmp_path_factory.mktemp("data"), _env_file=None))


@pytest.fixture(scope="session")
def _template_data(tmp_path_factory):
    """A store with the bundled article, built once and copied for tests that write."""
    from bot.engine import Engine
    from bot.settings import Settings

    folder = tmp_path_factory.mktemp("template")
    Engine.open(Settings(data_dir=folder, _env_file=None))
    return folder


@pytest.fixture
def fresh_settings(tmp_path, _template_data):
    """Settings for a store of this test's own, with the bundled article already indexed."""
    import shutil

    from bot.settings import Settings

    shutil.copytree(_template_data, tmp_path / "data")
    return Settings(data_dir=tmp_path / "data", _env_file=None)


@pytest.fixture
def empty_settings(tmp_path):
    """Settings for a store that does not exist yet."""
    from bot.settings import Settings

    return Settings(data_dir=tmp_path / "empty", _env_file=None)
