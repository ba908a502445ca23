"""Fixtures for the LLM layer: the bundled article, a copy with a planted instruction, the
scripted server on 127.0.0.1 and settings that point at it (the top-level conftest already keeps
the developer's keys and settings out of every test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from llm_fake_server import ScriptedLLM, planted_text  # noqa: E402

from bot.settings import BUNDLED_ARTICLE, Settings  # noqa: E402
from index.article import parse_text  # noqa: E402

ARTICLE_ID = "china-russia-solidarity"


@pytest.fixture(scope="session")
def article():
    return parse_text(BUNDLED_ARTICLE.read_text(encoding="utf-8"), article_id=ARTICLE_ID)


@pytest.fixture(scope="session")
def planted_article():
    return parse_text(planted_text(), article_id=ARTICLE_ID)


@pytest.fixture
def server():
    script = ScriptedLLM(slow_seconds=3.0).start()
    yield script
    script.stop()


@pytest.fixture
def llm_settings(server):
    """``llm_settings("openai", "fabricated")``: settings pointing at the scripted server."""

    def make(provider: str = "openai", model: str = "correct", **extra) -> Settings:
        url = server.openai_url if provider == "openai" else server.ollama_url
        return Settings(_env_file=None, llm=provider, llm_url=url, llm_model=model,
                        llm_timeout=extra.pop("llm_timeout", 1.0), **extra)

    return make
