"""End to end: the real bot, discord.py and engine against the fake Discord.

Each test dispatches gateway events (MESSAGE_CREATE, INTERACTION_CREATE) and asserts on the REST
calls the bot makes in answer."""

from __future__ import annotations

import asyncio
import re
import time

from bot.discordbot.common import escape_quoted
from bot.models import Answer, Quote
from bot.render import format_quote
from tests.e2e.fakediscord import ADMIN_PERMISSIONS, READ_MESSAGE_HISTORY, SEND_MESSAGES

QUOTE = re.compile(r'^"(?P<a>[^"\n]+)" \(¶(?P<n>\d+)\)$|'
                   r'^“(?P<b>[^“”\n]+)” \(¶(?P<m>\d+)\)$',
                   re.MULTILINE)
HONG_KONG = "What did Putin say about Hong Kong?"
DEFER, MESSAGE = 5, 4  # interaction callback types


def quotes_in(text: str | None) -> list[tuple[str, int]]:
    return [(m["a"] or m["b"], int(m["n"] or m["m"])) for m in QUOTE.finditer(text or "")]


def assert_verbatim(text: str | None, engine) -> list[tuple[str, int]]:
    """Every quote is in the article word for word, in the paragraph it cites."""
    quotes = quotes_in(text)
    assert quotes, f"no quotes in {text!r}"
    for quote, number in quotes:
        assert quote in engine.paragraph(number), f"“{quote}” is not in ¶{number}"
    return quotes


def assert_no_pings(call) -> None:
    body = call.json.get("data", call.json) if call.json.get("type") else call.json
    allowed = body.get("allowed_mentions")
    assert allowed is not None and allowed.get("parse") == [], call
    assert not allowed.get("users") and not allowed.get("roles")
    assert not allowed.get("replied_user")


def custom_ids(call) -> list[str]:
    return [c["custom_id"] for row in call.json.get("components") or []
            for c in row.get("components", [])]


def callback(fake, interaction):
    calls = [c for c in fake.replies_to(interaction) if c.path.endswith("/callback")]
    assert len(calls) == 1, calls
    return calls[0]


def mention(fake) -> str:
    return f"<@{fake.bot_user['id']}>"


# -- chat -------------------------------------------------------------------------------------


async def test_mention_gets_a_cited_reply(bot, fake_discord, engine):
    question = await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    [reply] = await fake_discord.channel_posts()
    assert str(reply.json["message_reference"]["message_id"]) == question["id"]
    assert len(reply.content) <= 2000
    quotes = assert_verbatim(reply.content, engine)
    assert 3 in {n for _, n in quotes}
    assert_no_pings(reply)
    assert any(i.startswith("qb:p:3:") for i in custom_ids(reply))


