"""The command-line contract, through real processes (these forms are how the product is judged)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT


@pytest.fixture
def cli(fresh_settings):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUOTEBOT_") and k not in ("DISCORD_TOKEN", "OPENAI_API_KEY")}
    env.update(QUOTEBOT_DATA_DIR=str(fresh_settings.data_dir), HF_HUB_OFFLINE="1")

    def run(*args, stdin: str | None = None, check: bool = True, extra_env=None):
        done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin,
                              env={**env, **(extra_env or {})}, capture_output=True, text=True,
                              timeout=300)  # ~3-5 s alone; 120 s was once too few on a loaded box
        if check:
            assert done.returncode == 0, done.stderr
        return done
    return run


def test_ask_json_reads_stdin_and_prints_one_object_per_line(cli):
    questions = ["What did Putin say about Hong Kong?", "", "What is the capital of Australia?",
                 "x" * 10_000, "Which university does Zhao study at?"]
    out = cli("bot", "ask", "--json", "-", stdin="\n".join(questions) + "\n").stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["question"] for line in lines] == questions  # one line out per line in
    hong_kong, blank, australia, huge, zhao = lines
    assert blank["answered"] is False and "Please ask a question" in blank["error"]
    assert set(hong_kong) >= {"question", "answered", "quotes", "message"}
    assert hong_kong["answered"] and hong_kong["quotes"][0] == {
        "article": "china-russia-solidarity", "paragraph": 3,
        "text": hong_kong["quotes"][0]["text"]}
    assert "Hong Kong Special Administrative Region" in hong_kong["quotes"][0]["text"]
    assert "’" in hong_kong["quotes"][0]["text"]  # curly apostrophes kept, not escaped
    assert australia["answered"] is False and australia["quotes"] == []
    assert huge["answered"] is False and "to 500 at most" in huge["message"]
    assert zhao["quotes"][0]["paragraph"] == 8


KEYS = {"question", "answered", "quotes", "message", "mode", "confidence"}


def test_ask_json_answers_every_line_with_the_same_keys(cli):
    out = cli("bot", "ask", "--json", "-", stdin="What did Xi say?\n\n   \ntl;dr\n?!\n").stdout
    xi, empty, blank, tldr, marks = [json.loads(line) for line in out.splitlines()]
    assert set(xi) == set(tldr) == KEYS and xi["answered"] and tldr["answered"]
    for error, question in ((empty, ""), (blank, "   "), (marks, "?!")):
        assert set(error) == KEYS | {"error"}
        assert error["question"] == question and error["message"] == error["error"]
        assert (error["answered"], error["quotes"], error["confidence"]) == (False, [], 0.0)
        assert error["mode"] == "extractive" and "Please ask a question" in error["error"]


@pytest.mark.parametrize("question", ["?!", ""])
def test_ask_json_of_an_unusable_question_prints_an_error_object_and_exits_2(cli, question):
    done = cli("bot", "ask", "--json", question, check=False)
    assert done.returncode == 2 and done.stderr.startswith("quotebot: Please ask a question")
    assert len(done.stderr.splitlines()) == 1
    error = json.loads(done.stdout)
    assert set(error) == KEYS | {"error"} and error["question"] == question
    assert error["answered"] is False and "Please ask a question" in error["error"]
    # without --json, the message is only on stderr, as before
    plain = cli("bot", "ask", question, check=False)
    assert plain.returncode == 2 and plain.stdout == "" and "Please ask" in plain.stderr

def test_ask_prints_the_message_for_a_person(cli):
    out = cli("bot", "ask", "What did Putin say about Hong Kong?").stdout
    assert out.startswith('"In echoing Xi’s remarks') and "(¶3)" in out


def test_summary_and_paragraph(cli):
    summary = json.loads(cli("bot", "summary", "--json").stdout)
    assert len(summary["message"]) <= 2000 and len(summary["quotes"]) >= 5
    ranged = json.loads(cli("bot", "summary", "--paragraphs", "2-4", "--json").stdout)
    assert {q["paragraph"] for q in ranged["quotes"]} == {2, 3, 4}
    topic = json.loads(cli("bot", "summary", "--topic", "Hong Kong", "--json").stdout)
    assert topic["quotes"]
    paragraph = json.loads(cli("bot", "paragraph", "3", "--json").stdout)
    assert paragraph["paragraph"] == 3 and "Hong Kong" in paragraph["text"]
    assert cli("bot", "paragraph", "9").stdout.startswith("¶9")


def test_errors_are_one_clear_line_and_a_nonzero_exit(cli):
    for args, expected in [(("bot", "paragraph", "99"), "no paragraph 99"),
                           (("bot", "summary", "--paragraphs", "7-2000"), "has paragraphs 1 to 9"),
                           (("bot", "ask", "--article", "nope", "why?"), "no article called"),
                           (("bot", "ask", " "), "Please ask a question")]:
        done = cli(*args, check=False)
        assert done.returncode == 2
        assert expected in done.stderr and "Traceback" not in done.stderr


def test_invalid_setting_is_a_clear_error(cli):
    done = cli("bot", "ask", "why?", check=False, extra_env={"QUOTEBOT_LLM": "gpt"})
    assert done.returncode == 2 and "invalid settings" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_token_opens_the_terminal_chat(cli):
    script = "/help\nWhat did Putin say about Hong Kong?\nand what about the SCO?\n" \
             "/paragraph 99\n/summary 2-3\n/frobnicate\n/ask\n" \
             "/ask Which domestic issues has the U.S. criticized China about?\n/quit\n"
    out = cli("bot", stdin=script).stdout
    assert "quotebot: The Solidarity of China and Russia" in out
    assert "/summary" in out and "(¶3)" in out
    assert "Shanghai Cooperation Organization" in out
    assert "no paragraph 99" in out
    assert "There is no command /frobnicate; /help lists the commands." in out
    assert "Give a question after /ask, e.g. /ask who is quoted?" in out
    assert "Xinjiang, Tibet, Hong Kong, and Taiwan" in out  # /ask QUESTION asks it
    # with stdin closed it leaves cleanly
    assert cli("bot", stdin="").returncode == 0


def test_more_in_the_terminal_chat_shows_the_last_answers_further_quotes(engine):
    """``/more`` shows what Discord's "More quotes" button shows."""
    from bot.chat import chat
    from bot.render import format_quote

    out = io.StringIO()
    script = "/more\nWhat did Putin say about Hong Kong?\n/more\n"
    assert chat(engine, stdin=io.StringIO(script), stdout=out) == 0
    text = out.getvalue()
    assert "No more quotes: ask a question the article covers first." in text
    more = engine.ask("What did Putin say about Hong Kong?").more
    assert more
    shown = text.split("More from the article:")[1]
    assert [format_quote(q) for q in more] == [b for b in shown.strip().split("\n\n")]


