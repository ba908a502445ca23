"""Memory of the Discord bot serving the bundled article: ``python -m bot`` connected to the
fake Discord of the tests, after answering a few questions (RSS now, and its peak).

Usage: python benchmarks/bot_memory.py [--questions 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.fakediscord import FakeDiscord  # noqa: E402
from tests.e2e.test_startup import REDIRECT  # noqa: E402

QUESTIONS = ["What did Putin say about Hong Kong?", "Which university does Zhao study at?",
             "What is the SCO?", "What did Wang Yi reveal on July 9?", "Who wrote the article?"]


def status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


async def main(count: int) -> int:
    fake = FakeDiscord()
    await fake.start()
    home = Path(tempfile.mkdtemp(prefix="quotebot-memory-"))
    (home / "sitecustomize.py").write_text(textwrap.dedent(REDIRECT))
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "FAKE_DISCORD_REST": fake.rest_base,
           "FAKE_DISCORD_WS": fake.gateway_url, "HF_HUB_OFFLINE": "1",
           "QUOTEBOT_DATA_DIR": str(home / "data"), "QUOTEBOT_COOLDOWN_RATE": "100",
           "PYTHONPATH": os.pathsep.join([str(home), str(ROOT)])}
    built = await asyncio.create_subprocess_exec(  # the index exists: serving, not indexing
        sys.executable, "-m", "index", "build", "-q", "--data-dir", str(home / "data"), cwd=ROOT,
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    await built.wait()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=home, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=(home / "bot.log").open("w"))
    try:
        while fake.identify is None:
            await asyncio.sleep(0.1)
        await fake.settle(3.0)
        for question in (QUESTIONS * count)[:count]:
            interaction = await fake.slash("ask", question=question)
            await fake.followups(interaction, timeout=60)
        memory = status(process.pid)
        print(f"bot serving the bundled article after {count} questions: "
              f"RSS {memory['VmRSS']} MB, peak {memory['VmHWM']} MB")
    except TimeoutError:
        print((home / "bot.log").read_text()[-3000:], fake.calls[-5:])
        raise
    finally:
        process.terminate()
        await process.wait()
        await fake.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5)
    sys.exit(asyncio.run(main(parser.parse_args().questions)))
