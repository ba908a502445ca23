"""What the cogs share: message splitting, error replies, per-user cooldowns, conversations."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer import recent
from bot.models import Quote
from bot.render import DISCORD_LIMIT, shorten, split_blocks
from index.errors import IndexMissing, QuotebotError, StoreError, UnknownArticle

if TYPE_CHECKING:
    from index.article import ArticleInfo

log = logging.getLogger(__name__)

GENERIC_ERROR = "Sorry, something went wrong on my side; it has been logged."
STORE_DOWN = ("The article index can't be read right now; please try again in a minute. "
              "(The details are in the bot's log.)")
PROGRESS_EVERY = 3.0  # seconds between two edits of a long job's reply (Discord's rate limits)
TOKEN_EXPIRED = 50027  # Discord's "Invalid Webhook Token": an interaction's 15 minutes are up
# The last minute of an interaction's 15: a job still running says where its outcome will go
LAST_MINUTE = 60.0
LATE_NOTICE = ("Still working on it. Discord lets me update this reply for 15 minutes only, so "
               "I'll send you the outcome by DM when it's done.")
LINK_TARGET = re.compile(r"(\(<[^<>\s]*>\))")  # a masked link's target: (<https://...>)


def escape_quoted(text: str, quotes: Iterable[Quote] = (), echoed: Iterable[str] = ()) -> str:
    """``text`` with Markdown escaped inside each quote's text and each ``echoed`` user text,
    so that Discord shows them as written: an article's ``*`` footnote mark, ``snake_case`` or
    ``~~`` must not turn the rest of the answer italic or struck through, and a question with
    an unclosed code fence must not swallow the answer. Only the display changes: Discord hides
    the backslashes, so a quote copied from the message is still the article's text."""
    lines = {line for q in quotes for line in q.text.split("\n")}
    lines |= {line for e in echoed for line in e.split("\n")}
    pieces = LINK_TARGET.split(text)  # link targets (odd places) stay as they are
    for line in sorted(lines, key=len, reverse=True):
        escaped = discord.utils.escape_markdown(line)
        if len(line.strip()) > 3 and escaped != line:
            pieces[::2] = [piece.replace(line, escaped) for piece in pieces[::2]]
    return "".join(pieces)


def split_message(text: str, limit: int = DISCORD_LIMIT, *, quotes: Iterable[Quote] = (),
                  echoed: Iterable[str] = ()) -> list[str]:
    """Split a rendered answer into messages of at most ``limit`` characters, with Markdown
    escaped in its ``quotes`` and ``echoed`` user text (:func:`escape_quoted`).

    Rendered quotes are separated by blank lines and never contain one (block quotes prefix every
    line with ``>``), so splitting at blank lines never cuts a quote in two."""
    text = escape_quoted(text, quotes, echoed).strip()
    if not text:
        return []
    return split_blocks([b for b in text.split("\n\n") if b.strip()], limit=limit)


def plain(text: str, limit: int = 150) -> str:
    """An article's title (or authors) for a message: on one line, shortened at a word to
    ``limit`` characters, and with Markdown escaped so that a ``*`` footnote mark or a
    ``my_notes`` title shows as written instead of turning what follows italic."""
    return discord.utils.escape_markdown(shorten(text, limit))


def guild_key(guild_id: int | None) -> str | None:
    """The engine's scope for a guild: its id as a string (None in DMs)."""
    return str(guild_id) if guild_id is not None else None


async def reply_error(interaction: discord.Interaction, text: str) -> None:
    """Tell only the user who acted, whatever state the interaction is in (by DM once it
    expired: :func:`deliver`).

    After a public defer the first follow-up would replace the public "thinking…" message, so
    that placeholder is deleted first and the error sent as an ephemeral follow-up."""
    text = text[:DISCORD_LIMIT]

    async def reply() -> None:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True)
            return
        if interaction.extras.get("progress_shown"):  # the error replaces the progress
            await interaction.edit_original_response(content=text)
            return
        if interaction.extras.get("public_defer"):
            interaction.extras["public_defer"] = False
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                pass
        await interaction.followup.send(text, ephemeral=True)

    try:
        await deliver(interaction, text, reply)
    except discord.HTTPException as error:  # Discord is unhappy
        log.warning("could not send an error reply: %s", error)