async def test_an_edited_question_gets_its_answer_redone_in_place(bot, fake_discord, engine):
    """A member fixes their question ("Hong Kng" → "Hong Kong"): the answer above is edited
    into the new one, buttons included, rather than a second answer posted under the wrong
    one. An edit that changes nothing, or takes the mention out, leaves it alone."""
    typo = "What is NATO?"
    question = await fake_discord.send_message(f"{mention(fake_discord)} {typo}")
    [first] = await fake_discord.channel_posts()
    assert first.content == engine.ask(typo).message and not custom_ids(first)
    answer_id = next(i for i, m in fake_discord.messages.items()
                     if m["author"]["id"] == fake_discord.bot_user["id"])
    await fake_discord.edit_message(question, f"{mention(fake_discord)} {HONG_KONG}")
    path = f"/channels/{fake_discord.channel_id}/messages/{answer_id}"
    [edit] = await fake_discord.wait_for(lambda c: c.method == "PATCH" and c.path == path)
    assert edit.content == engine.ask(HONG_KONG).message
    assert any(i.startswith("qb:p:3:") for i in custom_ids(edit))
    assert_verbatim(edit.content, engine)
    await fake_discord.edit_message(question, f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.edit_message(question, HONG_KONG.replace("Putin", "Xi"))  # no mention
    await fake_discord.settle()
    assert [c.method for c in fake_discord.calls if c.path.startswith(
        f"/channels/{fake_discord.channel_id}/messages")] == ["POST", "PATCH"]
    # a follow-up to the edited answer continues the edited question
    follow_up = await fake_discord.send_message("and what about Russia?", mention_bot=False,
                                                reply_to=answer_id)
    _, reply = await fake_discord.channel_posts(count=2)
    assert str(reply.json["message_reference"]["message_id"]) == follow_up["id"]
    assert reply.content == engine.ask("and what about Russia?", history=[HONG_KONG]).message


async def test_an_edit_after_a_moderator_deleted_the_answer_gets_a_new_answer(
        bot, fake_discord, engine):
    """The edit of the old answer failed (404) and was only logged: the fixed question got
    nothing, and every later edit the same."""
    question = await fake_discord.send_message(f"{mention(fake_discord)} What is NATO?")
    await fake_discord.channel_posts()
    [answer_id] = [i for i, m in fake_discord.messages.items()
                   if m["author"]["id"] == fake_discord.bot_user["id"]]
    await fake_discord.delete_message(fake_discord.messages[answer_id])  # a moderator
    await fake_discord.edit_message(question, f"{mention(fake_discord)} {HONG_KONG}")
    _, reply = await fake_discord.channel_posts(count=2)
    assert reply.content == engine.ask(HONG_KONG).message
    assert str(reply.json["message_reference"]["message_id"]) == question["id"]
    [new_id] = [i for i, m in fake_discord.messages.items()
                if m["author"]["id"] == fake_discord.bot_user["id"]]
    await fake_discord.edit_message(question, f"{mention(fake_discord)} What about Taiwan?")
    path = f"/channels/{fake_discord.channel_id}/messages/{new_id}"
    [edit] = await fake_discord.wait_for(lambda c: c.method == "PATCH" and c.path == path)
    assert edit.content == engine.ask("What about Taiwan?").message


async def test_a_question_edited_into_a_bare_link_gets_the_how_to_add_reply_in_place(
        bot, fake_discord, engine):
    question = await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.channel_posts()
    [answer_id] = [i for i, m in fake_discord.messages.items()
                   if m["author"]["id"] == fake_discord.bot_user["id"]]
    await fake_discord.edit_message(question, f"{mention(fake_discord)} https://example.org/a")
    path = f"/channels/{fake_discord.channel_id}/messages/{answer_id}"
    [edit] = await fake_discord.wait_for(lambda c: c.method == "PATCH" and c.path == path)
    assert "/article-add" in edit.content and not custom_ids(edit)
    await fake_discord.settle()
    assert len([c for c in fake_discord.calls if c.method == "POST"
                and c.path.endswith("/messages")]) == 1


async def test_a_deleted_question_takes_its_answer_with_it(bot, fake_discord, engine):
    question = await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.channel_posts()
    [answer_id] = [i for i, m in fake_discord.messages.items()
                   if m["author"]["id"] == fake_discord.bot_user["id"]]
    other = await fake_discord.send_message("an unrelated message", mention_bot=False)
    await fake_discord.delete_message(other)  # not a question it answered: nothing happens
    await fake_discord.delete_message(question)
    path = f"/channels/{fake_discord.channel_id}/messages/{answer_id}"
    await fake_discord.wait_for(lambda c: c.method == "DELETE" and c.path == path)
    await fake_discord.settle()
    assert len([c for c in fake_discord.calls if c.method == "DELETE"]) == 1
    assert answer_id not in fake_discord.messages


async def test_follow_up_in_a_reply_chain_uses_the_previous_question(bot, fake_discord, engine):
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    [answer] = await fake_discord.channel_posts()
    sent = next(m for m in fake_discord.messages.values()
                if m["author"]["id"] == fake_discord.bot_user["id"])
    follow_up = await fake_discord.send_message("and what about Russia?", mention_bot=False,
                                                reply_to=sent["id"])
    _, reply = await fake_discord.channel_posts(count=2)
    assert str(reply.json["message_reference"]["message_id"]) == follow_up["id"]
    expected = engine.ask("and what about Russia?", history=[HONG_KONG])
    assert reply.content == expected.message
    assert reply.content != engine.ask("and what about Russia?").message  # history mattered
    assert_verbatim(reply.content, engine)


async def test_more_in_a_reply_chain_shows_further_quotes(bot, fake_discord, engine):
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.channel_posts()
    sent = next(m for m in fake_discord.messages.values()
                if m["author"]["id"] == fake_discord.bot_user["id"])
    await fake_discord.send_message("tell me more", mention_bot=False, reply_to=sent["id"])
    _, reply = await fake_discord.channel_posts(count=2)
    assert reply.content.startswith(f"More on “{HONG_KONG}”:")
    shown = assert_verbatim(reply.content, engine)
    assert [t for t, _ in shown] == [q.text for q in engine.ask(HONG_KONG).more[:len(shown)]]


async def test_and_then_in_a_reply_chain_goes_on_through_the_article(bot, fake_discord, engine):
    """"and then?" in reply to an answer quotes what the article says after it, and again in
    reply to that, further on: the chain's messages reach the engine in order."""
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.channel_posts()
    replies = []
    for count in (2, 3):
        last = [m for m in fake_discord.messages.values()
                if m["author"]["id"] == fake_discord.bot_user["id"]][-1]
        await fake_discord.send_message("and then?", mention_bot=False, reply_to=last["id"])
        replies.append((await fake_discord.channel_posts(count=count))[-1].content)
    assert replies == [engine.ask("and then?", history=[HONG_KONG]).message,
                       engine.ask("and then?", history=[HONG_KONG, "and then?"]).message]
    first, second = (assert_verbatim(text, engine) for text in replies)
    answer = engine.ask(HONG_KONG)
    # each goes on from where the one before it ended, in the same article
    assert first[0][1] >= answer.quotes[0].paragraph and second[0][1] >= first[0][1]
    assert first != second


async def test_check_a_message_in_the_articles(bot, fake_discord, engine):
    """The message menu looks a member's message up in the articles, for the one who asked."""
    claim = await fake_discord.send_message(
        "Apparently Putin backed China over Hong Kong, is that what it says?", mention_bot=False)
    await fake_discord.settle()
    interaction = await fake_discord.message_menu("Check in the articles", claim)
    [answer] = await fake_discord.followups(interaction)
    assert callback(fake_discord, interaction).json["data"]["flags"] == 64  # ephemeral defer
    assert answer.ephemeral and 3 in {n for _, n in assert_verbatim(answer.content, engine)}
    await fake_discord.settle()
    assert not [c for c in fake_discord.calls if c.method == "POST"
                and c.path == f"/channels/{fake_discord.channel_id}/messages"]  # nothing public
    empty = await fake_discord.send_message(f"{mention(fake_discord)}", mention_bot=False)
    await fake_discord.settle()
    refused = await fake_discord.message_menu("Check in the articles", empty)
    await fake_discord.wait_for(lambda c: refused["token"] in c.path)
    await fake_discord.settle(0.05)
    [reply] = fake_discord.replies_to(refused)
    assert "no text I can look up" in reply.json["data"]["content"]


async def test_follow_up_in_a_thread(bot, fake_discord, engine):
    thread = fake_discord.thread_id
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}", channel=thread)
    await fake_discord.channel_posts(channel=thread)
    await fake_discord.send_message(f"{mention(fake_discord)} and what about Russia?",
                                    channel=thread)
    _, reply = await fake_discord.channel_posts(count=2, channel=thread)
    assert reply.content == engine.ask("and what about Russia?", history=[HONG_KONG]).message
    assert reply.content != engine.ask("and what about Russia?").message  # history mattered