def test_index_build_and_list(cli, tmp_path):
    article = tmp_path / "garden-notes.md"
    article.write_text("# Garden notes\n\nBy Ann Gardener\n\nTomatoes need sun.\n\n"
                       "## Later\n\nBeans climb poles.\n")
    built = cli("index", "build", str(article))
    assert "indexed" in built.stdout and "garden-notes" in built.stdout
    again = cli("index", "build", str(article))
    assert "unchanged" in again.stdout
    before = {a["id"]: a for a in json.loads(cli("index", "list", "--json").stdout)}
    forced = cli("index", "build", str(article), "--force")  # rebuilt although unchanged
    assert "indexed  garden-notes" in forced.stdout
    listed = json.loads(cli("index", "list", "--json").stdout)
    garden = next(a for a in listed if a["id"] == "garden-notes")
    assert garden["version"] != before["garden-notes"]["version"]
    assert garden["paragraphs"] == 2 and garden["authors"] == "Ann Gardener"
    answer = json.loads(cli("bot", "ask", "--article", "garden-notes", "--json",
                            "What do beans climb?").stdout)
    assert answer["quotes"][0] == {"article": "garden-notes", "paragraph": 2,
                                   "text": "Beans climb poles."}
    # --all searches every global article, with the same JSON shape; without it, the default
    lines = cli("bot", "ask", "--all", "--json", "-",
                stdin="What do beans climb?\nWhat did Putin say about Hong Kong?\n").stdout
    beans, hong_kong = (json.loads(line) for line in lines.splitlines())
    assert beans["quotes"][0] == {"article": "garden-notes", "paragraph": 2,
                                  "text": "Beans climb poles."}
    assert set(beans) == {"question", "answered", "quotes", "message", "mode", "confidence"}
    assert "(Garden notes ¶2)" in beans["message"]
    assert hong_kong["quotes"][0]["article"] == "china-russia-solidarity"
    assert hong_kong["quotes"][0]["paragraph"] == 3
    default = json.loads(cli("bot", "ask", "--json", "What do beans climb?").stdout)
    assert all(q["article"] == "china-russia-solidarity" for q in default["quotes"])
    both = cli("bot", "ask", "--all", "--article", "garden-notes", "x", check=False)
    assert both.returncode == 2 and "--all" in both.stderr
    missing = cli("index", "build", str(tmp_path / "nope.txt"), check=False)
    assert missing.returncode == 1 and "nope.txt" in missing.stderr
    removed = cli("index", "remove", "garden-notes")
    assert "removed  garden-notes" in removed.stdout
    listed = json.loads(cli("index", "list", "--json").stdout)
    assert [a["id"] for a in listed] == ["china-russia-solidarity"]
    again = cli("index", "remove", "garden-notes", check=False)
    assert again.returncode == 2 and "no article called “garden-notes”" in again.stderr


