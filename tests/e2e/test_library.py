"""End to end: a server's library of articles through the real bot against the fake Discord.

A server adds three short articles on distinct topics; chat questions search all of them and
cite the right one by title and ¶, ``/ask`` with the option narrows, ``/summary`` and
``/paragraph`` without it follow the conversation, and another server never sees them."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from datetime import timedelta

import discord
import pytest

from tests.e2e.fakediscord import ADMIN_PERMISSIONS
from tests.e2e.test_scenarios import custom_ids, mention

ARTICLES = {
    "bees.md": ("# Bees\n\nA honey bee colony has one queen, who lays up to two thousand eggs a "
                "day.\n\nWorker bees collect nectar and pollen from flowers.\n"),
    "trains.md": ("# Trains\n\nThe first public steam railway opened in 1825 between Stockton "
                  "and Darlington.\n\nHigh-speed trains in Japan reach 320 km per hour.\n"),
    "tea.md": ("# Notes on Tea and the Long History of Its Trade Routes\n\nGreen tea is steamed "
               "or pan-fired soon after picking, which keeps it green.\n\nBlack tea is fully "
               "oxidised before it is dried.\n"),
}
EGGS = "How many eggs does the queen lay?"
CITED = re.compile(r'"(?P<text>[^"\n]+)" \((?P<title>[^()\n]+?) ¶(?P<n>\d+)\)')


@pytest.fixture
def library_engine(fresh_settings):
    """An engine of this test's own (the articles added here stay here)."""
    from bot.engine import Engine

    return Engine.open(fresh_settings)


async def add_file(fake, name: str, content: bytes) -> dict:
    """/article-add a file as a manager; returns the interaction."""
    return await fake.slash("article-add", user=fake.admin, permissions=ADMIN_PERMISSIONS,
                            attachments={"file": (name, content)})


async def add_articles(fake) -> dict[str, str]:
    """/article-add each article as a manager; returns file name -> article id."""
    ids = {}
    for name, text in ARTICLES.items():
        added = await add_file(fake, name, text.encode())
        [done] = await fake.followups(added)
        ids[name] = re.search(r"as `([^`]+)`", done.content)[1]
    return ids


async def test_a_server_library_is_searched_and_cited_by_title(start_bot, fake_discord,
                                                               library_engine):
    await start_bot(library_engine)
    ids = await add_articles(fake_discord)
    guild = fake_discord.guild_id

    # a chat question searches every article here and cites the right one by title and ¶
    await fake_discord.send_message(f"{mention(fake_discord)} {EGGS}")
    [reply] = await fake_discord.channel_posts()
    first = CITED.search(reply.content)
    assert (first["title"], first["n"]) == ("Bees", "1"), reply.content
    assert first["text"] in library_engine.paragraph(1, ids["bees.md"], guild=guild)
    assert f"qb:p:1:{ids['bees.md']}" in custom_ids(reply)
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    click = await fake_discord.click(message, f"qb:p:1:{ids['bees.md']}")
    [shown] = await fake_discord.followups(click)
    assert shown.ephemeral and "two thousand eggs" in shown.content and "Bees" in shown.content

    # /summary without the option follows the conversation: the article just quoted
    summary = await fake_discord.slash("summary")
    [summed] = await fake_discord.followups(summary)
    # (the header names the article, so its citations are the short ``(¶N)``)
    assert "Summary of *Bees*" in summed.content and "(¶1)" in summed.content
    assert "(Bees ¶" not in summed.content

    # /ask with the option narrows to that article
    narrowed = await fake_discord.slash("ask", question=EGGS, article=ids["trains.md"])
    [answer] = await fake_discord.followups(narrowed)
    assert "Bees" not in answer.content and "Trains" in answer.content
    railway = await fake_discord.slash("ask", question="When did the first railway open?",
                                       article=ids["trains.md"])
    [answer] = await fake_discord.followups(railway)
    assert "1825" in answer.content and "(Trains ¶1)" in answer.content

    # ... and the conversation is now about trains
    paragraph = await fake_discord.slash("paragraph", number=2)
    [shown] = await fake_discord.followups(paragraph)
    assert "¶2 of *Trains*" in shown.content and "320 km" in shown.content

    # a long title is shortened in citations
    await fake_discord.send_message(f"{mention(fake_discord)} How is black tea made?")
    _, tea = await fake_discord.channel_posts(count=2)
    assert "(Notes on Tea and the Long… ¶2)" in tea.content

    # a summary asked for in chat is the summary of the article the conversation is about
    await fake_discord.send_message(f"{mention(fake_discord)} can you summarize the article?")
    *_, summed = await fake_discord.channel_posts(count=3)
    assert summed.content.startswith("Summary of *Notes on Tea"), summed.content
    assert all(len(c.content or "") <= 2000 for c in fake_discord.calls if c.method == "POST")


