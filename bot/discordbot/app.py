"""The bot and its one start-up function.

``run(settings)`` (what ``python -m bot`` calls when ``DISCORD_TOKEN`` is set) opens and warms the
engine *before* connecting, so the first slash command is answered at full speed, then enters
``async with QuoteBot(...)``. Start-up failures (no token, a token Discord rejects, a broken
store) end with one clear log line and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import time
from typing import Literal

import aiohttp
import discord
from discord.ext import commands

from bot.discordbot.common import LRU, Conversations, UserCooldowns, handle_app_error
from bot.discordbot.views import MoreQuotesButton, ParagraphButton
from bot.engine import Engine
from bot.settings import Settings
from index.errors import QuotebotError

log = logging.getLogger("quotebot.discord")

EXTENSIONS = (
    "bot.discordbot.cogs.ask",
    "bot.discordbot.cogs.summary",
    "bot.discordbot.cogs.articles",
    "bot.discordbot.cogs.admin",
)

# Exit codes: 2 = configuration (token, settings, index), 1 = Discord unreachable / crashed.
EXIT_CONFIG, EXIT_RUNTIME = 2, 1


def intents(message_content: bool = True) -> discord.Intents:
    """Only what the bot uses: guild and DM messages (chat questions) and their content.

    Slash commands and buttons need no intent; without ``message_content`` the bot still reads
    mentions and DMs (Discord delivers their content), only replies without a ping are missed."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = message_content
    return wanted


class QuoteBot(commands.Bot):
    """commands.Bot so the owner has a ``@bot sync`` text command; everything else is slash."""

    def __init__(self, settings: Settings, engine: Engine, *, message_content: bool = True,
                 **options) -> None:
        options.setdefault("guild_ready_timeout", 2.0)
        super().__init__(command_prefix=commands.when_mentioned, help_command=None,
                         intents=intents(message_content),
                         allowed_mentions=discord.AllowedMentions.none(), **options)
        self.settings = settings
        self.engine = engine
        self.cooldowns = UserCooldowns(settings.cooldown_rate, settings.cooldown_per)
        self.conversations = Conversations()
        self.more_quotes: LRU = LRU(2000)
        self.tree.on_error = handle_app_error

    async def setup_hook(self) -> None:
        # Chat questions search every article visible where they are asked: the global
        # library's index is made while the bot connects, not at the first member's question.
        self.engine.warm_library_in_background()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(ParagraphButton, MoreQuotesButton)
        if self.settings.sync_commands != "off":
            await self.sync_commands(self.settings.sync_commands)

    async def sync_commands(self, where: Literal["global", "guild", "clear"],
                            guild: discord.abc.Snowflake | None = None) -> int:
        """Publish the command tree on purpose (a setting or the owner's ``sync`` command).

        ``guild`` copies the global commands to the dev guild for instant updates; ``clear``
        removes those copies again."""
        if where == "global":
            synced = await self.tree.sync()
        else:
            target = guild or (discord.Object(self.settings.dev_guild)
                               if self.settings.dev_guild else None)
            if target is None:
                raise ValueError("set QUOTEBOT_DEV_GUILD to sync to a guild")
            if where == "clear":
                self.tree.clear_commands(guild=target)
            else:
                self.tree.copy_global_to(guild=target)
            synced = await self.tree.sync(guild=target)
        log.info("synced %d command(s) (%s)", len(synced), where)
        return len(synced)

    async def on_ready(self) -> None:
        shards = (f" on shard(s) {sorted(self.shards)} of {self.shard_count}"
                  if isinstance(self, commands.AutoShardedBot) else "")
        log.info("connected as %s (id %s) to %d server(s)%s", self.user,
                 self.user.id if self.user else "?", len(self.guilds), shards)

    async def on_command_error(self, context: commands.Context, error: Exception) -> None:
        if isinstance(error, (commands.CommandNotFound, commands.CheckFailure)):
            return  # e.g. a non-owner typing "@bot sync": not for them, say nothing
        log.error("text command %s failed", context.command, exc_info=error)


class ShardedQuoteBot(QuoteBot, commands.AutoShardedBot):
    """The same bot over the shards ``shard_ids`` of ``shard_count``: Discord sends this process
    the events of the servers on those shards, ``(guild_id >> 22) % shard_count``. Several
    such processes split the servers between them and share one Chroma server."""


def make_bot(settings: Settings, engine: Engine, **options) -> QuoteBot:
    """A ``QuoteBot``, or a ``ShardedQuoteBot`` when the settings name shards."""
    if settings.sharded:
        return ShardedQuoteBot(settings, engine, shard_count=settings.shard_count,
                               shard_ids=list(settings.shard_ids), **options)
    return QuoteBot(settings, engine, **options)


# -- start-up -------------------------------------------------------------------------------------


