"""Fixtures that run the real bot (real discord.py, real engine) against the fake Discord.

``fake_discord`` starts the stand-in on 127.0.0.1 and points discord.py at it;
``start_bot(engine=None, settings=None, **setting_overrides)`` connects a ``QuoteBot`` to it and
returns once READY, so a test can dispatch events at once. Pass your own ``engine`` (e.g. one
configured with an LLM) or ``settings`` to run the same scenarios against it; by default the
session's engine on the bundled article is used. Both are torn down after the test.
"""

from __future__ import annotations

import asyncio

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket

from tests.e2e.fakediscord import FakeDiscord


@pytest.fixture
async def fake_discord(monkeypatch):
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.rest_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    yield fake
    await fake.stop()


@pytest.fixture
async def start_bot(fake_discord, engine, tmp_path):
    """Factory: ``bot = await start_bot(engine=..., cooldown_rate=1)``."""
    from bot.discordbot.app import QuoteBot
    from bot.settings import Settings

    running: list[tuple[QuoteBot, asyncio.Task]] = []

    async def start(engine_=None, *, settings: Settings | None = None, **overrides):
        chosen = engine_ or engine
        if settings is None:
            values = {"data_dir": chosen.settings.data_dir, "cooldown_rate": 100,
                      "discord_token": fake_discord.token, **overrides}
            settings = Settings(_env_file=None, **values)
        bot = QuoteBot(settings, chosen, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(fake_discord.token))
        running.append((bot, task))
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=10,
                                     return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()  # raises what went wrong
        if ready not in done:
            raise TimeoutError("the bot did not become ready against the fake Discord")
        return bot

    yield start
    for bot, task in running:
        await bot.close()
        try:
            await asyncio.wait_for(task, 5)
        except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
            pass


@pytest.fixture
async def bot(start_bot):
    return await start_bot()
