"""The article model: a title, a byline and numbered paragraphs, exactly as a reader counts them.

Parsing is pure text work (no I/O here; see :mod:`index.loaders`). The same text always gives the
same paragraphs, numbers, sentence spans and ids, so re-indexing is idempotent.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property

from index.errors import UnknownParagraph
from index.sentences import ENUMERATOR, split_sentences

# The names start as names do ("By the Editorial Board" too): an opening "By 2030, …" or "By
# the time …" is a paragraph. Bylines in other languages too: "Par Jean Dupont", "Von Hans
# Müller", "Por Ana Pérez", "Door Jan de Vries", "Av Anna Berg", "Przez Jan Kowalski",
# "Autor: …", "作者：…". And who else signs a text: "Reported by …", "Recorded by: …" (minutes),
# "Interview by …", a blog's "Posted by … on 2 May 2024" and "Posted on 2 May 2024 by …", a
# review's "Reviewed by …".
BYLINE = re.compile(r"^\s*(?P<word>authors?|by|(?:written|reported|reviewed|recorded|compiled|"
                    r"prepared|interview|minutes(?:\s+taken)?|story|text|words|posted|"
                    r"posted\s+(?:on\s+)?[^\n]{1,40}?)\s+by|par|écrit par|von|"
                    r"por|escrito por|door|"
                    r"av|af|przez|auteurs?|autor(?:es|en|in)?|autore|autori|作者)"
                    r"\s*[:\-：]?\s*(?<=[\s:：])"
                    r"(?P<names>(?-i:(?:the\s+)?(?:[^\W\d_a-z]|[\[*_]|u/\w)).*)$", re.IGNORECASE)
# Words that open a byline in another language but also a sentence or a headline ("Von Montag
# an gilt …", "Por Lisboa e Porto, a chuva …", "Par Three Holes Are Back"): after them only
# names are taken, each of one to three capitalised words with name particles between.
_FOREIGN_BY = {"par", "écrit par", "von", "por", "escrito por", "door", "av", "af", "przez"}
_NAME_JOIN = re.compile(r"\s*(?:,|&|\b(?:and|und|et|y|e|i|och|og|en|oraz)\b)\s*")
_PARTICLES = {"de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van",
              "von", "der", "den", "ten", "ter", "zu", "y", "bin", "al"}
_NAME_WORD = re.compile(r"[^\W\d_a-z][\w'’.-]*")
# What may follow a sentence's last stop: closing quotes and brackets, footnote marks.
_CLOSERS = re.compile(r"(?:\[\d{1,3}\]|[”\"’'»)\]*†‡])+$")


def _names_only(names: str) -> bool:
    """Whether ``names`` is a list of people's names, not the rest of a sentence or headline."""
    for person in _NAME_JOIN.split(names.strip()):
        words = person.split()
        capitalised = [w for w in words if _NAME_WORD.fullmatch(w)]
        if not 1 <= len(capitalised) <= 3 or any(
                w not in capitalised and w.lower() not in _PARTICLES for w in words):
            return False
    return True


def _authors_line(line: str) -> bool:
    """A line of two or more people's names and nothing else ("Maria Kowalczyk, Daniel Osei
    and Hannah Lindqvist"), as a paper names its authors under its title."""
    plain = FOOTNOTE_MARK.sub("", line.strip())  # ("Helena Brandt(1)": an affiliation's mark)
    names = _NAME_JOIN.split(plain)
    return len([n for n in names if n]) >= 2 and all(
        len(n.split()) >= 2 for n in names if n) and _names_only(plain)


def byline(line: str) -> re.Match | None:
    """The byline's match (its ``names`` group), or None. Not a sentence that opens with "By"
    and a capital ("By Monday evening, thousands had lost power.": five words or more, ending
    as a sentence ends, maybe before a closing quote or footnote mark); "By Jane Doe Jr." and
    "By Jane Doe, staff writer" are bylines. After a byline word of another language, only
    names: "Von Hans Müller", not "Von Montag an gilt …" or "Von Braun and the Moon"."""
    found = BYLINE.match(line)
    if found is None:
        # ... after what a page puts first: "Updated April 2024 · By Marta Lindqvist"
        return next(filter(None, map(byline, BYLINE_PARTS.split(line)[1:2])), None)
    names = found.group("names").strip()
    if len(names.split()) >= 5 and _CLOSERS.sub("", names).endswith((".", "!", "?")):
        # ... unless names end its first sentence, and the rest says where it appeared
        # ("Interview by Fern Castellano. From the Spring 2024 issue of Hearth & Table.")
        stop = line.find(". ", found.start("names"))
        if stop < 0 or not _names_only(_unmarked(line[found.start("names"):stop])):
            return None
        return byline(line[:stop])
    word = " ".join(found.group("word").split())
    if word.lower() in _FOREIGN_BY and (word.isupper() or not _names_only(names)):
        return None
    return found


BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
# A footnote mark after a name in a byline ("Jane Doe*", "John Roe†", "Ann Lee¹", "Kim [1]")
# points to a note about the author at the end; it is no part of the name.
FOOTNOTE_MARK = re.compile(r"\s*(?:(?:\\?[*†‡§])+|[¹²³⁰⁴-⁹]+|"
                           r"\[\d{1,2}\]|(?<=\w)\(\d{1,2}(?:,\s?\d{1,2})*\))(?=[\s,;&]|$)")
# Markdown a byline is often written in: "*By Jane Doe*", "By **Jane Doe**", "[Jane Doe](url)".
MD_EMPHASIS = re.compile(r"(?<![\w\\])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")


def _unmarked(text: str) -> str:
    """``text`` without Markdown emphasis and links, their words kept."""
    text = MD_LINK.sub(r"\1", text)
    while (plain := MD_EMPHASIS.sub(r"\2", text)) != text:
        text = plain
    return text