class TokenFilter(logging.Filter):
    """Belt and braces: the token never reaches a log line, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "[DISCORD_TOKEN]")
            record.args = ()
        return True


class VoiceNoise(logging.Filter):
    """The bot has no voice features; discord.py's "PyNaCl is not installed" would only confuse."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def setup_logging(settings: Settings, token: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    level = getattr(logging, str(settings.log_level).upper(), logging.INFO)
    for name in ("quotebot", "discord", "bot", "index"):
        logging.getLogger(name).setLevel(level)
    logging.getLogger("discord.http").setLevel(max(level, logging.INFO))
    client_log = logging.getLogger("discord.client")
    if not any(isinstance(f, VoiceNoise) for f in client_log.filters):
        client_log.addFilter(VoiceNoise())
    token_filter = TokenFilter(token)
    for handler in root.handlers:
        if not any(isinstance(f, TokenFilter) for f in handler.filters):
            handler.addFilter(token_filter)


def read_token(settings: Settings) -> str | None:
    secret = settings.discord_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    return token or None


def open_engine(settings: Settings) -> Engine:
    """Open the store (indexing the bundled article the first time) and warm the model."""
    started = time.perf_counter()
    engine = Engine.open(settings)
    engine.warm()
    log.info("index ready in %.1f s (%d article(s))", time.perf_counter() - started,
             len(engine.articles()))
    return engine


def stop_on_signals(bot: QuoteBot) -> None:
    """``docker stop`` (SIGTERM) and Ctrl-C close the connection cleanly and exit 0."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not main thread
            pass


async def main(settings: Settings | None = None, *, engine: Engine | None = None,
               bot_options: dict | None = None) -> int:
    """Load the settings, open and warm the engine, then run the bot until it is closed.

    Returns the exit code. ``engine`` and ``bot_options`` let tests supply their own."""
    settings = settings or Settings()
    token = read_token(settings)
    if token is None:
        log.error("DISCORD_TOKEN is not set; create a bot token in the Discord developer portal")
        return EXIT_CONFIG
    if re.search(r"\s", token) or not token.isprintable():
        log.error("DISCORD_TOKEN contains spaces or control characters; copy it again from the "
                  "developer portal's Bot page")
        return EXIT_CONFIG
    if settings.sharded and not settings.chroma_url and \
            len(settings.shard_ids) < settings.shard_count:
        log.warning("this process runs shard(s) %s of %d on an embedded store; the processes "
                    "running the other shards need the same index: set QUOTEBOT_CHROMA_URL to "
                    "one Chroma server for all of them", settings.shard_ids, settings.shard_count)
    if engine is None:
        try:
            engine = await asyncio.to_thread(open_engine, settings)
        except QuotebotError as error:
            log.error("cannot open the index: %s", error)
            return EXIT_CONFIG
        except Exception as error:  # noqa: BLE001 - one line, not a traceback wall
            log.error("cannot open the index: %s: %s", type(error).__name__, error)
            log.debug("index failure", exc_info=True)
            return EXIT_CONFIG
    message_content = True
    while True:
        try:
            async with make_bot(settings, engine, message_content=message_content,
                                **(bot_options or {})) as bot:
                stop_on_signals(bot)
                await bot.start(token)
            return 0
        except discord.LoginFailure:
            log.error("Discord rejected DISCORD_TOKEN (401 Unauthorized); reset the token on "
                      "the developer portal's Bot page and set it again")
            return EXIT_CONFIG
        except discord.PrivilegedIntentsRequired:
            if not message_content:
                log.error("Discord refused the gateway intents")
                return EXIT_CONFIG
            log.warning("the Message Content intent is not enabled for this application "
                        "(developer portal > Bot > Privileged Gateway Intents); continuing "
                        "without it: mentions, DMs and slash commands work, replies without a "
                        "ping are not seen")
            message_content = False
        except discord.ConnectionClosed as error:
            hint = " (authentication failed: check DISCORD_TOKEN)" if error.code == 4004 else ""
            log.error("Discord closed the gateway connection with code %s%s", error.code, hint)
            return EXIT_CONFIG if error.code == 4004 else EXIT_RUNTIME
        except discord.GatewayNotFound:
            log.error("cannot reach Discord's gateway; is Discord up?")
            return EXIT_RUNTIME
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
            log.error("cannot reach Discord: %s", error or type(error).__name__)
            return EXIT_RUNTIME
        except discord.HTTPException as error:
            log.error("Discord answered %s %s during start-up", error.status, error.text or "")
            return EXIT_RUNTIME


def run(settings: Settings) -> int:
    """Synchronous entry point for ``python -m bot``: returns the process exit code."""
    token = read_token(settings) or ""
    setup_logging(settings, token)
    try:
        return asyncio.run(main(settings))
    except KeyboardInterrupt:
        log.info("stopped")
        return 0


__all__ = ["QuoteBot", "ShardedQuoteBot", "make_bot", "main", "run", "intents"]
