"""The terminal chat: the product without Discord, on the same engine and the same messages."""

from __future__ import annotations

import re
import sys

from bot.answer import last_question, more_request, recent, summary_subject
from bot.engine import MENTION, Engine
from bot.render import format_quote
from index.errors import QuotebotError, UnknownArticle

HELP = """Ask anything about the article (asking for a summary in words, "tl;dr", works too), or:
  /summary            a quoted summary      /summary 2-4   a range     /summary Hong Kong   a topic
  /paragraph N        show paragraph N      /article       what is loaded
  /ask QUESTION       the same as asking    /more          more quotes for the last answer
  /help               this text             /quit          leave (or quit, Ctrl-D)"""

QUESTIONS = 3  # earlier questions a message is asked with (follow-ups lean on the last one)
NUMBER = re.compile(r"[0-9]+")  # not str.isdigit: "²" passes it and int() refuses it
# "/summary paragraphs 2-4", "/paragraph ¶3.": the word or mark before the numbers, and a full
# stop after them, say nothing more
PARAGRAPH_WORD = re.compile(r"^(?:paragraphs?|paras?|¶)\s*", re.I)


def _numbers(text: str) -> str:
    """``text`` without a leading "paragraph(s)" or "¶" and a trailing full stop."""
    return PARAGRAPH_WORD.sub("", text).rstrip(".").strip()


def _is_range(text: str) -> bool:
    """A paragraph range the engine reads ("2-4", "¶3"), written in ASCII digits."""
    match = Engine.RANGE.match(text)
    return match is not None and all(g is None or NUMBER.fullmatch(g) for g in match.groups())


def _looks_numeric(text: str) -> bool:
    """Digits of another script or superscripts ("²", "٣") and no letters: a mistyped range,
    not a topic to summarise."""
    return (any(c.isnumeric() and not c.isascii() for c in text)
            and not any(c.isalpha() for c in text))


def chat(engine: Engine, *, article: str | None = None, stdin=None, stdout=None) -> int:
    """Without ``article``, questions search every indexed article (as chat questions do in
    Discord), and ``/summary`` and ``/paragraph`` are about the conversation's article: the
    one the last answer quoted, else the default. With it, everything is about that article."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    info = engine.article(article)
    library = article is None and len(engine.articles()) > 1
    # whether an answer has put the conversation on ``info`` yet: before one, the default
    # article is no article talked about ("what's the column about?" summarised it)
    talked = False
    interactive = stdin.isatty()

    def say(text: str = "") -> None:
        print(text, file=stdout, flush=True)

    if library:
        engine.warm_library_in_background()  # while the reader types the first question
        say(f"quotebot: {len(engine.articles())} articles (/article lists them); questions "
            f"search them all.")
        say("Ask a question; /help lists the commands.")
    else:
        say(f"quotebot: {info.title}" + (f" by {info.authors}" if info.authors else "")
            + f" ({info.length}).")
        say("Ask a question about it; /help lists the commands.")
    history: list[str] = []  # every message asked, oldest first
    last = None  # the answer to the last message that was not "more", for /more
    unseen: list = []  # its further quotes not shown yet: "more" and /more page them together
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            say()
            return 0
        line = line.strip()
        if not line:
            continue
        if library:  # the conversation's article may have been removed meanwhile
            try:
                info = engine.article(info.id)
            except UnknownArticle:
                info, talked = engine.article(), False
        typed, _, rest = line.partition(" ")
        command = typed.lower() if typed.startswith("/") else typed  # "/HELP" is "/help"
        rest = rest.strip()
        if command == "/ask":  # as in Discord
            if not rest:
                say("Give a question after /ask, e.g. /ask who is quoted?")
                continue
            line, command = rest, ""
        try:
            # A bare "quit" or "exit" is how most terminal programs are left, not a question
            if command in ("/quit", "/exit", "/q") or line.lower() in ("quit", "exit"):
                return 0
            if command == "/help":
                say(HELP)
            elif command in ("/article", "/articles"):
                for other in engine.articles():
                    mark = "*" if other.id == info.id else " "
                    say(f"{mark} {other.id}: {other.title} ({other.length})")
                if library:
                    say("(* the conversation's article: /summary and /paragraph are about it)")
            elif command == "/more":  # what Discord's "More quotes" button shows
                if last is None or not last.answered:
                    say("No more quotes: ask a question the article covers first.")
                elif not unseen:
                    say("That is all the articles have on it." if last.named
                        else "That is all the article has on it.")
                else:  # as the button's header says
                    header = "More from the articles:" if last.named else "More from the article:"
                    say("\n\n".join([header,
                                      *(format_quote(q, named=last.named) for q in unseen)]))
                    # all the pages at once: for the engine, as many "more"s as they fill
                    history += ["more"] * -(-len(unseen) // engine.settings.max_quotes)
                    unseen = []
            elif command == "/paragraph":
                number = _numbers(rest)
                if not NUMBER.fullmatch(number):
                    say("Give a paragraph number, e.g. /paragraph 3.")
                    continue
                if len(number) > 9:  # past any article (and int() refuses 4,300 digits)
                    say(f"“{info.title}” has no paragraph that large: its paragraphs are "
                        f"numbered 1 to {info.paragraphs}.")
                    continue
                where = f" of *{info.title}*" if library else ""  # as Discord's /paragraph
                say(f"¶{number}{where}: {engine.paragraph(int(number), info.id)}")
            elif command == "/summary":
                if _is_range(_numbers(rest)):
                    rest = _numbers(rest)
                is_range = _is_range(rest)
                if not is_range and _looks_numeric(rest):
                    say(f"“{rest}” is not a paragraph range; write it like 2-4 (or 3).")
                    continue
                result = engine.summary(info.id, paragraphs=rest if is_range else None,
                                        topic=None if is_range else rest or None)
                say(result.message)
            elif command.startswith("/") and command[1:].isalpha():
                say(f"There is no command {typed}; /help lists the commands.")
            else:
                if library:
                    result = engine.ask(line, history=recent(history, QUESTIONS), library=True,
                                        focus=info.id if talked else None)
                else:
                    result = engine.ask(line, info.id, history=recent(history, QUESTIONS))
                say(result.message)
                history.append(line)
                if library and result.answered and result.article:  # the conversation's now
                    info, talked = engine.article(result.article), True
                plain = MENTION.sub(" ", line).strip()
                if more_request(plain, last_question(history[:-1])):  # the next page, or none
                    unseen = result.more if result.answered else []
                elif summary_subject(plain) is not None and not result.more:
                    last, unseen = None, []  # a summary in words is no question to page on
                else:
                    last, unseen = result, result.more
        except QuotebotError as error:
            say(str(error))