# What a web page's byline line holds after the names: "By Jane Doe | Updated April 2025",
# "By Jane Doe · 5 min read", "By Jane Doe • March 3" (or before them: BYLINE_PARTS).
_BYLINE_SEPARATOR = r"\s+[|·•]\s"
BYLINE_EXTRA = re.compile(_BYLINE_SEPARATOR + r".*$")
BYLINE_PARTS = re.compile(_BYLINE_SEPARATOR + r"\s*")
# ... or a date on the line after the names, which a hard-wrapped byline block glues on
# ("By Daniel Okafor, Legal Affairs Correspondent\nThursday 6 February 2025")
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
DATE_TAIL = re.compile(
    rf"[\s,;—–-]+(?:(?:published|updated|posted)\s*:?\s*)?(?:on\s+)?"
    rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
    rf"\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*$", re.I)
# A line under a headline that says when (and where) rather than what: a full date, or a
# note in brackets ("[Transcript as delivered]")
DATELINE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
                      rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                      rf"|\d{{4}}-\d{{2}}-\d{{2}})\b|^\s*\[[^\]]+\]\s*$")
# ... and at most this many words besides (not a subtitle: "Minutes of the meeting held on …")
DATELINE_WORDS = 5
# A speech's title names who gave it ("Remarks by Governor Dana Whitcombe at …")
SPOKEN_BY = re.compile(r"(?:(?:Prepared\s+)?Remarks|Speech|Address|Statement|Keynote|Testimony|"
                       r"Lecture|Sermon|Eulogy|Toast)\s+(?:as\s+delivered\s+)?by\s+"
                       r"(?P<names>(?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w’'-]*)"
                       r"(?=\s+(?:at|to|on|before|in|for|during)\b|\s*[,:—–-]|\s*$)")
# ... or when it was updated, on the line after the names ("By Callum Dunleavy, Weather
# Correspondent" over "*Updated 09:40 GMT, Tuesday 18 November 2025*": Markdown joins them)
STAMP_TAIL = re.compile(r"[\s,;—–-]+(?:last\s+)?(?:published|updated|posted|modified)\b[^\n]*$",
                        re.I)


def clean_authors(names: str | None) -> str | None:
    """A byline's names without footnote marks (or Markdown emphasis and links) or what a page
    adds after a separator (:data:`BYLINE_EXTRA`) or after them (a date: :data:`DATE_TAIL`):
    "Yang Yi-zhong & Zhao Qing-tong*" is by "Yang Yi-zhong & Zhao Qing-tong", "Jane Doe |
    Updated April 2025" and "Jane Doe Thursday 6 February 2025" by "Jane Doe"."""
    if not names:
        return None
    names = BYLINE_EXTRA.sub("", FOOTNOTE_MARK.sub("", _unmarked(names)))
    names = STAMP_TAIL.sub("", DATE_TAIL.sub("", " ".join(names.split())))
    return names or None


# A letter's closing ("Yours sincerely,", "Kind regards,", "Your loving son,"): the names under
# it sign the text, as a byline would
VALEDICTION = re.compile(
    r"\s*(?:yours(?:\s+(?:sincerely|faithfully|truly|ever))?|(?:very\s+)?sincerely(?:\s+yours)?|"
    r"(?:with\s+)?(?:best|kind|warm|warmest)\s+(?:regards|wishes)|(?:best\s+)?regards|"
    r"respectfully(?:\s+yours)?|with\s+(?:love|thanks|gratitude)|your\s+loving\s+\w+)"
    r"\s*[,.!]?\s*", re.I)


def signatories(blocks: list[str]) -> str | None:
    """Who signs a letter with no byline ("Yours sincerely," over "Fiona Caldwell" / "Chief
    Executive Officer" and "Sir Richard Penhaligon" / "Chair": "Fiona Caldwell and Sir
    Richard Penhaligon"): the first line of each block of names after its one closing
    (:data:`VALEDICTION`), or of the lines under it in the same block; the lines below a
    name (a role) are not names. None for a text with no closing or several (a collection
    of letters)."""
    lines = [(k, line.strip()) for k, block in enumerate(blocks)
             for line in block.split("\n") if line.strip()]
    closings = [i for i, (_, line) in enumerate(lines) if VALEDICTION.fullmatch(line)]
    if len(closings) != 1:
        return None
    names, block = [], None
    for k, line in lines[closings[0] + 1:]:
        if k == block:
            continue  # a name's role ("Chair"), or the rest of its block
        if (any(ch.isdigit() for ch in line) or len(line.split()) > 4 or not _names_only(line)
                or line.isupper()):  # (the next section's heading: "FUNDRAISING UPDATE")
            break
        names.append(line.rstrip(",."))
        block = k
    if not names:
        return None
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class ArticleInfo:
    """What the store knows of one indexed article version (no text): shared by ``index`` and
    ``bot`` (re-exported as ``bot.models.ArticleInfo``)."""

    id: str
    title: str
    authors: str | None
    paragraphs: int
    scope: str = "global"  # "global" or the guild id that added it
    source: str = ""
    checksum: str = ""  # of the content
    version: str = ""  # of the stored records (changes on every rebuild)
    pages: tuple[int, ...] = field(default=(), repr=False)  # :attr:`Article.pages`
    # Its headings, each once, in reading order (:attr:`Article.headings`): what a library
    # question may ask for by name ("What are the ingredients?") before any article is loaded.
    sections: tuple[str, ...] = field(default=(), repr=False)

    @property
    def length(self) -> str:
        """"9 paragraphs", "1 paragraph": the article's size as messages and listings say it."""
        return f"{self.paragraphs} paragraph" + ("" if self.paragraphs == 1 else "s")

    def page(self, paragraph: int) -> int | None:
        """The page paragraph ``paragraph`` starts on, in a PDF; else None."""
        return self.pages[paragraph - 1] if 1 <= paragraph <= len(self.pages) else None

    def as_json(self) -> dict:
        """What listings show: the pages are left out (a number for every paragraph), and the
        sections."""
        data = asdict(self)
        del data["pages"], data["sections"]
        return data


