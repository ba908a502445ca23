"""Cogs with fakes of the engine and of discord.py's interaction objects (the end-to-end tests in
``tests/e2e`` run the real client; these pin down the cogs' own rules quickly)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from types import SimpleNamespace

import discord
import pytest
from discord import app_commands
from hypothesis import given
from hypothesis import strategies as st

from bot.discordbot.app import TokenFilter, intents
from bot.discordbot.cogs.admin import Admin
from bot.discordbot.cogs.articles import Articles
from bot.discordbot.cogs.ask import Ask
from bot.discordbot.cogs.summary import Summary
from bot.discordbot.common import (LRU, STORE_DOWN, Conversations, UserCooldowns,
                                   escape_quoted, handle_app_error, split_message)
from bot.discordbot.views import MoreQuotesButton, ParagraphButton, answer_view
from bot.models import Answer, ArticleInfo, Quote
from bot.render import format_quote
from index.errors import BadQuestion, IndexMissing, IngestError, StoreError, UnknownParagraph

INFO = ArticleInfo(id="tea", title="Notes on Tea", authors="A. Writer", paragraphs=4)
BEES = ArticleInfo(id="42-bees", title="Bees", authors=None, paragraphs=1, scope="42")
PARAGRAPHS = ["Green tea is steamed.", "Black tea is “fully” oxidised.",
              'Oolong is "partly" oxidised.', "White tea is withered."]


class FakeEngine:
    """Answers from four paragraphs; records each call and the thread it ran on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict, bool]] = []

    def _record(self, name, args, kwargs):
        on_loop_thread = threading.current_thread() is threading.main_thread()
        self.calls.append((name, args, kwargs, on_loop_thread))

    def check_question(self, question: str) -> str:
        if len(question) > 50:
            raise BadQuestion("too long")
        return question

    def ask(self, question, article=None, **kwargs) -> Answer:
        self._record("ask", (question, article), kwargs)
        quotes = [Quote("tea", 2, PARAGRAPHS[1]), Quote("tea", 2, "Black tea"),
                  Quote("tea", 3, PARAGRAPHS[2])]
        return Answer(question, True, quotes, "\n\n".join(format_quote(q) for q in quotes),
                      article="tea", more=[Quote("tea", 4, PARAGRAPHS[3])])

    def summary(self, article=None, **kwargs):
        self._record("summary", (article,), kwargs)
        quote = Quote("tea", 1, PARAGRAPHS[0])
        return SimpleNamespace(message="Summary:\n\n" + format_quote(quote), quotes=[quote])

    def article(self, article=None, *, guild=None) -> ArticleInfo:
        self._record("article", (article,), {"guild": guild})
        return next((i for i in self.articles(guild) if i.id == article), INFO)

    def articles(self, guild=None) -> list[ArticleInfo]:
        return [INFO, *([BEES] if guild == "42" else [])]

    def paragraph(self, number, article=None, *, guild=None) -> str:
        self._record("paragraph", (number, article), {"guild": guild})
        if not 1 <= number <= len(PARAGRAPHS):
            raise UnknownParagraph(number, len(PARAGRAPHS))
        return PARAGRAPHS[number - 1]


class FakeInteraction:
    """What the cogs use of ``discord.Interaction``; every reply goes to ``log``."""

    def __init__(self, bot, *, user_id: int = 7, guild_id: int | None = 42) -> None:
        self.client, self.guild_id, self.user = bot, guild_id, SimpleNamespace(id=user_id)
        self.channel_id = 5
        self.extras: dict = {}
        self.command = None
        self.data: dict = {}
        self.expired = False  # Interaction.is_expired(): its 15 minutes are over
        self.log: list[tuple] = []
        outer = self

        class Response:
            done = False

            def is_done(self):
                return self.done

            async def defer(self, *, ephemeral=False, thinking=False):
                self.done = True
                outer.log.append(("defer", ephemeral, len(bot.engine.calls)))

            async def send_message(self, content, *, ephemeral=False, **_):
                self.done = True
                outer.log.append(("message", content, ephemeral))

        class Followup:
            async def send(self, content, *, ephemeral=False, view=None, **_):
                outer.log.append(("followup", content, ephemeral, view))

        self.response, self.followup = Response(), Followup()

    async def delete_original_response(self):
        self.log.append(("delete",))

    def is_expired(self) -> bool:
        return self.expired


