"""The same engine against a Chroma server (``chroma run``), as a multi-process deployment uses."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.settings import Settings
from tests.chromaserver import chroma_server


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def test_engine_on_a_chroma_server(chroma_url, tmp_path):
    settings = Settings(chroma_url=chroma_url, data_dir=tmp_path, _env_file=None)
    engine = Engine.open(settings)
    assert not (tmp_path / "chroma").exists()  # nothing local
    result = engine.ask("What did Putin say about Hong Kong?")
    assert result.quotes[0].paragraph == 3
    # A second process (here: a second engine) shares the same index without re-indexing.
    other = Engine.open(settings)
    assert other.add_article(str(settings.bundled_article))[1] is False
    assert other.ask("Which university does Zhao study at?").quotes[0].paragraph == 8