@dataclass(frozen=True)
class Sentence:
    """A contiguous span ``[start, end)`` of one paragraph's text."""

    paragraph: int
    index: int  # position within the paragraph, from 0
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, in reading order
    text: str

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(
            Sentence(self.number, i, start, end, self.text[start:end])
            for i, (start, end) in enumerate(split_sentences(self.text))
        )


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    authors: str | None
    paragraphs: tuple[Paragraph, ...]
    source: str = ""  # where it came from: a path, a URL or "upload"
    scope: str = "global"  # "global", or the Discord guild id that added it
    # A PDF's: the page (from 1) each paragraph starts on, for links that open it there; empty
    # for a source without pages.
    pages: tuple[int, ...] = ()
    # The heading each paragraph comes under ("" before the first; headings are no paragraphs
    # of their own): "What are the ingredients?" asks for a section. Empty for a text without
    # headings.
    headings: tuple[str, ...] = ()

    @property
    def checksum(self) -> str:
        """Identifies the content: the same text always gives the same checksum (and the same
        PDF text laid out on other pages another one, so that its links are updated)."""
        h = hashlib.sha256()
        for part in (self.title, self.authors or "", *(p.text for p in self.paragraphs)):
            h.update(part.encode())
            h.update(b"\0")
        if self.pages:
            h.update(",".join(map(str, self.pages)).encode())
        if any(self.headings):
            h.update("\0".join(self.headings).encode())
        return h.hexdigest()[:16]

    def heading(self, number: int) -> str:
        """The heading paragraph ``number`` comes under, or ""."""
        return self.headings[number - 1] if 1 <= number <= len(self.headings) else ""

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise UnknownParagraph(number, len(self.paragraphs), self.title)
        return self.paragraphs[number - 1]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    @cached_property
    def question_turns(self) -> frozenset[int]:
        """The numbers of the paragraphs that are an interviewer's question, set apart as a
        paragraph of its own over its answer ("**There's a lot of snobbery about sourdough. Is
        it justified?**" over "Some of it, yes. …"): short (:data:`TURN_WORDS`), ending with a
        question (:func:`asks`), before a paragraph that does not; in a text with
        :data:`QUESTION_TURNS` such at least (an interview, an FAQ), so that an essay's
        rhetorical question ("Wages rose 3%. Is that enough?") keeps its statement quotable.
        In such a text, a short paragraph that asks by an imperative is one too ("Tell us about
        the book.": "whats her book called" was answered with it)."""
        pairs = [(p, after) for p, after in zip(self.paragraphs, self.paragraphs[1:])
                 if len(p.text.split()) <= TURN_WORDS and not asks(after.text)]
        found = {p.number for p, _ in pairs if asks(p.text)}
        if len(found) < QUESTION_TURNS:
            return frozenset()
        return frozenset(found | {p.number for p, _ in pairs if PROMPT.match(p.text)})


# A sentence that asks rather than tells: an interviewer's question ("Q: Who pays for the
# nurseries?"), a rhetorical one ("Why does it matter?"). Not one that reports a question
# (holds a quotation mark: 'asking "Are we all agreed?"'), nor a "[who?]" tag.
_QUOTE_MARK = re.compile(r"[\"“”‘’«»]")
TURN_WORDS, QUESTION_TURNS = 40, 3  # an interviewer's question paragraph's most words; how many
PROMPT = re.compile(r"[\W_]*(?:(?:tell|talk|walk)\s+(?:us|me)|describe|explain)\b", re.I)


# ... but a line of dialogue that is a question is one ('"Who cut out the pages?" she asked.',
# '"Who is he, Uncle Abel?"'): a story's reader asking "who cut out the pages" got the
# question back, not the next line's "I did."
_DIALOGUE_QUESTION = re.compile(
    r"\s*[\"“‘][^\"“”‘’]+\?[\"”’](?:\s*,?\s*(?:[\w’'-]+\s+){0,3}?(?:asked|asks|wondered|"
    r"wonders|said|says|whispered|demanded|called|cried|shouted|repeated)\b[^\"“”?!]{0,40})?"
    r"[.!]?\s*")


def asks(sentence: str) -> bool:
    """Whether ``sentence`` (or a paragraph's last) is itself a question (see above): it
    answers nothing, what follows it does."""
    text = sentence.rstrip(" *_")
    return (text.endswith("?") and not _QUOTE_MARK.search(text)
            or _DIALOGUE_QUESTION.fullmatch(text) is not None)


# A document's metadata title that names a file or nothing ("Microsoft Word - draft3.docx").
_FILE_TITLE = re.compile(r"^$|\.(?:docx?|odt|rtf|pdf|tex|indd|pages|pptx?)$"
                         r"|^microsoft (?:word|powerpoint)|^untitled\b", re.IGNORECASE)


def metadata_title(title: object) -> str:
    """A title from a PDF's or Word document's metadata, spaces made one, or "" when it is
    empty, a file name or too long to be a title."""
    text = " ".join(str(title or "").split())
    return "" if _FILE_TITLE.search(text) or len(text) > 200 else text


def slugify(text: str, fallback: str = "article") -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or fallback


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def list_number(number: int, style: str = "1") -> str:
    """Item *number* of a numbered list as *style* writes it: "1" (decimal), "a"/"A" (letters,
    going on past z as "aa", "ab", …) or "i"/"I" (Roman numerals), HTML's ``<ol type>``
    values: 3 → "3", "c", "C", "iii", "III". What letters or Roman numerals cannot write
    (0 or less; Roman past 3999) is decimal, as browsers write it. By hand: a dozen lines
    against a dependency."""
    if style in ("a", "A") and number > 0:
        letters = ""
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "A" else letters
    if style in ("i", "I") and 0 < number < 4000:
        roman = ""
        for value, numeral in _ROMAN:
            count, number = divmod(number, value)
            roman += numeral * count
        return roman.upper() if style == "I" else roman
    return str(number)


def _blocks(text: str) -> list[str]:
    """Non-empty blocks separated by blank lines, with trailing white space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [b.strip("\n").rstrip() for b in BLANK_LINE.split(text) if b.strip()]


# What a site prints around every page, pasted with the text: Wikipedia's "From Wikipedia, the
# free encyclopedia" was an encyclopedia article's ¶1, and its summary's first quote; and a
# press release's "FOR IMMEDIATE RELEASE", which was its title (and every citation's).
SITE_CHROME = re.compile(r"\s*(?:From Wikipedia, the free encyclopedia|FOR IMMEDIATE RELEASE|"
                         r"Jump to (?:navigation|"
                         r"content|search)(?:\s+Jump to search)?|\(Redirected from [^\n]{1,100}"
                         r"\))\s*", re.I)


# A wiki's section heading as a browser copies it, with its edit link: "History[edit]"
EDIT_HEADING = re.compile(r"\s*(?P<name>[^\n\[\]]{1,80}?)\s*\[\s*edit(?:\s+source)?\s*\]\s*",
                          re.I)


# A field of a document's head ("Status: Final", "Incident date: 2025-02-11"), at most so many
FIELD, FIELDS = re.compile(r"\s*[A-Z][\w ’'-]{0,30}:\s+\S"), 8


def is_fields(text: str) -> bool:
    """Whether a block is lines of a document's fields ("Status: Final" over "Authors: …")."""
    lines = text.split("\n")
    return 1 < len(lines) <= FIELDS and all(FIELD.match(line) for line in lines)