def test_corrupt_store_is_reported_not_overwritten(cli, fresh_settings):
    sqlite = fresh_settings.data_dir / "chroma" / "chroma.sqlite3"
    shutil.rmtree(fresh_settings.data_dir / "chroma")
    sqlite.parent.mkdir(parents=True)
    sqlite.write_bytes(b"garbage" * 1000)
    done = cli("bot", "ask", "why?", check=False)
    assert done.returncode == 2 and "cannot be opened" in done.stderr
    assert "Traceback" not in done.stderr
    assert sqlite.read_bytes() == b"garbage" * 1000


@pytest.mark.parametrize("argv", [["--data-dir", "X", "--article", "a", "ask", "q"],
                                  ["ask", "q", "--data-dir", "X", "--article", "a"],
                                  ["--data-dir", "X", "ask", "--article", "a", "q"]])
def test_options_count_before_or_after_the_sub_command(argv):
    from bot.cli import parse_args

    args = parse_args(argv)
    assert (args.data_dir, args.article, args.question) == ("X", "a", ["q"])


@pytest.mark.parametrize("before", [True, False])
def test_index_options_count_before_or_after_the_sub_command(fresh_settings, tmp_path,
                                                             monkeypatch, capsys, before):
    """`python -m index --data-dir DIR list` reads DIR, as `list --data-dir DIR` does (given
    before the sub-command, the option was dropped and ./data used without a word)."""
    from index.cli import main

    elsewhere = tmp_path / "elsewhere"  # a ./data here would be another, empty store
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    option = ["--data-dir", str(fresh_settings.data_dir)]
    assert main([*option, "list", "--json"] if before else ["list", "--json", *option]) == 0
    assert [a["id"] for a in json.loads(capsys.readouterr().out)] == ["china-russia-solidarity"]
    assert not (elsewhere / "data").exists()
    from index.cli import parse_args

    url = ["--chroma-url", "http://127.0.0.1:1"]
    for argv in ([*url, "build", "x.txt"], ["build", "x.txt", *url]):
        assert parse_args(argv).chroma_url == "http://127.0.0.1:1"
    assert (parse_args(["list"]).data_dir, parse_args(["list"]).chroma_url) == (None, None)


def test_options_default_to_none():
    from bot.cli import parse_args

    args = parse_args(["ask", "q"])
    assert (args.data_dir, args.article, args.chroma_url, args.llm, args.verbose) == \
        (None, None, None, None, False)


def _chat(engine, script: str) -> str:
    from bot.chat import chat

    out = io.StringIO()
    assert chat(engine, stdin=io.StringIO(script), stdout=out) == 0
    return out.getvalue()


def test_the_library_chat_leaves_an_article_removed_meanwhile(fresh_settings):
    """Another process removes the conversation's article: /paragraph and /summary go back
    to the default article (they said "There is no article called …" until a question)."""
    from bot.chat import chat
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.LIBRARY_CHECK = 0.0  # see the other process's change at once
    engine.add_article("tea.md", text="# Tea\n\nTea grows on misty hillsides in Assam.\n")

    class Removing(io.StringIO):  # removes the tea article once its question was answered
        def readline(self, *args):
            line = super().readline(*args)
            if line.startswith("/paragraph"):
                Engine.open(fresh_settings).remove_article("tea")
            return line

    out = io.StringIO()
    assert chat(engine, stdin=Removing("Where does tea grow?\n/paragraph 1\n"), stdout=out) == 0
    text = out.getvalue()
    assert "(Tea ¶1)" in text and "There is no article" not in text
    assert f"¶1 of *{engine.article().title}*: {engine.paragraph(1)}" in text