async def test_another_server_never_sees_them(start_bot, fake_discord, library_engine):
    await start_bot(library_engine)
    ids = await add_articles(fake_discord)
    other = fake_discord.other_guild_id
    secrets = [*ids.values(), "Bees", "Trains", "Notes on Tea"]

    def clean(text: str | None) -> None:
        assert not [s for s in secrets if s in (text or "")], text

    await fake_discord.send_message(f"{mention(fake_discord)} {EGGS}", guild=other)
    [reply] = await fake_discord.channel_posts(channel=fake_discord.other_channel_id)
    clean(reply.content)
    clean(" ".join(custom_ids(reply)))
    # the other server holds only the bundled article: today's behaviour, plain citations
    assert reply.content == library_engine.ask(EGGS).message

    asked = await fake_discord.slash("ask", question=EGGS, guild=other)
    [answer] = await fake_discord.followups(asked)
    clean(answer.content)

    completion = await fake_discord.autocomplete("ask", "article", "", question=EGGS,
                                                 guild=other)
    [choices] = await fake_discord.wait_for(lambda c: completion["token"] in c.path)
    assert [c["value"] for c in choices.json["data"]["choices"]] == \
        [library_engine.article().id]

    # naming another server's article gets the same answer as naming one that does not exist
    errors = []
    for article in (ids["bees.md"], "no-such-article"):
        looked_up = await fake_discord.slash("paragraph", number=1, article=article,
                                             guild=other)
        [error] = await fake_discord.followups(looked_up)
        assert error.ephemeral
        errors.append(error.content.replace(article, "<id>"))
    assert errors[0] == errors[1]
    clean(errors[0].replace("<id>", ""))

    for command in ("summary", "article"):
        shown = await fake_discord.slash(command, guild=other)
        [text] = await fake_discord.followups(shown)
        clean(text.content)

    # a paragraph button of the first server's answer, pressed in the other server
    await fake_discord.send_message(f"{mention(fake_discord)} {EGGS}")
    [answer] = await fake_discord.channel_posts()
    assert f"qb:p:1:{ids['bees.md']}" in custom_ids(answer)
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    click = await fake_discord.click(message, f"qb:p:1:{ids['bees.md']}", guild=other)
    [refused] = await fake_discord.followups(click)
    assert refused.ephemeral and "two thousand" not in refused.content
    clean(refused.content.replace(ids["bees.md"], ""))


async def test_a_flood_gets_one_notice(start_bot, fake_discord):
    await start_bot(cooldown_rate=3, cooldown_per=60)
    for number in range(10):
        await fake_discord.send_message(f"{mention(fake_discord)} question {number} about "
                                        "Hong Kong?")
    await fake_discord.channel_posts(count=4)
    await fake_discord.settle(0.5)
    posts = [c for c in fake_discord.calls
             if c.method == "POST" and c.path == f"/channels/{fake_discord.channel_id}/messages"]
    notices = [p for p in posts if "wait" in (p.content or "")]
    assert len(posts) == 4 and len(notices) == 1, [p.content[:60] for p in posts]


async def test_a_flood_of_empty_or_overlong_questions_gets_one_notice(start_bot, fake_discord):
    """Each bare mention or overlong question got its own error reply, never slowed down: a
    flood of 10 got 10 replies. They count against the cooldown as questions do."""
    await start_bot(cooldown_rate=3, cooldown_per=60)
    for number in range(10):
        text = "" if number % 2 else "why " * 200
        await fake_discord.send_message(f"{mention(fake_discord)} {text}")
    await fake_discord.channel_posts(count=4)
    await fake_discord.settle(0.5)
    posts = [c.content for c in fake_discord.calls
             if c.method == "POST" and c.path == f"/channels/{fake_discord.channel_id}/messages"]
    assert len(posts) == 4 and sum("wait" in p for p in posts) == 1, posts
    assert sum("characters long" in p or "ask a question" in p.lower() for p in posts) == 3


async def test_a_manager_adds_a_web_page_only_from_the_public_internet(start_bot, fake_discord,
                                                                       library_engine):
    fake_discord.files["rivers.txt"] = ("Quiet Rivers\n\nRivers in the north freeze from "
                                        "November to April.\n").encode()
    url = f"{fake_discord.base_url}/files/rivers.txt"  # on 127.0.0.1: not the public internet
    for allow, expected in ((False, "is not a public web address"),
                            (True, "Added **Quiet Rivers**")):
        bot = await start_bot(library_engine, allow_private_urls=allow)
        added = await fake_discord.slash("article-add", user=fake_discord.admin,
                                         permissions=ADMIN_PERMISSIONS, url=f"<{url}>")
        [done] = await fake_discord.followups(added)
        assert done.ephemeral and expected in done.content, done.content
        if not allow:
            await bot.close()
    article_id = re.search(r"as `([^`]+)`", done.content)[1]
    asked = await fake_discord.slash("ask", question="When do northern rivers freeze?",
                                     article=article_id)
    [answer] = await fake_discord.followups(asked)
    assert "November to April" in answer.content
    assert f"](<{url}#:~:text=" in answer.content  # the citation links to the passage
    neither = await fake_discord.slash("article-add", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS)
    [refused] = await fake_discord.followups(neither)
    assert "Give either a file or a url" in refused.content