def nested(open_: list[tuple[int, str]], level: int, heading: str) -> str:
    """The section a heading of ``level`` starts, under the headings ``open_`` holds (outermost
    first; updated): "[2.0.0] - 2024-01-15 › Fixed" for "### Fixed" under "## [2.0.0] …"."""
    while open_ and open_[-1][0] >= level:
        open_.pop()
    open_.append((level, heading))
    return SECTION_PATH.join(text for _, text in open_)
# A Q&A site's page, as a browser copies it (Stack Exchange's): "Asked 3 years, 2 months ago",
# "answered Oct 3, 2021 at 21:30", "edited Oct 5, 2021 at 8:02"
QA_MARK = re.compile(r"\s*(?:asked\s+\d+\s+\w+(?:,\s+\d+\s+\w+)?\s+ago|(?:asked|answered|edited)"
                     r"\s+\w{3}\s+\d{1,2}(?:,\s+\d{4})?\s+at\s+\d{1,2}:\d{2})\s*", re.I)
# ... and what it prints around the posts: when it was asked, changed and viewed, how many
# answers and how they are sorted, each post's votes (a number alone) and its poster's
# reputation figures ("118k 24 245 431"), the links under a post
QA_CHROME = re.compile(r"\s*(?:(?:asked|modified|active)\s+(?:\d+\s+\w+(?:,\s+\d+\s+\w+)?\s+ago|"
                       r"today|yesterday)|viewed\s+[\d,.]+k?\s+times|\d+\s+answers?|sorted by:.*|"
                       r"-?\d{1,5}|[\d,.]+k?(?:\s+\d+){1,3}|share|"
                       r"improve this (?:answer|question)|"
                       r"follow|add a comment|show \d+ more comments?)\s*")


def _chrome_dropped(blocks: list[str], markdown: bool) -> list[str]:
    """``blocks`` without their lines of :data:`SITE_CHROME`, and a wiki's headings without
    their edit links (:data:`EDIT_HEADING`; in Markdown, as headings: "History[edit]" was a
    paragraph, quoted as the answer to "what about its history?")."""
    lines = [line for block in blocks for line in block.split("\n")]
    # a Q&A site's page ("Asked 3 years, 2 months ago", "answered Oct 3, 2021 at 21:30"): its
    # votes, views, sorting and its posters' reputation figures too
    qa = sum(QA_MARK.fullmatch(line) is not None for line in lines) >= 2
    chrome = re.compile(f"{SITE_CHROME.pattern}|{QA_CHROME.pattern}" if qa
                        else SITE_CHROME.pattern, re.I)
    if not any(chrome.fullmatch(line) or EDIT_HEADING.fullmatch(line) for line in lines):
        return blocks

    def cleaned(line: str) -> str:
        heading = EDIT_HEADING.fullmatch(line)
        return line if heading is None else (
            f"## {heading['name']}" if markdown else heading["name"])

    kept = ("\n".join(cleaned(line) for line in block.split("\n")
                      if not chrome.fullmatch(line)) for block in blocks)
    return [block for block in kept if block.strip()]


LABEL_CHARS = 80  # a list's label ("For the cake:", "You can't send:") is at most this long
LABEL_WORDS = 5  # ... and heads it as a heading would with at most this many words


def _labels_joined(blocks: list[str]) -> list[str]:
    """Each short line ending in ":" that stands alone above a list ("For the cake:" over
    the cake's ingredients, "You can't send:") joined with its list, as one paragraph: alone,
    it was a paragraph of its own, quoted as the answer ("whats in the drizzle?": "For the
    drizzle:") while the list it names lost its label. So is a line that leads into a block
    of code ("To include the dashboard, install the extra:" over the command)."""
    out: list[str] = []
    for block in blocks:
        label = out[-1] if out else ""
        if label and "\n" not in label and label.endswith(":") and (
                len(label) <= LABEL_CHARS and LIST_ITEM.match(block)
                or len(label) <= LEAD_IN_CHARS and FENCE.match(block)):
            out[-1] = f"{label}\n{block}"
        else:
            out.append(block)
    return out


# A Markdown code fence's line: "```", "```python", "~~~"
FENCE = re.compile(r"[ ]{0,3}(?:`{3,}|~{3,})")
LEAD_IN_CHARS = 200  # a line leading into a block of code is at most this long


def _fences_joined(blocks: list[str]) -> list[str]:
    """Markdown's blocks with each fenced block of code whole: its blank lines split it into
    paragraphs ("from tidepool import Queue, task" and 'q = Queue("jobs.db")' were two)."""
    out: list[str] = []
    inside = False
    for block in blocks:
        if inside:
            out[-1] = f"{out[-1]}\n\n{block}"
        else:
            out.append(block)
        for line in block.split("\n"):
            if FENCE.match(line):
                inside = not inside
    return out


def _one_line_each(blocks: list[str]) -> list[str]:
    """A text without any blank line (a title line, maybe a byline, then one paragraph per
    line: how some editors and exports save it) as one block per line; else ``blocks``.
    Read as one block, it would be all title and no paragraph."""
    if len(blocks) != 1 or "\n" not in blocks[0]:
        return blocks
    return [line.rstrip() for line in blocks[0].split("\n") if line.strip()]


