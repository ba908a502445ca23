"""Buttons under an answer: the full cited paragraph, and more quotes (both ephemeral).

The state a button needs lives in its ``custom_id`` (``DynamicItem``), so paragraph buttons keep
working after a restart; "more quotes" keeps its quotes in a bounded in-memory store and says so
when they have expired.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import TYPE_CHECKING

import discord

from bot.discordbot.common import (GENERIC_ERROR, describe_error, guild_key, plain,
                                   reply_error, split_message)
from bot.models import Answer, Quote
from bot.render import format_quote, short_title
from index.errors import UnknownArticle

if TYPE_CHECKING:
    from bot.discordbot.app import QuoteBot

log = logging.getLogger(__name__)

MAX_PARAGRAPH_BUTTONS = 4
GONE = ("That article is not available here any more (a server manager may have removed it). "
        "Ask again to search the articles this server has now.")


async def _report(interaction: discord.Interaction, error: Exception) -> None:
    text = describe_error(error)
    if text is None:
        log.error("button %s failed", interaction.data.get("custom_id") if interaction.data
                  else "?", exc_info=error)
        text = GENERIC_ERROR
    await reply_error(interaction, text)


async def send_ephemeral_parts(interaction: discord.Interaction, parts: list[str]) -> None:
    for part in parts:
        await interaction.followup.send(part, ephemeral=True)


def paragraph_message(title: str, number: int, article: str, text: str) -> list[str]:
    """One paragraph, verbatim and cited, split between messages only if it must be."""
    quote = Quote(article=article, paragraph=number, text=text)
    return split_message(f"¶{number} of *{plain(title)}*:\n\n{format_quote(quote)}",
                         quotes=[quote])


class ParagraphButton(discord.ui.DynamicItem[discord.ui.Button],
                      template=r"qb:p:(?P<number>\d+):(?P<article>[\w.-]+)"):
    """Shows the whole paragraph a quote was cited from, to whoever clicks."""

    def __init__(self, article: str, number: int, *, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or f"¶{number} in full",
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"qb:p:{number}:{article}"[:100]))
        self.article, self.number = article, number

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["article"], int(match["number"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """The article must be visible where the button is pressed (a message forwarded to
        another server must not show that server an article it cannot see)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot: QuoteBot = interaction.client  # type: ignore[assignment]
        guild = guild_key(interaction.guild_id)
        try:
            info = await asyncio.to_thread(bot.engine.article, self.article, guild=guild)
            if info.id != self.article:  # the engine also takes part of an id or a title:
                raise UnknownArticle(self.article)  # "42-bees" removed is not "42-bees-notes"
            text = await asyncio.to_thread(bot.engine.paragraph, self.number, info.id, guild=guild)
            await send_ephemeral_parts(interaction,
                                       paragraph_message(info.title, self.number, info.id, text))
        except UnknownArticle:  # removed since, or never visible in this server: the same words
            await reply_error(interaction, GONE)
        except Exception as error:  # noqa: BLE001 - a reply, not an endless "thinking…"
            await _report(interaction, error)


class MoreQuotesButton(discord.ui.DynamicItem[discord.ui.Button],
                       template=r"qb:m:(?P<token>[\w-]+)"):
    """Shows the further quotes the engine found (``Answer.more``) to whoever clicks."""

    def __init__(self, token: str) -> None:
        super().__init__(discord.ui.Button(label="More quotes", style=discord.ButtonStyle.primary,
                                           custom_id=f"qb:m:{token}"))
        self.token = token

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await self.show(interaction)
        except Exception as error:  # noqa: BLE001 - a reply, not an endless "thinking…"
            await _report(interaction, error)

    async def show(self, interaction: discord.Interaction) -> None:
        """The quotes kept in memory, but only of articles still visible here: an article a
        manager removed (say, for what it says) is not quoted again by an old button."""
        bot: QuoteBot = interaction.client  # type: ignore[assignment]
        quotes, named = bot.more_quotes.get(self.token) or ([], False)
        if not quotes:
            await interaction.followup.send("Those quotes are no longer in my memory; please ask "
                                            "the question again.", ephemeral=True)
            return
        visible = {info.id for info in await asyncio.to_thread(
            bot.engine.articles, guild_key(interaction.guild_id))}
        quotes = [quote for quote in quotes if quote.article in visible]
        if not quotes:
            await reply_error(interaction, GONE)
            return
        header = "More from the articles:" if named else "More from the article:"
        titles = {q.title for q in quotes if q.title}  # named citations: "(my_notes ¶2)"
        parts = split_message("\n\n".join([header, *(format_quote(q, named=named)
                                                     for q in quotes)]), quotes=quotes,
                              echoed=[*titles, *(short_title(t) for t in titles)])
        await send_ephemeral_parts(interaction, parts)


def answer_view(bot: "QuoteBot", answer: Answer) -> discord.ui.View | None:
    """Paragraph buttons for the cited paragraphs (in citation order) and "More quotes".

    Each paragraph button carries its article's id, so it opens the cited paragraph of the right
    article; when citations name articles, so do the buttons' labels."""
    if not answer.answered or not answer.quotes:
        return None
    view = discord.ui.View(timeout=None)
    seen: list[tuple[str, int]] = []
    for quote in answer.quotes:
        key = (quote.article, quote.paragraph)
        if key not in seen and len(seen) < MAX_PARAGRAPH_BUTTONS:
            seen.append(key)
            label = (f"{short_title(quote.title or quote.article, 40)} ¶{quote.paragraph}"
                     if answer.named else None)
            view.add_item(ParagraphButton(*key, label=label))
    if answer.more:
        token = secrets.token_urlsafe(9)
        bot.more_quotes[token] = (list(answer.more), answer.named)
        view.add_item(MoreQuotesButton(token))
    return view