async def test_reply_to_an_ask_answer_is_a_follow_up(bot, fake_discord, engine):
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.followups(interaction)
    answer = next(m for m in reversed(list(fake_discord.messages.values()))
                  if m["author"]["id"] == fake_discord.bot_user["id"])
    await fake_discord.send_message("and what about Russia?", mention_bot=False,
                                    reply_to=answer["id"])
    [reply] = await fake_discord.channel_posts()
    assert reply.content == engine.ask("and what about Russia?", history=[HONG_KONG]).message
    assert reply.content != engine.ask("and what about Russia?").message  # history mattered


async def test_a_dm_is_a_question(bot, fake_discord, engine):
    await fake_discord.send_message(HONG_KONG, mention_bot=False, dm=True)
    [reply] = await fake_discord.channel_posts(channel=fake_discord.dm_channel_id)
    assert_verbatim(reply.content, engine)


async def test_thanks_and_summaries_asked_for_in_chat(bot, fake_discord, engine):
    await fake_discord.send_message(f"{mention(fake_discord)} thanks!")
    [reply] = await fake_discord.channel_posts()
    assert reply.content.startswith("You're welcome!") and not reply.json.get("components")
    assert_no_pings(reply)
    await fake_discord.send_message("summary please", mention_bot=False, dm=True)
    [summary] = await fake_discord.channel_posts(channel=fake_discord.dm_channel_id)
    assert summary.content.startswith("Summary of *The Solidarity of China and Russia")
    assert len(assert_verbatim(summary.content, engine)) >= 5
    await fake_discord.send_message("tl;dr", mention_bot=False, dm=True)  # asked for short
    _, short = await fake_discord.channel_posts(count=2, channel=fake_discord.dm_channel_id)
    assert short.content.startswith("Summary of *The Solidarity of China and Russia")
    assert 1 <= len(assert_verbatim(short.content, engine)) <= 3