# Markdown as a reader sees it. markdown-it-py (CommonMark) parses each block; what is quoted is
# the text it shows: no "**", "[text](url)", images, "\\%" escapes, "&amp;" entities, HTML
# comments or rules; a soft line break is a space (hard-wrapped lines are one sentence), the
# items of a list and the rows of a table are lines. Footnote references ("[^1]") are marks,
# not words; a footnote ("[^1]: …") is a note, "[1] …", as summaries leave notes out.
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MARKDOWN = None


def _markdown():
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _MARKDOWN


def _opens_label(children, start: int) -> bool:
    """Whether the line of inline tokens from ``children[start]`` opens with a label, in bold
    or not ("**Office:** Larkin Hall 314", "Email: …")."""
    rest = [c for c in children[start:start + 4] if c.type != "text" or c.content][:3]
    if rest and rest[0].type == "strong_open" and len(rest) > 1 and rest[1].type == "text":
        return LABEL_LINE.match(rest[1].content + " ") is not None or bool(
            re.fullmatch(r"[A-Z][\w’' -]{0,30}:", rest[1].content.strip()))
    return bool(rest) and rest[0].type == "text" and LABEL_LINE.match(rest[0].content) is not None


def _label_after(children, k: int) -> bool:
    """Whether softbreak ``children[k]`` is between two lines that open with labels (a
    syllabus's "**Instructor:** …" over "**Office:** …"): each its own line. (A label under a
    line of another kind goes on with it: "**Week 6: The slave ship.**" over "Reading: …".)"""
    line = max((j + 1 for j in range(k) if children[j].type in ("softbreak", "hardbreak")),
               default=0)
    return _opens_label(children, k + 1) and _opens_label(children, line)


def _inline_text(token) -> str:
    parts = []
    children = token.children or []
    for k, child in enumerate(children):
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n" if _label_after(children, k) else " ")
        elif child.type == "hardbreak":
            parts.append("\n")
        # images, inline HTML and the open/close marks of links and emphasis show no text
    text = "".join(parts)
    note = re.match(r"\s*\[\^([^\]\s]+)\]:\s*", text)
    if note:  # a footnote: "[^1]: text" -> "[1] text"
        text = f"[{note.group(1)}] {text[note.end():]}"
    return FOOTNOTE_REF.sub("", text).strip()


# A line in bold alone heads what follows as a heading under the "#" ones does.
BOLD_LEVEL = 7
# A heading under another is known by both ("[2.7.0] - 2024-02-12 › Fixed" of release notes,
# "Nothing Ear (a) › Cons" of a review): under the inner one alone, "what was fixed in 2.7.0"
# found every version's "Fixed", and the first.
SECTION_PATH = " › "


def _bold_heading(token) -> bool:
    """Whether a paragraph's inline ``token`` is a line in bold alone, short, ending with no
    sentence's punctuation ("**Brakk**" over a hero's changes in patch notes): a heading as
    it is shown. Numbered as a paragraph, it was quoted alone as the answer ("what changed for
    brakk?": "Brakk") and its changes lost their name. Not a byline ("**By Jane Doe**")."""
    children = [c for c in token.children or ()
                if c.type != "softbreak" and (c.type != "text" or c.content.strip())]
    if (len(children) < 3 or children[0].type != "strong_open"
            or children[-1].type != "strong_close"
            or any(c.type == "strong_close" for c in children[1:-1])):
        return False
    text = "".join(c.content for c in children if c.type == "text").strip()
    return (0 < len(text) <= HEADING_CHARS and len(text.split()) <= HEADING_WORDS
            and text[-1:] not in SENTENCE_END and byline(text) is None)


def markdown_items(block: str) -> list[tuple[str, int]]:
    """One block of Markdown (no blank line inside) as ``(text, level)`` items: each heading
    alone, with its level (1 for "#", 2 for "##", …; :data:`BOLD_LEVEL` for a line in bold
    alone), the rest of the block's text as one item of level 0, lines for list items (an
    ordered one with its number, as it is shown: "Step 2" is found by it) and table rows.
    Nothing for a rule, an image alone or an HTML comment."""
    items: list[tuple[str, int]] = []
    lines: list[str] = []
    row: list[str] | None = None
    heading = 0
    number = ""  # an ordered list item's number, as shown ("2. "), for its first line
    nested = 0  # inside list items and block quotes
    for token in _markdown().parse(block):
        kind = token.type
        nested += kind in ("list_item_open", "blockquote_open")
        nested -= kind in ("list_item_close", "blockquote_close")
        if kind == "heading_open":
            heading = int(token.tag[1:])  # "h2"
        elif kind == "list_item_open" and token.info:  # ordered: info "2", markup "." or ")"
            number = f"{token.info}{token.markup} "
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            while row and not row[0]:  # a spec table's blank corner: "| | Nordvale X2 |"
                row.pop(0)
            while row and not row[-1]:
                row.pop()
            if row:
                lines.append(" | ".join(row))
            row = None
        elif kind == "inline":
            text = _inline_text(token)
            if row is not None:
                row.append(text)
            elif heading or (not nested and _bold_heading(token)):
                if lines:
                    items.append(("\n".join(lines), 0))
                    lines = []
                if text:
                    items.append((text, heading or BOLD_LEVEL))
            elif text:
                lines.append(number + text)
                number = ""
        elif kind == "heading_close":
            heading = 0
        elif kind in ("fence", "code_block") and token.content.strip():
            # (its blank lines dropped: a paragraph has none)
            lines.append(re.sub(r"\n\s*\n", "\n", token.content.strip("\n")))
    if lines:
        items.append(("\n".join(lines), 0))
    return items


