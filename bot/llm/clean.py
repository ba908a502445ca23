"""Cleaning of the model's own words before they are shown.

A model (or an instruction planted in an article) can put links, images, HTML or Discord mentions
into its answer. Links and images the article does not contain are removed: a Markdown link keeps
its text, an image disappears, a bare URL disappears. Mass mentions are defused and user, role
and channel mentions removed, so an answer can never ping anyone.
"""

from __future__ import annotations

import re

from index.article import Article

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>\s]+)>", re.IGNORECASE)
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>()\"'`]+", re.IGNORECASE)
_HTML = re.compile(r"</?[a-zA-Z][^<>]*>")
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>")
_MASS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]{2,}")
# Invisible characters, which could hide a quotation mark's shape from the checks (a zero-width
# space before a quotation mark makes it look like an apostrophe inside a word): zero-width
# spaces become spaces, the others go.
_ZERO_WIDTH_SPACE = re.compile("[\u180e\u200b\u2060\ufeff]")
_INVISIBLE = re.compile("[\u00ad\u200c-\u200f\u202a-\u202e\u2061-\u2064\u2066-\u2069]")
_SPACE_PUNCT = re.compile(r"\s+([.,;:!?])")


def _known(url: str, article_text: str) -> bool:
    return bool(url) and url.rstrip(".,;:!?") in article_text


def clean_text(text: str, article: Article) -> str:
    """The model's sentence without links, images, HTML or mentions the article does not have."""
    body = "\n".join(p.text for p in article.paragraphs)
    text = _INVISIBLE.sub("", _ZERO_WIDTH_SPACE.sub(" ", text))
    text = _IMAGE.sub(lambda m: m.group(0) if _known(m.group(2), body) else "", text)
    text = _LINK.sub(lambda m: m.group(0) if _known(m.group(2), body) else m.group(1), text)
    text = _REF_DEF.sub("", text)
    text = _ANGLE_URL.sub(lambda m: m.group(0) if _known(m.group(1), body) else "", text)
    text = _URL.sub(lambda m: m.group(0) if _known(m.group(0), body) else "", text)
    text = _HTML.sub("", text)
    text = _MENTION.sub("", text)
    text = _MASS.sub(lambda m: "@\u200b" + m.group(1), text)
    text = _SPACE_PUNCT.sub(r"\1", _SPACES.sub(" ", text))
    return text.strip()