async def deliver(interaction: discord.Interaction, text: str,
                  reply: Callable[[], Awaitable[object]]) -> None:
    """Send ``text``, the outcome of ``interaction`` (its result or an error), with ``reply()``
    (its response, a follow-up or an edit of its reply) while Discord still takes them.

    An interaction's token lasts 15 minutes (``Interaction.expires_at``), and an indexing job
    queued behind others, or a big PDF, can end later: the outcome then goes to the member who
    acted by direct message, not to the channel (the reply was for them only). So it does when
    Discord already refuses the token (our clock a little behind Discord's)."""
    if not interaction.is_expired():
        try:
            await reply()
            return
        except discord.HTTPException as error:
            if error.code != TOKEN_EXPIRED:
                raise
    await send_late(interaction, text)


async def send_late(interaction: discord.Interaction, text: str) -> None:
    """``text`` to the member who acted, by DM, saying which command it answers; closed DMs
    (403) or any other refusal are logged."""
    name = interaction.command.qualified_name if interaction.command else "?"
    guild = getattr(interaction.guild, "name", None)
    command = f"`/{name}`" if interaction.command else "request"
    where = f" in **{plain(guild, 100)}**" if guild else ""
    intro = (f"Your {command}{where} took longer than the 15 minutes Discord gives a reply "
             "there, so here is its outcome:\n")
    log.info("/%s ended after its interaction expired: its outcome goes by DM", name)
    try:
        await interaction.user.send(intro + text[:DISCORD_LIMIT - len(intro)])
    except discord.HTTPException as error:  # discord.Forbidden: the member takes no DMs
        log.warning("could not send the outcome of /%s to user %s by DM: %s", name,
                    interaction.user.id, error)