def _front_matter(text: str) -> tuple[str, str | None, str | None]:
    """YAML front matter (``---`` … ``---``) off a Markdown text: the rest, and its ``title``
    and ``author(s)`` if it gives them (read line by line: no YAML parser for two keys)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text, None, None
    found = {}
    for line in match.group("body").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("title", "author", "authors") and value.strip():
            found[key.strip().lower().rstrip("s")] = value.strip().strip("\"'")
    return text[match.end():], found.get("title"), found.get("author")


# A line that opens a list item ("- ", "* ", "• ", "1. ", "2) "): the lines of a plain-text
# block with one are lines of a list, not one hard-wrapped paragraph.
LIST_ITEM = re.compile(rf"^\s*(?:[-*+•–]|{ENUMERATOR})\s")
WRAP_WIDTH = 40  # hard-wrapped text: every line but the last at least this long
WRAP_SPREAD = 20  # ... and within this many characters of one another, if each opens in capitals
# A line that opens with a label ("In attendance: …" under "Present: …" in minutes, "Note: …"):
# a line of its own, not the rest of a hard-wrapped sentence
LABEL_LINE = re.compile(r"\s*[A-Z][\w’'-]*(?: [\w’'-]+){0,2}:\s")


def _unwrapped(block: str) -> str:
    """A plain-text paragraph hard-wrapped at a fixed width (e-mail, Project Gutenberg) as one
    line, so that its sentences are not cut at the line ends; lists, verse and addresses
    (short lines, or list markers) keep their lines."""
    lines = block.split("\n")
    if (len(lines) < 2 or any(len(line.strip()) < WRAP_WIDTH for line in lines[:-1])
            or any(LIST_ITEM.match(line) or LABEL_LINE.match(line) and LABEL_LINE.match(above)
                   for above, line in zip(lines, lines[1:]))
            or LIST_ITEM.match(lines[0]) or _entries(lines)):
        return block
    return " ".join(line.strip() for line in lines)


def _entries(lines: list[str]) -> bool:
    """Lines that are entries, not a paragraph wrapped at a width: three or more, each opening
    with a capital or a digit, of lengths a wrap would not leave ("Friday 25 October – Non-
    uniform day" over "Monday 28 October to Friday 1 November – Half term" in a newsletter's
    dates were quoted as one run-on sentence)."""
    widths = [len(line.strip()) for line in lines[:-1]]
    return (len(lines) >= 3 and all(line.strip()[:1].isupper() or line.strip()[:1].isdigit()
                                    for line in lines[1:])
            and max(widths) - min(widths) > WRAP_SPREAD)


TITLE_CHARS = 150  # a first block longer than this, ending as a sentence does, is no title
DEK_CHARS = 300  # a standfirst between the title and the byline is at most this long


HEADLINE_CHARS = 120


def _headline(line: str) -> bool:
    """A line written as a headline: short, not ending with a full stop, most of its longer
    words capitalised ("Harbourline Logistics Ltd — Employee Handbook"), unlike the first line
    of a paragraph wrapped at a width."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return (len(line.strip()) <= HEADLINE_CHARS and not line.rstrip().endswith(".")
            and len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words))


def _is_prose(block: str) -> bool:
    """A paragraph rather than a title: long, and ending as a sentence ends."""
    text = block.strip()
    return len(text) > TITLE_CHARS and text[-1:] in ".!?\"”’'»)"


HEADING_CHARS, HEADING_WORDS = 60, 8  # a plain-text heading's most
SENTENCE_END = ".!?\"”’'»)"


def _plain_headings(blocks: list[str]) -> list[bool]:
    """Which plain-text blocks are headings ("Opening hours", "Getting here" over the
    paragraphs of a visitor guide): one short line opening with a capital and ending with no
    punctuation, between the text's start or a block ending as a sentence ends and a paragraph
    of prose. Numbered as paragraphs, they were quoted alone as answers ("what are the opening
    hours?": "Opening hours") and put the paragraph numbers off a reader's count. A list of
    short items and a line ending in ":" or "?" (an FAQ's question, "Q: Why?") stay
    paragraphs."""
    def ends(block: str) -> bool:  # as a sentence does, maybe before a footnote mark ("[4]")
        return _CLOSERS.sub("", block.strip())[-1:] in SENTENCE_END

    def shaped(text: str) -> bool:  # "Opening hours", "7. Enforcement and penalties"
        numbered = NUMBERED_HEADING.match(text) is not None
        return ("\n" not in text and len(text) <= HEADING_CHARS
                and len(text.split()) <= HEADING_WORDS and (text[:1].isupper() or numbered)
                and text[-1:].isalnum() and (numbered or not LIST_ITEM.match(text)))

    def listed(block: str) -> bool:  # lines of a list, bulleted or not ("Friday 25 October –
        lines = block.split("\n")  # Non-uniform day", "- 1917: the explosion")
        return len(lines) >= 2 and (all(len(line) <= LINE_PARAGRAPH for line in lines)
                                    or all(LIST_ITEM.match(line) for line in lines))

    found = []
    for i, block in enumerate(blocks):
        text = block.strip()
        after = blocks[i + 1].strip() if i + 1 < len(blocks) else ""
        if BACK_MATTER.fullmatch(text) and i:
            found.append(True)  # "References" over its list (no prose after it)
            continue
        found.append(shaped(text) and (not i or ends(blocks[i - 1]) or found[i - 1] or (
                         shaped(blocks[i - 1].strip()) and (i < 2 or ends(blocks[i - 2]))))
                     and (ends(after) and (len(after) >= 2 * len(text) or after.endswith("?"))
                          and "\n" not in after
                          or SALUTATION.match(after) is not None and not re.search(r"\d", text)
                          or ends(blocks[i - 1] if i else ".") and listed(after)))
    # ... and one right over another ("History" over "Origins" over the text)
    for i in range(len(blocks) - 2, -1, -1):
        if not found[i] and found[i + 1] and shaped(blocks[i].strip()) and (
                not i or ends(blocks[i - 1]) or found[i - 1]):
            found[i] = True
    return found


# A forum post's header, its poster and score ("u/quietlakes · 1,602 points"): the poster of
# the text under it, which its first line was ("what does a keeper do all day?" got
# "u/ShoalKeeper_Dale · 1,987 points"), as a heading is
POST_HEADER = re.compile(r"(?:u/|@)?[\w.-]{2,40}\s*[·•|–-]\s*[\d,.]+\s*[kK]?\s+"
                         r"(?:points?|upvotes?|likes?|votes?|karma)\b.{0,60}")
# A letter's greeting, under the heading over it ("A MESSAGE FROM THE HEADTEACHER" / "Dear
# families,"; not a dateline: "France, 3rd June 1917" / "Dear Mother,")
SALUTATION = re.compile(r"(?:dear|hi|hello|good (?:morning|afternoon|evening))\b[^\n]{0,60},$",
                        re.IGNORECASE)
