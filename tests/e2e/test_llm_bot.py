"""End to end with a language model: the real bot against the fake Discord, its engine configured
with ``llm=openai`` against the scripted model server on 127.0.0.1 (tests/llm). What a member
sees is the model's short answer with verified quotes, or the extractive answer; never an
invented quote, a planted instruction's words or a link the article lacks."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.settings import Settings
from tests.e2e.test_scenarios import HONG_KONG, assert_no_pings, assert_verbatim, mention
from tests.llm.llm_fake_server import ScriptedLLM

INVENTED = ("permanent alliance", "retired", "evil.example", "troops", "belongs to Russia",
            "@everyone", "will never allow foreign forces", "1.5 billion")
BAD = {
    "What did Wang Yi say about relations with the United States?": "fabricated",
    "What have China and Russia forged together, according to Wang?": "frankenquote",
    "Under which organization will they strengthen strategic consultation?": "injection",
    "Will China copy other countries' models?": "inline_fabricated",
    "How many people does China have?": "malformed",
    "Which initiatives are being connected?": "slow",
    "What does Russia contribute to the partnership?": "error500",
    "Does Russia support China on Hong Kong?": "inline_single",
    "Is China a developing country?": "number_changed",
    "Who criticized China's domestic issues?": "inline_styles",
}


@pytest.fixture
def script():
    server = ScriptedLLM(slow_seconds=3.0).start()
    server.route(HONG_KONG, "fenced")
    for question, case in BAD.items():
        server.route(question, case)
    yield server
    server.stop()


@pytest.fixture
def llm_engine(engine, script):
    """The session's store, answered through the scripted model."""
    settings = Settings(_env_file=None, data_dir=engine.settings.data_dir, llm="openai",
                        llm_url=script.openai_url, llm_model="correct", llm_timeout=1.0)
    return Engine(settings, engine.store)


async def test_ask_shows_the_models_answer_with_verified_quotes(start_bot, fake_discord,
                                                                llm_engine, script):
    await start_bot(llm_engine)
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    [followup] = await fake_discord.followups(interaction)
    assert followup.content.startswith("Putin backed China on Hong Kong.\n\n")
    assert {n for _, n in assert_verbatim(followup.content, llm_engine)} == {3}
    assert_no_pings(followup)
    assert [r.scenario for r in script.requests] == ["fenced"]


async def test_bad_model_replies_never_reach_discord(start_bot, fake_discord, llm_engine,
                                                     script):
    await start_bot(llm_engine)
    for question in BAD:
        await fake_discord.send_message(f"{mention(fake_discord)} {question}")
    replies = await fake_discord.channel_posts(count=len(BAD), timeout=30)
    assert {r.scenario for r in script.requests} == set(BAD.values())
    for reply in replies:
        assert_verbatim(reply.content, llm_engine)  # the extractive answer, quotes verbatim
        for invented in INVENTED:
            assert invented not in reply.content
        assert_no_pings(reply)


async def test_follow_up_is_made_standalone_by_the_model(start_bot, fake_discord, llm_engine,
                                                         script):
    await start_bot(llm_engine)
    await fake_discord.send_message(f"{mention(fake_discord)} What did Xi and Putin vow to do?")
    await fake_discord.channel_posts()
    sent = next(m for m in fake_discord.messages.values()
                if m["author"]["id"] == fake_discord.bot_user["id"])
    await fake_discord.send_message("and what about Hong Kong?", mention_bot=False,
                                    reply_to=sent["id"])
    _, reply = await fake_discord.channel_posts(count=2)
    rewrite = script.of_task("rewrite")
    assert len(rewrite) == 1
    assert "What did Xi and Putin vow to do?" in rewrite[0].body["messages"][-1]["content"]
    # the model's standalone question was answered (the scripted rewrite names Hong Kong)
    assert reply.content.startswith("Putin backed China on Hong Kong.")
    assert_verbatim(reply.content, llm_engine)


async def test_a_quotation_in_the_models_sentence_is_shown_with_its_true_paragraph(
        start_bot, fake_discord, llm_engine, script):
    script.route("What does Moscow oppose?", "inline_miscited")
    await start_bot(llm_engine)
    interaction = await fake_discord.slash("ask", question="What does Moscow oppose?")
    [followup] = await fake_discord.followups(interaction)
    assert followup.content.startswith('Moscow stressed that "Russia opposes all kinds of '
                                       'provocative actions that violate China’s sovereignty" '
                                       '(¶3).')
    assert "(¶5)" not in followup.content
    assert {n for _, n in assert_verbatim(followup.content, llm_engine)} == {3}
