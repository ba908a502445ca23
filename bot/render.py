"""One formatter turns quotes into chat text: the CLI, the terminal chat and Discord all use it.

A quote is wrapped in quotation marks that do not occur inside it (straight ``"…"`` first, then
curly ``“…”``), or set as a block quote when it contains both, and is followed by its citation
``(¶N)``, or ``(Short Title ¶N)`` when the library holds more than one article (``named``). A
quote with a ``url`` (its article came from a web page) links its citation to the passage there:
``[(Title ¶N)](<url>)``, a masked link Discord renders without an embed. Quote text is never
altered, so what a reader sees can be found word for word in the article.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote as percent_encode

from bot.models import Quote
from index.sentences import ITEM_MARK

DISCORD_LIMIT = 2000
TITLE_LIMIT = 30
FRAGMENT_WORDS = 4  # words each side of a long quote's text fragment (``start,end``)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word with an ellipsis when over ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def short_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """The title shortened (:func:`shorten`) for a citation; square brackets become
    parentheses so the title cannot break a masked link."""
    return shorten(title.replace("[", "(").replace("]", ")"), limit)


def _fragment_part(text: str) -> str:
    """Percent-encoded for a text directive: ``-``, ``&`` and ``,`` included (they are syntax)."""
    return percent_encode(text, safe="").replace("-", "%2D")


def _unmarked(line: str) -> str:
    """``line`` without the item number it opens with ("2. Sift…" → "Sift…")."""
    mark = ITEM_MARK.match(line)
    return line[mark.end():] if mark else line


def passage_url(source: str, text: str, page: int | None = None) -> str:
    """``source`` with a ``#:~:text=`` text fragment (WICG Scroll-to-Text), so a browser scrolls
    to the quoted passage and highlights it. A quote of one line and at most
    ``2 * FRAGMENT_WORDS`` words is matched whole; a longer one, or one of several lines, by
    the ``start,end`` form with a few words of its first and last lines (which keeps links
    short: a browser matches a whole text only within one block, and a list's items are
    blocks). A list item's number ("2. ") is left out: a browser draws an ``<ol>``'s numbers
    without putting them in the page's text. A PDF's ``page`` comes first
    (``#page=3:~:text=…``): PDF viewers open that page, and a browser takes the text directive
    after ``:~:`` out of the fragment before the page sees it."""
    base = source.split("#", 1)[0]
    lines = [words for words in (_unmarked(line).split() for line in text.split("\n"))
             if words]
    if not lines:
        lines = [text.split()]
    if len(lines) == 1 and len(lines[0]) <= 2 * FRAGMENT_WORDS:
        directive = _fragment_part(" ".join(lines[0]))
    else:
        directive = (f"{_fragment_part(' '.join(lines[0][:FRAGMENT_WORDS]))},"
                     f"{_fragment_part(' '.join(lines[-1][-FRAGMENT_WORDS:]))}")
    return f"{base}#{f'page={page}' if page else ''}:~:text={directive}"


def cite(quote: Quote, *, named: bool = False) -> str:
    """``(¶N)``, or ``(Short Title ¶N)`` when ``named``; a link to the passage when it has one."""
    title = short_title(quote.title or quote.article) if named else ""
    citation = f"({title} ¶{quote.paragraph})" if title else f"(¶{quote.paragraph})"
    return f"[{citation}](<{quote.url}>)" if quote.url else citation


def format_quote(quote: Quote, *, named: bool = False) -> str:
    text, citation = quote.text, cite(quote, named=named)
    if '"' not in text and "\n" not in text:
        return f'"{text}" {citation}'
    if "“" not in text and "”" not in text and "\n" not in text:
        return f"“{text}” {citation}"
    lines = "\n".join(f"> {line}" for line in text.split("\n"))
    return f"{lines}\n{citation}"


def split_blocks(blocks: Iterable[str], limit: int = DISCORD_LIMIT, sep: str = "\n\n") -> list[str]:
    """Join blocks into messages of at most ``limit`` characters, splitting only between blocks.

    A single block longer than the limit (a very long quote) is cut at white space and continues
    in the next message; callers keep quotes short so that this is a last resort.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > limit:
            cut = block.rfind(" ", 0, limit - 1)
            cut = cut if cut > limit // 2 else limit - 1
            if current:
                messages.append(current)
                current = ""
            messages.append(block[:cut] + "…")
            block = "…" + block[cut:].lstrip()
        candidate = f"{current}{sep}{block}" if current else block
        if len(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def render_quotes(quotes: Iterable[Quote], *, header: str = "", limit: int = DISCORD_LIMIT,
                  named: bool = False) -> str:
    """Header plus as many whole quotes as fit in one message of ``limit`` characters."""
    message = header
    for quote in quotes:
        block = format_quote(quote, named=named)
        candidate = f"{message}\n\n{block}" if message else block
        if len(candidate) > limit:
            break
        message = candidate
    return message[:limit]


def recite(message: str, before: list[Quote], after: list[Quote], *, named: bool,
           limit: int = DISCORD_LIMIT) -> str:
    """``message`` (rendered from the quotes ``before`` with plain citations) with each quote's
    block re-rendered from ``after`` (the same quotes with title and URL) and ``named``
    citations. Whatever came with the quotes (a header, an LLM's answer, a note) is kept; when
    the longer citations overflow ``limit``, trailing quotes are dropped, and if that is not
    enough the message is returned unchanged."""
    rendered, position, placed = message, 0, []
    for old, new in zip(before, after):
        old_block, new_block = format_quote(old), format_quote(new, named=named)
        found = rendered.find(old_block, position)
        if found < 0:
            continue
        rendered = rendered[:found] + new_block + rendered[found + len(old_block):]
        position = found + len(new_block)
        placed.append((found, new_block))
    while len(rendered) > limit and placed:
        found, block = placed.pop()
        if not rendered.endswith(block) or not rendered[:found].strip():
            break
        rendered = rendered[:found].rstrip()
    return rendered if len(rendered) <= limit else message
