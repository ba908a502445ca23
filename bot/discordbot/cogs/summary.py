"""``/summary``: the article (or a paragraph range, or a topic) in its own words."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discordbot.cogs.ask import article_autocomplete
from bot.discordbot.common import (QuoteCog, conversation_article, defer, guild_key,
                                   split_message)
from bot.render import short_title

if TYPE_CHECKING:
    from bot.discordbot.app import QuoteBot


class Summary(QuoteCog):
    """Quoted summaries: the quotes that best cover the article's points, cited."""

    bot: "QuoteBot"

    @app_commands.command(name="summary")
    @app_commands.describe(paragraphs="Only these paragraphs, e.g. 2-4 (default: all)",
                           topic="Only what the article says about this, e.g. Hong Kong",
                           article="Which article (default: the one the conversation is about)")
    @app_commands.autocomplete(article=article_autocomplete)
    async def summary(self, interaction: discord.Interaction, paragraphs: str | None = None,
                      topic: str | None = None, article: str | None = None) -> None:
        """Summarise the article in its own words: quotes citing their paragraphs (¶)."""
        if topic:
            self.bot.engine.check_question(topic)  # the length cap, before any work
        self.bot.cooldowns.check(interaction.user.id)
        await defer(interaction)
        info = await conversation_article(self.bot, interaction, article)
        result = await asyncio.to_thread(self.bot.engine.summary, info.id,
                                         guild=guild_key(interaction.guild_id),
                                         paragraphs=paragraphs, topic=topic)
        for part in split_message(result.message, quotes=result.quotes,
                                  echoed=[topic or "", info.title, short_title(info.title)]):
            await interaction.followup.send(part)


async def setup(bot: "QuoteBot") -> None:
    await bot.add_cog(Summary(bot))