@pytest.fixture
def fake_bot():
    return SimpleNamespace(engine=FakeEngine(), cooldowns=UserCooldowns(2, 60),
                           conversations=Conversations(), more_quotes=LRU(10),
                           user=SimpleNamespace(id=999),
                           settings=SimpleNamespace(dev_guild=None))


# -- /ask -------------------------------------------------------------------------------------


async def test_ask_defers_before_any_engine_work_and_runs_it_off_the_loop(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await Ask.ask.callback(Ask(fake_bot), interaction, "How is black tea made?")
    defer, *followups = interaction.log
    assert defer == ("defer", False, 0)  # nothing ran before the defer
    [(name, args, kwargs, on_loop)] = fake_bot.engine.calls
    assert name == "ask" and kwargs["guild"] == "42" and not on_loop
    [(kind, content, ephemeral, view)] = followups
    assert kind == "followup" and not ephemeral and "(¶2)" in content
    ids = [item.custom_id for item in view.children]
    assert ids[:2] == ["qb:p:2:tea", "qb:p:3:tea"]  # one button per cited paragraph
    assert ids[2].startswith("qb:m:")


async def test_private_ask_is_ephemeral_throughout(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await Ask.ask.callback(Ask(fake_bot), interaction, "How is black tea made?", True)
    assert interaction.log[0][:2] == ("defer", True)
    assert interaction.log[1][2] is True


async def test_over_long_question_is_refused_before_defer_or_cooldown(fake_bot):
    interaction = FakeInteraction(fake_bot)
    with pytest.raises(BadQuestion):
        await Ask.ask.callback(Ask(fake_bot), interaction, "x" * 51)
    assert interaction.log == [] and fake_bot.engine.calls == []
    assert fake_bot.cooldowns.hit(7) is None  # the refused question did not count


async def test_cooldown_is_per_user(fake_bot):
    cog = Ask(fake_bot)
    for _ in range(2):
        await Ask.ask.callback(cog, FakeInteraction(fake_bot), "q")
    with pytest.raises(app_commands.CommandOnCooldown) as raised:
        await Ask.ask.callback(cog, FakeInteraction(fake_bot), "q")
    assert raised.value.retry_after > 0
    await Ask.ask.callback(cog, FakeInteraction(fake_bot, user_id=8), "q")


# -- errors become short ephemeral replies ----------------------------------------------------


async def test_known_error_before_defer_is_an_ephemeral_response(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await handle_app_error(interaction, app_commands.CommandInvokeError(
        SimpleNamespace(name="ask", qualified_name="ask"), BadQuestion("too long")))
    assert interaction.log == [("message", "too long", True)]
    await handle_app_error(interaction, RuntimeError("again"))  # tree.on_error: handled once
    assert len(interaction.log) == 1


async def test_known_error_after_public_defer_replaces_the_placeholder(fake_bot):
    interaction = FakeInteraction(fake_bot)
    with pytest.raises(UnknownParagraph) as raised:
        await Articles.paragraph.callback(Articles(fake_bot), interaction, 99)
    await handle_app_error(interaction, raised.value)
    assert interaction.log[1] == ("delete",)
    assert interaction.log[2][0] == "followup" and interaction.log[2][2] is True
    assert "no paragraph 99" in interaction.log[2][1]


async def test_a_store_that_cannot_be_read_is_a_short_notice_and_logged(fake_bot, caplog):
    """A store's error names its path or server and how to rebuild it: for the operator's log,
    not for every member asking while a Chroma server restarts."""
    for error in (StoreError("The article index at http://chroma:8000 cannot be opened (…)."),
                  IndexMissing("The store at /data has no index yet. Build it with `python -m "
                               "index build`.")):
        interaction = FakeInteraction(fake_bot)
        await handle_app_error(interaction, app_commands.CommandInvokeError(
            SimpleNamespace(name="ask", qualified_name="ask"), error))
        [(kind, text, ephemeral)] = interaction.log
        assert text == STORE_DOWN and ephemeral
        assert str(error) in caplog.text


async def test_unexpected_error_is_logged_with_traceback_and_reply_is_generic(fake_bot, caplog):
    interaction = FakeInteraction(fake_bot)
    try:
        raise KeyError("boom")
    except KeyError as error:
        await handle_app_error(interaction, error)
    assert "something went wrong" in interaction.log[0][1]
    assert any(r.exc_info for r in caplog.records if r.levelno == logging.ERROR)


async def test_cooldown_and_permission_errors_are_friendly(fake_bot):
    for error, words in [(app_commands.CommandOnCooldown(app_commands.Cooldown(1, 9), 4.2),
                          "wait 4 s"),
                         (app_commands.MissingPermissions(["manage_guild"]), "Manage Server")]:
        interaction = FakeInteraction(fake_bot)
        await handle_app_error(interaction, error)
        assert words in interaction.log[0][1] and interaction.log[0][2] is True


# -- other commands ---------------------------------------------------------------------------


async def test_summary_passes_range_and_topic(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await Summary.summary.callback(Summary(fake_bot), interaction, "2-3", None, "tea")
    [(name, args, kwargs, on_loop)] = [c for c in fake_bot.engine.calls if c[0] == "summary"]
    assert (name, args, kwargs["paragraphs"], kwargs["guild"], on_loop) == \
        ("summary", ("tea",), "2-3", "42", False)
    assert interaction.log[0][0] == "defer" and "(¶1)" in interaction.log[1][1]


async def test_titles_in_answers_and_summaries_are_shown_as_written(fake_bot):
    """A title such as "my_notes on *tea*" in a summary's header, a named citation or the
    answer to "What is it called?" turned the rest of the message italic."""
    title = "my_notes on *tea*"
    shown = "my\\_notes on \\*tea\\*"
    fake_bot.engine.article = lambda article=None, **_: dataclasses.replace(INFO, title=title)
    fake_bot.engine.articles = lambda guild=None: [dataclasses.replace(INFO, title=title)]
    quote = Quote("tea", 1, PARAGRAPHS[0])
    fake_bot.engine.summary = lambda *a, **k: SimpleNamespace(
        message=f"Summary of *{title}*, in its own words:\n\n" + format_quote(quote),
        quotes=[quote])
    interaction = FakeInteraction(fake_bot, user_id=1)
    await Summary.summary.callback(Summary(fake_bot), interaction, None, None, "tea")
    assert interaction.log[1][1].startswith(f"Summary of *{shown}*, in its own words:")

    fake_bot.engine.ask = lambda *a, **k: Answer("What is it called?", True, [],
                                                 f"The article is *{title}*.", article="tea")
    interaction = FakeInteraction(fake_bot, user_id=2)
    await Ask.ask.callback(Ask(fake_bot), interaction, "What is it called?")
    assert interaction.log[1][1] == f"The article is *{shown}*."

    named = dataclasses.replace(quote, title=title)
    fake_bot.engine.ask = lambda *a, **k: Answer("Tea?", True, [named],
                                                 format_quote(named, named=True),
                                                 article="tea", named=True)
    interaction = FakeInteraction(fake_bot, user_id=3)
    await Ask.ask.callback(Ask(fake_bot), interaction, "Tea?", False, None)
    assert f"({shown} ¶1)" in interaction.log[1][1]
    # and under "More quotes"
    [*_, more] = answer_view(fake_bot, Answer("Tea?", True, [named], "…", named=True,
                                              more=[named])).children
    interaction = FakeInteraction(fake_bot, user_id=4)
    await MoreQuotesButton.callback(more, interaction)
    assert f"({shown} ¶1)" in interaction.log[1][1]


async def test_summary_and_paragraph_without_an_article_follow_the_conversation(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await Summary.summary.callback(Summary(fake_bot), interaction)
    assert ("article", (None,), {"guild": "42"}) in [c[:3] for c in fake_bot.engine.calls]
    fake_bot.conversations.note_article(5, "tea")  # the channel's last answer quoted "tea"
    fake_bot.engine.calls.clear()
    await Summary.summary.callback(Summary(fake_bot), FakeInteraction(fake_bot))
    await Articles.paragraph.callback(Articles(fake_bot), FakeInteraction(fake_bot), 2)
    looked_up = [c[1] for c in fake_bot.engine.calls if c[0] == "article"]
    assert looked_up == [("tea",), ("tea",)]
    assert [c[1] for c in fake_bot.engine.calls if c[0] == "summary"] == [("tea",)]


async def test_ask_and_chat_search_the_library_unless_an_article_is_named(fake_bot):
    cog = Ask(fake_bot)
    await Ask.ask.callback(cog, FakeInteraction(fake_bot), "Is tea green?")
    await Ask.ask.callback(cog, FakeInteraction(fake_bot), "Is tea green?", False, "tea")
    asks = [(c[1][1], c[2]["library"]) for c in fake_bot.engine.calls if c[0] == "ask"]
    assert asks == [(None, True), ("tea", True)]  # the engine narrows when article is given
    assert fake_bot.conversations.article(5) == "tea"


def test_over_the_rate_a_member_gets_one_notice_per_window():
    cooldowns = UserCooldowns(3, 60)

    def flood(user, count=10):
        notices = 0
        for _ in range(count):
            retry = cooldowns.hit(user)
            notices += retry is not None and cooldowns.notify(user, retry)
        return notices

    assert flood(7) == 1  # 3 answered, 7 over the rate: one notice
    assert flood(7) == 0  # still the same window: quiet
    assert flood(8) == 1  # another member has their own


async def test_paragraph_is_verbatim_and_cited(fake_bot):
    interaction = FakeInteraction(fake_bot)
    await Articles.paragraph.callback(Articles(fake_bot), interaction, 2)
    assert interaction.log[1][1].endswith(f'"{PARAGRAPHS[1]}" (¶2)')


async def test_article_add_refuses_other_file_types(fake_bot):
    interaction = FakeInteraction(fake_bot)
    upload = SimpleNamespace(filename="slides.pptx", size=10)
    with pytest.raises(IngestError):
        await Admin.article_add.callback(Admin(fake_bot), interaction, upload)
    assert interaction.log[0][:2] == ("defer", True)  # admin replies are ephemeral


def test_admin_commands_are_hidden_and_checked():
    for command in (Admin.article_add, Admin.article_remove, Admin.reindex):
        assert command.default_permissions == discord.Permissions(manage_guild=True)
        assert command.guild_only and command.checks  # checked in code as well


# -- buttons ----------------------------------------------------------------------------------


async def test_buttons_show_the_paragraph_and_more_quotes(fake_bot):
    answer = FakeEngine().ask("q")
    view = answer_view(fake_bot, answer)
    paragraph, _, more = view.children
    interaction = FakeInteraction(fake_bot)
    await ParagraphButton.callback(paragraph, interaction)
    assert interaction.log[0][:2] == ("defer", True)
    assert interaction.log[1][2] is True and "Black tea is “fully” oxidised." in \
        interaction.log[1][1]
    interaction = FakeInteraction(fake_bot)
    await MoreQuotesButton.callback(more, interaction)
    assert format_quote(answer.more[0]) in interaction.log[1][1]
    fake_bot.more_quotes.clear()
    interaction = FakeInteraction(fake_bot)
    await MoreQuotesButton.callback(more, interaction)
    assert "ask the question again" in interaction.log[1][1]


async def test_buttons_of_a_library_answer_name_and_open_the_right_article(fake_bot):
    bees = Quote("42-bees", 1, "Bees hum.", title="Bees")
    answer = Answer("q", True, [Quote("tea", 2, PARAGRAPHS[1], title="Notes on Tea"), bees],
                    "…", named=True, more=[bees])
    first, second, more = answer_view(fake_bot, answer).children
    assert (first.item.custom_id, second.item.custom_id) == ("qb:p:2:tea", "qb:p:1:42-bees")
    assert (first.item.label, second.item.label) == ("Notes on Tea ¶2", "Bees ¶1")
    interaction = FakeInteraction(fake_bot)
    await ParagraphButton.callback(second, interaction)
    assert ("paragraph", (1, "42-bees"), {"guild": "42"}) in [c[:3] for c in fake_bot.engine.calls]
    assert ("article", ("42-bees",), {"guild": "42"}) in [c[:3] for c in fake_bot.engine.calls]
    interaction = FakeInteraction(fake_bot)
    await MoreQuotesButton.callback(more, interaction)
    assert '"Bees hum." (Bees ¶1)' in interaction.log[1][1]


async def test_a_paragraph_button_of_a_removed_article_opens_no_other(fake_bot):
    """The engine finds an article by part of its id too: the button of a removed "42-bees"
    opened ¶1 of "42-bees-notes" (any article whose id or title held it)."""
    notes = dataclasses.replace(BEES, id="42-bees-notes", title="Bee notes")
    fake_bot.engine.articles = lambda guild=None: [INFO, notes]
    fake_bot.engine.article = lambda article=None, **_: notes  # what _find gives for "42-bees"
    interaction = FakeInteraction(fake_bot)
    await ParagraphButton.callback(ParagraphButton("42-bees", 1), interaction)
    [(kind, content, ephemeral, _)] = interaction.log[1:]
    assert ephemeral and "not available here any more" in content


def test_no_buttons_when_not_answered(fake_bot):
    assert answer_view(fake_bot, Answer("q", False, [], "Not covered.")) is None


# -- chat -------------------------------------------------------------------------------------


def message(content="", *, mentions=(), guild=True, reference=None, author_bot=False,
            channel=None):
    return SimpleNamespace(
        id=len(content) + 1000, content=content, mentions=[SimpleNamespace(id=i) for i in mentions],
        role_mentions=[],
        guild=SimpleNamespace(id=42) if guild else None, reference=reference,
        author=SimpleNamespace(id=7, bot=author_bot), type=discord.MessageType.default,
        channel=channel or SimpleNamespace(id=5))


def test_which_messages_are_questions(fake_bot):
    cog = Ask(fake_bot)
    assert cog.chat_question(message("<@999> how is tea made?", mentions=[999])) == \
        "how is tea made?"
    assert cog.chat_question(message("how is tea made?", guild=False)) == "how is tea made?"
    fake_bot.conversations.answers[555] = True
    reply = SimpleNamespace(message_id=555, resolved=None)
    assert cog.chat_question(message("and oolong?", reference=reply)) == "and oolong?"
    assert cog.chat_question(message("", reference=reply)) is None  # unreadable reply
    assert cog.chat_question(message("tea talk")) is None
    assert cog.chat_question(message("<@999> hi", mentions=[999], author_bot=True)) is None


def test_a_channel_not_in_the_cache_is_not_taken_for_one_closed_to_the_bot():
    """discord.py gives a message in a channel it has not cached a PartialMessageable, whose
    permissions are always none: the question went unanswered, logged as "no Send Messages
    permission", instead of letting Discord decide."""
    from bot.discordbot.cogs.ask import can_post

    channel = discord.PartialMessageable(state=None, id=5, guild_id=42)
    message = SimpleNamespace(guild=SimpleNamespace(me=SimpleNamespace(id=999)), channel=channel)
    assert can_post(message) == (True, True)


async def test_a_refused_reply_is_posted_without_the_reply():
    """Where the bot's permissions are unknown (its member not cached), Discord's refusal of a
    reply for want of Read Message History (160002) falls back to a plain post; any other
    error is not swallowed."""
    posted = []

    async def refuse(code):
        response = SimpleNamespace(status=400, reason="Bad Request")
        raise discord.HTTPException(response, {"code": code, "message": "no"})

    async def send(text, **options):
        posted.append(text)
        return SimpleNamespace(id=1)

    asked = message("<@999> tea?", guild=False)
    asked.channel.send = send
    asked.reply = lambda *a, **k: refuse(160002)
    await Ask.post(asked, "an answer")
    assert posted == ["an answer"]
    asked.reply = lambda *a, **k: refuse(50013)
    with pytest.raises(discord.HTTPException):
        await Ask.post(asked, "another")
    assert posted == ["an answer"]


def test_follow_ups_in_reply_chains_and_threads():
    conversations = Conversations()
    first = message("<@999> What about Hong Kong?")
    conversations.record(first, [], "What about Hong Kong?", [501])
    follow_up = message("and Russia?", reference=SimpleNamespace(message_id=501))
    assert conversations.history(follow_up) == ["What about Hong Kong?"]
    conversations.record(follow_up, ["What about Hong Kong?"], "and Russia?", [502])
    again = message("and the US?", reference=SimpleNamespace(message_id=502))
    assert conversations.history(again) == ["What about Hong Kong?", "and Russia?"]
    assert conversations.history(message("unrelated")) == []

    thread = discord.Thread.__new__(discord.Thread)
    thread.id = 77
    in_thread = message("<@999> What about Taiwan?", channel=thread)
    conversations.record(in_thread, [], "What about Taiwan?", [601])
    assert conversations.history(message("<@999> and Tibet?", channel=thread)) == \
        ["What about Taiwan?"]


def test_a_run_of_mores_keeps_the_question_it_pages():
    """Four "more"s in a reply chain still reach the question (the last three *messages*
    would be three "more"s), and the three questions before them stay for follow-ups."""
    conversations = Conversations()
    history: list[str] = []
    for k, text in enumerate(["What about Hong Kong?", "and Russia?", "What did Xi say?",
                              "more", "more", "more", "more"]):
        asked = message(text, reference=SimpleNamespace(message_id=500 + k) if k else None)
        history = conversations.history(asked)
        conversations.record(asked, history, text, [501 + k])
    assert history == ["What about Hong Kong?", "and Russia?", "What did Xi say?",
                       "more", "more", "more"]


# -- helpers ----------------------------------------------------------------------------------


quote_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                      min_size=1, max_size=700).filter(lambda t: t.strip() and "\n\n" not in t)


@given(st.lists(quote_texts, min_size=1, max_size=12))
def test_split_never_cuts_a_quote(texts):
    blocks = [format_quote(Quote("a", i + 1, t.strip())) for i, t in enumerate(texts)]
    parts = split_message("\n\n".join(blocks))
    assert all(len(p) <= 2000 for p in parts)
    assert [b for p in parts for b in p.split("\n\n")] == [b.strip() for b in blocks]


def test_intents_are_minimal():
    wanted = intents()
    assert wanted.message_content and wanted.guild_messages and wanted.dm_messages
    assert not wanted.members and not wanted.presences and not wanted.guild_typing
    assert not intents(message_content=False).message_content


def test_token_never_logged(caplog):
    logger = logging.getLogger("quotebot.test")
    caplog.handler.addFilter(TokenFilter("sekrit.tok.en"))
    logger.warning("header was Bot %s", "sekrit.tok.en")
    assert "sekrit" not in caplog.text and "[DISCORD_TOKEN]" in caplog.text


def test_escape_quoted_leaves_link_targets_and_markup_of_our_own():
    quote = Quote(article="a", paragraph=2, text="snake_case", url="https://x.org/p")
    message = (f"Summary of *Notes*:\n\n\"snake_case\" "
               f"[(¶2)](<https://x.org/p#:~:text=snake_case>)\n\nMore on “```a_b”")
    shown = escape_quoted(message, [quote], echoed=["```a_b"])
    assert shown == ("Summary of *Notes*:\n\n\"snake\\_case\" "
                     "[(¶2)](<https://x.org/p#:~:text=snake_case>)\n\n"
                     "More on “\\`\\`\\`a\\_b”")
    assert escape_quoted("plain *text*", [Quote(article="a", paragraph=1, text="*")]) == (
        "plain *text*")  # a quote line too short to tell from our own markup
