"""Two processes on one Chroma server: one adds (and then replaces) an article while the other
answers. The new article is visible to both once written, and no half-written version is ever
served: the reader sees the article missing, or whole; during a replacement, the old version
whole until the new one is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from tests.chromaserver import chroma_server
from tests.conftest import BUNDLED, ROOT

FACT = "The lighthouse keeper of Vardø counted 4,711 seagulls on the roof in 2019."
QUESTION = "How many seagulls did the lighthouse keeper count?"
NEW_FACT = "A second keeper later painted the lighthouse door bright orange."
NEW_QUESTION = "What colour did the second keeper paint the door?"


def article_text(extra: str = "") -> str:
    body = BUNDLED.read_text(encoding="utf-8").split("\n\n")[2:]  # paragraphs only
    paragraphs = [*body, FACT, *body, *([extra] if extra else [])]
    return "Keepers and summits\n\n" + "\n\n".join(p.strip() for p in paragraphs) + "\n"


def env(url: str) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("QUOTEBOT_") and k not in ("DISCORD_TOKEN", "OPENAI_API_KEY")}
    return {**clean, "QUOTEBOT_CHROMA_URL": url, "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False"}


class Reader:
    """``python -m bot ask --json -`` on the shared server, asking in a loop in a thread."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "ask", "--json", "--article", "keepers", "-"],
            cwd=ROOT, env=env(url), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1)
        self.replies: list[tuple[str, dict]] = []
        self.stop = threading.Event()

    def ask(self, question: str) -> dict:
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        self.replies.append((question, reply))
        return reply

    def loop(self, question: str) -> threading.Thread:
        def run():
            while not self.stop.is_set():
                self.ask(question)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def close(self) -> str:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        return self.proc.stderr.read()


def cites(reply: dict, fact: str) -> bool:
    return reply.get("answered") and fact in reply["quotes"][0]["text"]


@pytest.mark.slow
def test_one_process_adds_while_the_other_answers(tmp_path):
    source = tmp_path / "keepers.txt"
    source.write_text(article_text(), encoding="utf-8")
    with chroma_server(tmp_path / "chroma") as url:
        subprocess.run([sys.executable, "-m", "index", "build", "--chroma-url", url, "-q"],
                       cwd=ROOT, env=env(url), check=True, capture_output=True)
        reader = Reader(url)
        try:
            assert "keepers" in reader.ask(QUESTION)["error"]  # ready, and not there yet

            # 1. A new article: missing, then whole, never in between.
            thread = reader.loop(QUESTION)
            subprocess.run([sys.executable, "-m", "index", "build", str(source),
                            "--chroma-url", url, "-q"], cwd=ROOT, env=env(url), check=True,
                           capture_output=True)
            time.sleep(1.0)
            reader.stop.set()
            thread.join(timeout=60)
            during = [reply for _, reply in reader.replies[1:]]
            assert during and all(cites(r, FACT) or "keepers" in r.get("error", "")
                                  for r in during), during
            assert cites(reader.ask(QUESTION), FACT)  # visible to the reader

            # 2. A replacement: the old version whole until the new one is whole.
            source.write_text(article_text(NEW_FACT), encoding="utf-8")
            seen = len(reader.replies)
            reader.stop.clear()
            thread = reader.loop(QUESTION)
            written = subprocess.run(
                [sys.executable, "-c", WRITER, str(source), url], cwd=ROOT, env=env(url),
                check=True, capture_output=True, text=True)
            # as in 1: the reader reads the library's version again within
            # Engine.LIBRARY_CHECK (0.5 s) of a change; asked sooner, it may answer from the
            # old version, which is whole too (the assertion above)
            time.sleep(1.0)
            reader.stop.set()
            thread.join(timeout=60)
            during = [reply for _, reply in reader.replies[seen:]]
            assert during and all(cites(r, FACT) for r in during), during
            # the writer answers from the new version, and so does the reader
            assert NEW_FACT in written.stdout
            assert cites(reader.ask(NEW_QUESTION), NEW_FACT)
        finally:
            print(reader.close())


# The writing process is a whole engine too: it adds the article, then answers from it.
WRITER = """
import sys
from bot.engine import Engine
from bot.settings import Settings
engine = Engine.open(Settings(chroma_url=sys.argv[2], _env_file=None))
info, changed = engine.add_article(sys.argv[1])
assert changed, "the changed text should be written"
print(engine.ask("%s", info.id).quotes[0].text)
""" % NEW_QUESTION
