"""Sharding end to end: two ``python -m bot`` processes, shards 0 and 1 of 2, on one Chroma
server; the fake Discord sends each server's events only to its shard's connection, and both
processes answer the servers they were given."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap

import pytest

from bot.discordbot.app import QuoteBot, ShardedQuoteBot, make_bot
from bot.settings import Settings
from tests.chromaserver import chroma_server
from tests.e2e.fakediscord import FakeDiscord
from tests.e2e.test_startup import REDIRECT, ROOT

HONG_KONG = "What did Putin say about Hong Kong?"


def test_shard_settings_are_validated(tmp_path):
    with pytest.raises(ValueError, match="go together"):
        Settings(_env_file=None, shard_count=2)
    with pytest.raises(ValueError, match="outside 0..1"):
        Settings(_env_file=None, shard_count=2, shard_ids=[0, 2])
    with pytest.raises(ValueError, match="twice"):
        Settings(_env_file=None, shard_count=2, shard_ids="1,1")
    assert Settings(_env_file=None, shard_count=4, shard_ids="1, 3").shard_ids == [1, 3]
    assert Settings(_env_file=None, shard_count=4, shard_ids="[2]").shard_ids == [2]


def test_make_bot_shards_only_when_asked(engine):
    plain = make_bot(Settings(_env_file=None), engine)
    sharded = make_bot(Settings(_env_file=None, shard_count=3, shard_ids=[1, 2]), engine)
    assert type(plain) is QuoteBot
    assert isinstance(sharded, ShardedQuoteBot)
    assert (sharded.shard_count, sharded.shard_ids) == (3, [1, 2])


@pytest.fixture
async def two_shard_discord():
    fake = FakeDiscord(shard_count=2)
    other = fake.add_guild(shard=1)
    await fake.start()
    yield fake, other
    await fake.stop()


async def start_shard(fake: FakeDiscord, shard: int, chroma_url: str, site, home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUOTEBOT_") and k not in ("DISCORD_TOKEN", "OPENAI_API_KEY")}
    env.update(DISCORD_TOKEN=fake.token, FAKE_DISCORD_REST=fake.rest_base,
               FAKE_DISCORD_WS=fake.gateway_url, QUOTEBOT_CHROMA_URL=chroma_url,
               QUOTEBOT_SHARD_COUNT="2", QUOTEBOT_SHARD_IDS=str(shard),
               PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    home.mkdir()
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=home, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
async def test_two_processes_split_the_servers_and_both_answer(two_shard_discord, tmp_path):
    fake, other = two_shard_discord
    assert fake.shard_of(fake.guild_id) == 0 and fake.shard_of(other) == 1
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(textwrap.dedent(REDIRECT))
    with chroma_server(tmp_path / "chroma") as url:
        # The deployment's first step: index once into the shared server.
        subprocess.run([sys.executable, "-m", "index", "build", "--chroma-url", url, "-q"],
                       cwd=ROOT, check=True, capture_output=True)
        processes = [await start_shard(fake, shard, url, tmp_path / "site",
                                       tmp_path / f"shard{shard}") for shard in (0, 1)]
        try:
            for _ in range(1800):
                shards = sorted(tuple(i.get("shard") or ()) for i in fake.identifies)
                if shards == [(0, 2), (1, 2)] or any(p.returncode is not None
                                                     for p in processes):
                    break
                await asyncio.sleep(0.1)
            assert shards == [(0, 2), (1, 2)], "both shards should connect"
            await fake.settle(1.0)  # GUILD_CREATE processed, on_ready
            # A slash command in each server, and a mention in each: every one is answered,
            # by the process whose shard Discord sends that server's events to.
            asks = [await fake.slash("ask", question=HONG_KONG, guild=guild)
                    for guild in (fake.guild_id, other)]
            for interaction in asks:
                [answer] = await fake.followups(interaction, timeout=60)
                assert "(¶3)" in answer.content
            for guild in (fake.guild_id, other):
                await fake.send_message(f"<@{fake.bot_user['id']}> {HONG_KONG}", guild=guild)
                [post] = await fake.channel_posts(channel=fake.guild_channels[guild],
                                                  timeout=60)
                assert "(¶3)" in post.content
        finally:
            logs = []
            for process in processes:
                if process.returncode is None:
                    process.terminate()
                _, stderr = await process.communicate()
                logs.append(stderr.decode())
            print("\n".join(logs))
    # each process connected its own shard only (on_ready's summary may not have come yet)
    assert "Shard ID 0 has connected" in logs[0] and "Shard ID 1" not in logs[0]
    assert "Shard ID 1 has connected" in logs[1] and "Shard ID 0" not in logs[1]
    assert all("Traceback" not in log for log in logs)
