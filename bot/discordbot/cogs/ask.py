"""Questions: ``/ask``, chat (a mention, a reply to one of the bot's answers, or a DM) and the
message menu "Check in the articles" (what the articles say about any message)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer import small_talk
from bot.discordbot.common import (GENERIC_ERROR, LRU, UserCooldowns, cooldown_message, defer,
                                   guild_key, QuoteCog, split_message, user_text)
from bot.discordbot.views import answer_view
from bot.engine import MENTION
from bot.models import Answer, ArticleInfo
from bot.render import short_title, shorten
from index.errors import BadQuestion, QuotebotError

if TYPE_CHECKING:
    from bot.discordbot.app import QuoteBot

log = logging.getLogger(__name__)

# A message that is only a link (as shared in a news server: "@quotebot https://…"): not a
# question to search the articles for, but a page the member would like to ask about.
BARE_LINK = re.compile(r"<?https?://\S+?>?")
LINK_HINT = ("That's a link: I answer from the articles added here, not from pages sent to me. "
             "A member who can manage the server can add it with `/article-add`; then ask me "
             "anything about it.")
LINK_HINT_DM = ("That's a link: I answer from the articles I hold, not from pages sent to me. "
                "In a server, a member who can manage it can add it with `/article-add`.")
# ... and a file sent with nothing to ask ("@quotebot" and a PDF attached)
FILE_HINT = ("That's a file: I answer from the articles added here, not from files sent to me. "
             "A member who can manage the server can add a .txt, .md, .pdf or .docx file with "
             "`/article-add`; then ask me anything about it.")
FILE_HINT_DM = ("That's a file: I answer from the articles I hold, not from files sent to me. "
                "In a server, a member who can manage it can add it with `/article-add`.")


async def article_autocomplete(interaction: discord.Interaction,
                               current: str) -> list[app_commands.Choice[str]]:
    """The articles visible in this server whose title or id contains what was typed."""
    bot: QuoteBot = interaction.client  # type: ignore[assignment]
    infos = await asyncio.to_thread(bot.engine.articles, guild_key(interaction.guild_id))
    return article_choices(infos, current)


def shown_id(info: ArticleInfo) -> str:
    """The id as a member knows it: without the ``<server id>-`` every added article has."""
    prefix = f"{info.scope}-"
    return info.id[len(prefix):] if info.scope != "global" and info.id.startswith(prefix) \
        else info.id


def article_choices(infos: list[ArticleInfo], typed: str) -> list[app_commands.Choice[str]]:
    """At most 25 choices (Discord's limit) for what was typed: titles and ids (not the server
    id inside an added article's id: typing "1" must not match them all) that start with it
    first, then those with a word that does, then the rest containing it. A choice is named by
    the title on one line, shortened to Discord's 100 characters; two articles of the same
    title are told apart by their ids."""
    typed = " ".join(typed.lower().split())

    def rank(info: ArticleInfo) -> int | None:
        title, ident = " ".join(info.title.lower().split()), shown_id(info)
        if title.startswith(typed) or ident.startswith(typed) or info.id == typed:
            return 0
        if f" {typed}" in f" {title}" or f"-{typed}" in f"-{ident}":
            return 1
        return 2 if typed in title or typed in ident else None

    ranked = sorted((r, n, info) for n, info in enumerate(infos)
                    if (r := rank(info)) is not None)
    chosen = [info for _, _, info in ranked[:25]]

    def name(info: ArticleInfo, suffix: str = "") -> str:
        return shorten(info.title.strip() or info.id, 100 - len(suffix)) + suffix

    names = [name(info) for info in chosen]
    return [app_commands.Choice(name=name(info, f" ({shown_id(info)[:40]})")
                                if names.count(short) > 1 else short, value=info.id)
            for info, short in zip(chosen, names)]


async def shown_titles(bot: "QuoteBot", answer: Answer, guild: str | None) -> list[str]:
    """The titles an answer may show (its header's "*Title*", named citations), to be escaped
    as echoed text: a title such as "my_notes on *tea*" must not turn the answer italic."""
    titles = {q.title for q in [*answer.quotes, *answer.more] if q.title}
    if not titles and answer.answered and answer.article:  # "What is it called?": no quote
        infos = await asyncio.to_thread(bot.engine.articles, guild)
        titles = {info.title for info in infos if info.id == answer.article}
    return [*titles, *(short_title(t) for t in titles)]


# A question edited within this many seconds of being asked gets its answer redone in place
# (a typo fixed: "hong kng" → "hong kong"); later edits are left alone, as the answer may have
# been read and replied to by then.
EDIT_WINDOW = 600.0
CHECK_MENU = "Check in the articles"  # the message context menu (Apps → …)
CANNOT_REPLY = 160002  # Discord: "Cannot reply without permission to read message history"


def can_post(message: discord.Message) -> tuple[bool, bool]:
    """Whether the bot may post in ``message``'s channel, and reply there (which needs Read
    Message History). Both True where it cannot tell (a DM, its own member or the channel not
    cached): then Discord's answer decides."""
    me = message.guild.me if message.guild is not None else None
    if me is None or isinstance(message.channel, discord.PartialMessageable):
        return True, True  # (a channel not in the cache says "no permission" for everything)
    try:
        permissions = message.channel.permissions_for(me)  # type: ignore[union-attr]
    except (discord.ClientException, AttributeError):  # a thread whose parent is not cached
        return True, True
    send = (permissions.send_messages_in_threads if isinstance(message.channel, discord.Thread)
            else permissions.send_messages)
    return send, send and permissions.read_message_history


def message_question(text: str, limit: int) -> str:
    """A message's text as a question: cut at a word boundary to the question length cap (a
    long message is looked up by its opening, not refused)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


class Ask(QuoteCog):
    """Answers questions with verbatim quotes that cite their paragraphs."""

    bot: "QuoteBot"

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.mute_noted = LRU(1000)  # channels already logged as closed to the bot
        # question message id -> (when it was answered, the question, the history it was
        # asked with, the answer's messages), so that an edited question's answer is redone in
        # place
        self.answered = LRU(1000)
        # "thanks", "hi", "help" have a budget of their own: a member who thanks the bot after
        # a few questions is not told "You're asking quickly!", and small talk never costs a
        # question; a flood of it is still cut off, quietly
        self.small_talk = UserCooldowns(bot.cooldowns.rate, bot.cooldowns.per)
        # Context menus cannot be declared in a cog's body; this one is added to the tree with
        # the cog and removed with it.
        self.check_menu = app_commands.ContextMenu(name=CHECK_MENU, callback=self.check_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.check_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.check_menu.name, type=self.check_menu.type)

    async def check_message(self, interaction: discord.Interaction,
                            message: discord.Message) -> None:
        """What the articles here say about a message (a claim, a question): their own words,
        shown only to whoever asked, so checking a member's claim never calls them out."""
        text = MENTION.sub(" ", message.content or "").strip()
        if not re.search(r"\w", text):
            raise BadQuestion("That message has no text I can look up.")
        question = message_question(text, self.bot.settings.max_question_chars)
        self.bot.cooldowns.check(interaction.user.id)
        await defer(interaction, ephemeral=True)
        answer = await asyncio.to_thread(self.bot.engine.ask, question,
                                         guild=guild_key(interaction.guild_id), library=True,
                                         focus=self.bot.conversations.article(
                                             interaction.channel_id))
        await self.follow_up(interaction, answer, ephemeral=True)

    @app_commands.command(name="ask")
    @app_commands.describe(question="Your question about the articles here",
                           private="Show the answer only to you (default: no)",
                           article="Ask this article only (default: every article here)")
    @app_commands.autocomplete(article=article_autocomplete)
    async def ask(self, interaction: discord.Interaction, question: str, private: bool = False,
                  article: str | None = None) -> None:
        """Ask a question; the answer quotes the articles word for word, citing paragraphs (¶)."""
        if BARE_LINK.fullmatch(question.strip()):  # a page to ask about: how to add it
            await interaction.response.send_message(
                LINK_HINT if interaction.guild_id else LINK_HINT_DM, ephemeral=True)
            return
        self.bot.engine.check_question(question)  # the length cap, before any work
        self.bot.cooldowns.check(interaction.user.id)
        await defer(interaction, ephemeral=private)
        conversations = self.bot.conversations
        history = conversations.member_history(interaction.channel_id, interaction.user.id)
        answer = await asyncio.to_thread(self.bot.engine.ask, question, article or None,
                                         guild=guild_key(interaction.guild_id), library=True,
                                         history=history,
                                         focus=conversations.article(interaction.channel_id))
        chain = conversations.record_member(interaction.channel_id, interaction.user.id,
                                            history, question)
        sent = await self.follow_up(interaction, answer, ephemeral=private, history=history)
        conversations.remember([m.id for m in sent if m is not None], chain)
        if answer.answered and not private:
            self.bot.conversations.note_article(interaction.channel_id, answer.article)

    async def follow_up(self, interaction: discord.Interaction, answer: Answer, *,
                        ephemeral: bool, history: list[str] = ()) -> list:
        """Send ``answer`` as the deferred interaction's follow-ups (split between quotes), with
        its buttons under the last part; returns the messages sent. The question and the
        ``history`` it continues may be echoed in the answer: their Markdown is escaped."""
        titles = await shown_titles(self.bot, answer, guild_key(interaction.guild_id))
        parts = split_message(answer.message, quotes=answer.quotes,
                              echoed=[answer.question, *history, *titles])
        view = answer_view(self.bot, answer)
        sent = []
        for index, part in enumerate(parts):
            extra = {"view": view} if index == len(parts) - 1 and view is not None else {}
            sent.append(await interaction.followup.send(part, ephemeral=ephemeral, wait=True,
                                                        **extra))
        return sent

    # -- chat -------------------------------------------------------------------------------

    def chat_question(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when it is not addressed to the bot."""
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return None
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return None
        mentioned = any(user.id == me.id for user in message.mentions) or any(
            getattr(role.tags, "bot_id", None) == me.id for role in message.role_mentions)
        resolved = message.reference.resolved if message.reference else None
        replied = message.reference is not None and (
            self.bot.conversations.is_answer(message.reference.message_id)
            or (isinstance(resolved, discord.Message) and resolved.author.id == me.id))
        direct = message.guild is None
        if not (mentioned or replied or direct):
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        if not text and not mentioned and not direct:
            return None  # a reply we cannot read (no Message Content intent), or an empty one
        return text

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.chat_question(message)
        if question is None:
            return
        context = await self.bot.get_context(message)
        if context.valid:  # an owner text command such as "@quotebot sync"
            return
        if not can_post(message)[0]:  # an answer would be refused: do not work it out
            if message.channel.id not in self.mute_noted:
                self.mute_noted[message.channel.id] = True
                log.warning("no Send Messages permission in channel %s of server %s: questions "
                            "asked there in chat go unanswered (/ask works)", message.channel.id,
                            message.guild.id if message.guild else None)
            return
        await self.handle_chat(message, question)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """A question the bot answered, edited soon after (a typo fixed): the answer is redone
        in place, as a new answer would leave the wrong one above it. It costs a question, as
        asking again would. (The raw event: it comes whether or not the question is still in
        discord.py's message cache.)"""
        earlier = self.answered.get(payload.message_id)
        if earlier is None or time.monotonic() - earlier[0] > EDIT_WINDOW:
            return
        _, asked, history, sent = earlier
        question = self.chat_question(payload.message)
        if question is None or question == asked:  # mention taken out, or nothing changed
            return
        await self.handle_chat(payload.message, question, replacing=(history, sent))

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """A question deleted soon after its answer (asked by mistake, or in the wrong place):
        the answer goes with it rather than standing alone under nothing."""
        earlier = self.answered.pop(payload.message_id, None)
        if earlier is None or time.monotonic() - earlier[0] > EDIT_WINDOW:
            return
        for message in earlier[3]:
            try:
                await message.delete()
            except discord.HTTPException as error:  # already deleted by a moderator
                log.info("could not delete answer %s: %s", message.id, error)

    async def handle_chat(self, message: discord.Message, question: str,
                          replacing: tuple | None = None) -> None:
        """Answer a chat question, saying what went wrong rather than failing silently."""
        try:
            await self.answer_chat(message, question, replacing)
        except QuotebotError as error:
            await self.say(message, user_text(error))
        except discord.HTTPException as error:
            log.warning("could not answer message %s: %s", message.id, error)
        except Exception:
            log.exception("chat question failed")
            await self.say(message, GENERIC_ERROR)

    @staticmethod
    def hint(message: discord.Message, question: str) -> str | None:
        """How to add an article, for a message that is a page or a file to ask about rather
        than a question: only a link, or nothing but attachments."""
        if BARE_LINK.fullmatch(question):
            return LINK_HINT if message.guild else LINK_HINT_DM
        if not question and message.attachments:
            return FILE_HINT if message.guild else FILE_HINT_DM
        return None

    async def answer_chat(self, message: discord.Message, question: str,
                          replacing: tuple | None = None) -> None:
        """Answer ``message``; ``replacing``: ``(history, messages)`` of an earlier answer to
        it (the question was edited), which is edited into the new answer."""
        engine = self.bot.engine
        hint = self.hint(message, question)
        chatter = hint is not None or small_talk(question) is not None
        cooldowns = self.small_talk if chatter else self.bot.cooldowns
        retry = cooldowns.hit(message.author.id)
        if retry is not None:  # one notice per member per cooldown window; floods stay quiet
            if not chatter and cooldowns.notify(message.author.id, retry):
                await self.say(message, cooldown_message(retry), delete_after=15)
            return
        if hint is None:  # the length cap, before any work; counted as a question (above), so
            engine.check_question(question)  # a flood of empty or huge ones stays quiet too
        # an edited question continues what the original continued, not its own first version
        history, earlier = replacing or (self.bot.conversations.history(message), ())
        if hint is not None:
            sent = await self.deliver(message, [hint], None, earlier)
            self.answered[message.id] = (time.monotonic(), question, history, sent)
            return
        typing = asyncio.create_task(self.typing(message.channel))
        try:
            answer: Answer = await asyncio.to_thread(
                engine.ask, question, guild=guild_key(message.guild.id if message.guild else None),
                history=history, library=True,
                focus=self.bot.conversations.article(message.channel.id))
        finally:
            typing.cancel()
        sent = await self.send_answer(message, answer, history, earlier)
        self.answered[message.id] = (time.monotonic(), question, history, sent)
        self.bot.conversations.record(message, history, question, [m.id for m in sent])
        if answer.answered:
            self.bot.conversations.note_article(message.channel.id, answer.article)

    async def send_answer(self, message: discord.Message, answer: Answer,
                          history: list[str] = (), replacing: list[discord.Message] = ()
                          ) -> list[discord.Message]:
        """Post ``answer`` as replies to ``message`` (split between quotes, its buttons under
        the last part); with ``replacing``, an earlier answer's messages are edited into it
        first, and those left over deleted."""
        guild = guild_key(message.guild.id if message.guild else None)
        titles = await shown_titles(self.bot, answer, guild)
        parts = split_message(answer.message, quotes=answer.quotes,
                              echoed=[answer.question, *history, *titles])
        return await self.deliver(message, parts, answer_view(self.bot, answer), replacing)

    async def deliver(self, message: discord.Message, parts: list[str], view,
                      replacing: list[discord.Message] = ()) -> list[discord.Message]:
        """Post ``parts`` as replies to ``message``, ``view`` under the last; the messages of
        ``replacing`` are edited into the first parts, and those left over deleted."""
        sent = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if index < len(replacing):  # an old answer's buttons go with it
                try:
                    sent.append(await replacing[index].edit(content=part,
                                                            view=view if last else None))
                    continue
                except (discord.NotFound, discord.Forbidden) as error:
                    # deleted by a moderator, or in a thread since locked: posted anew
                    log.info("could not edit answer %s: %s", replacing[index].id, error)
            extra = {"view": view} if last and view is not None else {}
            sent.append(await self.post(message, part, **extra))
        for old in replacing[len(parts):]:
            try:
                await old.delete()
            except discord.HTTPException as error:  # already deleted by a moderator
                log.info("could not delete an old answer part %s: %s", old.id, error)
        return sent

    @staticmethod
    async def post(message: discord.Message, text: str, **options) -> discord.Message:
        """Reply to ``message`` (never pinging its author); where the bot may not read the
        channel's history Discord refuses replies, so the text is posted without the reply."""
        if can_post(message)[1]:
            try:
                return await message.reply(text, mention_author=False, **options)
            except discord.HTTPException as error:
                if error.code != CANNOT_REPLY:
                    raise
        return await message.channel.send(text, **options)

    @staticmethod
    async def typing(channel) -> None:
        """Best effort "quotebot is typing…": an answer never waits on or fails with it."""
        try:
            await channel.typing()
        except (discord.HTTPException, AttributeError):
            pass

    async def say(self, message: discord.Message, text: str, *,
                  delete_after: float | None = None) -> None:
        try:
            await self.post(message, text[:2000], delete_after=delete_after)
        except discord.HTTPException as error:
            log.warning("could not reply to message %s: %s", message.id, error)


async def setup(bot: "QuoteBot") -> None:
    await bot.add_cog(Ask(bot))
