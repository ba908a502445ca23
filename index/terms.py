"""How text becomes search terms: one tokenizer for questions, sentences and the BM25 index.

It lives apart from :mod:`index.retrieval` because the store uses it too: every paragraph
record carries its sentences' terms (written at indexing time, see :mod:`index.store`), so
that a library's lexical index is built without re-reading and re-tokenising every sentence.
:func:`fingerprint` names this tokenizer; terms stored under another fingerprint are not used.
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import re
import unicodedata
from functools import lru_cache

from index.lemmas import lemmas

# Words of two letters or more, and numbers whole: "2.9.4", "4.2", "1,200" (as "1200") and
# single digits ("step 3"), which words alone dropped or split ("what changed in 2.9.4?"
# searched for "changed" alone, and quoted "System requirements have changed").
TOKEN = re.compile(r"(?u)\b(?:\d+(?:[.,]\d+)+|\w\w+|\d)\b")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
# "U.S.", "U.S.A.", "e.g." (two or more single letters with dots)
DOTTED = re.compile(r"\b((?:[A-Za-z]\.){2,})")
ALLCAPS = re.compile(r"\b[A-Z]{2,6}s?\b")
# Two to five capitalised words ("United States", "Shanghai Cooperation Organization"),
# allowing "of", "and", "for", "the" inside ("Bank of England").
CAPRUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][a-z]+){1,4}\b")
MINOR = {"of", "and", "for", "the"}


def normalise(text: str) -> str:
    """Text as people paste it, made searchable: Unicode NFKC, invisible format characters
    (zero-width joiners and spaces, soft hyphens) dropped, typographic apostrophes unified."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.replace("’", "'").replace("‘", "'")


