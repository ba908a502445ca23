"""Read an article from a file, uploaded bytes or a URL into an :class:`~index.article.Article`.

Plain text and Markdown go straight to :func:`index.article.parse_text`, and so do a PDF's text
once :mod:`index.pdf` has put its lines back into paragraphs and a Word document's paragraphs
(:mod:`index.word`). HTML goes through
trafilatura, which finds the main text and the title/author metadata; its XML body tree (not its
flat text output, where a heading, a paragraph and a ``<br>`` all become one line each) decides
what a paragraph is: every ``<p>``, list, quote or code block is one paragraph, numbered in
reading order, and headings are never numbered.

All errors a user can cause are :class:`~index.errors.IngestError` with a message fit to show.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import unicodedata
from copy import deepcopy
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from index.article import (Article, Paragraph, byline, clean_authors, list_number, parse_text,
                           slugify)
from index.errors import IngestError
from index.sentences import ITEM_MARK, NOTE_MARK

MAX_BYTES = 5 * 1024 * 1024  # larger than any article; a download stops reading past it
TIMEOUT = 15.0  # seconds, for connecting and for each read
USER_AGENT = "quotebot/0.1 (reads one article to answer questions about it)"

ARTICLE_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                      ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf",
                      ".docx": "docx"}
DOCUMENT_KINDS = {"pdf", "docx"}  # read from their bytes by index/pdf.py and index/word.py
PDF_TYPES = {"application/pdf", "application/x-pdf"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain": "txt", "text/markdown": "md", "text/x-markdown": "md"}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # \t \n \f \r are fine
_BLANK_LINE = re.compile(r"\n\s*\n")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.strip().lower().startswith(("http://", "https://"))


def load_article(source: str | Path, *, text: str | bytes | None = None,
                 article_id: str | None = None, scope: str = "global",
                 max_bytes: int = MAX_BYTES, public_only: bool = False) -> Article:
    """Read one article.

    ``source`` is a file path (recorded as an absolute path), an ``http(s)://`` URL, or, when
    ``text`` is given, the file name that tells its type (an upload such as ``notes.md``;
    nothing is read from disk then). The
    default id is the slug of the file stem, or for a URL of its last path segment (else of the
    title). The same input always gives the same article: ids, numbers and checksum.

    ``public_only``: a URL (and every redirect) must lead to public internet addresses, never
    to this machine or its private network (what a Discord member may ask the bot to fetch).
    """
    if text is not None:
        name = Path(str(source)).name
        kind = _kind_from_name(name)
        _check_size(len(text), max_bytes, f"“{name}”")
        return _parse(text, kind, article_id=article_id or slugify(Path(name).stem),
                      source=f"upload:{name}", scope=scope, what=f"“{name}”")
    if is_url(source):
        return _load_url(str(source).strip(), article_id=article_id, scope=scope,
                         max_bytes=max_bytes, public_only=public_only)
    if public_only:  # never a file of this machine
        raise IngestError(f"“{source}” is not a web address (http:// or https://).")
    if not str(source).strip():
        raise IngestError("Give an article's file name or web address.")
    path = Path(source).expanduser()
    if path.is_dir():  # before its "extension": a folder has none
        raise IngestError(f"“{source}” is a folder, not an article file.")
    kind = _kind_from_name(path.name)
    if not path.is_file():
        raise IngestError(f"There is no file “{source}”.")
    try:
        size = path.stat().st_size
        _check_size(size, max_bytes, f"“{path.name}”")
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"Could not read “{source}”: {error.strerror or error}.") from error
    # Recorded absolute, so that comparing sources and re-reading the file (a rebuild) do not
    # depend on the folder a command was run from.
    return _parse(data, kind, article_id=article_id or slugify(path.stem),
                  source=str(path.resolve()), scope=scope, what=f"“{path.name}”")


# -- types and bytes ---------------------------------------------------------------------------

def _kind_from_name(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if not suffix:
        raise IngestError(f"“{name}” has no extension: name it .txt, .md, .html, .pdf or "
                          ".docx.")
    if suffix not in ARTICLE_EXTENSIONS:
        raise IngestError(f"“{name}” is a {suffix} file; I can read .txt, .md, .html, .pdf "
                          "and .docx files and web pages.")
    return ARTICLE_EXTENSIONS[suffix]


def _check_size(size: int, max_bytes: int, what: str) -> None:
    if size > max_bytes:
        raise IngestError(f"{what} is too large ({size / 1e6:.1f} MB); the limit is "
                          f"{max_bytes / 1e6:.1f} MB.")


def decode(data: bytes, encoding: str | None = None, *, what: str = "The document") -> str:
    """Bytes to text: a BOM wins, then ``encoding`` (from a header or meta tag), then UTF-8, then
    Windows-1252, then Latin-1. Binary data (NUL or many control bytes) is an
    :class:`IngestError`; a few stray control characters are dropped."""
    candidates: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            candidates.append(codec)
            break
    if encoding:
        try:
            candidates.append(codecs.lookup(encoding).name)
        except LookupError:
            pass
    candidates += ["utf-8", "cp1252", "latin-1"]
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        text = text.lstrip("\ufeff")
        controls = len(_CONTROL.findall(text))
        if "\x00" in text or controls > len(text) // 100:
            break  # decoding "worked" but this is not text: a PDF, an image, UTF-16 without BOM
        return _CONTROL.sub("", text) if controls else text
    raise IngestError(f"{what} is not readable text (is it a PDF, Word or image file?). "
                      "Save it as .txt, .md or .html (UTF-8); a PDF or a Word document is read "
                      "when its name ends in .pdf or .docx.")


def _parse(data: str | bytes, kind: str, *, article_id: str, source: str, scope: str,
           what: str, encoding: str | None = None) -> Article:
    if kind == "html":
        article = _parse_html(data, article_id=article_id, source=source, scope=scope,
                              what=what, encoding=encoding)
    elif kind in DOCUMENT_KINDS:
        if isinstance(data, str):
            raise IngestError(f"{what} was read as text, not as the {kind.upper()} file it is.")
        if kind == "pdf":
            from index.pdf import pdf_blocks

            blocks = pdf_blocks(data, what)  # (page, text, heading)
            text = "\n\n".join(block for _, block, _ in blocks)
        else:
            from index.word import docx_text

            text, headings = docx_text(data, what)  # the headings of its last blocks
            blocks = [(None, block, heading) for block, heading
                      in zip(text.split("\n\n")[-len(headings):], headings)]
        if len(text) > MAX_BYTES:  # compressed text: a small file may hold a library of it
            raise IngestError(f"{what} holds {len(text) / 1e6:.1f} million characters of text; "
                              f"the limit is {MAX_BYTES / 1e6:.1f} million (split it into "
                              "several articles).")
        article = parse_text(text, article_id=article_id, source=source, scope=scope)
        tail = _paragraph_blocks(article, blocks)
        if tail and kind == "pdf":
            article = replace(article, pages=tuple(page for page, _, _ in tail))
        if tail and any(heading for _, _, heading in tail):
            article = replace(article, headings=tuple(heading for _, _, heading in tail))
    else:
        text = data if isinstance(data, str) else decode(data, encoding, what=what)
        article = parse_text(text, article_id=article_id, source=source, scope=scope,
                             markdown=kind == "md", headings=True)
    if not article.paragraphs:
        raise IngestError(f"{what} has no text I could read as paragraphs.")
    return article


def _paragraph_blocks(article: Article, blocks: list[tuple]) -> list[tuple]:
    """The ``(page, text, heading)`` blocks a document was read from that are ``article``'s
    paragraphs, one each: the last blocks (a title and a byline may come first), for the page
    each paragraph starts on and the heading it comes under. Empty should a block ever be read
    otherwise than as one paragraph: then there are neither."""
    tail = blocks[len(blocks) - len(article.paragraphs):]
    if (len(tail) != len(article.paragraphs)
            or any(p.text != text.strip() for p, (_, text, _) in zip(article.paragraphs, tail))):
        return []
    return tail


# -- HTML --------------------------------------------------------------------------------------

_CONTAINER_TAGS = {"div", "section", "article", "main", "body"}


def _html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _element_text(element) -> str:
    from trafilatura.xml import xmltotxt

    element = deepcopy(element)
    element.tail = None
    text = xmltotxt(element, False)
    lines = (line.strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _blocks(element) -> list[tuple[str, str]]:
    """(kind, text) in reading order, kind being "head" or "para"; containers are walked."""
    out: list[tuple[str, str]] = []
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        if child.tag in _CONTAINER_TAGS:
            if child.text and child.text.strip():
                out.append(("para", " ".join(child.text.split())))
            out += _blocks(child)
        elif child.tag == "head":
            out.append(("head", _element_text(child)))
        elif child.tag not in ("graphic", "lb"):
            text = _element_text(child)
            if child.tag == "list":  # trafilatura writes "- " before each item: not shown
                text = "\n".join(line[2:] if line.startswith("- ") else line
                                  for line in text.split("\n"))
            if text:
                out += [("para", part) for part in _BLANK_LINE.split(text) if part.strip()]
        if child.tail and child.tail.strip():
            out.append(("para", " ".join(child.tail.split())))
    return out


# What a <sup> holds: a footnote's mark ("1", "[2]", "a", "*") or digits and signs that have
# a Unicode superscript ("mc2" -> "mc²").
_NOTE_MARK = re.compile(rf"\[?{NOTE_MARK}\]?")
_SUPERSCRIPT = str.maketrans("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾")


def _superscripts(tree) -> None:
    """Write each ``<sup>`` as a reader sees it, not glued to the text before it ("silt.1 It
    goes on", "E=mc2"): a footnote's mark (a link, a bracketed or symbol mark, or a number
    after a sentence's punctuation) as "[1]", as Markdown footnotes are read; other digits and
    signs as Unicode superscripts. Anything else is left as it is: "XIX<sup>e</sup> siècle",
    "x<sup>n</sup>" (a letter is a footnote's mark only when linked or bracketed)."""
    for sup in list(tree.iter("sup")):
        text = sup.text_content().strip()
        previous = sup.getprevious()
        before = (previous.tail if previous is not None else sup.getparent().text) or ""
        if _NOTE_MARK.fullmatch(text) and (
                text.startswith("[") or not text.isalnum() or sup.find(".//a") is not None
                or (text.isdigit() and before.rstrip()[-1:] in tuple(".,;:!?”’\"'"))):
            shown = text if text.startswith("[") else f"[{text}]"
        elif text and all(c in _SUPERSCRIPT for c in map(ord, text)):
            shown = text.translate(_SUPERSCRIPT)
        else:
            continue
        for child in list(sup):
            sup.remove(child)
        sup.text = shown
        sup.drop_tag()


def _list_numbers(tree) -> None:
    """Start each item of an ``<ol>`` with its number as a browser shows it ("2. Sift…", so
    that "step 2" is found by it), from the list's ``start``, ``type`` ("1", "a", "A", "i",
    "I") and ``reversed`` and an item's ``value``: trafilatura keeps the items but drops those
    attributes. A list whose style hides the markers, or whose items start with a number of
    their own, is left as written. (Style sheets are not read.)"""
    for numbered in tree.iter("ol"):
        items = [item for item in numbered if item.tag == "li"]
        if _NO_MARKERS.search(numbered.get("style", "")) or items and all(
                ITEM_MARK.match(item.text_content()) for item in items):
            continue  # numbered by the page itself ("1. Whisk"), its own markers hidden
        step = -1 if numbered.get("reversed") is not None else 1
        number = _whole(numbered.get("start"), len(items) if step < 0 else 1)
        style = numbered.get("type", "1")
        for item in items:
            number = _whole(item.get("value"), number)
            item.text = f"{list_number(number, style)}. {(item.text or '').lstrip()}"
            number += step


_NO_MARKERS = re.compile(r"list-style(?:-type)?\s*:\s*none", re.IGNORECASE)


def _whole(value: str | None, default: int) -> int:
    """An HTML attribute's integer (" 3 " → 3), else *default* (as browsers ignore a bad one)."""
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def _extract(html: str):
    import trafilatura
    from trafilatura.utils import load_html

    options = dict(with_metadata=True, include_comments=False, include_tables=False,
                   include_images=False, output_format="python")
    tree = load_html(html)
    if tree is not None:
        _superscripts(tree)
        _list_numbers(tree)
    # Precision first (less boilerplate); on a short page it can find nothing, then recall.
    for favor_precision in (True, False):
        # (each pass gets its own copy: trafilatura prunes the tree it is given)
        page = deepcopy(tree) if tree is not None else html
        document = trafilatura.bare_extraction(page, favor_precision=favor_precision, **options)
        if document is not None and document.body is not None and len(document.body):
            return document
    return document


def _parse_html(data: str | bytes, *, article_id: str, source: str, scope: str, what: str,
                encoding: str | None) -> Article:
    html = data if isinstance(data, str) else decode(data, encoding or _html_charset(data),
                                                     what=what)
    if not html.strip():
        raise IngestError(f"{what} is empty.")
    document = _extract(html)
    if document is None or document.body is None:
        raise IngestError(f"{what} has no main text I could find (is it an article page?).")
    title = " ".join((document.title or "").split()) or None
    authors = clean_authors(document.author)
    blocks = _blocks(document.body)

    if title is None:
        title = next((text for kind, text in blocks if kind == "head"), None)
    paragraphs: list[str] = []
    headings: list[str] = []  # the heading each paragraph comes under
    section = ""
    for kind, text in blocks:
        if kind == "head":
            if _norm(text) != _norm(title or ""):
                section = " ".join(text.split())
            continue
        if not paragraphs:
            # What a reader sees above the first paragraph is the title and byline, not text.
            if title and _norm(text) == _norm(title):
                continue
            found = byline(text) if "\n" not in text and len(text) < 200 else None
            if found:
                shown = clean_authors(found.group("names"))
                # the page's byline, when it names the metadata's author and more ("By Jane Doe
                # and John Roe" over <meta name="author" content="Jane Doe">)
                if not authors or (shown and _norm(authors) in _norm(shown)):
                    authors = shown
                continue
            if authors and _norm(clean_authors(text) or "") == _norm(authors):
                continue
        paragraphs.append(text)
        headings.append(section)
    return Article(id=article_id, title=title or article_id, authors=authors,
                   paragraphs=tuple(Paragraph(i, t) for i, t in enumerate(paragraphs, start=1)),
                   source=source, scope=scope, headings=tuple(headings) if any(headings) else ())


# -- URLs --------------------------------------------------------------------------------------

def _url_id(url: str) -> str | None:
    """The slug of the URL's last path segment, if it names anything."""
    path = PurePosixPath(unquote(urlsplit(url).path))
    stem = path.stem if path.suffix.lower() in (*ARTICLE_EXTENSIONS, ".php", ".asp", ".aspx") \
        else path.name
    if stem.lower() in ("", "index", "default"):
        return None
    return slugify(stem, fallback="") or None


def _kind_from_response(content_type: str, url: str, data: bytes) -> str | None:
    if content_type in HTML_TYPES:
        return "html"
    if content_type in PDF_TYPES or data.startswith(b"%PDF-"):
        return "pdf"
    if content_type == DOCX_TYPE:
        return "docx"
    if content_type in TEXT_TYPES:
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        return "md" if ARTICLE_EXTENSIONS.get(suffix) == "md" else TEXT_TYPES[content_type]
    if content_type in ("", "application/octet-stream"):
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        if suffix in ARTICLE_EXTENSIONS:
            return ARTICLE_EXTENSIONS[suffix]
        head = data[:1024].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
    return None


def public_host(host: str) -> bool:
    """Every address ``host`` resolves to is on the public internet (not loopback, private,
    link-local such as cloud metadata at 169.254.169.254, or reserved). A name that does not
    resolve passes: the request then fails as unreachable."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return True
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_global for info in found)


class NotPublic(Exception):
    """Raised inside the HTTP client when a request (or a redirect) is for a private address."""


def _only_public(request) -> None:
    if not public_host(request.url.host):
        raise NotPublic(str(request.url))


def _only_public_peer(response) -> None:
    """The address the response came from is public: a name that resolved to a public address
    when checked and to a private one when connecting (DNS rebinding) is caught here, before
    anything of the body is read."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer or not public_host(str(peer[0])):
        raise NotPublic(str(response.url))


def _fetch(url: str, max_bytes: int,
           public_only: bool = False) -> tuple[bytes, str, str | None, str]:
    """GET ``url`` following redirects: (body, media type, charset, final URL). With
    ``public_only`` every request, redirects included, is checked by :func:`public_host`
    before it is sent."""
    import httpx

    headers = {"User-Agent": USER_AGENT,
               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"}
    hooks = {"request": [_only_public]} if public_only else {}
    try:
        with httpx.Client(follow_redirects=True, timeout=TIMEOUT, headers=headers,
                          max_redirects=10, event_hooks=hooks) as client, \
                client.stream("GET", url) as response:
            if public_only:  # where the connection really went (a name may resolve anew)
                _only_public_peer(response)
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise IngestError(f"The page {url} answered {response.status_code} {reason}.")
            declared = response.headers.get("content-length", "")
            if declared.isdigit():
                _check_size(int(declared), max_bytes, f"The page {url}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                _check_size(size, max_bytes, f"The page {url}")
                chunks.append(chunk)
            media, _, params = response.headers.get("content-type", "").partition(";")
            charset = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I)
            return (b"".join(chunks), media.strip().lower(),
                    charset.group(1) if charset else None, str(response.url))
    except NotPublic as error:
        raise IngestError(f"{error} is not a public web address; only pages on the internet "
                          "can be added here.") from error
    except httpx.InvalidURL as error:
        raise IngestError(f"“{url}” is not a valid web address.") from error
    except httpx.TimeoutException as error:
        raise IngestError(f"The page {url} did not answer in time.") from error
    except httpx.TooManyRedirects as error:
        raise IngestError(f"The page {url} redirects too many times.") from error
    except httpx.HTTPError as error:
        raise IngestError(f"Could not reach {url} ({type(error).__name__}).") from error


def _load_url(url: str, *, article_id: str | None, scope: str, max_bytes: int,
              public_only: bool = False) -> Article:
    data, media, charset, final_url = _fetch(url, max_bytes, public_only)
    kind = _kind_from_response(media, final_url, data)
    if kind is None:
        raise IngestError(f"The page {url} is {media or 'of an unknown type'}, not a web page "
                          "or plain text.")
    # Named after the last path segment of the URL redirected to (a short link names nothing),
    # else of the URL given; else after the title, found by parsing.
    named = article_id or _url_id(final_url) or _url_id(url)
    placeholder = slugify(urlsplit(final_url).hostname or "", fallback="article")
    article = _parse(data, kind, article_id=named or placeholder, source=url, scope=scope,
                     what=f"The page {url}", encoding=charset)
    if named is None:
        article = replace(article, id=slugify(article.title, fallback=placeholder))
    return article