async def test_a_server_that_removes_the_bot_takes_its_articles_along(start_bot, fake_discord,
                                                                      library_engine):
    await start_bot(library_engine)
    ids = await add_articles(fake_discord)
    guild = fake_discord.guild_id
    everyone = [library_engine.article().id]
    # an outage (the server unavailable for a while) deletes nothing
    await fake_discord.dispatch("GUILD_DELETE", {"id": guild, "unavailable": True})
    await fake_discord.settle()
    assert set(ids.values()) <= {a.id for a in library_engine.articles(guild)}
    await fake_discord.dispatch("GUILD_DELETE", {"id": guild})  # kicked
    for _ in range(50):
        if [a.id for a in library_engine.articles(guild)] == everyone:
            break
        await fake_discord.settle(0.1)
    assert [a.id for a in library_engine.articles(guild)] == everyone
    assert [a.id for a in library_engine.articles(None)] == everyone  # shared ones stay


async def test_a_paragraph_button_opens_an_article_whose_id_has_a_dot(start_bot, fake_discord,
                                                                      library_engine):
    """Ids given by hand may hold '.' (``python -m index build --id bees.v2``); the button's
    custom id must still be recognised when it is pressed, or Discord says the interaction
    failed."""
    library_engine.add_article("bees.md", text=ARTICLES["bees.md"], article_id="bees.v2")
    await start_bot(library_engine)
    asked = await fake_discord.slash("ask", question=EGGS, article="bees.v2")
    [answer] = await fake_discord.followups(asked)
    assert "qb:p:1:bees.v2" in custom_ids(answer)
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    click = await fake_discord.click(message, "qb:p:1:bees.v2")
    [shown] = await fake_discord.followups(click)
    assert shown.ephemeral and "two thousand eggs" in shown.content


async def test_a_manager_rebuilds_only_the_servers_own_articles(start_bot, fake_discord,
                                                                library_engine, monkeypatch):
    """/reindex is a server's: the shared articles (every server's default, a large global
    library) are never rebuilt from a server, nor offered there."""
    await start_bot(library_engine)
    saved = []
    save = library_engine.store.save
    monkeypatch.setattr(library_engine.store, "save",
                        lambda article, *a, **k: saved.append(article.id) or save(article, *a,
                                                                                 **k))

    async def reindex(**options):
        asked = await fake_discord.slash("reindex", user=fake_discord.admin,
                                         permissions=ADMIN_PERMISSIONS, **options)
        [reply] = await fake_discord.followups(asked, timeout=60)
        assert reply.ephemeral
        return reply.content

    shared = library_engine.article().id
    assert "has not added any article" in await reindex()
    assert "shared by every server" in await reindex(article=shared)
    assert saved == []
    ids = await add_articles(fake_discord)
    saved.clear()
    done = await reindex()
    assert sorted(saved) == sorted(ids.values()) and shared not in done
    assert all(f"`{article_id}`" in done for article_id in ids.values())
    saved.clear()
    assert f"`{ids['bees.md']}`" in await reindex(article=ids["bees.md"])
    assert saved == [ids["bees.md"]]
    completion = await fake_discord.autocomplete("reindex", "article", "")
    [choices] = await fake_discord.wait_for(lambda c: completion["token"] in c.path)
    assert sorted(c["value"] for c in choices.json["data"]["choices"]) == sorted(ids.values())


async def test_a_large_library_is_listed_in_one_message_of_whole_lines(start_bot, fake_discord,
                                                                      library_engine):
    """/article in a server with many articles: one public message (not a flood), every line
    whole, the rest counted; titles shown as written (no Markdown), "1 paragraph"."""
    guild = fake_discord.guild_id
    # plain text: its title is "my_notes on *tea*" as written (Markdown would read "*tea*")
    library_engine.add_article("tea.txt", scope=guild,
                               text="my_notes on *tea*\n\nTea is a drink.\n\nIt is hot.\n")
    for n in range(40):
        title = f"Field notes number {n} on the long and winding history of region {n}"
        library_engine.add_article(f"notes{n}.md", scope=guild,
                                   text=f"{title}\n\nRegion {n} grows apples.\n")
    await start_bot(library_engine)
    listing = await fake_discord.slash("article")
    [shown] = await fake_discord.followups(listing)
    await fake_discord.settle(0.5)
    assert len(fake_discord.followups_now(listing)) == 1, "one message, not a flood"
    header, *lines, rest = shown.content.split("\n")
    assert header.startswith("42 articles")
    assert lines[0].startswith(f"• **{library_engine.article().title}**")
    assert lines[0].endswith("— the default")
    assert all(re.fullmatch(r"• \*\*.+\*\*.*: \d+ paragraphs?, id `[^`]+`.*", line)
               for line in lines), lines
    assert "**my\\_notes on \\*tea\\***" in shown.content
    assert "1 paragraph, id" in shown.content and "1 paragraphs" not in shown.content
    hidden = int(re.fullmatch(r"… and (\d+) more: .*", rest)[1])
    assert len(lines) + hidden == 42