def test_chat_numbers_are_ascii_digits(engine):
    """"²" passes ``str.isdigit`` but not ``int``; "٣" passes both: neither is a paragraph."""
    text = _chat(engine, "/paragraph ²\n/paragraph ٣\n/summary ²\n/summary 2-³\n/paragraph 3\n")
    assert text.count("Give a paragraph number, e.g. /paragraph 3.") == 2
    assert text.count("is not a paragraph range; write it like 2-4 (or 3).") == 2
    assert "doesn't seem to discuss" not in text
    assert "¶3: " in text


def test_chat_commands_survive_numbers_too_long_for_int(engine):
    """A paragraph number of 5,000 digits (int() refuses over 4,300) got a traceback that
    ended the chat; it is out of range like any other."""
    huge = "9" * 5000
    text = _chat(engine, f"/paragraph {huge}\n/summary 1-{huge}\n/paragraph 3\n")
    assert "has no paragraph that large: its paragraphs are numbered 1 to 9." in text
    shown = f"1-{huge}"[:20] + "…"  # not 5,000 digits echoed back
    title = engine.article().title
    assert f"“{title}” has paragraphs 1 to 9; {shown} is outside that." in text
    assert f"¶3: {engine.paragraph(3)}" in text


def test_mentions_and_summaries_leave_more_to_the_last_question(engine):
    """"@everyone more" is "more": the next "more" pages the same question (it paged one on
    "more" itself); after a summary asked in words, /more asks for a question as "more" does
    (it said "That is all the article has on it.")."""
    text = _chat(engine, "What did Putin say about Hong Kong?\n@everyone more\nmore\n")
    assert "More on “more”" not in text
    assert text.count("on “What did Putin say about Hong Kong?”") == 2
    text = _chat(engine, "tl;dr\n/more\nmore\n")
    assert "That is all the article has on it." not in text
    assert "No more quotes: ask a question the article covers first." in text


def test_chat_commands_take_paragraphs_as_people_write_them(engine):
    """"/summary paragraphs 2-4" was a summary of the topic “paragraphs 2-4” (“doesn't seem
    to discuss”), "/paragraph ¶3" and "/paragraph 3." no paragraph number."""
    text = _chat(engine, "/summary paragraphs 2-4\n/summary Paragraph 3.\n/paragraph ¶3\n"
                         "/paragraph 3.\n/paragraph paragraph 3\n")
    assert "doesn't seem to discuss" not in text and "Give a paragraph number" not in text
    assert text.count("(¶2–4), in its own words:") == 1
    assert text.count("(¶3), in its own words:") == 1
    assert text.count(f"¶3: {engine.paragraph(3)}") == 3


def test_chat_commands_ignore_case(engine):
    text = _chat(engine, "/HELP\n/Summary 2-3\n/Paragraph 3\n"
                         "/ASK What did Putin say about Hong Kong?\n/Frobnicate\n/QUIT\n/help\n")
    assert "/summary 2-4   a range" in text  # the help text, once: /QUIT left
    assert text.count("/summary 2-4   a range") == 1
    assert "¶3: " in text and "(¶3)" in text
    assert "There is no command /Frobnicate; /help lists the commands." in text
    assert text.count("There is no command") == 1