# The headings of what follows an article's text: its references, notes and links, which
# answer nothing the text says (a canal's history was answered with "Canal Ports: The Urban
# Achievement of the Canal Age. London: Academic Press.")
BACK_MATTER = re.compile(r"(?:references|bibliography|sources|notes|footnotes|endnotes|"
                         r"further reading|see also|external links|works cited|citations)",
                         re.IGNORECASE)
# A numbered section's heading: "1. Introduction", "2.1 Study area"
NUMBERED_HEADING = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]")
LINE_PARAGRAPH = 100  # a line this long is a paragraph written on one line, not hard-wrapped
SPLIT_HEADINGS = 3  # headings over their text in one block, at least, for any to be one


def _heading_line(line: str) -> bool:
    """A line that looks like a heading: short, opening with a capital (or a section's
    number), ending with no punctuation."""
    text = line.strip()
    return (0 < len(text) <= HEADING_CHARS and len(text.split()) <= HEADING_WORDS
            and text[-1:].isalnum() and (text[:1].isupper() and not LIST_ITEM.match(text)
                                         or NUMBERED_HEADING.match(text) is not None))


def _split_block(block: str, heads: bool | str = True) -> list[tuple[str, bool | None]]:
    """A plain-text block as ``(text, heading)`` pieces (``heading`` None: for
    :func:`_plain_headings` to tell). Text pasted from a PDF or an e-mail puts a section's
    heading on the line above its text, and each paragraph on a line of its own, with no blank
    line between: "Attendance" over a newsletter item's text was quoted with it as one
    paragraph, and a paper's whole "Methods" section was one paragraph. A first line that looks
    like a heading over prose or a list heads it; lines that each end a sentence, one of them
    longer than any hard-wrapped line, are paragraphs each. (Headings so only with ``heads``:
    in a text with at least ``SPLIT_HEADINGS`` of them, not a name over an author's note;
    ``"all"``: over any long text, "Message from the Headteacher" over a letter signed
    "– Mrs Helen Okafor, Headteacher".)"""
    lines = block.split("\n")
    if len(lines) < 2:
        return [(block, None)]
    if BACK_MATTER.fullmatch(lines[0].strip()):
        # "See also" over its links, "References" over its sources, as a browser copies a
        # wiki page: the list was quoted as the text ("List of canals of Eastmark" ended a
        # canal's summary)
        return [(lines[0].strip(), True), ("\n".join(lines[1:]), False)]
    head: list[tuple[str, bool | None]] = []
    rest = "\n".join(lines[1:]).strip()
    if heads and _heading_line(lines[0]) and len(rest) >= max(2 * len(lines[0].strip()),
                                                               HEADING_CHARS) and (
            rest[-1:] in SENTENCE_END or len(lines) > 2 or heads == "all"
            or any(LIST_ITEM.match(line) for line in lines[1:])):
        head, lines = [(lines[0].strip(), True)], lines[1:]
    if (len(lines) > 1 and all(line.rstrip()[-1:] in SENTENCE_END for line in lines)
            and max(len(line) for line in lines) > LINE_PARAGRAPH
            and not any(LIST_ITEM.match(line) for line in lines)):
        return head + [(line.strip(), False) for line in lines]
    return head + [("\n".join(lines), False if head else None)]