async def test_a_bare_link_gets_how_to_add_it_not_a_search(bot, fake_discord):
    """A member shares a link with the bot: it was searched as a question ("I couldn't find
    that…"); it is a page they would like to ask about, so the reply says how to add it. So is
    a file sent with nothing to ask about it."""
    await fake_discord.send_message(f"{mention(fake_discord)} https://example.com/news/story")
    [reply] = await fake_discord.channel_posts()
    assert reply.content.startswith("That's a link") and "`/article-add`" in reply.content
    assert_no_pings(reply)
    await fake_discord.send_message("<https://example.com/x>", mention_bot=False, dm=True)
    [dm] = await fake_discord.channel_posts(channel=fake_discord.dm_channel_id)
    assert dm.content.startswith("That's a link") and "In a server" in dm.content
    # a question that holds a link is still a question
    await fake_discord.send_message(f"{mention(fake_discord)} what does https://example.com say "
                                    "about Hong Kong?")
    _, question = await fake_discord.channel_posts(count=2)
    assert not question.content.startswith("That's a link")
    # a file sent with nothing to ask: how to add it too
    await fake_discord.send_message(mention(fake_discord), files=("report.pdf",))
    *_, file_hint = await fake_discord.channel_posts(count=3)
    assert file_hint.content.startswith("That's a file") and ".pdf" in file_hint.content
    assert "`/article-add`" in file_hint.content
    # /ask with a link: the same, just for the member who asked
    interaction = await fake_discord.slash("ask", question="https://example.com/news/story")
    await fake_discord.wait_for(lambda c: interaction["token"] in c.path)
    hint = callback(fake_discord, interaction)
    assert hint.json["type"] == MESSAGE and hint.json["data"]["flags"] == 64
    assert "`/article-add`" in hint.json["data"]["content"]


async def test_messages_not_for_the_bot_are_ignored(bot, fake_discord):
    await fake_discord.send_message("just chatting about Hong Kong", mention_bot=False)
    await fake_discord.settle()
    assert not [c for c in fake_discord.calls if c.path.startswith("/channels/")]


async def test_everyone_in_a_question_is_never_a_ping(bot, fake_discord, engine):
    await fake_discord.send_message(f"{mention(fake_discord)} @everyone <@&123> {HONG_KONG}")
    [reply] = await fake_discord.channel_posts()
    assert_no_pings(reply)
    interaction = await fake_discord.slash("ask", question=f"@everyone @here {HONG_KONG}")
    [followup] = await fake_discord.followups(interaction)
    assert_no_pings(followup)
    assert "@everyone" not in followup.content


async def test_without_read_message_history_the_answer_is_posted_without_the_reply(
        start_bot, fake_discord, engine):
    """Discord refuses a reply (code 160002) from a bot that may not read the channel's history;
    the answer is then posted as a plain message rather than lost."""
    fake_discord.denied[fake_discord.channel_id] = READ_MESSAGE_HISTORY
    await start_bot()
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    [answer] = await fake_discord.wait_for(
        lambda c: c.method == "POST" and c.path.endswith("/messages")
        and not c.json.get("message_reference"))
    assert answer.content == engine.ask(HONG_KONG).message
    assert_no_pings(answer)
    assert any(i.startswith("qb:p:3:") for i in custom_ids(answer))  # the buttons came along


async def test_where_it_may_not_send_a_mention_costs_no_work(start_bot, fake_discord, engine,
                                                              caplog):
    """In a channel the bot cannot post in, a mention is not answered in vain (no search, no
    typing, no refused post), and the operator is told once; /ask still works there."""
    fake_discord.denied[fake_discord.channel_id] = SEND_MESSAGES
    asked = []
    original = engine.ask
    engine.ask = lambda *a, **k: asked.append(a) or original(*a, **k)  # type: ignore[method-assign]
    try:
        await start_bot()
        for _ in range(2):
            await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
        await fake_discord.settle(0.5)
        assert not asked
        assert not [c for c in fake_discord.calls if c.path.startswith("/channels/")]
        warnings = [r for r in caplog.records if "Send Messages" in r.getMessage()]
        assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
        interaction = await fake_discord.slash("ask", question=HONG_KONG)
        [followup] = await fake_discord.followups(interaction)
        assert_verbatim(followup.content, engine)
    finally:
        del engine.ask


# -- /ask and the 3-second rule ---------------------------------------------------------------


async def test_ask_defers_then_follows_up_with_verbatim_quotes(bot, fake_discord, engine):
    started = time.perf_counter()
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    [followup] = await fake_discord.followups(interaction)
    first = fake_discord.replies_to(interaction)[0]
    assert first.path.endswith("/callback") and first.json["type"] == DEFER
    assert not first.json.get("data", {}).get("flags")  # public
    assert time.perf_counter() - started < 3
    assert followup.query.get("wait") in ("1", "true")
    assert followup.content == engine.ask(HONG_KONG).message
    assert 3 in {n for _, n in assert_verbatim(followup.content, engine)}
    assert_no_pings(followup)
    assert not followup.ephemeral