def fold(text: str) -> str:
    """Accents dropped, for matching only ("Beyonce" finds "Beyoncé")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def acronyms(text: str) -> list[str]:
    """Initialism tokens, so that "U.S.", "US" and "United States" meet: ``acr_us``."""
    found: list[str] = []
    for match in DOTTED.finditer(text):
        found.append(match.group(1).replace(".", "").lower())
    for match in ALLCAPS.finditer(text):
        found.append(match.group(0).rstrip("s").lower() if match.group(0).endswith("s")
                     and match.group(0)[:-1].isupper() else match.group(0).lower())
    for match in CAPRUN.finditer(text):
        words = match.group(0).split()
        # a capitalised word opening a sentence is no part of the name: "The North Atlantic
        # Treaty Organization" is NATO (not TNATO), "In the United States" US
        while words and words[0].lower() in _openers():
            words.pop(0)
        words = [w for w in words if w not in MINOR]
        if len(words) >= 2:
            found.append("".join(w[0] for w in words).lower())
    return [f"acr_{a}" for a in found]


@lru_cache(maxsize=1)
def _openers() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | QUESTION_WORDS | MINOR


class Terms:
    """Stemmed content words (English Snowball stemmer, bm25s' stop words, question words),
    an irregular form stemmed as its base form ("began" as "begin", :mod:`index.lemmas`),
    plus initialism tokens; the same for questions, sentences and the BM25 index."""

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN

        self.stemmer = Stemmer.Stemmer("english")
        self.stop = set(STOPWORDS_EN) | QUESTION_WORDS | VOICE
        self.lemmas = lemmas()

    def __call__(self, text: str) -> list[str]:
        text = fold(normalise(text))
        words = [self.lemmas.get(w, w) for w in _split(text) if w not in self.stop]
        return self.stemmer.stemWords(words) + acronyms(text)

    @staticmethod
    def words(text: str) -> list[str]:
        """The words terms are made of, as typed (folded, lower case), stop words included."""
        return _split(fold(normalise(text)))


def _split(folded: str) -> list[str]:
    return [THOUSANDS.sub("", w) for w in TOKEN.findall(folded.lower())]


# A typing slip: a word of at least SLIP_MIN letters, the same first letter, at most two
# letters longer or shorter, and difflib's ratio at least SLIP_RATIO ("puttin"/"putin" 0.91,
# "shangai"/"shanghai" 0.93), or two neighbouring letters swapped (difflib gives a short
# word's swap too little: "raod"/"road", "hnog"/"hong" 0.75).
SLIP_MIN, SLIP_RATIO = 4, 0.8
# A name with one letter changed in five is another name ("Biden" and "Baden", 0.8), in six
# or more a slip ("Pompei" for "Pompeo", 0.83); letters added, dropped or swapped are slips.
NAME_SLIP_RATIO = 0.81


def closest_spelling(word: str, words, cutoff: float = SLIP_RATIO) -> str | None:
    """The word of ``words`` that ``word`` is a typing slip of (the closest), or None: what
    question words a searched text does not hold are matched to (:meth:`LexicalIndex.respell`
    for terms, ``bot.answer`` for the names of people asked about, with ``NAME_SLIP_RATIO``)."""
    if len(word) < SLIP_MIN:
        return None
    near = [w for w in words if w[:1] == word[0] and abs(len(w) - len(word)) <= 2]
    best = difflib.get_close_matches(word, near, n=1, cutoff=cutoff)
    if best:
        return best[0]
    return min((w for w in near if _swapped(word, w)), default=None)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """The whole words of the embedding model's vocabulary: 22,501 English words and names
    ("located", "flee", "bought", "putin"), none of them a typing slip. A question word among
    them is spelt as meant even when the searched text lacks it, so it is never taken for a slip
    of a word that is there ("flee" for "fleet", "located" for "local", "face" for "fiancé"),
    while "ptuin", "hnog", "goverment" or "scotish" are not in it."""
    from tokenizers import Tokenizer

    from index.minilm import TOKENIZER

    vocab = Tokenizer.from_file(str(TOKENIZER)).get_vocab()
    return frozenset(word for word in vocab if word.isalpha())  # not "##ing", "[CLS]", "1973"


# Titles written both ways in the news: "the CEO" and "chief executive Linda Marsh". A
# question's title an article writes the other way is searched as the article writes it
# (:func:`as_written`). A short list, not a rule: initials of lower-case words are too
# ambiguous to guess from a text ("pm" is a time of day, "md" a doctor, "gm" a car maker).
TITLES = {"ceo": "chief executive", "cfo": "chief financial officer",
          "coo": "chief operating officer", "cto": "chief technology officer",
          "vp": "vice president",
          # ... and the short or everyday words chat types for an article's ("who was the
          # ref?" of a match report's "referee", "what temp?" of a recipe's "temperature",
          # "how many grandkids?" of an obituary's "grandchildren")
          "ref": "referee", "temp": "temperature", "info": "information",
          "kids": "children", "grandkids": "grandchildren", "mins": "minutes",
          "hrs": "hours", "yrs": "years", "govt": "government", "dept": "department",
          "uni": "university", "appt": "appointment", "approx": "approximately",
          "wfh": "work from home"}


@lru_cache(maxsize=8)
def _titles(stem) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:data:`TITLES` with each written-out title as ``stem`` (a :class:`Terms`) makes it,
    made once per tokenizer: every question's search and unknown words look at them."""
    return tuple(((stem(short) or [short])[0], tuple(stem(spelt)))
                 for short, spelt in TITLES.items())


def as_written(terms: list[str], vocabulary, stem) -> list[str]:
    """A question's ``terms`` with a title (:data:`TITLES`) the searched ``vocabulary`` lacks
    as typed but holds written the other way replaced by that way's terms: "ceo" by "chief"
    and "execut" where an article says "chief executive", "chief" and "execut" joined by
    "ceo" where it says "CEO". ``stem``: the tokenizer (:class:`Terms`)."""
    out = list(terms)
    for short, long in _titles(stem):
        if short in out and short not in vocabulary and set(long) <= vocabulary:
            out = [t for t in out if t not in (short, f"acr_{short}")] + list(long)
        elif set(long) <= set(out) and not set(long) <= vocabulary and short in vocabulary:
            out.append(short)
    return out


def title_known(word_terms: list[str], question_terms: list[str], vocabulary, stem) -> bool:
    """Whether a question word (its terms ``word_terms``) the ``vocabulary`` lacks is a title
    it holds written the other way (:func:`as_written`): then it is not a word the searched
    text never uses ("what did the ceo say?" of an article on its "chief executive")."""
    for short, long in _titles(stem):
        if short in word_terms and set(long) <= vocabulary:
            return True
        if set(word_terms) & set(long) and set(long) <= set(question_terms) \
                and short in vocabulary:
            return True
    return False


def _swapped(word: str, other: str) -> bool:
    """Whether ``other`` is ``word`` with two neighbouring letters swapped."""
    if len(word) != len(other):
        return False
    differ = [i for i, (a, b) in enumerate(zip(word, other)) if a != b]
    return (len(differ) == 2 and differ[1] == differ[0] + 1
            and word[differ[0]] == other[differ[1]] and word[differ[1]] == other[differ[0]])


# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "does", "did", "do",
    "say", "says", "said", "article", "author", "authors", "text", "tell", "mention", "mentions",
    "mentioned", "according", "about", "describe", "described", "explain", "many", "much",
    "kind", "is", "are", "was", "were", "be", "being", "been", "the", "there", "passage",
    "paragraph", "also", "really", "exactly", "anything", "something", "regarding",
    "concerning",
}
# Words of the one asking and how they ask ("would I be able to...", "am I on call", "can we
# park", "what should you bring"): a question's voice, not its topic. bm25s' 33 stop words keep
# them, so an article that never writes "would" or "am" made "who would i report to" look
# off its topic, where "who do i report to" was answered. Not "may" (the month) nor "us" (the
# US, whose initialism token is made apart: :func:`acronyms`).
VOICE = {"me", "my", "am", "we", "our", "you", "your", "can", "could", "would", "should",
         "might", "must", "shall"}


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):  # no source file (a frozen or compiled install): the bytecode
        functions = [function] if hasattr(function, "__code__") else [
            f for f in vars(function).values() if hasattr(f, "__code__")]
        return "".join(f.__code__.co_code.hex() for f in functions)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short name for this tokenizer (its code, patterns, stop words, stemmer and table of
    irregular forms): stored terms are used only when written by a tokenizer with the same
    fingerprint."""
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    parts = [_source(f) for f in (normalise, fold, acronyms, _openers, _split, Terms)]
    parts += [p.pattern for p in (TOKEN, THOUSANDS, DOTTED, ALLCAPS, CAPRUN)]
    parts += [" ".join(sorted(MINOR)),
              " ".join(sorted(set(STOPWORDS_EN) | QUESTION_WORDS | VOICE)),
              _version("PyStemmer"), " ".join(Stemmer.algorithms()),
              " ".join(f"{form}:{base}" for form, base in sorted(lemmas().items()))]
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:12]
