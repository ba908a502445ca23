"""One formatter turns quotes into chat text: the CLI, the terminal chat and Discord all use it.

A quote is wrapped in quotation marks that do not occur inside it (straight ``"…"`` first, then
curly ``“…”``), or set as a block quote when it contains both, and is followed by its citation
``(¶N)``. Quote text is never altered, so what a reader sees can be found word for word in the
article.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Quote

DISCORD_LIMIT = 2000


def cite(quote: Quote, *, article: bool = False) -> str:
    return f"({quote.article} ¶{quote.paragraph})" if article else f"(¶{quote.paragraph})"


def format_quote(quote: Quote, *, article: bool = False) -> str:
    text, citation = quote.text, cite(quote, article=article)
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
                  article: bool = False) -> str:
    """Header plus as many whole quotes as fit in one message of ``limit`` characters."""
    message = header
    for quote in quotes:
        block = format_quote(quote, article=article)
        candidate = f"{message}\n\n{block}" if message else block
        if len(candidate) > limit:
            break
        message = candidate
    return message[:limit]