async def test_autocomplete_in_a_large_library(start_bot, fake_discord, library_engine):
    """At most 25 choices; typing a digit does not match every article the server added
    (their ids start with the server's id); what starts with the typed text comes first; long
    titles are shortened with an ellipsis; two articles of the same title can be told apart."""
    guild = fake_discord.guild_id
    long = ("Field notes on the long and winding history of the northern regions, their rivers, "
            "their mountains and their people")
    for n in range(30):
        letters = "abcdefghij"[n // 10] + "abcdefghij"[n % 10]
        library_engine.add_article(f"region-{letters}.md", scope=guild,
                                   text=f"{long}, part {letters}\n\nIt grows apples.\n")
    for name in ("tea.md", "tea-copy.md"):
        library_engine.add_article(name, scope=guild, text="Tea\n\nTea is a drink.\n")
    library_engine.add_article("1825.md", scope=guild, text="Trains\n\nIn 1825, trains.\n")
    await start_bot(library_engine)

    async def complete(typed: str) -> list[dict]:
        asked = await fake_discord.autocomplete("ask", "article", typed, question="?")
        [reply] = await fake_discord.wait_for(lambda c: asked["token"] in c.path)
        return reply.json["data"]["choices"]

    everything = await complete("")
    assert len(everything) == 25
    names = [c["name"] for c in everything if c["name"].startswith("Field notes")]
    assert names and all("…" in n and len(n) <= 100 for n in names)
    assert len({c["name"] for c in everything}) == 25  # each can be told from the others
    assert [c["value"] for c in await complete("1")] == [f"{guild}-1825"]
    assert [c["value"] for c in await complete("trains")] == [f"{guild}-1825"]
    teas = await complete("tea")
    assert sorted(c["value"] for c in teas) == [f"{guild}-tea", f"{guild}-tea-copy"]
    assert len({c["name"] for c in teas}) == 2 and all(c["name"].startswith("Tea (")
                                                       for c in teas)
    assert (await complete("the sol"))[0]["value"] == library_engine.article().id


async def test_a_paragraph_button_of_a_removed_article_says_so(start_bot, fake_discord,
                                                               library_engine):
    await start_bot(library_engine)
    ids = await add_articles(fake_discord)
    asked = await fake_discord.slash("ask", question=EGGS, article=ids["bees.md"])
    [answer] = await fake_discord.followups(asked)
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    removed = await fake_discord.slash("article-remove", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS, article=ids["bees.md"])
    await fake_discord.followups(removed)
    click = await fake_discord.click(message, f"qb:p:1:{ids['bees.md']}")
    [reply] = await fake_discord.followups(click)
    assert reply.ephemeral and "not available here any more" in reply.content
    assert ids["bees.md"] not in reply.content and "two thousand" not in reply.content


async def test_more_quotes_of_a_removed_article_are_not_shown_again(start_bot, fake_discord,
                                                                    library_engine):
    """A manager removes an article (say, for what it says): the "More quotes" button of an
    earlier answer no longer quotes it."""
    from index.settings import BUNDLED_ARTICLE

    await start_bot(library_engine)
    added = await fake_discord.slash(
        "article-add", user=fake_discord.admin, permissions=ADMIN_PERMISSIONS,
        attachments={"file": ("copy.txt", BUNDLED_ARTICLE.read_bytes())})
    [done] = await fake_discord.followups(added)
    article_id = re.search(r"as `([^`]+)`", done.content)[1]
    asked = await fake_discord.slash("ask", question="What did Putin say about Hong Kong?",
                                     article=article_id)
    [answer] = await fake_discord.followups(asked)
    more = next(i for i in custom_ids(answer) if i.startswith("qb:m:"))
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    removed = await fake_discord.slash("article-remove", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS, article=article_id)
    await fake_discord.followups(removed)
    click = await fake_discord.click(message, more)
    [reply] = await fake_discord.followups(click)
    assert reply.ephemeral and "not available here any more" in reply.content
    assert "(¶" not in reply.content


async def test_a_button_whose_work_fails_answers_instead_of_thinking_forever(
        start_bot, fake_discord, engine, caplog):
    """The store going away (a Chroma server down) while a button is pressed: the one who
    pressed it is told, rather than left with "quotebot is thinking…"."""
    from index.errors import StoreError

    class Failing:
        """The session engine, whose store fails once ``broken``."""

        broken = False

        def __getattr__(self, name):
            if self.broken and name in ("articles", "article", "paragraph"):
                raise StoreError("The article index at http://chroma:8000 cannot be opened "
                                 "(ConnectError: [Errno 111] Connection refused).")
            return getattr(engine, name)

    failing = Failing()
    await start_bot(failing)
    asked = await fake_discord.slash("ask", question="What did Putin say about Hong Kong?")
    [answer] = await fake_discord.followups(asked)
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    failing.broken = True
    for custom_id in custom_ids(answer):
        click = await fake_discord.click(message, custom_id)
        [reply] = await fake_discord.followups(click)
        assert reply.ephemeral and "try again" in reply.content, custom_id
        assert "chroma" not in reply.content  # the operator's details are logged, not shown


async def test_markdown_in_quotes_and_questions_shows_as_written(start_bot, fake_discord,
                                                                 library_engine):
    """An article's ``*``, ``_`` and ``~~`` must not turn the answer italic or struck through,
    nor a question's unclosed code fence swallow it: Discord gets them escaped (it hides the
    backslashes, so what a reader sees and copies is the article's text)."""
    text = ("# Config\n\nThe setting max_queue_size limits the queue to 64 jobs; the old "
            "~~slow~~ scheduler is gone.\n\nThe author* wrote this in 2024.\n")
    library_engine.add_article("config.md", text=text, article_id="config")
    await start_bot(library_engine)
    question = "What does ```max_queue_size limit?"
    await fake_discord.send_message(f"{mention(fake_discord)} {question}")
    [reply] = await fake_discord.channel_posts()
    assert r"max\_queue\_size" in reply.content and r"\~\~slow\~\~" in reply.content
    assert "max_queue_size" not in reply.content.replace(r"max\_queue\_size", "")
    # the paragraph button shows the paragraph escaped the same way
    message = next(m for m in reversed(list(fake_discord.messages.values())) if m["components"])
    click = await fake_discord.click(message, "qb:p:1:config")
    [shown] = await fake_discord.followups(click)
    assert r"max\_queue\_size" in shown.content and r"\~\~slow\~\~" in shown.content
    # the JSON answer and the stored quote are the article's own text, unescaped
    answer = library_engine.ask(question, "config")
    assert "max_queue_size" in answer.quotes[0].text


def long_report(paragraphs: int) -> bytes:
    body = [f"The river town number {n} grew wheat, barley and oats for the markets of the "
            f"valley. Its people traded wool and cheese at the spring fair." for n in range(
                paragraphs)]
    return ("A Long Report\n\n" + "\n\n".join(body) + "\n").encode()


def edits_of(fake, interaction) -> list[str]:
    """What the interaction's original reply was edited to, in order."""
    return [c.json["content"] for c in fake.replies_to(interaction)
            if c.method == "PATCH" and c.path.endswith("/messages/@original")]


async def edited_to(fake, interaction, words: str) -> None:
    """Wait until the interaction's original reply is edited to a text holding ``words``."""
    await fake.wait_for(lambda c: c.method == "PATCH" and interaction["token"] in c.path
                        and words in c.json["content"])


async def test_a_long_article_add_shows_progress_then_the_result_in_its_place(
        start_bot, fake_discord, library_engine, monkeypatch):
    """A manager adding a long article sees how far indexing got, in the reply Discord shows
    as "thinking…", and then the result in that same message, not in a second one."""
    monkeypatch.setattr("bot.discordbot.common.PROGRESS_EVERY", 0.02)
    await start_bot(library_engine)
    added = await add_file(fake_discord, "report.txt", long_report(200))
    await edited_to(fake_discord, added, "Added")
    *progress, result = edits_of(fake_discord, added)
    assert progress, "no progress was shown"
    for text in progress:
        assert re.fullmatch(r"Indexing… \d+ of 400 sentences embedded\.|Indexing… all 400 "
                            r"sentences embedded; writing them to the index\.", text), text
    done = [int(m[1]) for text in progress if (m := re.match(r"Indexing… (\d+) of", text))]
    assert done == sorted(done) and all(0 < n < 400 for n in done)  # never backwards
    assert "**A Long Report**" in result and "200 paragraphs" in result
    await fake_discord.settle(0.1)
    assert fake_discord.followups_now(added) == []  # one message: the progress became the result

    # rebuilding it shows its progress the same way
    rebuilt = await fake_discord.slash("reindex", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS)
    await edited_to(fake_discord, rebuilt, "Rebuilt the index of")
    *progress, result = edits_of(fake_discord, rebuilt)
    assert progress and all(text.startswith("Indexing… ") for text in progress), progress
    assert fake_discord.followups_now(rebuilt) == []

    # an article of a few paragraphs shows no progress (it would flash by): its result is the
    # follow-up, as ever
    short = await add_file(fake_discord, "tea.md", ARTICLES["tea.md"].encode())
    [done_short] = await fake_discord.followups(short)
    assert "**Notes on Tea" in done_short.content and edits_of(fake_discord, short) == []


async def test_indexing_jobs_run_one_at_a_time_off_the_questions_threads(
        start_bot, fake_discord, library_engine):
    """Two managers add articles at once: the second job waits for the first (and says so),
    both on the indexing thread, while questions are answered on the loop's default pool."""
    runs, go = [], threading.Event()

    class Held:
        def __getattr__(self, name):
            return getattr(library_engine, name)

        def add_article(self, *args, **kwargs):
            start = time.monotonic()
            go.wait(30)  # until the question below is answered
            result = library_engine.add_article(*args, **kwargs)
            runs.append((threading.current_thread().name, start, time.monotonic()))
            return result

    await start_bot(Held())
    first = await add_file(fake_discord, "tea.md", ARTICLES["tea.md"].encode())
    second = await add_file(fake_discord, "bees.md", ARTICLES["bees.md"].encode())
    asked = await fake_discord.slash("ask", question="What did Putin say about Hong Kong?")
    [answer] = await fake_discord.followups(asked)  # not held up by the indexing
    assert "(¶3)" in answer.content and runs == []
    go.set()
    await edited_to(fake_discord, second, "Added")
    assert [text for text in edits_of(fake_discord, second)][0].startswith(
        "Waiting for 1 other indexing job(s)")
    [done] = await fake_discord.followups(first)
    assert "Added" in done.content
    assert [name.startswith("quotebot-indexing") for name, _, _ in runs] == [True, True]
    (_, _, first_end), (_, second_start, _) = sorted(runs, key=lambda run: run[1])
    assert second_start >= first_end  # one at a time


def test_reindex_lists_the_ids_that_fit_one_message():
    from bot.discordbot.cogs.admin import rebuilt_message
    from bot.models import ArticleInfo

    infos = [ArticleInfo(id=f"123456789012345678-article-{k}", title="T", authors=None,
                         paragraphs=1)
             for k in range(60)]
    text = rebuilt_message(infos)
    assert len(text) <= 2000 and text.startswith("Rebuilt the index of 60 article(s): ")
    shown = text.count("`") // 2
    assert 0 < shown < 60 and text.endswith(f" and {60 - shown} more.")
    assert rebuilt_message(infos[:2]) == ("Rebuilt the index of 2 article(s): "
                                          "`123456789012345678-article-0`, "
                                          "`123456789012345678-article-1`.")


async def test_an_error_after_progress_replaces_the_progress(start_bot, fake_discord,
                                                             library_engine, monkeypatch):
    """A long add that fails part-way does not leave "Indexing… 128 of 400" on screen."""
    from index.errors import IngestError

    monkeypatch.setattr("bot.discordbot.common.PROGRESS_EVERY", 0.02)

    def failing(source, *, progress=None, **options):
        progress(128, 400)
        time.sleep(0.3)
        raise IngestError("“report.txt” could not be indexed: the disk is full.")

    monkeypatch.setattr(library_engine, "add_article", failing)
    await start_bot(library_engine)
    added = await add_file(fake_discord, "report.txt", long_report(3))
    await edited_to(fake_discord, added, "disk is full")
    assert edits_of(fake_discord, added)[0] == "Indexing… 128 of 400 sentences embedded."
    await fake_discord.settle(0.1)
    assert fake_discord.followups_now(added) == []


async def test_the_bot_warms_the_global_library_while_it_connects(start_bot, fake_discord,
                                                                  library_engine, monkeypatch):
    for name in ("bees.md", "trains.md"):  # global articles: every server's chat searches them
        library_engine.add_article(name, text=ARTICLES[name])
    warmed, real = threading.Event(), library_engine.warm_library
    monkeypatch.setattr(library_engine, "warm_library",
                        lambda guild=None: (real(guild), warmed.set()))
    await start_bot(library_engine)
    assert await asyncio.to_thread(warmed.wait, 10)
    await fake_discord.send_message(f"{mention(fake_discord)} {EGGS}")
    [reply] = await fake_discord.channel_posts()
    assert CITED.search(reply.content)["title"] == "Bees"


async def test_a_manager_adds_a_pdf_and_the_server_asks_it(start_bot, fake_discord,
                                                           library_engine):
    """A reading group's articles are often PDFs or Word documents: /article-add takes them
    like a text file, and chat questions quote them verbatim, citing them by title and ¶."""
    from tests.pdfs import pages, pdf

    paragraphs = ["The harbour council met on Monday to decide on the new sea wall.",
                  "After a long debate the council voted eleven to four for the sea wall."]
    data = pdf(pages(paragraphs, head=[(72, 740, 16, "Harbour News")]))
    await start_bot(library_engine)
    added = await add_file(fake_discord, "harbour-news.pdf", data)
    [done] = await fake_discord.followups(added)
    assert done.ephemeral and "Added **Harbour News**" in done.content, done.content
    article = re.search(r"as `([^`]+)`", done.content)[1]
    await fake_discord.send_message(f"{mention(fake_discord)} How did the council vote?")
    [reply] = await fake_discord.channel_posts()
    cited = CITED.search(reply.content)
    assert (cited["title"], cited["n"]) == ("Harbour News", "2"), reply.content
    assert cited["text"] in library_engine.paragraph(2, article, guild=fake_discord.guild_id)
    # not a PDF after all: said so, and nothing is added
    broken = await add_file(fake_discord, "scan.pdf", b"%PDF-1.4 and no more")
    [refused] = await fake_discord.followups(broken)
    assert refused.ephemeral and "not a PDF I can read" in refused.content
    assert len(library_engine.articles(fake_discord.guild_id)) == 2  # the bundled one + ours
    # a Word document the same way
    from tests.test_word import document

    added = await add_file(fake_discord, "harbour-minutes.docx", document())
    [done] = await fake_discord.followups(added)
    assert done.ephemeral and "Added **Harbour News**" in done.content, done.content


async def test_chat_lists_the_servers_articles_and_takes_requests_for_quotes(
        start_bot, fake_discord, library_engine):
    """"which articles do you have?" lists this server's titles (another server's listing
    holds only its own), and "give me a quote about …" is answered with one quote on it."""
    await start_bot(library_engine)
    await add_articles(fake_discord)
    await fake_discord.send_message(f"{mention(fake_discord)} which articles do you have?")
    [listed] = await fake_discord.channel_posts()
    assert listed.content.startswith("I answer from these 4 articles:"), listed.content
    assert all(f"- *{title}" in listed.content for title in ("Bees", "Trains", "Notes on Tea"))
    assert custom_ids(listed) == []  # a listing has no quote to open
    await fake_discord.send_message(f"{mention(fake_discord)} which articles do you have?",
                                    guild=fake_discord.other_guild_id)
    [elsewhere] = await fake_discord.channel_posts(channel=fake_discord.other_channel_id)
    assert elsewhere.content.startswith("I answer from *The Solidarity")
    assert "Bees" not in elsewhere.content
    await fake_discord.send_message(f"{mention(fake_discord)} give me a quote about steam "
                                    "railways")
    *_, quoted = await fake_discord.channel_posts(count=2)
    assert "1825" in quoted.content and "(Trains ¶1)" in quoted.content
    assert quoted.content.count("¶") == 1, quoted.content


# -- results that come after the interaction expired -------------------------------------------


def held(monkeypatch, engine, name: str, *, fail: Exception | None = None) -> threading.Event:
    """Hold the indexing job ``engine.name`` until the event returned is set; then run it (or
    raise ``fail``)."""
    go, real = threading.Event(), getattr(engine, name)

    def job(*args, **kwargs):
        go.wait(30)
        if fail is not None:
            raise fail
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, name, job)
    return go


