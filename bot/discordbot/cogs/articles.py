"""``/paragraph``, ``/article`` and ``/help``: looking around the articles."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discordbot.cogs.ask import article_autocomplete
from bot.discordbot.common import (QuoteCog, conversation_article, defer, guild_key,
                                   plain)
from bot.discordbot.views import paragraph_message
from bot.models import ArticleInfo
from bot.render import DISCORD_LIMIT

if TYPE_CHECKING:
    from bot.discordbot.app import QuoteBot

HELP = """**quotebot** answers questions about articles with their own words: every answer is \
verbatim quotes citing the paragraph they come from (¶3), and the article when there are several \
here (Warsaw ¶12).

**Ask** by mentioning me, replying to one of my answers (follow-ups like “and what about \
Russia?” work), in a DM, or with `/ask`: questions search every article here. Asking for a \
summary (“tl;dr”, “summarize paragraphs 2-4”) gets one, as `/summary` does.
`/ask question [private] [article]` — an answer in quotes (`article` asks that one only); \
buttons show a cited paragraph in full or more quotes
`/summary [paragraphs] [topic] [article]` — a quoted summary, e.g. `paragraphs: 2-4` or \
`topic: Hong Kong`, of the article the conversation is about unless you name one
`/paragraph number [article]` — one paragraph, verbatim
**Apps → Check in the articles** on any message — what the articles say about it \
(only you see it)
`/article [article]` — what I can answer about here
**Server managers:** `/article-add file` or `url` (a .txt, .md, .pdf or .docx file, or a web \
page; answered in this server only), \
`/article-remove article`, `/reindex`"""


def describe_article(info: ArticleInfo, *, default: bool = False) -> str:
    """One line: title and authors as plain text (a footnote's ``*`` or a ``my_notes`` title
    would otherwise turn the rest of the list italic), paragraph count, id and where from."""
    by = f" by {plain(info.authors, 100)}" if info.authors else ""
    where = " (added in this server)" if info.scope != "global" else ""
    mark = " — the default" if default else ""
    return f"**{plain(info.title)}**{by}: {info.length}, id `{info.id}`{where}{mark}"


def article_list(infos: list[ArticleInfo], default: str, guild: str | None) -> str:
    """The articles visible here in one message: the default first, then the server's own,
    then the shared ones, each line whole; those that do not fit are counted, not posted (a
    large library would otherwise flood the channel with public messages)."""
    def more(count: int) -> str:
        return (f"… and {count:,} more: type a few letters of a title in the `article` option "
                "to find one." if count else "")

    ordered = sorted(infos, key=lambda i: (i.id != default, i.scope != guild))
    lines = [f"{len(infos)} articles (pick one with the `article` option):"]
    for shown, info in enumerate(ordered):
        line = f"• {describe_article(info, default=info.id == default)}"
        if len("\n".join([*lines, line, more(len(ordered) - shown - 1)])) > DISCORD_LIMIT:
            lines.append(more(len(ordered) - shown))
            break
        lines.append(line)
    return "\n".join(lines)


class Articles(QuoteCog):
    """Paragraphs, the article list, and help."""

    bot: "QuoteBot"

    @app_commands.command(name="paragraph")
    @app_commands.describe(number="The paragraph number, as cited in answers (¶3 → 3)",
                           article="Which article (default: the one the conversation is about)")
    @app_commands.autocomplete(article=article_autocomplete)
    async def paragraph(self, interaction: discord.Interaction, number: int,
                        article: str | None = None) -> None:
        """Show one paragraph of the article, word for word."""
        await defer(interaction)
        guild = guild_key(interaction.guild_id)
        info = await conversation_article(self.bot, interaction, article)
        text = await asyncio.to_thread(self.bot.engine.paragraph, number, info.id, guild=guild)
        for part in paragraph_message(info.title, number, info.id, text):
            await interaction.followup.send(part)

    @app_commands.command(name="article")
    @app_commands.describe(article="Show just this article (default: all the articles here)")
    @app_commands.autocomplete(article=article_autocomplete)
    async def article(self, interaction: discord.Interaction, article: str | None = None) -> None:
        """What I answer about: title, authors and paragraph count."""
        await defer(interaction)
        engine, guild = self.bot.engine, guild_key(interaction.guild_id)
        default = await asyncio.to_thread(engine.article, None, guild=guild)
        if article:
            info = await asyncio.to_thread(engine.article, article, guild=guild)
            text = describe_article(info, default=info.id == default.id)
        else:
            infos = await asyncio.to_thread(engine.articles, guild)
            if len(infos) == 1:
                text = describe_article(infos[0])
            else:
                text = article_list(infos, default.id, guild)
        await interaction.followup.send(text)

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to ask questions, and the commands."""
        await defer(interaction, ephemeral=True)
        await interaction.followup.send(HELP, ephemeral=True)


async def setup(bot: "QuoteBot") -> None:
    await bot.add_cog(Articles(bot))
