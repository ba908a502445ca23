"""Server managers' commands (``/article-add``, ``/article-remove``, ``/reindex``) and the
owner's ``sync``.

Admin commands are hidden from other members by ``default_permissions`` and checked again in
code, because a server can override the defaults; their replies are ephemeral.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.ask import article_choices
from bot.discordbot.common import Progress, QuoteCog, defer, finish, guild_key, plain
from index.errors import IngestError
from index.loaders import ARTICLE_EXTENSIONS, DOCUMENT_KINDS, MAX_BYTES, decode, is_url

if TYPE_CHECKING:
    from bot.discordbot.app import QuoteBot

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".markdown", ".pdf", ".docx")
# read by the loader from their bytes, not decoded here
DOCUMENTS = tuple(s for s in UPLOAD_TYPES if ARTICLE_EXTENSIONS[s] in DOCUMENT_KINDS)
MAX_UPLOAD_BYTES = 1_000_000
# A PDF or a Word document carries fonts and images besides its text, so it may be larger (the
# loader's limit).
MAX_DOCUMENT_BYTES = MAX_BYTES
PROGRESS_FROM = 256  # sentences: a shorter article's result comes before any progress would
LISTED_CHARS = 1_500  # of article ids in /reindex's reply (a message holds 2,000)


def indexing(done: int, total: int) -> str | None:
    """What a long ``/article-add`` or ``/reindex`` shows while it runs (sentences are embedded,
    then written); nothing for a few paragraphs, which are indexed in a second or two."""
    if total < PROGRESS_FROM:
        return None
    if done < total:
        return f"Indexing… {done:,} of {total:,} sentences embedded."
    return f"Indexing… all {total:,} sentences embedded; writing them to the index."


def rebuilt_message(rebuilt: list) -> str:
    """What ``/reindex`` says it rebuilt: the articles' ids while they fit one message (a
    server's ids are 20-odd characters each; 40 of them went past Discord's 2,000 and the
    edit was refused after the work was done), then how many more."""
    names, shown = [f"`{info.id}`" for info in rebuilt], []
    for name in names:
        if sum(len(n) + 2 for n in shown) + len(name) > LISTED_CHARS:
            break
        shown.append(name)
    more = f" and {len(names) - len(shown)} more" if len(shown) < len(names) else ""
    return f"Rebuilt the index of {len(names)} article(s): {', '.join(shown)}{more}."


def manage_guild():
    """Hidden by default from members without Manage Server, and refused in code for them."""
    def decorator(func):
        func = app_commands.checks.has_permissions(manage_guild=True)(func)
        func = app_commands.default_permissions(manage_guild=True)(func)
        return app_commands.guild_only()(func)
    return decorator


async def own_article_autocomplete(interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[str]]:
    """The articles this server added (not the shared ones) matching what was typed."""
    guild = guild_key(interaction.guild_id)
    if guild is None:
        return []
    bot: "QuoteBot" = interaction.client  # type: ignore[assignment]
    infos = await asyncio.to_thread(bot.engine.articles, guild)
    return article_choices([info for info in infos if info.scope == guild], current)


class Admin(QuoteCog):
    """Adding articles to a server, rebuilding indexes, publishing commands.

    Indexing jobs (``/article-add``, ``/reindex``: seconds to minutes of embedding each) run one
    at a time on a thread of their own: on the event loop's default pool, a manager adding six
    PDFs in a row took its threads from every server's questions, buttons and autocomplete
    (which must answer within 3 s), and two jobs fought over the cores. A job waiting for
    another says so."""

    bot: "QuoteBot"

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.jobs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotebot-indexing")
        self.waiting = 0  # jobs submitted and not finished

    async def cog_unload(self) -> None:
        self.jobs.shutdown(wait=False, cancel_futures=True)

    async def index_job(self, interaction: discord.Interaction, job, *args, **kwargs):
        """``job(*args, progress=…, **kwargs)`` on the indexing thread, its progress shown in
        the deferred reply (after a notice while earlier jobs run)."""
        if self.waiting:
            interaction.extras["progress_shown"] = True
            with contextlib.suppress(discord.HTTPException):
                await interaction.edit_original_response(
                    content=f"Waiting for {self.waiting} other indexing job(s) to finish…")
        self.waiting += 1
        try:
            async with Progress(interaction, indexing) as progress:
                return await asyncio.get_running_loop().run_in_executor(
                    self.jobs, functools.partial(job, *args, progress=progress, **kwargs))
        finally:
            self.waiting -= 1

    @app_commands.command(name="article-add")
    @app_commands.describe(file="A .txt, .md, .pdf or .docx file: a title, then the paragraphs",
                           url="Or the address of a web page (https://…)")
    @manage_guild()
    async def article_add(self, interaction: discord.Interaction,
                          file: discord.Attachment | None = None,
                          url: str | None = None) -> None:
        """Add an article from a file or a web page, answered in this server only (Manage Server).
        """
        await defer(interaction, ephemeral=True)
        if (file is None) == (url is None):
            raise IngestError("Give either a file or a url (one article at a time).")
        guild = guild_key(interaction.guild_id)
        if url is not None:
            url = url.strip().strip("<>")  # Discord users wrap links in <> to hide the preview
            if not is_url(url):
                raise IngestError(f"“{url}” is not a web address (http:// or https://).")
            info, changed = await self.index_job(
                interaction, self.bot.engine.add_article, url, scope=guild,
                public_only=not self.bot.settings.allow_private_urls)
        else:
            suffix = PurePath(file.filename).suffix.lower()
            if suffix not in UPLOAD_TYPES:
                raise IngestError(f"“{file.filename}” is not a .txt, .md, .pdf or .docx file.")
            limit = MAX_DOCUMENT_BYTES if suffix in DOCUMENTS else MAX_UPLOAD_BYTES
            if file.size > limit:
                raise IngestError(f"“{file.filename}” is {file.size:,} bytes; the limit is "
                                  f"{limit:,}.")
            data = await file.read()
            # a PDF or a Word document is read by the loader; text is decoded here
            text = data if suffix in DOCUMENTS else await asyncio.to_thread(
                decode, data, what=f"“{file.filename}”")
            info, changed = await self.index_job(interaction, self.bot.engine.add_article,
                                                 file.filename, scope=guild, text=text)
        log.info("guild %s added article %s (%s)", guild, info.id,
                 "new" if changed else "unchanged")
        verb = "Added" if changed else "Already had"
        await finish(interaction,
                     f"{verb} **{plain(info.title)}** ({info.length}) as `{info.id}`, for "
                     f"this server only. Questions in the server now search it with the "
                     f"other articles; `/ask question: … article: {info.id}` asks it alone.")

    @app_commands.command(name="article-remove")
    @app_commands.describe(article="An article this server added")
    @app_commands.autocomplete(article=own_article_autocomplete)
    @manage_guild()
    async def article_remove(self, interaction: discord.Interaction, article: str) -> None:
        """Remove an article this server added (Manage Server)."""
        await defer(interaction, ephemeral=True)
        guild = guild_key(interaction.guild_id)
        info = await asyncio.to_thread(self.bot.engine.remove_article, article, guild=guild)
        log.info("guild %s removed article %s", guild, info.id)
        await interaction.followup.send(
            f"Removed **{plain(info.title)}** (`{info.id}`): questions here no longer search it.",
            ephemeral=True)

    @app_commands.command(name="reindex")
    @app_commands.describe(article="Only this article (default: this server's articles)")
    @app_commands.autocomplete(article=own_article_autocomplete)
    @manage_guild()
    async def reindex(self, interaction: discord.Interaction, article: str | None = None) -> None:
        """Rebuild the search index of this server's articles (Manage Server).

        Only the articles this server added: the shared ones are the operator's (rebuilding
        them re-embeds every server's default article, and a large global library at once)."""
        await defer(interaction, ephemeral=True)
        guild = guild_key(interaction.guild_id)
        rebuilt = await self.index_job(interaction, self.bot.engine.reindex, article or None,
                                       guild=guild)
        log.info("guild %s rebuilt %d article(s)", guild, len(rebuilt))
        await finish(interaction, rebuilt_message(rebuilt))

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (kicked, or the server deleted; not an outage): its articles
        are deleted, as nothing will ever ask about them again."""
        removed = await asyncio.to_thread(self.bot.engine.forget_guild, guild_key(guild.id))
        log.info("removed from guild %s: deleted its %d article(s)", guild.id, len(removed))

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, context: commands.Context, where: str = "global") -> None:
        """``@bot sync [global|guild|clear]``: publish the slash commands (bot owner only)."""
        if where not in ("global", "guild", "clear"):
            await context.reply("Use `sync`, `sync guild` or `sync clear`.")
            return
        guild = context.guild if where != "global" and not self.bot.settings.dev_guild else None
        try:
            count = await self.bot.sync_commands(where, guild)  # type: ignore[arg-type]
        except (ValueError, discord.HTTPException) as error:
            await context.reply(f"Sync failed: {error}")
            return
        await context.reply(f"Synced {count} command(s) ({where}).")


async def setup(bot: "QuoteBot") -> None:
    await bot.add_cog(Admin(bot))