def test_more_and_slash_more_page_the_last_question_together(engine):
    from bot.render import format_quote

    question = "What did Xi say?"
    more = engine.ask(question).more
    assert len(more) > 3  # one "more" (3 quotes) does not show them all
    done = f"That is all I found on “{question}”."

    text = _chat(engine, f"{question}\nmore\n/more\nmore\n/more\n")
    first, rest = text.split("More on “")[1].split("More from the article:")
    assert all(format_quote(q) in first for q in more[:3])
    assert [format_quote(q) for q in more[3:]] == rest.split(done)[0].strip().split("\n\n")
    assert "No more quotes" not in text
    assert rest.rstrip().endswith(f"{done}\nThat is all the article has on it.")

    text = _chat(engine, f"{question}\n/more\nmore\n")
    assert text.rstrip().endswith(done) and "More on “" not in text

    # "more" in a row, past the 3 messages the chat once passed: still the same question
    text = _chat(engine, f"{question}\n" + "more\n" * 5 + "and what about Russia?\n")
    assert "Ask me a question first" not in text
    assert text.count(done) == 3
    follow_up = engine.ask("and what about Russia?", history=[question]).message
    assert text.rstrip().endswith(follow_up)


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read"),
    ("not json", "is not JSON"),
    ("[]", "holds a list"),
    ('{"questions": [{"question": "x"}]}', 'question 1 has no "q"'),
    ('{"questions": [{"q": "x", "gold": "phrase"}]}', 'question 1: "gold"'),
    ('{"questions": [{"q": "x", "gold": ["y"], "answerable": "false"}]}',
     'question 1: "answerable" is "false", not true or false'),
    ('{"questions": []}', "nothing to score"),
    ('{"data": []}', "nothing to score"),
    ('{"data": [{"title": "T", "paragraphs": [{"context": "c"}]}]}', "data[0].paragraphs[0]"),
])
def test_eval_of_a_bad_file_is_one_line_and_exit_2(tmp_path, capsys, content, expected):
    from bot.cli import main

    path = tmp_path / "questions.json"
    if content is not None:
        path.write_text(content)
    assert main(["eval", str(path), "--data-dir", str(tmp_path / "data")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("quotebot: ")
    assert expected in err and '{"questions": [{"q": ' in err and "SQuAD 2.0" in err
    assert not (tmp_path / "data").exists()  # refused before the store is opened


def test_eval_reads_answerable_0_and_1_as_before(tmp_path):
    """A question set that once ran still runs: 0 and 1 were read as false and true; only a
    string ("false") or another value is refused."""
    from bot.evaluate import read_questions

    path = tmp_path / "questions.json"
    path.write_text('{"questions": [{"q": "x", "gold": ["y"], "answerable": 1}, '
                    '{"q": "z", "answerable": 0}, {"q": "w", "answerable": true}]}')
    assert [item.answerable for item in read_questions(path)[1]] == [True, False, True]


def test_eval_of_a_bad_file_through_a_process(cli, tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[]")
    for args in (("bot", "eval", str(path)),
                 ("bot", "eval", str(tmp_path / "nope.json"), "--json")):
        done = cli(*args, check=False)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.splitlines()) == 1, done.stderr  # no traceback, no "terminate"


QUESTIONS = {"questions": [
    {"q": "What did Putin say about Hong Kong?", "gold": ["Hong Kong"]},
    {"q": "What did Putin say about Hong Kong? " + "Please quote it in full. " * 30,
     "gold": ["Hong Kong"]},
    {"q": "What is the capital of Australia?", "answerable": False},
]}


def test_eval_reads_its_file_once_so_a_pipe_works(cli):
    """`eval /dev/stdin` (or `eval <(…)`): the file was read a second time, found empty, and
    called "not JSON"."""
    one = {"questions": QUESTIONS["questions"][:1]}
    done = cli("bot", "eval", "/dev/stdin", "--json", stdin=json.dumps(one))
    figures = json.loads(done.stdout)
    assert figures["questions"] == 1 and figures["paragraph_hit@1"] == 1.0


def test_eval_reports_a_refused_question_and_scores_the_others(cli, tmp_path):
    """An over-long question (the bot refuses it) ended the whole evaluation with exit 2 and
    no figures; now it is counted, named on stderr, and scored as unanswered."""
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(QUESTIONS))
    done = cli("bot", "eval", str(path), "--json")
    figures = json.loads(done.stdout)
    assert figures["questions"] == 3 and figures["errors"] == 1
    assert figures["false_abstentions"] == 1 and figures["paragraph_hit@1"] == 0.5
    assert figures["abstentions"] == "1/1"
    [line] = done.stderr.splitlines()
    assert line.startswith("quotebot: question 2 (“What did Putin say about Hong Kong? Please")
    assert "characters long; please keep it to 500 at most" in line
    text = cli("bot", "eval", str(path)).stdout
    assert "errors             1" in text


def test_index_build_never_replaces_another_source_silently(cli, tmp_path):
    impostor = tmp_path / "CHINA-RUSSIA-SOLIDARITY.txt"
    impostor.write_text("Impostor\n\nThis is not the bundled article.\n")
    built = cli("index", "build", str(impostor))
    assert "china-russia-solidarity-2  “Impostor”" in built.stdout
    assert "“china-russia-solidarity” is already “The Solidarity" in built.stdout
    chosen = cli("index", "build", str(impostor), "--id", "china-russia-solidarity", check=False)
    assert chosen.returncode == 1 and "--replace" in chosen.stderr
    listed = {a["id"]: a for a in json.loads(cli("index", "list", "--json").stdout)}
    assert listed["china-russia-solidarity"]["paragraphs"] == 9
    assert listed["china-russia-solidarity-2"]["source"] == str(impostor.resolve())
    replaced = cli("index", "build", str(impostor), "--id", "china-russia-solidarity",
                   "--replace")
    assert "indexed  china-russia-solidarity  “Impostor”" in replaced.stdout
    for bad in ("../../etc", "A B", "x" * 200):
        refused = cli("index", "build", str(impostor), "--id", bad, check=False)
        assert refused.returncode == 2 and "lower-case letters, digits" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_index_build_errors_are_one_line_each(fresh_settings, tmp_path, capsys):
    """Without a progress line to end, an error is not preceded by a blank line."""
    from index.cli import main

    missing = [str(tmp_path / "nope.txt"), str(tmp_path / "gone.md")]
    assert main(["build", *missing, "--data-dir", str(fresh_settings.data_dir)]) == 1
    assert capsys.readouterr().err == "".join(f"  {m}: There is no file “{m}”.\n"
                                              for m in missing)


def test_index_build_reads_a_folder_and_an_unexpanded_pattern(fresh_settings, tmp_path,
                                                              capsys):
    """A folder stands for its article files (not its sub-folders, not other files), and a
    pattern no shell expanded ('notes/*.md', or any on Windows) for its matches."""
    from index.cli import expand_sources, main

    folder = tmp_path / "notes"
    (folder / "deeper").mkdir(parents=True)
    for name, title in (("b.md", "# Bees"), ("a.txt", "Ants"), ("deeper/c.md", "# Cicadas")):
        (folder / name).write_text(f"{title}\n\nThey live in colonies of many kinds.\n")
    (folder / "photo.png").write_bytes(b"\x89PNG")
    assert expand_sources([str(folder)]) == [str(folder / "a.txt"), str(folder / "b.md")]
    assert expand_sources([str(folder / "*.md")]) == [str(folder / "b.md")]
    kept = [str(tmp_path / "empty"), str(folder / "*.html"), "https://example.org/a"]
    (tmp_path / "empty").mkdir()
    assert expand_sources(kept) == kept  # nothing to expand: loading says what is wrong

    assert main(["build", str(folder), "--data-dir", str(fresh_settings.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "“Ants”" in out and "“Bees”" in out and "Cicadas" not in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_index_build_ends_its_progress_line(fresh_settings, tmp_path, monkeypatch, capsys,
                                            terminal):
    """The progress line is erased on a terminal (a shorter result line no longer shows its
    tail) and ended in a log; the result lines are clean lines, without a carriage return."""
    from index.cli import main

    article = tmp_path / "a-file-name-long-enough-to-outrun-its-own-result-line.txt"
    article.write_text("T\n\nOne sentence. Another sentence.\n")
    err = _Terminal() if terminal else None
    if terminal:
        monkeypatch.setattr(sys, "stderr", err)
    assert main(["build", str(article), "--data-dir", str(fresh_settings.data_dir)]) == 0
    out, logged = capsys.readouterr()
    stderr = err.getvalue() if terminal else logged
    assert out == ("  indexed  a-file-name-long-enough-to-outrun-its-own-result-line  “T”"
                   "  1 paragraph\n")
    assert "sentences embedded" in stderr
    assert stderr.endswith("\r\x1b[K" if terminal else "embedded\n")


def test_index_remove_tries_every_id(cli, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name}\n\nText of {name}.\n")
        cli("index", "build", str(tmp_path / f"{name}.txt"))
    done = cli("index", "remove", "a", "nope", "b", "nope-either", check=False)
    assert done.returncode == 2
    assert "removed  a" in done.stdout and "removed  b" in done.stdout
    assert "“nope”" in done.stderr and "“nope-either”" in done.stderr
    assert [a["id"] for a in json.loads(cli("index", "list", "--json").stdout)] == \
        ["china-russia-solidarity"]


def test_removing_the_bundled_article_says_it_comes_back(cli):
    done = cli("index", "remove", "china-russia-solidarity")
    assert "removed  china-russia-solidarity" in done.stdout
    assert "the bot indexes it again when it starts" in done.stderr
    assert json.loads(cli("index", "list", "--json").stdout) == []


def test_one_paragraph_is_singular(cli, tmp_path):
    (tmp_path / "one.txt").write_text("One\n\nThe only paragraph.\n")
    assert "“One”  1 paragraph\n" in cli("index", "build", str(tmp_path / "one.txt")).stdout
    listed = cli("index", "list").stdout
    assert "“One”  1 paragraph\n" in listed and "  9 paragraphs" in listed


def test_the_terminal_chat_searches_the_library_and_follows_the_conversation(fresh_settings):
    """Without --article, questions search every article (as chat questions do in Discord);
    /summary, /paragraph and "who wrote it?" are about the article the last answer quoted."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("garden.md", text="# Garden notes\n\nRunner beans climb tall hazel "
                       "poles in the vegetable garden.\n\nTomatoes need sun and water every "
                       "day.\n")
    engine.add_article("tea.md", text="# Tea\n\nTea grows on misty hillsides in Assam.\n")
    text = _chat(engine, "/article\nWhat do runner beans climb?\n/summary\n/paragraph 2\n"
                 "/paragraph 9\nwho wrote it?\n/article\nWhat did Putin say about Hong Kong?\n/more\n"
                 "/paragraph 3\n")
    assert text.startswith("quotebot: 3 articles (/article lists them); questions search")
    lists = [part for part in text.split("* the conversation's article")]
    assert "* china-russia-solidarity:" in lists[0]  # before any answer: the default
    assert '"Runner beans climb tall hazel poles in the vegetable garden." (Garden notes ¶1)' \
        in text
    assert "Summary of *Garden notes*" in text
    assert "¶2 of *Garden notes*: Tomatoes need sun and water every day." in text
    assert "“Garden notes” has no paragraph 9: its paragraphs are numbered 1 to 2." in text
    assert "*Garden notes* does not say who wrote it" in text
    assert "* garden: Garden notes" in lists[1]  # the conversation moved to the garden
    assert "(The Solidarity of China and… ¶3)" in text
    assert "More from the articles:" in text  # /more: its quotes name their articles too
    bundled_3 = engine.paragraph(3, "china-russia-solidarity")
    title = engine.article().title
    assert text.rstrip().endswith(f"¶3 of *{title}*: {bundled_3}".rstrip())  # moved back
    # with --article, everything is about that article, as before
    from bot.chat import chat
    out = io.StringIO()
    assert chat(engine, article="tea", stdin=io.StringIO("Where does tea grow?\n"),
                stdout=out) == 0
    assert out.getvalue().startswith("quotebot: Tea (1 paragraph).")
    assert "Tea grows on misty hillsides in Assam." in out.getvalue()


def test_the_terminal_chat_has_no_article_talked_about_before_an_answer(fresh_settings):
    """"what's the column about?" as the chat's first line summarised the default article, as
    though the conversation were about it; in Discord the bot asks which. After an answer,
    the conversation's article is the one talked about."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("garden.md", text="# Garden notes\n\nRunner beans climb tall hazel "
                       "poles in the vegetable garden.\n\nTomatoes need sun and water every "
                       "day.\n")
    text = _chat(engine, "summarize the column\nWhat do runner beans climb?\n"
                 "summarize the column\n")
    assert "Which article do you mean? No title here says “column”:" in text
    assert "Summary of *" not in text.split("Runner beans climb tall")[0]
    assert "Summary of *Garden notes*" in text  # after the answer: the garden's


def test_index_build_embeds_ahead_the_articles_it_writes(fresh_settings, tmp_path, capsys):
    """A build reads and embeds the next articles while it writes one (EmbedAhead): every
    article still gets its own vectors, in the order given, beside a source that fails and
    one that is unchanged; building them again embeds nothing."""
    from index.cli import main
    from index.library import open_store
    from index.loaders import load_article

    texts = {name: f"{name.title()} news\n\n" + " ".join(
        f"The {name} story has point {k} of many." for k in range(n)) + "\n\nA last line.\n"
        for name, n in (("alpha", 3), ("beta", 40), ("gamma", 7))}
    paths = []
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text)
        paths.append(str(tmp_path / f"{name}.txt"))
    paths.insert(2, str(tmp_path / "missing.txt"))
    data = ["--data-dir", str(fresh_settings.data_dir)]
    assert main(["build", paths[0], *data]) == 0  # already there before the build
    capsys.readouterr()
    assert main(["build", *paths, *data]) == 1
    out, err = capsys.readouterr()
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["unchanged", "alpha"], ["indexed", "beta"], ["indexed", "gamma"]]
    assert [line for line in err.splitlines() if "missing.txt" in line] == [
        f"  {paths[2]}: There is no file “{paths[2]}”."]
    store = open_store(fresh_settings)
    for path in (paths[0], paths[1], paths[3]):
        article = load_article(path)
        stored = store.load(article.id)
        vectors, title = store.embed(article)
        assert [s.text for s in stored.sentences] == [s.text for s in article.sentences]
        # Chroma's float32 round trip may move the last bit; another sentence's vector
        # differs by more than 0.01 somewhere.
        assert np.allclose(stored.sentence_vectors, vectors, rtol=0, atol=1e-6)
        assert np.allclose(stored.title_vector, title, rtol=0, atol=1e-6)
    assert main(["build", *paths[:2], paths[3], *data]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["unchanged"] * 3
    assert main(["build", *paths[:2], paths[3], *data, "--force"]) == 0  # embeds all again
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["indexed"] * 3
    article = load_article(paths[3])
    assert np.allclose(open_store(fresh_settings).load(article.id).sentence_vectors,
                       store.embed(article)[0], rtol=0, atol=1e-6)


def test_listing_and_removing_never_load_the_model(fresh_settings):
    """Only ``build`` embeds: ``list`` and ``remove`` do not start loading the model in the
    background (a process ending while that thread builds the ONNX session can abort)."""
    code = f"""
import sys
from index.cli import main
main(["list", "--data-dir", {str(fresh_settings.data_dir)!r}])
main(["remove", "nothing-here", "--data-dir", {str(fresh_settings.data_dir)!r}])
assert "onnxruntime" not in sys.modules, "the model was loaded"
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr
    assert "china-russia-solidarity" in done.stdout


def test_ctrl_c_stops_a_build_with_a_plain_message(cli, fresh_settings, tmp_path):
    """SIGINT during ``index build``: exit status 130, a sentence instead of a traceback, no
    further source started, and the store still answers."""
    import signal

    big = tmp_path / "big.txt"
    big.write_text("A long one\n\n" + "\n\n".join(
        f"Paragraph {k} says one thing. It then adds another point {k}." for k in range(1500)))
    small = tmp_path / "small.txt"
    small.write_text("Small\n\nA small article about tea.\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUOTEBOT_")}
    build = subprocess.Popen(
        [sys.executable, "-m", "index", "build", str(big), str(small), "--data-dir",
         str(fresh_settings.data_dir)], cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = build.stderr.readline()  # a quarter of the big article is embedded
    assert "sentences embedded" in first, first
    build.send_signal(signal.SIGINT)
    out, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert "index: stopped" in err and "Traceback" not in err
    assert "small" not in out
    listed = json.loads(cli("index", "list", "--json").stdout)
    assert [a["id"] for a in listed] == ["china-russia-solidarity"]


def test_ask_reads_stdin_and_echoes_each_question_shortened(cli):
    """Without --json each answer follows its question; a pasted page is not echoed whole."""
    out = cli("bot", "ask", "-", stdin="What did Putin say about Hong Kong?\n" + "word " * 4000
              + "\n").stdout
    blocks = out.strip().split("\n\n? ")
    assert blocks[0].startswith("? What did Putin say about Hong Kong?\n") and "(¶3)" in blocks[0]
    echoed, message = blocks[1].split("\n", 1)
    assert echoed.endswith("…") and len(echoed) <= 200
    assert "please keep it to 500 at most" in message
    assert len(out) < 2000


def test_listing_or_removing_where_there_is_no_index_leaves_nothing_behind(cli, tmp_path):
    """A mistyped --data-dir: ``list`` says there is no index there (``[]`` with --json, an
    empty list being the answer), ``remove`` fails, and neither creates an empty store."""
    nowhere = tmp_path / "no-such-dir"
    listed = cli("index", "list", "--json", "--data-dir", str(nowhere))
    assert json.loads(listed.stdout) == [] and "There is no index at" in listed.stderr
    text = cli("index", "list", "--data-dir", str(nowhere)).stdout
    assert text.startswith("There is no index at") and "python -m index build" in text
    removed = cli("index", "remove", "x", "--data-dir", str(nowhere), check=False)
    assert removed.returncode == 2 and "There is no index at" in removed.stderr
    assert not nowhere.exists()


@pytest.mark.parametrize("word", ["quit", "Exit", "/quit"])
def test_quit_or_exit_typed_alone_leaves_the_terminal_chat(engine, word):
    """A bare "quit" was asked as a question ("I couldn't find that…") and the chat went on."""
    out = _chat(engine, f"{word}\nWhat did Putin say about Hong Kong?\n")
    assert "couldn't find" not in out and "Hong Kong Special Administrative Region" not in out