async def test_ask_continues_the_members_own_last_question(bot, fake_discord, engine):
    """/ask "more" and /ask "and what about Russia?" continue the member's last /ask here, as
    they would in chat; another member's "more" is not about that question."""
    first = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.followups(first)
    more = await fake_discord.slash("ask", question="more")
    [shown] = await fake_discord.followups(more)
    assert shown.content.startswith(f"More on “{HONG_KONG}”:"), shown.content
    quoted = [text for text, _ in assert_verbatim(shown.content, engine)]
    assert quoted == [q.text for q in engine.ask(HONG_KONG).more[:len(quoted)]]
    follow_up = await fake_discord.slash("ask", question="and what about Russia?")
    [answer] = await fake_discord.followups(follow_up)
    expected = engine.ask("and what about Russia?", history=[HONG_KONG, "more"])
    assert answer.content == expected.message
    assert answer.content != engine.ask("and what about Russia?").message  # history mattered
    other = await fake_discord.slash("ask", question="more", user=fake_discord.admin)
    [theirs] = await fake_discord.followups(other)
    assert theirs.content.startswith("Ask me a question first")


async def test_private_ask_is_ephemeral(bot, fake_discord, engine):
    interaction = await fake_discord.slash("ask", question=HONG_KONG, private=True)
    [followup] = await fake_discord.followups(interaction)
    assert callback(fake_discord, interaction).json["data"]["flags"] == 64
    assert followup.ephemeral
    assert_verbatim(followup.content, engine)


async def test_too_long_question_is_refused_before_any_work(bot, fake_discord, engine):
    asked = []
    original = engine.ask
    engine.ask = lambda *a, **k: asked.append(a) or original(*a, **k)  # type: ignore[method-assign]
    try:
        interaction = await fake_discord.slash("ask", question="why " * 200)
        await fake_discord.wait_for(lambda c: interaction["token"] in c.path)
        reply = callback(fake_discord, interaction)
        assert reply.json["type"] == MESSAGE and reply.json["data"]["flags"] == 64
        assert "characters long" in reply.json["data"]["content"]
        assert_no_pings(reply)
        await fake_discord.send_message(f"{mention(fake_discord)} {'why ' * 200}")
        [chat] = await fake_discord.channel_posts()
        assert "characters long" in chat.content
    finally:
        del engine.ask
    assert not asked