async def defer(interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
    """Acknowledge at once (Discord's 3-second rule); the answer follows as a follow-up."""
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    interaction.extras["public_defer"] = not ephemeral


class Progress:
    """A long job's progress, shown in its deferred reply while it runs.

    The job, in a worker thread, calls the instance with ``(done, total)``; every
    ``PROGRESS_EVERY`` seconds, when that changed, the reply's "thinking…" placeholder is edited
    to ``describe(done, total)`` (None: nothing worth showing yet). A job that ends before the
    first edit shows nothing. Use it as
    ``async with Progress(interaction, describe) as progress:`` around the job, then
    :func:`finish`, which puts the result in place of the progress (errors too: see
    :func:`reply_error`)."""

    def __init__(self, interaction: discord.Interaction,
                 describe: Callable[[int, int], str | None]) -> None:
        self._interaction = interaction
        self._describe = describe
        self._latest: tuple[int, int] | None = None
        self._task: asyncio.Task | None = None

    def __call__(self, done: int, total: int) -> None:  # from the job's thread
        self._latest = (done, total)

    async def __aenter__(self) -> "Progress":
        self._task = asyncio.create_task(self._show())
        return self

    async def __aexit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _show(self) -> None:
        shown = None
        while True:
            await asyncio.sleep(PROGRESS_EVERY)
            left = self._interaction.expires_at - discord.utils.utcnow()
            if left.total_seconds() <= LAST_MINUTE:
                await self._last_word()
                return
            latest = self._latest
            text = self._describe(*latest) if latest is not None and latest != shown else None
            if text is None:
                continue
            if self._interaction.is_expired():
                return  # Discord takes no more edits; the result goes by DM (finish)
            # Set before the edit: should the job end while the edit is on its way, the result
            # still goes to the original message rather than to a second one beside it.
            self._interaction.extras["progress_shown"] = True
            try:
                await self._interaction.edit_original_response(content=text)
            except discord.HTTPException as error:
                if error.code == TOKEN_EXPIRED:
                    return
                log.debug("could not show progress: %s", error)
                continue
            shown = latest

    async def _last_word(self) -> None:
        """In the interaction's last minute, the reply says the outcome will come by DM: what
        it showed last ("Indexing… 380 of 400", or "thinking…" for a job still queued) would
        stay there for good, as nothing can edit it after the 15 minutes."""
        if self._interaction.is_expired():
            return
        self._interaction.extras["progress_shown"] = True  # (an outcome before then: here)
        try:
            await self._interaction.edit_original_response(content=LATE_NOTICE)
        except discord.HTTPException as error:
            log.debug("could not say that the outcome will come by DM: %s", error)


async def finish(interaction: discord.Interaction, text: str) -> None:
    """The result of a deferred ephemeral job: in place of its :class:`Progress` message when
    one was shown, else as the follow-up; by DM when it comes too late (:func:`deliver`)."""
    if interaction.extras.get("progress_shown"):
        reply = functools.partial(interaction.edit_original_response, content=text)
    else:
        reply = functools.partial(interaction.followup.send, text, ephemeral=True)
    await deliver(interaction, text, reply)


def user_text(error: QuotebotError) -> str:
    """What a member is told of ``error``: its own text, but for a store that cannot be read
    (down, restarting, not built), whose text is for the operator (the store's path or the
    Chroma server's address, `python -m index build`): logged, and a short notice instead."""
    if isinstance(error, (StoreError, IndexMissing)):
        log.error("article index unavailable: %s", error)
        return STORE_DOWN
    return str(error)


def describe_error(error: Exception) -> str | None:
    """The user-facing text for an app-command or view error; None for unexpected ones."""
    original = getattr(error, "original", None)
    if isinstance(original, QuotebotError):
        return user_text(original)
    if isinstance(error, QuotebotError):
        return user_text(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return cooldown_message(error.retry_after)
    if isinstance(error, app_commands.MissingPermissions):
        return "Only members with the **Manage Server** permission can do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def handle_app_error(interaction: discord.Interaction, error: Exception) -> None:
    """Known errors become short ephemeral replies; unexpected ones are logged in full.

    Installed as each cog's ``cog_app_command_error`` and as the tree's ``on_error`` (which
    discord.py calls as well), so it answers only once per interaction."""
    if interaction.extras.get("error_handled"):
        return
    interaction.extras["error_handled"] = True
    text = describe_error(error)
    if text is None:
        command = interaction.command.qualified_name if interaction.command else "?"
        cause = getattr(error, "original", error)
        log.error("/%s failed", command, exc_info=(type(cause), cause, cause.__traceback__))
        text = GENERIC_ERROR
    await reply_error(interaction, text)


class QuoteCog(commands.Cog):
    """Base of the feature cogs: the shared error handler and the bot."""

    def __init__(self, bot) -> None:
        self.bot = bot

    async def cog_app_command_error(self, interaction: discord.Interaction,
                                    error: app_commands.AppCommandError) -> None:
        await handle_app_error(interaction, error)


def cooldown_message(retry_after: float) -> str:
    return (f"You're asking quickly! Please wait {max(1, round(retry_after))} s "
            "before the next question.")


class UserCooldowns:
    """``rate`` questions per ``per`` seconds for each user, shared by chat and slash commands.

    Floods stay quiet: a chat message over the rate gets a notice only when it is the member's
    first one since their window began (``notify``); further ones in that window get nothing, so
    a flood of ten messages costs one notice, not seven, and never queues ahead of other
    members' answers under Discord's per-channel rate limit."""

    def __init__(self, rate: int, per: float, *, max_users: int = 10_000) -> None:
        self.rate, self.per, self.max_users = rate, per, max_users
        self._buckets: OrderedDict[int, app_commands.Cooldown] = OrderedDict()
        self._quiet_until: LRU = LRU(max_users)  # user id -> monotonic time of the next notice

    def notify(self, user_id: int, retry_after: float) -> bool:
        """Whether to tell the user about being over the rate: once per cooldown window."""
        now = time.monotonic()
        if now < self._quiet_until.get(user_id, 0.0):
            return False
        self._quiet_until[user_id] = now + max(retry_after, 1.0)
        return True

    def hit(self, user_id: int) -> float | None:
        """Count one use; return the seconds to wait when the user is over the rate."""
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
            while len(self._buckets) > self.max_users:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(user_id)
        return bucket.update_rate_limit()

    def check(self, user_id: int) -> None:
        """Raise ``CommandOnCooldown`` (answered by the error handler) when over the rate."""
        retry = self.hit(user_id)
        if retry is not None:
            raise app_commands.CommandOnCooldown(self._buckets[user_id], retry)


class LRU(OrderedDict):
    """A small bounded mapping for in-memory state (conversations, "more quotes")."""

    def __init__(self, size: int = 2000) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class Conversations:
    """Earlier questions, so follow-ups ("and what about Russia?") can be resolved.

    A reply to one of the bot's answers (or to a question) continues that question's chain; in
    a thread or a DM the recent questions of the channel are the conversation."""

    def __init__(self, *, window: float = 900.0, depth: int = 3) -> None:
        self.by_message: LRU = LRU(5000)  # message id -> questions up to and including its own
        self.answers: LRU = LRU(5000)  # ids of the bot's answer messages
        self.by_channel: LRU = LRU(2000)  # thread/DM id -> (time, questions)
        self.topics: LRU = LRU(5000)  # channel id -> (time, id of the article last quoted)
        self.by_member: LRU = LRU(5000)  # (channel id, user id) -> (time, their /ask questions)
        self.window, self.depth = window, depth

    def note_article(self, channel_id: int | None, article: str | None) -> None:
        """The last answer in this channel quoted ``article`` first."""
        if channel_id is not None and article:
            self.topics[channel_id] = (time.monotonic(), article)

    def article(self, channel_id: int | None) -> str | None:
        """The article this channel's conversation is about (what the last answer quoted, in
        the last ``window`` seconds), for ``/summary`` and ``/paragraph`` without an option."""
        when, article = self.topics.get(channel_id, (0.0, None))
        return article if time.monotonic() - when < self.window else None

    def is_answer(self, message_id: int | None) -> bool:
        return message_id is not None and message_id in self.answers

    def history(self, message: discord.Message) -> list[str]:
        ref = message.reference.message_id if message.reference else None
        if ref is not None and ref in self.by_message:
            return recent(list(self.by_message[ref]), self.depth)
        if ref is None and is_conversation_channel(message.channel):
            when, questions = self.by_channel.get(message.channel.id, (0.0, []))
            if time.monotonic() - when < self.window:
                return recent(list(questions), self.depth)
        return []

    def record(self, message: discord.Message, history: list[str], question: str,
               answer_ids: list[int]) -> None:
        # the last few questions and the messages since ("more", "thanks"), not the last few
        # messages: four "more"s in a row would leave no question
        chain = recent([*history, question], self.depth)
        self.by_message[message.id] = chain
        self.remember(answer_ids, chain)
        if is_conversation_channel(message.channel):
            self.by_channel[message.channel.id] = (time.monotonic(), chain)

    def member_history(self, channel_id: int | None, user_id: int) -> list[str]:
        """A member's own recent ``/ask`` questions in this channel, so that ``/ask`` "more" or
        "and what about Russia?" continues their last question (other members' questions in
        a busy channel are not theirs to continue)."""
        when, questions = self.by_member.get((channel_id, user_id), (0.0, []))
        return recent(list(questions), self.depth) if time.monotonic() - when < self.window \
            else []

    def record_member(self, channel_id: int | None, user_id: int, history: list[str],
                      question: str) -> list[str]:
        """Add ``question`` to the member's ``/ask`` conversation here; returns the chain."""
        chain = recent([*history, question], self.depth)
        self.by_member[(channel_id, user_id)] = (time.monotonic(), chain)
        return chain

    def remember(self, answer_ids: list[int], chain: list[str]) -> None:
        """The bot's answer messages continue ``chain`` when someone replies to them."""
        for answer_id in answer_ids:
            self.by_message[answer_id] = chain
            self.answers[answer_id] = True


async def conversation_article(bot, interaction: discord.Interaction,
                               article: str | None) -> "ArticleInfo":
    """The article a command without the ``article`` option is about: the one the channel's
    last answer quoted (if still visible here), else the server's default."""
    guild = guild_key(interaction.guild_id)
    if not article:
        remembered = bot.conversations.article(interaction.channel_id)
        if remembered is not None:
            try:
                return await asyncio.to_thread(bot.engine.article, remembered, guild=guild)
            except UnknownArticle:
                pass
    return await asyncio.to_thread(bot.engine.article, article or None, guild=guild)


def is_conversation_channel(channel) -> bool:
    return isinstance(channel, (discord.Thread, discord.DMChannel))