async def deferred(fake, interaction) -> None:
    await fake.wait_for(lambda c: c.path.startswith(f"/interactions/{interaction['id']}/"))


def fifteen_minutes_pass(fake, monkeypatch, interaction, *, bot_clock: bool = True) -> int:
    """The interaction's 15 minutes are over: Discord refuses its token from now on, and the
    bot's clock (``discord.utils.utcnow``, read by ``Interaction.is_expired``) says so too
    (``bot_clock=False``: a clock behind Discord's). Returns the number of calls made so far."""
    if bot_clock:
        real = discord.utils.utcnow
        monkeypatch.setattr(discord.utils, "utcnow", lambda: real() + timedelta(minutes=16))
    fake.expire(interaction)
    return len(fake.calls)


def bot_logs(caplog, level: int = logging.DEBUG) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("bot.") and r.levelno >= level]


async def test_a_result_after_the_interaction_expired_goes_to_the_manager_by_dm(
        start_bot, fake_discord, library_engine, monkeypatch, caplog):
    """An /article-add that ends more than 15 minutes after it was asked (queued behind other
    jobs, a big PDF) can no longer edit or follow up its ephemeral reply: Discord refuses the
    interaction's token. The manager gets the result by DM instead, not in the channel (the
    reply was theirs alone), and progress made after the expiry is not shown, quietly."""
    caplog.set_level(logging.DEBUG, logger="bot.discordbot.common")
    monkeypatch.setattr("bot.discordbot.common.PROGRESS_EVERY", 0.02)
    go = held(monkeypatch, library_engine, "add_article")
    await start_bot(library_engine)
    added = await add_file(fake_discord, "report.txt", long_report(200))
    await deferred(fake_discord, added)
    before = fifteen_minutes_pass(fake_discord, monkeypatch, added)
    go.set()
    [dm] = await fake_discord.direct_messages(fake_discord.admin, timeout=60)
    assert dm.content.startswith("Your `/article-add` in **Test server** took longer than the "
                                 "15 minutes Discord gives a reply there"), dm.content
    assert "Added **A Long Report** (200 paragraphs)" in dm.content, dm.content
    # said in a DM, "here" would be the DM: the questions searching it are the server's
    assert "Questions in the server now search it" in dm.content, dm.content
    assert len(dm.content) <= 2000 and not dm.ephemeral
    await fake_discord.settle()
    # nothing more to the expired interaction (no progress, no result), nothing in the channel
    assert [c for c in fake_discord.calls[before:] if added["token"] in c.path] == []
    assert not [c for c in fake_discord.calls if c.path.startswith("/channels/")
                and c.path != dm.path]
    assert bot_logs(caplog) == ["/article-add ended after its interaction expired: its outcome "
                                "goes by DM"]