async def test_an_edit_that_shortens_the_answer_deletes_its_extra_parts(start_bot, fake_discord,
                                                                         engine):
    class LongFirst:
        """The session engine, but "everything" is answered with every paragraph (three
        messages)."""

        def __getattr__(self, name):
            return getattr(engine, name)

        def ask(self, question, article=None, **kw):
            if "everything" not in question:
                return engine.ask(question, article, **kw)
            info = engine.article()
            quotes = [Quote(info.id, n, engine.paragraph(n)) for n in range(1, info.paragraphs)]
            return Answer(question, True, quotes, "\n\n".join(format_quote(q) for q in quotes),
                          article=info.id)

    await start_bot(LongFirst())
    question = await fake_discord.send_message(f"{mention(fake_discord)} Quote everything")
    await fake_discord.settle(0.5)
    parts = [i for i, m in fake_discord.messages.items()
             if m["author"]["id"] == fake_discord.bot_user["id"]]
    assert len(parts) >= 2
    await fake_discord.edit_message(question, f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.wait_for(lambda c: c.method == "DELETE", count=len(parts) - 1)
    await fake_discord.settle()
    kept = [m for m in fake_discord.messages.values()
            if m["author"]["id"] == fake_discord.bot_user["id"]]
    assert [m["id"] for m in kept] == parts[:1]
    assert kept[0]["content"] == engine.ask(HONG_KONG).message


async def test_cooldown_is_per_user_and_friendly(start_bot, fake_discord):
    await start_bot(cooldown_rate=1, cooldown_per=60)
    first = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.followups(first)
    second = await fake_discord.slash("ask", question="What about Taiwan?")
    await fake_discord.wait_for(lambda c: second["token"] in c.path)
    refused = callback(fake_discord, second)
    assert refused.json["type"] == MESSAGE and refused.json["data"]["flags"] == 64
    assert "wait" in refused.json["data"]["content"]
    other = await fake_discord.slash("ask", question=HONG_KONG, user=fake_discord.admin)
    await fake_discord.followups(other)  # another user is not slowed down
    assert callback(fake_discord, other).json["type"] == DEFER
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")  # chat shares it
    [chat] = await fake_discord.channel_posts()
    assert "wait" in chat.content


async def test_thanks_after_a_few_questions_is_not_told_to_slow_down(start_bot, fake_discord):
    """"thanks" after the last question of the window gets "You're welcome!", not "You're
    asking quickly!", and costs no question; a flood of small talk is cut off quietly."""
    await start_bot(cooldown_rate=1, cooldown_per=60)
    await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
    await fake_discord.channel_posts()
    await fake_discord.send_message(f"{mention(fake_discord)} thanks!")
    _, thanks = await fake_discord.channel_posts(count=2)
    assert thanks.content.startswith("You're welcome!"), thanks.content
    for _ in range(3):
        await fake_discord.send_message(f"{mention(fake_discord)} thank you")
    await fake_discord.send_message(f"{mention(fake_discord)} What about Taiwan?")
    *_, notice = await fake_discord.channel_posts(count=3)
    await fake_discord.settle(0.3)
    posts = [c.content for c in fake_discord.calls if c.method == "POST"
             and c.path == f"/channels/{fake_discord.channel_id}/messages"]
    assert len(posts) == 3 and "wait" in notice.content, posts  # the question is still limited


async def test_long_answer_is_split_between_quotes(start_bot, fake_discord, engine):
    class LongAnswers:
        """The session engine, but every answer quotes whole paragraphs (over 2,000 chars)."""

        def __getattr__(self, name):
            return getattr(engine, name)

        def ask(self, question, article=None, **_):
            info = engine.article()
            quotes = [Quote(info.id, n, engine.paragraph(n)) for n in range(1, info.paragraphs)]
            message = "\n\n".join(format_quote(q) for q in quotes)
            return Answer(question, True, quotes, message, article=info.id)

    await start_bot(LongAnswers())
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.followups(interaction)
    await fake_discord.settle()
    parts = [c.content for c in fake_discord.replies_to(interaction) if c.method == "POST"
             and c.path.startswith("/webhooks/")]
    # (as Discord gets them: the author note's "*" escaped, see ``escape_quoted``)
    expected = [escape_quoted(format_quote(q), [q]) for q in LongAnswers().ask("x").quotes]
    assert len(parts) >= 2 and all(len(p) <= 2000 for p in parts)
    found = [block for part in parts for block in part.split("\n\n")]
    assert found == expected  # every quote whole, in one message, in order


async def test_slow_engine_work_does_not_block_the_event_loop(start_bot, fake_discord, engine):
    class Slow:
        """The session engine, with answers that take a second of (blocking) work."""

        def __getattr__(self, name):
            return getattr(engine, name)

        def ask(self, *args, **kwargs):
            time.sleep(1.0)
            return engine.ask(*args, **kwargs)

    await start_bot(Slow())
    slow = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.wait_for(lambda c: slow["token"] in c.path)
    quick = await fake_discord.slash("paragraph", number=3, user=fake_discord.admin)
    [shown] = await fake_discord.followups(quick)
    [answer] = await fake_discord.followups(slow)
    # the paragraph was served while the answer was still being worked out
    assert fake_discord.calls.index(shown) < fake_discord.calls.index(answer)
    assert_verbatim(answer.content, engine)


# -- /summary, /paragraph, /article, /help ----------------------------------------------------


async def test_summary_is_quoted_and_cited(bot, fake_discord, engine):
    interaction = await fake_discord.slash("summary")
    [followup] = await fake_discord.followups(interaction)
    assert callback(fake_discord, interaction).json["type"] == DEFER
    assert len(assert_verbatim(followup.content, engine)) >= 3
    ranged = await fake_discord.slash("summary", paragraphs="2-4")
    [part] = await fake_discord.followups(ranged)
    assert {n for _, n in assert_verbatim(part.content, engine)} <= {2, 3, 4}


async def test_paragraph_3_is_shown_verbatim_and_cited(bot, fake_discord, engine):
    interaction = await fake_discord.slash("paragraph", number=3)
    [followup] = await fake_discord.followups(interaction)
    assert callback(fake_discord, interaction).json["type"] == DEFER
    assert quotes_in(followup.content) == [(engine.paragraph(3), 3)]


async def test_paragraph_99_is_a_clear_ephemeral_error(bot, fake_discord):
    interaction = await fake_discord.slash("paragraph", number=99)
    [followup] = await fake_discord.followups(interaction)
    assert followup.ephemeral
    assert "no paragraph 99" in followup.content and "1 to 9" in followup.content
    # the public "thinking…" placeholder was removed rather than turned into the error
    assert any(c.method == "DELETE" and c.path.endswith("/messages/@original")
               for c in fake_discord.replies_to(interaction))
    zero = await fake_discord.slash("paragraph", number=0)
    [error] = await fake_discord.followups(zero)
    assert error.ephemeral and "no paragraph 0" in error.content


async def test_article_and_help(bot, fake_discord, engine):
    interaction = await fake_discord.slash("article")
    [followup] = await fake_discord.followups(interaction)
    info = engine.article()
    assert info.title in followup.content and f"{info.paragraphs} paragraphs" in followup.content
    assistance = await fake_discord.slash("help")
    [text] = await fake_discord.followups(assistance)
    assert text.ephemeral and "/ask" in text.content


# -- buttons ----------------------------------------------------------------------------------


async def test_paragraph_and_more_quotes_buttons(bot, fake_discord, engine):
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    [followup] = await fake_discord.followups(interaction)
    ids = custom_ids(followup)
    message = next(m for m in reversed(list(fake_discord.messages.values()))
                   if m["components"])
    paragraph_button = next(i for i in ids if i.startswith("qb:p:3:"))
    click = await fake_discord.click(message, paragraph_button)
    [shown] = await fake_discord.followups(click)
    assert callback(fake_discord, click).json["data"]["flags"] == 64
    assert shown.ephemeral and quotes_in(shown.content) == [(engine.paragraph(3), 3)]

    more_button = next(i for i in ids if i.startswith("qb:m:"))
    more = await fake_discord.click(message, more_button)
    [extra] = await fake_discord.followups(more)
    assert extra.ephemeral
    expected = engine.ask(HONG_KONG).more
    assert [q for q, _ in assert_verbatim(extra.content, engine)] == [q.text for q in expected]


# -- admin ------------------------------------------------------------------------------------


async def test_admin_commands_are_refused_to_non_admins(bot, fake_discord):
    for name in ("reindex", "article-add", "article-remove"):
        options = {"attachments": {"file": ("a.txt", b"Title\n\nText.")}} \
            if name == "article-add" else {"article": "x"} if name == "article-remove" else {}
        interaction = await fake_discord.slash(name, **options)
        await fake_discord.wait_for(lambda c: interaction["token"] in c.path)
        await fake_discord.settle(0.05)
        [reply] = fake_discord.replies_to(interaction)
        assert reply.json["type"] == MESSAGE and reply.json["data"]["flags"] == 64
        assert "Manage Server" in reply.json["data"]["content"]


async def test_admin_adds_an_article_answered_in_that_guild_only(bot, fake_discord, engine):
    text = ("Notes on Tea\n\nBy A. Writer\n\nGreen tea is steamed or pan-fired soon after "
            "picking, which keeps it green.\n\nBlack tea is fully oxidised before it is dried.\n")
    added = await fake_discord.slash("article-add", user=fake_discord.admin,
                                     permissions=ADMIN_PERMISSIONS,
                                     attachments={"file": ("tea.md", text.encode())})
    [done] = await fake_discord.followups(added)
    assert callback(fake_discord, added).json["data"]["flags"] == 64 and done.ephemeral
    article_id = re.search(r"as `([^`]+)`", done.content)[1]
    assert article_id.startswith(fake_discord.guild_id)
    interaction = await fake_discord.slash("ask", question="How is black tea made?",
                                           article=article_id)
    [answer] = await fake_discord.followups(interaction)
    assert "oxidised" in answer.content
    assert article_id not in [i.id for i in engine.articles(None)]  # not elsewhere
    listing = await fake_discord.slash("article")
    [articles] = await fake_discord.followups(listing)
    assert "2 articles" in articles.content and "Notes on Tea" in articles.content
    assert engine.article().title in articles.content
    rebuilt = await fake_discord.slash("reindex", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS)
    [note] = await fake_discord.followups(rebuilt)
    assert note.ephemeral and article_id in note.content

    # managers remove what their server added, never the articles every server shares
    completion = await fake_discord.autocomplete("article-remove", "article", "")
    [choices] = await fake_discord.wait_for(lambda c: completion["token"] in c.path)
    assert [c["value"] for c in choices.json["data"]["choices"]] == [article_id]
    shared = await fake_discord.slash("article-remove", user=fake_discord.admin,
                                      permissions=ADMIN_PERMISSIONS, article=engine.article().id)
    [refused] = await fake_discord.followups(shared)
    assert refused.ephemeral and "shared by every server" in refused.content
    removed = await fake_discord.slash("article-remove", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS, article=article_id)
    [gone] = await fake_discord.followups(removed)
    assert gone.ephemeral and gone.content.startswith("Removed **Notes on Tea**")
    asked = await fake_discord.slash("ask", question="How is black tea made?", article=article_id)
    [unknown] = await fake_discord.followups(asked)
    assert "There is no article called" in unknown.content
    assert [i.id for i in engine.articles(fake_discord.guild_id)] == [engine.article().id]


# -- start-up, intents, sync ------------------------------------------------------------------


async def test_identify_asks_only_for_the_intents_it_needs(bot, fake_discord):
    import discord

    intents = discord.Intents._from_value(fake_discord.identify["intents"])
    assert intents.message_content and intents.guild_messages and intents.dm_messages
    assert not intents.members and not intents.presences
    assert not [c for c in fake_discord.calls if c.method == "PUT"]  # no sync at start


async def test_sync_is_on_purpose(start_bot, fake_discord):
    await start_bot(sync_commands="global")
    [put] = await fake_discord.wait_for(lambda c: c.method == "PUT")
    commands = {c["name"]: c for c in put.json}
    assert {"ask", "summary", "paragraph", "article", "help", "reindex",
            "article-add", "article-remove", "Check in the articles"} <= set(commands)
    assert commands["Check in the articles"]["type"] == 3  # a message context menu
    assert commands["ask"]["options"][0] == {**commands["ask"]["options"][0],
                                             "name": "question", "type": 3, "required": True}
    assert commands["paragraph"]["options"][0]["name"] == "number"
    assert commands["paragraph"]["options"][0]["type"] == 4
    assert str(commands["reindex"]["default_member_permissions"]) == "32"
    assert all(c["description"] for c in put.json if c.get("type", 1) == 1)  # slash commands


async def test_owner_sync_command(bot, fake_discord):
    await fake_discord.send_message(f"{mention(fake_discord)} sync")  # not the owner: ignored
    await fake_discord.settle()
    assert not [c for c in fake_discord.calls if c.method in ("PUT", "POST")]
    await fake_discord.send_message(f"{mention(fake_discord)} sync", author=fake_discord.owner)
    await fake_discord.wait_for(lambda c: c.method == "PUT")
    [reply] = await fake_discord.channel_posts()
    assert "Synced" in reply.content


async def test_first_command_is_deferred_at_once_after_start(fake_discord, tmp_path, caplog,
                                                              engine, monkeypatch):
    """main() as ``python -m bot`` runs it: the engine is open before the bot connects."""
    from bot.discordbot import app
    from bot.settings import Settings

    monkeypatch.setattr(app, "open_engine", lambda settings: engine)
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token=fake_discord.token)
    task = asyncio.create_task(app.main(settings, bot_options={"guild_ready_timeout": 0.05}))
    await fake_discord.wait_for(lambda c: c.path == "/oauth2/applications/@me")
    for _ in range(100):
        if fake_discord.identify is not None:
            break
        await asyncio.sleep(0.02)
    await fake_discord.settle(0.1)
    started = time.perf_counter()
    interaction = await fake_discord.slash("ask", question=HONG_KONG)
    await fake_discord.wait_for(lambda c: interaction["token"] in c.path)
    assert time.perf_counter() - started < 2.0
    await fake_discord.followups(interaction)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert fake_discord.token not in caplog.text


