"""The command line: ``python -m bot [ask|summary|paragraph|eval|chat]``.

With no sub-command it runs the Discord bot when ``DISCORD_TOKEN`` is set, and otherwise opens a
terminal chat (on the bundled article, or every indexed one), so the product can be tried
without Discord.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

from pydantic import ValidationError

from index.errors import QuotebotError

ECHO_LIMIT = 200  # characters of a question read from stdin shown above its answer

log = logging.getLogger("quotebot")


def _settings(args):
    from bot.settings import Settings

    overrides = {}
    for name in ("llm", "llm_url", "llm_model", "data_dir", "chroma_url"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)


def _print_json(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


def _error_json(question: str, error: QuotebotError) -> dict:
    """A question that could not be answered, for a program reading ``--json``: an answer's
    keys (nothing quoted, confidence 0) plus ``error``, so every line has the same shape."""
    from bot.models import Answer

    data = Answer(question=question, answered=False, quotes=[], message=str(error),
                  confidence=0.0).as_json()
    data["error"] = str(error)
    return data


def _open(args):
    from bot.engine import Engine

    return Engine.open(_settings(args))


def cmd_ask(args) -> int:
    if args.all and args.article:
        print("quotebot: --all searches every article; leave out --article (or --all).",
              file=sys.stderr)
        return 2
    engine = _open(args)
    if args.question == ["-"]:
        from bot.render import shorten

        for line in sys.stdin:
            question = line.rstrip("\r\n")
            if not question.strip() and not args.json:  # --json: one line out per line in
                continue
            try:
                result = engine.ask(question, args.article, library=args.all)
                data = result.as_json()
            except QuotebotError as error:
                data = _error_json(question, error)
            if args.json:
                _print_json(data)
            else:
                # the question is echoed so each answer can be told apart; a pasted page is
                # not echoed whole (the answer says how long it was)
                print(f"? {shorten(question, ECHO_LIMIT)}\n{data['message']}\n", flush=True)
        return 0
    question = " ".join(args.question)
    try:
        result = engine.ask(question, args.article, library=args.all)
    except QuotebotError as error:
        if args.json:  # stdout still holds one object; the exit code and stderr say it failed
            _print_json(_error_json(question, error))
        raise
    if args.json:
        _print_json(result.as_json())
    else:
        print(result.message)
    return 0


def cmd_summary(args) -> int:
    engine = _open(args)
    result = engine.summary(args.article, paragraphs=args.paragraphs, topic=args.topic)
    if args.json:
        _print_json(result.as_json())
    else:
        print(result.message)
    return 0


def cmd_paragraph(args) -> int:
    engine = _open(args)
    info = engine.article(args.article)
    text = engine.paragraph(args.number, info.id)
    if args.json:
        _print_json({"article": info.id, "paragraph": args.number, "text": text})
    else:
        print(f"¶{args.number} of {info.title}\n\n{text}")
    return 0


def cmd_eval(args) -> int:
    import tempfile

    from bot.evaluate import evaluate, is_squad, read_questions

    # a file that is missing, not JSON, in neither format or empty: one line, before any work;
    # read once (it may be a pipe: `eval <(...)`, /dev/stdin)
    read = read_questions(args.file, args.article)
    squad = is_squad(read[0])
    scratch = None
    if squad and args.data_dir is None and args.chroma_url is None:
        # SQuAD articles go into a scratch store (with the bundled article, for --all).
        scratch = tempfile.TemporaryDirectory(prefix="quotebot-eval-")
        args.data_dir = scratch.name
    try:
        engine = _open(args)
        report = evaluate(engine, args.file, args.article, library=args.all, read=read)
    finally:
        if scratch is not None:
            scratch.cleanup()
    for error in report.errors:  # refused questions, whatever the output format
        print(f"quotebot: {error}", file=sys.stderr)
    figures = report.figures()
    if args.json:
        _print_json(figures)
        return 0
    per_article = figures.pop("per_article", {})
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if per_article:
        columns = ["paragraph_hit@1", "paragraph_hit@3", "quote_hit@1", "answered", "abstained"]
        print(f"\n{'article':<28}" + "".join(f"{c:>17}" for c in columns))
        for name, row in per_article.items():
            print(f"{name[:27]:<28}" + "".join(f"{str(row[c]):>17}" for c in columns))
    if args.verbose:
        for miss in report.misses:
            print(f"  - {miss}")
    return 0


def cmd_chat(args) -> int:
    from bot.chat import chat

    return chat(_open(args), article=args.article)


def cmd_run(args) -> int:
    settings = _settings(args)
    if settings.discord_token is not None and settings.discord_token.get_secret_value().strip():
        from bot.discordbot.app import run

        return run(settings)
    print("No DISCORD_TOKEN is set, so here is the terminal chat instead "
          "(set DISCORD_TOKEN to run the Discord bot).", file=sys.stderr)
    return cmd_chat(args)


def build_parser() -> argparse.ArgumentParser:
    # Options valid before or after the sub-command; SUPPRESS keeps a sub-command's parser from
    # resetting a value given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--article", help="article id (default: the bundled article)")
    common.add_argument("--data-dir", help="where the index lives (QUOTEBOT_DATA_DIR)")
    common.add_argument("--chroma-url", help="a Chroma server, http://host:port "
                        "(QUOTEBOT_CHROMA_URL)")
    common.add_argument("--llm", choices=["none", "openai", "ollama"],
                        help="answer with a language model (quotes are still verified)")
    common.add_argument("--llm-url", help="OpenAI-compatible or Ollama base URL")
    common.add_argument("--llm-model", help="model name")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")

    parser = argparse.ArgumentParser(
        prog="python -m bot", parents=[common],
        description="quotebot: answers about an article in verbatim, paragraph-cited quotes. "
                    "With no command: the Discord bot if DISCORD_TOKEN is set, else a terminal "
                    "chat.")
    sub = parser.add_subparsers(dest="command")

    ask = sub.add_parser("ask", parents=[common], help="answer a question (or - for stdin)")
    ask.add_argument("question", nargs="+", help='the question, or "-" to read one per line')
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--all", action="store_true",
                     help="search every indexed global article (quotes name their article)")
    ask.set_defaults(func=cmd_ask)

    summary = sub.add_parser("summary", parents=[common], help="a quoted summary")
    group = summary.add_mutually_exclusive_group()
    group.add_argument("--paragraphs", help="a paragraph range such as 2-4")
    group.add_argument("--topic", help="only what the article says about this")
    summary.add_argument("--json", action="store_true",
                         help='one JSON object: {"quotes", "message", "mode"}')
    summary.set_defaults(func=cmd_summary)

    paragraph = sub.add_parser("paragraph", parents=[common], help="show one paragraph")
    paragraph.add_argument("number", type=int, help="the paragraph's number, as cited (¶N)")
    paragraph.add_argument("--json", action="store_true",
                           help='one JSON object: {"article", "paragraph", "text"}')
    paragraph.set_defaults(func=cmd_paragraph)

    evaluation = sub.add_parser("eval", parents=[common], help="score a question file")
    evaluation.add_argument("file", help="a questions file (dev format) or a SQuAD 2.0 file")
    evaluation.add_argument("--json", action="store_true",
                            help="the figures as one JSON object (without it, -v also lists "
                            "the misses)")
    evaluation.add_argument("--all", action="store_true",
                            help="library mode: every question searches every global article")
    evaluation.set_defaults(func=cmd_eval)

    chat = sub.add_parser("chat", parents=[common], help="the terminal chat: questions search "
                          "every indexed global article, or only --article")
    chat.set_defaults(func=cmd_chat)
    parser.set_defaults(func=cmd_run)
    return parser


COMMON = ("article", "data_dir", "chroma_url", "llm", "llm_url", "llm_model")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, given before or after the sub-command. (argparse lets a sub-parser's
    defaults overwrite what the main parser read before it, so the shared options have no
    defaults while parsing and get them here.)"""
    args = build_parser().parse_args(argv)
    for name in COMMON:
        if not hasattr(args, name):
            setattr(args, name, None)
    if not hasattr(args, "verbose"):
        args.verbose = False
    return args


def setup_logging(verbose: bool = False, level: str | None = None) -> None:
    logging.basicConfig(level=logging.INFO if verbose else getattr(logging, level or "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("chromadb", "httpx", "urllib3", "onnxruntime", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parse_args(argv)
    setup_logging(args.verbose)
    started = time.perf_counter()
    try:
        return args.func(args)
    except QuotebotError as error:
        print(f"quotebot: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:  # a setting from the environment is off
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'setting'}: {e['msg']}"
                             for e in error.errors())
        print(f"quotebot: invalid settings: {problems}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `python -m bot ask --json - | head -1`
        sys.stderr.close()
        return 0
    finally:
        log.info("done in %.2f s", time.perf_counter() - started)