async def test_a_job_in_the_interactions_last_minute_says_its_outcome_will_come_by_dm(
        start_bot, fake_discord, library_engine, monkeypatch):
    """A job still queued or running in the interaction's last minute left its reply at
    "thinking…" (or its last progress) for good once the outcome went by DM: nothing can edit
    it after the 15 minutes. Its last edit says where the outcome will go."""
    from bot.discordbot.common import LATE_NOTICE

    monkeypatch.setattr("bot.discordbot.common.PROGRESS_EVERY", 0.02)
    go = held(monkeypatch, library_engine, "add_article")
    await start_bot(library_engine)
    added = await add_file(fake_discord, "report.txt", long_report(3))
    await deferred(fake_discord, added)
    real = discord.utils.utcnow
    monkeypatch.setattr(discord.utils, "utcnow", lambda: real() + timedelta(minutes=14.5))
    await edited_to(fake_discord, added, "by DM")
    fifteen_minutes_pass(fake_discord, monkeypatch, added)
    go.set()
    [dm] = await fake_discord.direct_messages(fake_discord.admin)
    assert "Added **A Long Report**" in dm.content, dm.content
    await fake_discord.settle()
    assert edits_of(fake_discord, added) == [LATE_NOTICE]  # once, and nothing after it


async def test_an_error_after_the_interaction_expired_goes_to_the_manager_by_dm(
        start_bot, fake_discord, library_engine, monkeypatch):
    from index.errors import IngestError

    go = held(monkeypatch, library_engine, "add_article",
              fail=IngestError("“report.txt” could not be indexed: the disk is full."))
    await start_bot(library_engine)
    added = await add_file(fake_discord, "report.txt", long_report(3))
    await deferred(fake_discord, added)
    before = fifteen_minutes_pass(fake_discord, monkeypatch, added)
    go.set()
    [dm] = await fake_discord.direct_messages(fake_discord.admin)
    assert dm.content.startswith("Your `/article-add` in **Test server** took longer")
    assert dm.content.endswith("\n“report.txt” could not be indexed: the disk is full.")
    await fake_discord.settle()
    assert [c for c in fake_discord.calls[before:] if added["token"] in c.path] == []