def parse_text(text: str, *, article_id: str, source: str = "", scope: str = "global",
               markdown: bool = False, title: str | None = None,
               authors: str | None = None, headings: bool = False) -> Article:
    """Parse plain text (or Markdown) into an :class:`Article`.

    The first block is the title (unless one is given, or it is prose: see :func:`_is_prose`),
    a following ``Authors: ...`` or ``By ...`` block (or the title block's last line) is the
    byline, and every following non-empty block is a paragraph. A text with no blank line at
    all is read one line per block; a hard-wrapped plain-text paragraph is one line
    (:func:`_unwrapped`). Markdown is read as it is shown (:func:`markdown_items`): headings are
    not paragraphs (a reader does not count them), the first one is the title (unless front
    matter gives one), each other one heads the paragraphs after it (``Article.headings``).
    ``headings``: plain text's headings are found by their look (:func:`_plain_headings`)
    and read the same way (a plain-text file; not the text of a PDF or Word file, whose
    headings their readers find)."""
    if markdown:
        text, front_title, front_authors = _front_matter(text.lstrip("\ufeff"))
        title, authors = title or front_title, authors or clean_authors(front_authors)
    blocks = _chrome_dropped(_blocks(text), markdown)
    if markdown:
        blocks = _fences_joined(blocks)
    if title is None:
        blocks = _one_line_each(blocks)
    blocks = _labels_joined(blocks)
    under: list[str] = []  # the heading each block comes under
    if markdown and title is None and blocks and not blocks[0].lstrip().startswith("#"):
        lines = blocks[0].strip().split("\n")  # (a headline, as below, before the lines are
        if len(lines) > 1 and _headline(_unmarked(lines[0])) and _is_prose(" ".join(lines)):
            title, blocks[0] = _unmarked(lines[0]).strip(), "\n".join(lines[1:])  # joined)
    if markdown:
        kept, section = [], ""
        open_: list[tuple[int, str]] = []  # the headings over what follows, outermost first
        for block in blocks:
            for item, heading in markdown_items(block):
                first, _, rest = item.partition("\n")
                if not heading and POST_HEADER.fullmatch(first.strip()):
                    section, item = first.strip(), rest.strip()  # a reply, under its poster
                    if not item:
                        continue
                if not heading:
                    kept.append(item)
                    under.append(section)
                    if rest and first.endswith(":") and len(first.split()) <= LABEL_WORDS \
                            and "," not in first:
                        # a list's label heads it within the section ("Cons:" of each
                        # product's "Cons:" in a review: "the nothing ear's cons" is one;
                        # not a sentence leading into it, "The tribunal made the following
                        # principal findings:")
                        under[-1] = SECTION_PATH.join(filter(None, (section, first[:-1])))
                elif title is None and not kept:
                    title = item
                else:
                    section = nested(open_, heading, " ".join(item.split()))
        blocks = kept
    else:
        written = list(blocks)  # as written, beside ``blocks`` (popped with them)
        blocks = [_unwrapped(block) for block in blocks]
        under = [""] * len(blocks)
    if title is None and blocks and _is_prose(blocks[0]):
        lines = [] if markdown else written[0].strip().split("\n")  # (Markdown's: above)
        if len(lines) > 1 and _headline(lines[0]):
            # a headline over the text's first lines, no blank line between ("Soil & Seed
            # Podcast — Episode 42: …" over "Recorded 18 July 2024. Hosts: …"): the title
            title, written[0] = lines[0].strip(), "\n".join(lines[1:])
            blocks[0] = _unwrapped(written[0])
        else:
            # no title line: the text starts with its first paragraph, kept; named by its file
            title = article_id.replace("-", " ").replace("_", " ").strip().capitalize() or None
    if title is None and blocks:
        first = blocks.pop(0)
        under.pop(0)
        if not markdown:
            # a title and its byline are lines as written, not one hard-wrapped paragraph
            # ("A headline of forty characters or more\nBy Jane Doe")
            first = written.pop(0)
        lines = first.strip().split("\n")
        named = byline(_unmarked(lines[-1]) if markdown else lines[-1])
        if len(lines) > 1 and authors is None and named:  # "Title\nBy Jane Doe": one block
            authors = clean_authors(named.group("names"))
            lines = lines[:-1]
        listed = next((k for k, line in enumerate(lines[1:], 1) if _authors_line(line)), None)
        if authors is None and listed is not None and not markdown:
            # a paper's head: its title, its authors ("Maria Kowalczyk, Daniel Osei, Hannah
            # Lindqvist"), then where they work and where it was published, which open its
            # text (all of it was the title: every answer showed it, and "who wrote it?" got
            # "does not say who wrote it")
            authors = clean_authors(lines[listed])
            if lines[listed + 1:]:
                blocks.insert(0, "\n".join(line.strip() for line in lines[listed + 1:]))
                under.insert(0, "")
                written.insert(0, blocks[0])
            lines = lines[:listed]
        dated = next((k for k, line in enumerate(lines[1:], 1) if DATELINE.search(line) and len(
            re.findall(r"[^\W\d_]+", DATELINE.sub("", line))) <= DATELINE_WORDS), None)
        if dated is not None and not markdown:
            # a headline over where and when ("Fargo, North Dakota — March 14, 2025", "[Transcript
            # as delivered]"): they open the text, quotable ("where was the speech given?" was
            # refused: they were the title)
            blocks.insert(0, "\n".join(line.strip() for line in lines[dated:]))
            under.insert(0, "")
            written.insert(0, blocks[0])
            lines = lines[:dated]
        title = " ".join(line.strip() for line in lines)
        if authors is None and (spoken := SPOKEN_BY.match(title)) is not None:
            # "Remarks by Governor Dana Whitcombe at the Groundbreaking of …": hers
            authors = spoken.group("names")
    if authors is None and blocks:
        at = 0  # the byline's block
        first = _unmarked(blocks[0]) if markdown else blocks[0]  # "*By Jane Doe*"
        match = byline(first) if "\n" not in first else None
        if match is None and not markdown:
            # "By Tomás Herrera" over "Published 7 November 2024": a byline and its dateline
            lines = written[0].split("\n")
            if 1 < len(lines) <= 3 and all(len(line) <= HEADING_CHARS for line in lines[1:]):
                match = byline(lines[0].strip())
        if match is None and len(blocks) > 1 and len(blocks[0]) <= DEK_CHARS:
            # a magazine's headline, its standfirst, then the byline ("*For forty years, …*"
            # over "By Martin Albrecht | Photographs by Yuki Tanabe")
            second = _unmarked(blocks[1]) if markdown else blocks[1]
            at, match = 1, byline(second) if "\n" not in second.strip() else None
        names = match.group("names") if match else None
        if names is None and "\n" not in first.strip() and _authors_line(first):
            # a paper's authors alone under its title ("Helena Brandt(1), Tomasz
            # Wierzbicki(2), …", their affiliations' marks after them): they were ¶1
            at, names = 0, first.strip()
        if names is not None:
            authors = clean_authors(names)
            blocks.pop(at)
            under.pop(at)
            if not markdown:
                written.pop(at)
    if authors is None and blocks:
        # a document's fields opening its text ("Status: Final" over "Authors: Leah Brennan
        # (SRE), Tobias Wendt"): its authors, the fields kept as its first paragraph
        if is_fields(blocks[0]):
            named = next((found for found in map(byline, blocks[0].split("\n"))
                          if found is not None and
                          found.group("word").lower().startswith("author")), None)
            authors = clean_authors(named.group("names")) if named else None
    if authors is None:  # (the text's lines as written: Markdown joins a name and its role)
        authors = signatories([_unmarked(b) if markdown else b for b in BLANK_LINE.split(text)])
    if headings and not markdown:
        heads = sum(said for block in written for _, said in _split_block(block)[:1]
                    if said) >= SPLIT_HEADINGS
        pieces = [piece for block in written
                  for piece in _split_block(block, "all" if heads else False)]
        texts = [_unwrapped(text) for text, _ in pieces]
        kept, under, section = [], [], ""
        for text, (_, said), guess in zip(texts, pieces, _plain_headings(texts)):
            if said or said is None and guess or POST_HEADER.fullmatch(text.strip()):
                section = " ".join(text.split())
            else:
                kept.append(text)
                under.append(section)
        blocks = kept
    elif headings and markdown and not any(under) and "\n#" not in f"\n{text}":
        # a .md file written as plain text, no heading marked ("Is shingles contagious" over
        # its answer, a health page copied without its markup): headings by their look, as in
        # a plain-text file (the line was quoted as the answer)
        guess = _plain_headings(blocks)
        if sum(guess) >= SPLIT_HEADINGS:
            kept, under, section = [], [], ""
            for block, heading in zip(blocks, guess):
                if heading:
                    section = " ".join(block.split())
                else:
                    kept.append(block)
                    under.append(section)
            blocks = kept
    paragraphs = tuple(Paragraph(i, block.strip()) for i, block in enumerate(blocks, start=1))
    return Article(id=article_id, title=(title or article_id).strip(), authors=authors,
                   paragraphs=paragraphs, source=source, scope=scope,
                   headings=tuple(under) if any(under) else ())
