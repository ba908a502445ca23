"""The same engine against a Chroma server (``chroma run``), as a multi-process deployment uses."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.engine import Engine
from bot.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path_factory.mktemp("chroma")),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(f"{url}/api/v2/heartbeat", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    pytest.fail("chroma run exited")
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start in 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
