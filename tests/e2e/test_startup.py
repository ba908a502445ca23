"""Start-up: ``main()`` and ``python -m bot`` end with one clear line and a non-zero exit code on
a missing or rejected token or a broken store, and connect with only DISCORD_TOKEN set."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.discordbot import app
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_missing_token_is_one_line(caplog, tmp_path):
    assert await app.main(Settings(_env_file=None, data_dir=tmp_path)) == app.EXIT_CONFIG
    [line] = errors(caplog)
    assert "DISCORD_TOKEN is not set" in line.getMessage() and line.exc_info is None


async def test_rejected_token_is_one_line_without_the_token(fake_discord, engine, caplog,
                                                            tmp_path):
    token = "wrong.token.value"
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token=token)
    app.setup_logging(settings, token)
    assert await app.main(settings, engine=engine) == app.EXIT_CONFIG
    [line] = errors(caplog)
    assert "401" in line.getMessage() and line.exc_info is None
    assert token not in caplog.text and "Traceback" not in caplog.text


async def test_broken_store_is_one_line(caplog, tmp_path):
    (tmp_path / "chroma").write_text("not a store")
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token="a.b.c")
    assert await app.main(settings) == app.EXIT_CONFIG
    [line] = errors(caplog)
    assert "cannot open the index" in line.getMessage() and line.exc_info is None


def run_bot(env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("QUOTEBOT_") and k not in ("DISCORD_TOKEN", "OPENAI_API_KEY")}
    return subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, env={**clean, **env},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


def test_python_m_bot_with_a_bad_token_exits_cleanly():
    result = run_bot({"DISCORD_TOKEN": "two words"})
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr and "Traceback" not in result.stderr
    assert "two words" not in result.stderr


def test_python_m_bot_with_a_broken_store_exits_cleanly(tmp_path):
    (tmp_path / "chroma").write_text("not a store")
    result = run_bot({"DISCORD_TOKEN": "a.b.c", "QUOTEBOT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    assert "cannot open the index" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr


REDIRECT = """
    import os, yarl, discord.http, discord.gateway
    discord.http.Route.BASE = os.environ["FAKE_DISCORD_REST"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_WS"])
"""


@pytest.mark.slow
async def test_python_m_bot_with_only_the_token_answers(fake_discord, tmp_path):
    """The contract: only DISCORD_TOKEN set, no index yet: it builds one, connects, answers."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(textwrap.dedent(REDIRECT))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUOTEBOT_") and k not in ("DISCORD_TOKEN", "OPENAI_API_KEY")}
    env.update(DISCORD_TOKEN=fake_discord.token, FAKE_DISCORD_REST=fake_discord.rest_base,
               FAKE_DISCORD_WS=fake_discord.gateway_url,
               PYTHONPATH=os.pathsep.join([str(tmp_path / "site"), str(ROOT)]))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):
            if fake_discord.identify is not None or process.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert fake_discord.identify is not None, "the bot did not connect"
        await fake_discord.settle(0.3)
        interaction = await fake_discord.slash("ask", question="What did Putin say about "
                                               "Hong Kong?")
        await fake_discord.wait_for(lambda c: interaction["token"] in c.path, timeout=3)
        [answer] = await fake_discord.followups(interaction, timeout=30)
        assert "(¶3)" in answer.content
    finally:
        if process.returncode is None:
            process.terminate()
        _, stderr = await process.communicate()
        print(stderr.decode())
    assert fake_discord.token not in stderr.decode()