async def test_article_option_autocompletes(bot, fake_discord, engine):
    interaction = await fake_discord.autocomplete("ask", "article", "solid",
                                                  question="Hong Kong?")
    [reply] = await fake_discord.wait_for(lambda c: interaction["token"] in c.path)
    assert reply.json["type"] == 8  # autocomplete result
    assert reply.json["data"]["choices"] == [{"name": engine.article().title,
                                              "value": engine.article().id}]


async def test_without_message_content_intent_it_carries_on(fake_discord, engine, tmp_path,
                                                            caplog):
    """An application without the privileged intent: a warning, then mentions still work."""
    from bot.discordbot import app
    from bot.settings import Settings

    fake_discord.message_content_allowed = False
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token=fake_discord.token)
    task = asyncio.create_task(app.main(settings, engine=engine,
                                        bot_options={"guild_ready_timeout": 0.05}))
    try:
        for _ in range(200):
            if len(fake_discord.identifies) == 2:
                break
            await asyncio.sleep(0.02)
        import discord

        first, second = (discord.Intents._from_value(i["intents"])
                         for i in fake_discord.identifies)
        assert first.message_content and not second.message_content
        await fake_discord.settle(0.1)
        await fake_discord.send_message(f"{mention(fake_discord)} {HONG_KONG}")
        [reply] = await fake_discord.channel_posts()
        assert_verbatim(reply.content, engine)
        assert "Message Content intent" in caplog.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