async def test_a_manager_who_takes_no_dms_is_logged_not_raised(start_bot, fake_discord,
                                                               library_engine, monkeypatch,
                                                               caplog):
    """Discord refuses the DM (403, the manager takes no DMs from server members): a warning
    in the log, and no error (nothing raised, no "something went wrong")."""
    fake_discord.dms_closed.add(fake_discord.admin["id"])
    go = held(monkeypatch, library_engine, "add_article")
    await start_bot(library_engine)
    added = await add_file(fake_discord, "tea.md", ARTICLES["tea.md"].encode())
    await deferred(fake_discord, added)
    before = fifteen_minutes_pass(fake_discord, monkeypatch, added)
    go.set()
    [refused] = await fake_discord.direct_messages(fake_discord.admin)
    assert "Added **Notes on Tea" in refused.content
    await fake_discord.settle()
    assert [c for c in fake_discord.calls[before:] if added["token"] in c.path] == []
    [warning] = bot_logs(caplog, logging.WARNING)
    assert warning.startswith(f"could not send the outcome of /article-add to user "
                              f"{fake_discord.admin['id']} by DM: 403 Forbidden"), warning
    assert "50007" in warning
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_token_discord_refuses_early_still_gets_the_result_by_dm(
        start_bot, fake_discord, library_engine, monkeypatch):
    """The bot's clock a little behind Discord's: the token is refused (401, code 50027)
    before ``is_expired`` says so; /reindex's result goes by DM all the same."""
    await start_bot(library_engine)
    added = await add_file(fake_discord, "tea.md", ARTICLES["tea.md"].encode())
    [done] = await fake_discord.followups(added)
    article = re.search(r"as `([^`]+)`", done.content)[1]
    go = held(monkeypatch, library_engine, "reindex")
    rebuilt = await fake_discord.slash("reindex", user=fake_discord.admin,
                                       permissions=ADMIN_PERMISSIONS)
    await deferred(fake_discord, rebuilt)
    before = fifteen_minutes_pass(fake_discord, monkeypatch, rebuilt, bot_clock=False)
    go.set()
    [dm] = await fake_discord.direct_messages(fake_discord.admin)
    assert dm.content.startswith("Your `/reindex` in **Test server** took longer")
    assert dm.content.endswith(f"Rebuilt the index of 1 article(s): `{article}`.")
    await fake_discord.settle()
    [tried] = [c for c in fake_discord.calls[before:] if rebuilt["token"] in c.path]
    assert tried.method == "POST" and tried.path.startswith("/webhooks/")  # once, refused
