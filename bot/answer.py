"""Extractive answers and summaries: choose verbatim spans, decide when to abstain.

Every quote is a slice ``paragraph.text[start:end]`` of one paragraph, built from whole
sentence spans, so it is verbatim by construction. Which sentences, and whether to answer at
all, is decided by the fitted scorer (:mod:`bot.scorer`), never by weights set by hand; the
only rules left here are what a reader asks for in words ("paragraph 3", "the ending", "who
wrote it") and the message budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from bot.models import Answer, ArticleInfo, Quote
from bot.render import DISCORD_LIMIT, format_quote, render_quotes, shorten
from bot.scorer import Scorer, softmax
from index.article import BACK_MATTER, SECTION_PATH, asks
from index.loaders import is_url
from index.retrieval import (QUESTION_WORDS, YEAR, ArticleState, Evidence, Searcher,
                             misspelt_name)
from index.sentences import ITEM_NUMBER
from index.terms import TOKEN, fold, normalise
from index.store import StoredArticle

MAX_QUOTE_WORDS = 80  # a quote grown to its neighbours stays within this
MAX_QUOTE_CHARS = 600
SHORT_SENTENCE = 60  # a sentence this short is quoted with its neighbour
# A quote opening with one of these points back to what came before ("He died in 1259 without a
# successor."): the previous sentence of its paragraph is quoted too, so that it stands alone.
POINTS_BACK = frozenset({"he", "she", "it", "they", "his", "her", "its", "their", "them",
                         "this", "these", "those", "such"})
# "More quotes" (asked for by the reader): the next passages, unless practically impossible.
MORE_QUOTES, MORE_FLOOR = 5, 0.001

# Where in the article the question points: "the ending", "in the conclusion", "at the start".
# ... "the last paragraph", "how does the article end?" (not "how does the war end?")
_PART = r"(?:paragraphs?|sections?|sentences?)"
_IT = r"(?:it|the (?:article|piece|text|story|essay|post|paper))"
END_CUE = re.compile(r"\b(?:ending|conclu\w*|finally|closing)\b|\b(?:at|in) the end\b"
                     rf"|\b(?:last|final) {_PART}\b|\bhow does {_IT} end\b", re.I)
START_CUE = re.compile(r"\b(?:beginning|opening|intro\w*)\b|\b(?:at|in) the start\b"
                       rf"|\bfirst {_PART}\b|\bhow does {_IT} (?:start|begin|open)\b", re.I)
# "paragraph 3", "¶3", "para 3", "paragraph three", "the 3rd paragraph", "the third paragraph"
# ("the first paragraph" is the opening, START_CUE).
_NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_ORDINALS = {w: n for n, w in enumerate(
    "second third fourth fifth sixth seventh eighth ninth tenth".split(), 2)}
PARAGRAPH_CUE = re.compile(
    rf"(?:\bparagraph|\bpara\b\.?|¶)\s*(?:no\.\s*|number\s+|#\s*)?"
    rf"(\d+|{'|'.join(_NUMBERS)})\b"
    rf"|\b(\d+)(?:st|nd|rd|th)\s+paragraph\b|\b({'|'.join(_ORDINALS)})\s+paragraph\b", re.I)


def named_paragraphs(question: str) -> list[int]:
    """The paragraph numbers ``question`` names (:data:`PARAGRAPH_CUE`), in its order."""
    out = []
    for match in PARAGRAPH_CUE.finditer(question):
        word = next(group for group in match.groups() if group).lower()
        out.append(int(word) if word.isdigit() else _NUMBERS.get(word, _ORDINALS.get(word)))
    return out
POSITION_BONUS, PARAGRAPH_BONUS = 1.0, 3.0  # in logit units of the fitted scorer
# In a library, a further quote from another article than the first quote's needs this
# probability (the first article's need the scorer's ``further_prob``): see docs/scorer.md
OTHER_ARTICLE_PROB = 0.2
SPEAKER_PENALTY = 10.0  # the same units: a paragraph that does not name the person asked about
# ... and for the sentence that says who someone is, asked "Who is X?" (:func:`identity`)
IDENTITY_BONUS = 5.0
# ... and for a sentence holding what a question asks about an article's subject named in full
# ("when did Marie Tharp die?": "die", of a biography that names her in full in ¶1 only;
# :func:`_predicate_terms`): the fitted ranking put "Marie Tharp was born on …" 5.4 units ahead
# of "Tharp died of cancer …" on the rare first name
PREDICATE_BONUS = 6.0
# What a question measures, and how a sentence gives it: "how much is the train?" a price
# ("fares start at €24.90", not "takes 2 hours 49 minutes"), "what temperature?" degrees
# ("Heat the oven to 180°C", not "Bake for 45–50 minutes"), "how old …?" an age ("You must be
# 16 or over", not "We need around 150 volunteers"), and so on: see :func:`measured`.
_AMOUNT = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a|an|half an?)"
_CURRENCY_CODE = (r"(?-i:USD|EUR|GBP|PLN|CHF|SEK|NOK|DKK|CZK|HUF|JPY|CNY|INR|AUD|CAD|NZD|ZAR|BRL|"
                  r"MXN|TRY|RUB|KRW|SGD|HKD|AED|SAR|THB|ILS|RON)")
WHEN_ASKED = re.compile(r"\bwhen\b|\bwhat\s+(?:time|date|day|year|month)\b|\bhow soon\b",
                        re.I)
DATE_TIME = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b|\b(?:1[0-9]|20)\d\d(?:s|\b)"
    r"|\b(?:centur(?:y|ies)|yesterday|today|tomorrow|tonight)\b"
    r"|\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b",
    re.I)
MEASURES = (
    (re.compile(r"\b(?:cost|costs|price|prices|priced|fee|fees|fare|fares|charge|charges|"
                r"expensive|cheap)\b|\bhow much (?:is|are|was|were|does|do|did|will)\b(?!.*\b"
                r"(?:grow|grew|rise|rose|fall|fell|increase|decrease|boost|reduce|lower|improve|"
                r"affect|help|weigh|take|need|risk|chance|odds|likel)\w*\b"
                r"|.*\bby\W*$)",  # (not a margin: "how much did she lead by")
                re.I),
     re.compile(r"[£$€¥₹₽₩₺₪]\s?\d|\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|"
                r"nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
                r"ninety|a hundred|a thousand)\s?(?:(?:hundred|thousand|million|billion|"
                r"bn|m|k)\s?)?(?:p|pence|pounds?|quid|euros?|dollars?|bucks|cents?|shillings?|"
                r"francs?|yen|yuan|rmb|rupees?|roubles?|rubles?|kronor|kroner|krona|krone|kr|"
                rf"zlotys?|zł|pesos?|reais|lira|baht|rand|dirhams?|riyals?|{_CURRENCY_CODE})(?!\w)"
                rf"|\b{_CURRENCY_CODE}\s?\d"
                r"|\bfree\b|\bno charge\b|\bcosts? nothing\b|\b(?:living|minimum) wage\b"
                # ... or in what the text pays with: "a storm costs 2 silver" of a game's rules
                r"|\b(?:costs|priced at)\s+(?:just\s+|only\s+)?(?:\d|one|two|three|four|five|six|"
                r"seven|eight|nine|ten)\b(?![\d,.]*\s+(?:lives|jobs|people|hours|days|weeks|"
                r"months|years|minutes|points|seats|votes|games|turns)\b)",
                re.I)),
    (re.compile(r"\b(?:temperature|temp|degrees|how (?:hot|cold|warm))\b", re.I),
     re.compile(r"\d\s?°|°\s?[CF]\b|\bdegrees\b|\d\s?[CF]\b|\bgas mark\b", re.I)),
    (re.compile(r"\bhow old\b|\bwhat age\b|\bage (?:limit|range|requirement)\b|\bminimum age\b",
                re.I),
     re.compile(r"(?i:\baged?\b|\byears? old\b|\d+\s*(?:\+|or (?:over|older|above)|and "
                r"(?:over|older|above))|\b(?:over|under)(?:-| )\d+\b|\b\d+-year-old\b"
                # "Now, at 67, she …", "Drummond, 19, …" (a name, then the age)
                r"|\bat (?:the age of )?\d{1,3}(?![\w°%]|[.:]\d))|\b[A-Z][\w’'-]+, \d{1,3},")),
    (re.compile(r"\bhow long (?:does|did|will|do|is|was|are|were|should|would|to)\b", re.I),
     re.compile(rf"\b{_AMOUNT}\s?(?:-\s?\w+\s)?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|"
                r"days?|nights?|weeks?|months?|years?)\b", re.I)),
    (re.compile(r"\bhow far\b|\bdistance\b", re.I),
     re.compile(rf"\b{_AMOUNT}\s?(?:km|kilometres?|kilometers?|miles?|metres?|meters?|m|yards?|"
                r"feet|ft|minutes?['’]? (?:walk|drive|ride))\b", re.I)),
    # "whats the emergency vet number", "how do i contact them": a phone number, an e-mail
    (re.compile(r"\b(?:phone|telephone|mobile|contact|emergency|helpline|hotline)\s+(?:number|no)"
                r"\b|\bnumber\W*$|\bnumber (?:to|for) (?:call|ring|phone|text)|\b(?:call|ring|"
                r"phone) (?:them|you|it|the \w+)\W*$", re.I),
     re.compile(r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?|\d{2,5}[\s.-])\d{3,4}"
                r"[\s.-]?\d{3,4}(?![\w-])")),
    (re.compile(r"\be-?mail\b(?:\s+address)?", re.I),
     re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (re.compile(r"\bhow heavy\b|\bweigh(?:s|t)?\b", re.I),
     re.compile(r"\d\s?(?:kg|g|grams?|kilos?|kilograms?|lbs?|pounds?|tonnes?|tons?|oz|"
                r"ounces?)\b", re.I)),
)


def measured(question: str) -> re.Pattern | None:
    """How a sentence gives what ``question`` measures (:data:`MEASURES`), or None."""
    return next((gives for asks_for, gives in MEASURES if asks_for.search(question)), None)
# Answers less sure than this say so before their quotes. On the public SQuAD articles a fifth
# of the answers under it quote the right paragraph (a third of them are to answerable
# questions), against nearly half of those over it, and it holds 5 % of the right answers: see
# docs/scorer.md.
HEDGE_BELOW = 0.1

# "What did Biden say", "Biden's view", "according to Biden": who is to be quoted.
NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
SPEAKER = re.compile(
    rf"\b(?i:did|does|do|has|have|had|would|will)\s+({NAME})\s+(?:say|think|believe|claim|argue|"
    rf"tell|write|mean|want|feel)\b|\b({NAME})(?:'s|’s)\s+(?:view|views|stance|position|opinion|"
    rf"response|reaction|comments?|remarks?|statement|words)\b|\b(?i:according to)\s+({NAME})")


# The same, typed all in lower case ("what did biden say"): only the "did X say" form, whose
# place for a name is plain without capitals; stop words ("the author") and pronouns name
# nobody (:data:`PRONOUNS`).
SPEAKER_TYPED = re.compile(
    r"\b(?:did|does|do|has|have|had|would|will)\s+([a-z][\w'’.-]*(?:\s+[a-z][\w'’.-]*)?)\s+"
    r"(?:say|think|believe|claim|argue|tell|write|mean|want|feel)\b")
# Who was named before ("what did she say about flour?" of an interview that never says
# "she"): no one to look for by name. A question's own words, whatever case they are typed in.
PRONOUNS = frozenset("i you he she it we they one someone somebody anyone people".split())
# "What did the governor say", "the police's response": someone named by a role, in lower
# case after "the" (in any question). Quoted only when some searched article uses the word; the
# article's own voice ("the author", "the article") is asked about as usual. Not "according to
# the theory" nor "what did the loss mean": things, not people, follow those.
_ROLE = r"the\s+([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*)?)"
SPEAKER_ROLE = re.compile(
    rf"\b(?i:did|does|do|has|have|had|would|will)\s+{_ROLE}\s+(?:say|think|believe|claim|argue|"
    rf"tell|write|feel)\b|\b{_ROLE}(?:'s|’s)\s+(?:view|views|stance|position|opinion|"
    rf"response|reaction|comments?|remarks?|statement|words)\b")
OWN_VOICE = frozenset({"author", "authors", "writer", "writers", "article", "articles", "text",
                       "piece", "story", "report", "essay", "paper", "post", "book", "column",
                       "columnist", "editor", "editors", "reporter", "reporters", "journalist",
                       # and its parts: "what does the ending say about …"
                       "ending", "end", "beginning", "start", "opening", "intro",
                       "introduction", "conclusion", "headline", "title", "section", "chapter"})
# "what is nato", "who was biden": a question about one thing, typed in lower case.
DEFINITION_TYPED = re.compile(
    r"^\W*(?:what|who)(?:'s|’s|\s+(?:is|are|was|were))\s+(?:an?\s+|the\s+)?([\w'’.-]+)\W*$")


def _typed_lower(question: str) -> bool:
    return not any(ch.isupper() for ch in question)


def _named(names: list[str]) -> list[str]:
    """The ``names`` that name someone: not "she", "she really" (:data:`PRONOUNS`)."""
    return [name for name in names if name.split()[0].lower() not in PRONOUNS]


def unknown_speaker(question: str, evidence: Evidence) -> str:
    """The person a question asks to quote ("What did Biden say…", "what did biden say…",
    "What did the governor say…") when no searched article names them (or uses the word for
    their role), else "": the articles cannot quote that person,
    whatever else they say on the subject. A name one slip away from a name in the sentences
    found ("Puttin" where they say "Putin") is a typing error, not another person: the scorer's
    confidence decides then, as for any question."""
    unknown = set(evidence.unknown_names)
    matches = [next(g for g in m.groups() if g) for m in SPEAKER.finditer(question)]
    if not matches and _typed_lower(question):
        unknown = set(evidence.unknown_words)
        matches = [m.group(1) for m in SPEAKER_TYPED.finditer(question)]
    for name in _named(matches):
        words = set(re.findall(r"[\w'’.-]+", name))
        # "Xi Jinping" where the article says "Xi" is Xi: a stranger has no word of the name
        # the articles use
        if words and words <= unknown and not all(misspelt_name(word, evidence.candidates)
                                                  for word in words):
            return name
    for match in SPEAKER_ROLE.finditer(question):
        role = next(g for g in match.groups() if g)
        words = set(role.split())
        # who a role is, is its last word: "the school board" of a text that says "high
        # school" but never "board" is no one it quotes; "the local police" of one that says
        # "police" is
        if not words & OWN_VOICE and role.split()[-1] in evidence.unknown_words:
            return f"the {role}"
    return ""


def unknown_years(question: str, evidence: Evidence) -> list[str]:
    """The years (or decades) a question names when the searched articles name none of them
    ("What wars did France fight in the 1600s?", "what is the 2025 guidance" of a release
    that gives 2024's): what it asks about is another time than any they tell of. Of the
    public SQuAD questions so, 40 are unanswerable and none answerable. Empty otherwise."""
    words = [w for w in TOKEN.findall(fold(normalise(question))) if YEAR.fullmatch(w)]
    return words if words and set(words) <= set(evidence.unknown_words) else []


# A question that asks a price ("how much is the train", "what's the entry fee", "how much did
# they pay for it"), not one that names one ("how much did the price rise", "when did prices
# fall"): a quote giving no amount of money does not answer it.
PRICE_ASKED = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay)\W+)?(?:"
    # "how much does it cost", "how much did greg pay" (not "how much time do they spend")
    r"how much\s+(?:money\s+|cash\s+)?(?:is|are|was|were|'s|s|does|do|did|will|would|has|have|"
    r"had|should|can|could)\b"
    # (not "how much should i water them", "how much can you lift": what someone does)
    r"(?!\s+(?:i|we|you|they)\s+(?!(?:pay|spend|budget|expect|save|charge|earn|make|get|owe|"
    r"tip|need|have|be|lose)\b)[a-z]+\b)"
    r"(?!.*\b(?:increase|decrease|rise|rose|risen|fall|fell|fallen|drop|boost|reduce|"
    r"lower|improve|affect|help|grow|grew|change|percent|weigh|risk|chance|odds|likel)\w*\b"
    r"|.*\b(?:worth|takes?|taken|took|lasts?|lasted|holds?|held|needs?|needed|uses?|used|"
    r"matters?|up|down|more|less|faster|slower|higher|lower|longer|shorter|bigger|smaller)\b"
    r"|.*\bby\W*$)"  # (nor a margin: "how much did she lead by")
    r"(?:.*\b(?:cost|costs|costed|charge|charged|charges|"
    r"pay|paid|pays|spend|spent|sell|sold|rent|fee|fees)\b|\s+(?:\S+\s+){0,5}?\S+\W*$)"
    # "what's the entry fee", "what is the price of a ticket" (not "what is price discrimination")
    r"|what(?:'s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:price|cost|"
    r"fee|fare|rent)s?(?=\s+(?:of|for|to|in|at|per)\b|\W*$)"
    r"(?!.*\b(?:increase|decrease|rise|fall|drop|change|percent)\w*\b)"
    r"|(?:the\s+)?(?:\w+\s+)?(?:price|cost|fee|fare|rent)s?(?:\s+(?:of|for)\b"
    r"(?!.*\b(?:when|why|who|where|which|what|how|is|are|was|were)\b).*)?\W*$"
    r"|how expensive\b)", re.I)


def unknown_subject(question: str, evidence: Evidence) -> list[str]:
    """The names a question is about when none of its words occurs in the searched articles
    ("What is NATO?" of an article that never mentions NATO; its initials would have matched
    "North Atlantic Treaty Organization"): what it asks about is not there, so any quote would
    rest on the embedding's sense of likeness alone. Typed in lower case, the one word a "what
    is…" question asks about ("what is nato"). Empty for any other question, and when a
    name is a typing slip of one in the sentences found ("Who is Puttin?")."""
    terms = set(evidence.query_terms)
    if not terms or not terms <= set(evidence.unknown_terms):
        return []
    names = evidence.unknown_names
    if not names and _typed_lower(question):
        asked = DEFINITION_TYPED.match(question)
        names = [asked.group(1)] if asked and asked.group(1) in evidence.unknown_words else []
    return list(dict.fromkeys(name for name in names
                              if not misspelt_name(name, evidence.candidates)))


# "What does the author think about X?", "the authors' view on X": asked of the body, never of
# a note about the authors (their biography mentions places and institutions, not their views).
_VERBS = (r"(?:think|say|argue|believe|claim|write|mean|want|feel|suggest|propose|conclude|"
          r"predict|see|view)")
_DOING = (r"(?:thinking|saying|arguing|believing|claiming|writing|meaning|wanting|feeling|"
          r"suggesting|proposing|concluding|predicting|getting at|driving at)")
AUTHOR_VIEW = re.compile(
    rf"\b(?:the|its)\s+(?:authors?|writers?)(?:'s|’s|')?\s+(?:{_VERBS}s?\b|"
    rf"(?:(?:main|central|key|overall|real)\s+)?(?:view|views|stance|"
    rf"position|opinion|argument|thesis|take|point)\b)|\b(?:does|do|did)\s+the\s+"
    rf"(?:authors?|writers?)\s+{_VERBS}\b|\baccording to the (?:authors?|writers?)\b"
    # "What are the authors arguing?", "What is the author trying to say?"
    rf"|\b(?:is|are|was|were)\s+the\s+(?:authors?|writers?)\s+(?:{_DOING}|trying\s+to\s+"
    rf"{_VERBS})\b", re.I)

# A question of a question word alone ("when?", "how much?", "and where?", "what time?"): after
# a question, it asks that of the same subject.
BARE_ASK = re.compile(r"^\s*(?:(?:and|but|so)\s+)?"
                      r"(?:(?:by|since|until|till|from|to|for|with)\s+)?"  # "by when?", "to whom?"
                      r"(?:when|where|who|whom|whose|why|which one|"
                      r"what\s+(?:time|date|day|year|month)|"  # "what time?"
                      r"how(?:\s+(?:much|many|long|often|far|big|old|come|so))?)\s*[?!.]*\s*$",
                      re.IGNORECASE)
# A word for what the last question asked about ("what's its name?", "when did that happen?")
THING = re.compile(r"\b(?:it|its|they|them|their|that|this|those|these|there)\b", re.I)
FOLLOW_UP = re.compile(rf"^\s*(?:and|but|also|what about|how about|so|then|why|what else)\b|"
                       rf"\b(?:he|she|they|it|him|her|them|his|their|its|that|this|those|these|"
                       rf"there)\b"
                       rf"|{BARE_ASK.pattern}", re.IGNORECASE)


def position_bonus(question: str, stored: StoredArticle) -> dict[int, float]:
    """Extra score for paragraphs the question points at by position or number."""
    body = [n for n in range(1, len(stored.article.paragraphs) + 1) if not is_note(stored, n)]
    if not body:
        return {}
    bonus: dict[int, float] = {}
    for number in named_paragraphs(question):
        bonus[number] = PARAGRAPH_BONUS
    if END_CUE.search(question):
        bonus.setdefault(body[-1], POSITION_BONUS)
    if START_CUE.search(question):
        bonus.setdefault(body[0], POSITION_BONUS)
    return bonus


@dataclass
class Span:
    state: ArticleState
    paragraph: int
    first: int  # index into the article's sentences
    last: int
    score: float

    def quote(self) -> Quote:
        stored = self.state.stored
        first, last = stored.sentences[self.first], stored.sentences[self.last]
        text = stored.article.paragraph(self.paragraph).text[first.start:last.end]
        return Quote(stored.info.id, self.paragraph, text, first.start, last.end,
                     round(self.score, 4))


def is_follow_up(question: str, history: list[str] | None) -> bool:
    """A short question that leans on the previous one ("and what about Russia?")."""
    return bool(history) and bool(FOLLOW_UP.search(question)) and len(question.split()) <= 8


# "he", "his", "they" in a follow-up mean someone the previous question named.
PERSON = re.compile(r"\b(?:(he|she|him|her|they|them)|(his|hers|their|theirs))\b", re.I)
# A name: capitalised words, "and"/"of"/"the" allowed inside ("China and Russia", "Bank of
# England").
NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:and|of|the)\s+)?[A-Z][\w’'.-]*)*")
OPENING = {"and", "but", "so", "then", "also", "tell", "me", "can", "could", "would", "will",
           "should", "has", "have", "had", "if", "in", "on", "for", "to", "as", "according"}


def named_in(question: str) -> str | None:
    """The first name a question uses ("Putin" in "What did Putin say about Hong Kong?"), its
    opening word ("What", "Did") left out."""
    for match in NAME.finditer(question):
        words = match.group(0).split()
        if match.start() == 0 or not question[:match.start()].strip("¿¡\"“ "):
            while words and words[0].lower() in QUESTION_WORDS | OPENING:
                words = words[1:]
        name = " ".join(words).rstrip(".")
        if name and name.lower() not in QUESTION_WORDS | OPENING:
            return name
    return None


# "who is the PTA chair?", "who's their lawyer?": someone asked about by their role
ROLE_ASKED = re.compile(r"\s*(?:and\s+)?who(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+"
                        r"(?P<role>(?:the|their|its|his|her|our)\s+.+?)\s*[?.!]*\s*", re.I)
# A person's name in a text: two or three capitalised words, after any titles ("Mrs Justice
# Harriet Cole", "Dr Elena Sousa", "Sunita Rao")
PERSON_NAME = re.compile(r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Miss|Prof|Sir|Dame|Justice|Judge)\.?\s+)*"
                         r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){1,2}")
ROLE_REACH = 3  # words between a role's word and the name it is beside, at most


THING_WORDS = frozenset("he she him her his hers it its they them their this that".split())


def name_beside(text: str, role: set[str], terms) -> str | None:
    """The person's name in ``text`` nearest a word of ``role`` (their terms: "pta", "chair"),
    at most ``ROLE_REACH`` words away ("…said PTA chair Sunita Rao", "Chief executive Linda
    Marsh said"), else None."""
    words = list(re.finditer(r"[\w'’-]+", text))
    near = [k for k, w in enumerate(words) if set(terms(w.group(0))) & role]
    best = None
    for match in PERSON_NAME.finditer(text):
        if set(terms(match.group(0))) & role:
            continue  # "Chief Executive" itself
        first = next(k for k, w in enumerate(words) if w.end() > match.start())
        last = next(k for k, w in enumerate(words) if w.end() >= match.end())
        gap = min((first - k if k < first else k - last for k in near), default=None)
        if gap is not None and gap <= ROLE_REACH and (best is None or gap < best[0]):
            best = (gap, match.group(0))
    if best is None:  # a first name alone, right after the role: "her husband Raymond"
        best = next(((0, words[k + 1].group(0)) for k in near if k + 1 < len(words)
                     and re.fullmatch(r"[A-Z][a-z][\w'’-]*", words[k + 1].group(0))
                     and terms(words[k + 1].group(0))  # (not "The", "She")
                     and words[k + 1].group(0).lower() not in PRONOUNS | THING_WORDS), None)
    return best[1] if best else None


def names_capitalised(question: str, text: str) -> str:
    """``question`` typed in lower case with the words ``text`` writes only with a capital
    (names: "osei" of an article that says "Dr. Osei") capitalised, so that
    :func:`named_in` finds them; any other question as it is."""
    if not _typed_lower(question):
        return question

    def capital(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 2 or word in QUESTION_WORDS | OPENING | PRONOUNS:
            return word
        up = word[0].upper() + word[1:]
        written = re.findall(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", text, re.I)
        return up if written and all(w[0].isupper() for w in written) else word

    return re.sub(r"[^\W\d_][\w’'-]*", capital, question)


def resolve_person(question: str, history: list[str] | None) -> str | None:
    """A follow-up that names someone only by pronoun, with the name of the latest earlier
    question that has one put in its place ("what did he say about the constitution?" after
    "What did Putin say about Hong Kong?" -> "what did Putin say about the constitution?"),
    or ``None``. Blending the two questions' vectors would carry the earlier *topic* along
    too, and answer about Hong Kong again."""
    match = PERSON.search(question)
    if not history or match is None or named_in(question):
        return None
    name = next((n for n in map(named_in, reversed(history)) if n), None)
    if name is None:
        return None
    return question[:match.start()] + (name if match.group(1) else f"{name}'s") + \
        question[match.end():]


def query_vector(embed, question: str, history: list[str] | None) -> np.ndarray:
    """The question's vector; a follow-up's leans a third of the way to the previous question,
    so "and what about the SCO?" keeps the earlier subject while its own words lead."""
    if not is_follow_up(question, history):
        return embed([question])[0]
    current, previous = embed([question, history[-1]])
    mixed = current + 0.5 * previous
    return mixed / (np.linalg.norm(mixed) or 1.0)


def speaker_terms(question: str, evidence: Evidence, terms) -> set[str]:
    """The search terms (``terms``: the searcher's tokenizer) of the people a question asks to
    quote (:data:`SPEAKER`: "What did Reyes say…", "according to Lenin"; typed in lower case,
    "what did reyes say"), those the searched articles hold. Empty for any other question."""
    names = [next(g for g in m.groups() if g) for m in SPEAKER.finditer(question)]
    if not names and _typed_lower(question):
        # a name, not a role or the article's own voice: "what did the mayor say" may be
        # answered where the article calls her by name, "what does the ending say" anywhere
        names = [m.group(1) for m in SPEAKER_TYPED.finditer(question)
                 if not m.group(1).startswith("the ")]
    names = [name for name in _named(names) if not set(name.lower().split()) & OWN_VOICE]
    wanted = {t for name in names for t in terms(name)}
    # A first name alone is the surname the text goes on with ("what did priya say" of a
    # story that names "Priya Bhatt" once, then quotes "Bhatt, 29, says …")
    alone = [name for name in names if len(name.split()) == 1 and name[:1].isalpha()]
    if alone:
        full = re.compile(rf"\b(?:{'|'.join(map(re.escape, alone))})\s+([A-Z][\w’'-]+)", re.I)
        for state in {c.state.key: c.state for c in evidence.candidates}.values():
            for paragraph in state.stored.article.paragraphs:
                for surname in full.findall(paragraph.text):
                    if surname[0].isupper() and surname.lower() not in PRONOUNS:
                        wanted.update(terms(surname))
    return wanted - set(evidence.unknown_terms)


# "Who is Dr Osei?", "who was genghis khan": the person asked to be told about
WHO_IS = re.compile(r"\s*who\s+(?:is|was|['’]s)\s+(?P<name>[^?!.]{2,60}?)\s*[?!.]*\s*", re.I)


# "who plays Kit?", "who played the detective": the actor asked about
WHO_PLAYS = re.compile(r"\s*who\s+(?:plays|played|portrays|portrayed|voices|voiced|is\s+playing|"
                       r"was\s+playing)\s+(?P<name>[^?!.]{2,60}?)\s*[?!.]*\s*", re.I)


def identity(question: str) -> re.Pattern | None:
    """For "Who is X?" (X a name, or any words typed in lower case), what a sentence saying
    who X is looks like: "X, a neurologist at …", "X (1920–2006), the …", "X is a …", "X
    (1931–2014) was a …" (an encyclopedia's opening); for "Who plays X?", "X (Richard
    Haines)", "X, played by …" (a recap's or review's credits); else None. The fitted
    ranking put "Dr. Osei also noted …" before "Dr. Amara Osei, a neurologist at King's
    College London …" (a probe's science story)."""
    played = WHO_PLAYS.fullmatch(question)
    if played is not None:  # "who plays thomas caldwell?": "Thomas Caldwell (Richard Haines)"
        name = r"\s+".join(map(re.escape, played.group("name").split()))
        name = rf"\b{name}(?:\s+[A-Z][\w’'-]+)?"  # ("who plays danny": "Danny Caldwell (…)")
        return re.compile(rf"{name}\s*\((?:played\s+by\s+)?[A-Z][\w’'-]+\s+[A-Z]"
                          rf"|{name},?\s+(?:played|portrayed|voiced)\s+by\b", re.I)
    found = WHO_IS.fullmatch(question)
    if found is None:
        return None
    words = re.findall(r"[^\W\d_][\w’'-]*", found.group("name"))
    if not words or not (_typed_lower(question) or all(
            w[0].isupper() for w in words if w.lower() not in {"of", "and", "the", "de", "van",
                                                               "von", "da", "al"})):
        return None
    last = re.escape(words[-1])
    return re.compile(rf"\b{last}(?:['’]s)?(?:\s*\([^)]*\))?,\s+(?:a|an|the|who|whose|one|"
                      rf"now|then|later|formerly)\b|\b{last}(?:\s*\([^)]*\))?\s+(?:is|was|"
                      rf"has\s+been|had\s+been|became|becomes)\s+(?:a|an|the|one)\b", re.I)


def _predicate_terms(evidence: Evidence, question: str, terms) -> dict:
    """For each article searched whose title the question names by a word at most two of its
    paragraphs use ("when did Marie Tharp die?" of *The Woman Who Mapped the Ocean Floor: Marie
    Tharp*, whose first name only ¶1 uses), the question's other terms ("die"): what it asks
    about its subject, and those rare words ("marie"). (An article that names its subject
    throughout, as encyclopedia articles do, "the Normans", gets none: the name tells none of
    its sentences from another.) The same for a name a pronoun stood for: "why did she
    retire?" after "who is Elena Sousa?", searched as "why did Elena Sousa retire?", quoted the
    transcript's "Guest: Dr Elena Sousa, …" and "MARCUS: Dr Elena Sousa, thank you so much"
    before her own turn on why she retired, which does not name her."""
    asked = set(evidence.query_terms)
    # the measure of "how heavy is the bike?" is no word the answer holds ("weighs 18.4 kg")
    measure = set(terms(" ".join(HOW_KIND.findall(question))))
    named = asked - set(terms(question))  # the name the question's pronoun stood for
    rest = asked - named - measure
    found = {}
    for c in evidence.candidates:
        if c.state.key in found:
            continue
        if named:
            found[c.state.key] = (rest, named) if rest else (set(), set())
            continue
        if not isinstance(c.state, ArticleState):  # a large library's: its paragraphs are not
            found[c.state.key] = (set(), set())    # at hand to count (loading them costs)
            continue
        title, paragraphs = c.state.title_terms, c.state.paragraph_terms
        rest = asked - title - measure
        rare = {t for t in asked & title if sum(t in p for p in paragraphs) <= 2}
        found[c.state.key] = (rest, rare) if rare and rest else (set(), set())
    return found


def score(evidence: Evidence, scorer: Scorer, question: str,
          speakers: set[str] = frozenset(), terms=None) -> tuple[np.ndarray, float]:
    """Set every candidate's fitted score; return their answer probabilities and the
    confidence that the question is answerable at all. ``speakers``: the terms of the people
    the question asks to quote (:func:`speaker_terms`); a candidate whose paragraph names none
    of them comes after those that do."""
    scores = scorer.scores(evidence.matrix) if evidence.candidates else np.zeros(0)
    confidence = scorer.confidence(evidence, scores) if evidence.candidates else 0.0
    bonuses = {c.state.key: position_bonus(question, c.state.stored)
               for c in evidence.candidates} if (PARAGRAPH_CUE.search(question) or
                                                  END_CUE.search(question) or
                                                  START_CUE.search(question)) else {}
    # "What did Reyes say about the pandemic?" of an article where Reyes speaks of customers
    # and Carter of the pandemic: Reyes's words, not Carter's. The fitted scorer weighs the
    # name as one word among others (the public questions hold few such questions to fit on).
    naming = [bool(speakers & c.state.paragraph_terms_at(c.sentence.paragraph))
              for c in evidence.candidates] if speakers else []
    quoted: dict = {}  # article state key -> whether it gives the person asked about words
    defining = identity(question)
    found = _predicate_terms(evidence, question, terms) if terms is not None else {}
    predicate = {}
    if found:  # only where the article's best candidate is there on the rare name alone
        best = {}
        for k, c in enumerate(evidence.candidates):
            if c.state.key not in best or scores[k] > scores[best[c.state.key]]:
                best[c.state.key] = k
        for key, k in best.items():
            rest, rare = found[key]
            held = evidence.candidates[k].state.terms_at(evidence.candidates[k].index)
            if rest and held & rare and not held & rest:
                predicate[key] = rest
    for k, c in enumerate(evidence.candidates):
        c.score = float(scores[k]) + bonuses.get(c.state.key, {}).get(c.sentence.paragraph, 0.0)
        if any(naming) and not naming[k]:
            c.score -= SPEAKER_PENALTY
        elif naming and terms is not None and _quoted_in(c.state, speakers, terms, quoted):
            # (a quotation given to someone else: "what did okafor say" is not a professor's
            # '"Okafor spoke to them directly," said Prof. Dana Lyle', where the text gives
            # Okafor words of her own)
            other = speaker_at(c.state.stored, c.index)
            if other is not None and not speakers & set(terms(other)):
                c.score -= 2 * SPEAKER_PENALTY  # (after a paragraph not naming them: its "she
                # said" may be theirs)
        if defining is not None and defining.search(c.sentence.text):
            c.score += IDENTITY_BONUS
        wanted = predicate.get(c.state.key)
        if wanted and c.state.terms_at(c.index) & wanted:
            c.score += PREDICATE_BONUS
    probs = softmax(np.array([c.score for c in evidence.candidates]))
    return probs, confidence


def _words(state: ArticleState, first: int, last: int) -> int:
    return _words_of(state.stored, first, last)


# A short opening phrase before the subject: "In addition, he ...", "As usual, they ...".
LEAD_IN = re.compile(r"^[\"'“‘(]*(?:[\w’'-]+\s+){0,3}[\w’'-]+,\s+")


# "It is held widely that …", "It was reported that …", "It is not exaggerated to argue
# that …": an "it" that stands for the clause ahead of it (anticipatory "it"), not for
# something in the sentence before. Up to four words between the verb and "that", none of them
# a determiner or a number ("It is a path only suited …", "It was built in 1850 so that …" do
# point back).
ANTICIPATORY_IT = re.compile(
    r"it\s+(?:is|was|has\s+been|had\s+been|seems|seemed|appears|appeared|"
    r"(?:will|would|may|might|can|could|must|should)\s+be)\s+"
    r"(?:(?!(?:the|a|an|this|that|these|those|his|her|its|their|our|one)\b)[^\W\d]+,?\s+){1,4}"
    r"(?:that|whether)\b", re.IGNORECASE)


def points_back(sentence: str) -> bool:
    """The sentence opens with a word that points back (:data:`POINTS_BACK`), perhaps after a
    short opening phrase ("In addition, he took ..."), so that it cannot be read without the
    sentence before it: a quote takes that sentence too, a summary quotes it only when nothing
    else is left. An anticipatory "it" (:data:`ANTICIPATORY_IT`) points forward, not back."""
    for text in (sentence, LEAD_IN.sub("", sentence, count=1)):
        text = text.lstrip("\"'“‘(")
        words = text.split(maxsplit=1)
        if (words and words[0].strip("\"'“‘(,”’").lower() in POINTS_BACK
                and not ANTICIPATORY_IT.match(text)):
            return True
    return False


# An interviewer's turn: a line opening with "Q:" ("Q.", "Q -", "Interviewer:", "Question:").
# All of it asks, whatever its sentences end with ("Q: You started baking late. What did you
# do before?"): the answer is in the turn that follows.
TURN = re.compile(r"[\s*_>]*(?:Q|Interviewer|INTERVIEWER|Question|QUESTION)\s*(?:[:.]|\s[-–—])\s")


# A transcript's turn: a line opening with its speaker's name ("MARCUS: …", "Elena Sousa: …").
# A turn that ends with a question is the host's, asking, as a "Q:" turn is ("MARCUS: And you
# retired two years later, at 29. Why so young?" was quoted for "why did elena retire", her
# answer being the next turn).
SPEAKER_TURN = re.compile(r"[\s*_>]*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}\s*:\s")


def asks_at(stored: StoredArticle, index: int) -> bool:
    """Whether sentence ``index`` of ``stored`` asks (:func:`asks`), or is part of an
    interviewer's turn (:data:`TURN`; a speaker's turn that ends with a question:
    :data:`SPEAKER_TURN`; a paragraph that is an interviewer's question:
    :attr:`index.article.Article.question_turns`)."""
    sentence = stored.sentences[index]
    if asks(sentence.text) or sentence.paragraph in stored.article.question_turns:
        return True
    text = stored.article.paragraph(sentence.paragraph).text
    start = text.rfind("\n", 0, sentence.start) + 1
    if TURN.match(text, start) is not None:
        return True
    end = text.find("\n", sentence.end)
    return SPEAKER_TURN.match(text, start) is not None and asks(
        text[start:end if end >= 0 else len(text)])


# ... unless a question is what the reader asks for: "What did the interviewer ask about
# money?", "What question does the author raise?"
# ... not one that asks for something ("did they ask for federal help?" is about a request: it
# was answered with the reporter's "Q: Will the state ask for federal disaster money?")
ASKING = re.compile(r"\b(?:ask|asks|asked|asking)\b(?!\s+(?:[\w'’-]+\s+){0,3}?(?:for|to)\b)"
                    r"|\b(?:questions?|wonders?|wondered)\b", re.I)


def reply(state: ArticleState, index: int) -> int | None:
    """The sentence that answers question sentence ``index``: the next one that is no question,
    in its paragraph or the next (an interview's answer); None at the article's end."""
    sentences = state.stored.sentences
    for j in range(index + 1, len(sentences)):
        if sentences[j].paragraph > sentences[index].paragraph + 1:
            return None
        if not asks_at(state.stored, j):
            return j
    return None


# "Why …?" asks for a reason, which often follows the sentence that restates what the question
# asks about: "Relations … were facing the most serious challenges since 1979. This is
# primarily due to the fact that …". A next sentence that opens by giving the reason for the
# one before belongs to the quote.
WHY_CUE = re.compile(r"\bwhy\b|\bhow come\b|\bfor what reasons?\b|\bwhat (?:caused|led to)\b",
                     re.I)
REASON_NEXT = re.compile(
    r"^[\"'“‘(]*(?:(?:this|that|it)\s+(?:is|was|has been)\s+(?:\w+ly\s+)?(?:because|due to|"
    r"owing to|the (?:result|consequence) of|caused by)|(?:the|one) reasons?\b|because\b)", re.I)

# "What did the mayor say?": her words go on in the sentences after the one that names her
# ("…a single free chair," said Mayor Linda Ferraro. "This is an investment in every family.")
# while they open with a quotation mark; so do they after a sentence that only names her, as
# news writes it ("Margaret Hollis, 81, … was carried to a boat by two firefighters. "I've
# seen the river come up before …," she said.": her words were left out).
OPENS_QUOTE = re.compile(r"\s*[\"“]")
QUOTED = re.compile(r"[\"“”]")  # a sentence holding (part of) a quotation
# Who a quotation is given to: '"…," said Steve Draycott', '"…," Draycott said'
SAID_AFTER = re.compile(r"[\"”]\s*,?\s*(?:(?:said|says|added|adds|explained|recalled|told\s+\w+)"
                        r"\s+(?P<after>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][\w’'-]+(?:\s+[A-Z]"
                        r"[\w’'-]+){0,2})|(?P<before>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][\w’'-]+"
                        r"(?:\s+[A-Z][\w’'-]+){0,2})\s+(?:said|says|added|adds|explained|recalled|"
                        r"told))\b")


def quote_speaker(sentence: str) -> str | None:
    """Who ``sentence`` gives its quotation to: the name after it with a verb of saying
    ('"…," said Steve Draycott'), else the last name before it ("Bhatt, 29, says she spends
    her week "…"", "…and a former postman, Alan Greaves, who tells me "…""); None when it
    names no one or holds no quotation."""
    found = SAID_AFTER.search(sentence)
    if found and (found.group("after") or found.group("before")).split()[0].lower() \
            not in _NOT_NAMES:
        return found.group("after") or found.group("before")
    opening = re.search(r"[\"“]", sentence)
    if opening is None:
        return None
    # a name and a verb of saying before it ("Bhatt, 29, says she spends her week "…"",
    # "…a former postman, Alan Greaves, who tells me he has wanted to do this "…"")
    names = [m.group("name") for m in SAYS_BEFORE.finditer(sentence[:opening.start()])
             if m.group("name").split()[0].lower() not in _NOT_NAMES]
    return names[-1] if names else None


_NOT_NAMES = frozenset("""the a an in on at for but and so then when if as he she they it we i
    you this that these those there his her their its""".split())
SAYS_BEFORE = re.compile(r"(?<![\w’'-])(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][a-z][\w’'-]*"
                         r"(?:\s+[A-Z][a-z][\w’'-]*){0,2})(?:,\s+[^,\"“]{1,40},)?,?\s+(?:who\s+)?"
                         r"(?:says|said|tells|told|adds|added|explains|explained|recalls|recalled|"
                         r"writes|wrote|asks|asked|insists|insisted)\b")
# A transcript's turn, its speaker's name (after a time): "[00:02:48] LUCIA: …", "Tom: …"
TURN_LABEL = re.compile(r"\s*(?:\[[\d:.]+\]\s*)?(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})"
                        r"\s*:\s")
# A name and a verb that reports what they said: "Political scientist Miriam Stahl said …"
REPORTED_BY = re.compile(r"(?<![\w’'-])(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][a-z][\w’'-]*"
                         r"(?:\s+[A-Z][a-z][\w’'-]*){0,2})(?:,\s+\d{1,3},)?\s+(?:said|says|argued|"
                         r"argues|told|tells|added|adds|explained|explains|warned|warns|"
                         r"insisted|insists)\b")


def _quoted_in(state, speakers: set[str], terms, cache: dict) -> bool:
    """Whether ``state``'s article gives words to one of the people ``speakers`` names (a
    quotation or reported speech by name: :func:`speaker_at`); not "the French", "China",
    who speak through others."""
    if state.key not in cache:
        stored = state.stored
        cache[state.key] = any(
            (who := speaker_at(stored, i)) is not None and speakers & set(terms(who))
            for i in range(len(stored.sentences)))
    return cache[state.key]


def speaker_at(stored: StoredArticle, index: int) -> str | None:
    """Who sentence ``index`` of ``stored`` quotes (:func:`quote_speaker`), or, for a sentence
    of a quotation that goes on from an earlier one ('"…," Stahl said. "Okafor spoke to them
    directly. Lindqvist's message was …"'), who the earlier sentence of its paragraph gave it
    to; None when no one is named."""
    sentence = stored.sentences[index]
    found = quote_speaker(sentence.text)
    if found is not None:
        return found
    # a transcript's turn ("[00:02:48] LUCIA: Splitting is almost always …") is its speaker's
    turn = TURN_LABEL.match(stored.article.paragraph(sentence.paragraph).text)
    if turn is not None:
        return turn.group("name")
    if not QUOTED.search(sentence.text):  # their words reported: "Miriam Stahl said the …"
        reported = REPORTED_BY.search(sentence.text)
        return reported.group("name") if reported else None
    before = stored.article.paragraph(sentence.paragraph).text[:sentence.start]
    if not (before.count('"') % 2 or before.count("“") > before.count("”")
            or sentence.text.lstrip()[:1] in "\"“"):
        return None
    for earlier in range(index - 1, -1, -1):
        if stored.sentences[earlier].paragraph != sentence.paragraph:
            return None
        found = quote_speaker(stored.sentences[earlier].text)
        if found is not None:
            return found
    return None


def asks_speech(question: str) -> bool:
    """Whether ``question`` asks what someone said ("What did the mayor say?")."""
    return any(p.search(question) for p in (SPEAKER, SPEAKER_TYPED, SPEAKER_ROLE))


def _grow(span: Span, prob: dict[tuple, float], share: float | None,
          used: set[tuple] = frozenset(), why: bool = False, wanted=None,
          speech: bool = False) -> Span:
    """Add the next (or previous) sentence of the paragraph, again and again while it fits
    (``MAX_QUOTE_WORDS``), when the scorer finds it at least ``share`` as likely to hold the
    answer as the top sentence, or the quote is too short to stand alone, or (the previous
    sentence) the quote opens with a word that points back to it (:data:`POINTS_BACK`), or
    (the next sentence, with ``why``: the question asks why) it gives the reason for the quote
    (:data:`REASON_NEXT`), or it holds a question term the quote lacks (``wanted``: the
    question's terms and the function that finds a text's; "Who doubted the plesiosaur?" gets
    "… a plesiosaur. Cuvier at first doubted that it was genuine …"). With ``share`` None
    (further quotes), only the points-back and list reasons count; sentences in ``used``
    (already quoted) are never added. With ``speech`` (the question asks what someone said),
    the next sentence is added when it opens a quotation (:data:`OPENS_QUOTE`)."""
    state = span.state
    sentences = state.stored.sentences
    text = state.stored.article.paragraph(span.paragraph).text
    top = prob.get((state.key, span.first), 0.0)
    grown = True
    while grown:
        grown = False
        for neighbour in sorted((span.last + 1, span.first - 1),
                                key=lambda j: -prob.get((state.key, j), 0.0)):
            if (not 0 <= neighbour < len(sentences)
                    or sentences[neighbour].paragraph != span.paragraph
                    or (state.key, neighbour) in used):
                continue
            first, last = min(span.first, neighbour), max(span.last, neighbour)
            listed = neighbour > span.last and _lists_on(state, span, text)
            if "\n" in text[sentences[first].end:sentences[last].start] and not listed:
                continue  # lines stand apart, but for the list a quote's line introduces
            if (sentences[last].end - sentences[first].start > MAX_QUOTE_CHARS
                    or _words(state, first, last) > MAX_QUOTE_WORDS):
                continue
            close = share is not None and prob.get((state.key, neighbour), 0.0) >= share * top
            short = (share is not None
                     and sentences[span.last].end - sentences[span.first].start < SHORT_SENTENCE)
            back = neighbour < span.first and points_back(sentences[span.first].text)
            reason = (why and neighbour > span.last
                      and REASON_NEXT.match(sentences[neighbour].text) is not None)
            adds = False
            if wanted is not None:
                asked, terms = wanted
                have = set(terms(text[sentences[span.first].start:sentences[span.last].end]))
                adds = bool((set(asked) - have) & set(terms(sentences[neighbour].text)))
            quoting = (speech and neighbour > span.last
                       and OPENS_QUOTE.match(sentences[neighbour].text) is not None)
            if close or short or back or reason or listed or adds or quoting:
                span, grown = Span(state, span.paragraph, first, last, span.score), True
                break
    return _reach(span, wanted) if wanted is not None else span


def _reach(span: Span, wanted) -> Span:
    """``span`` grown to the nearest sentence of its paragraph past its neighbours that holds
    a question term it lacks (``wanted``: see :func:`_grow`), with the sentences between, when
    they all fit in a quote: "who was the captain of the Imo?" got "The SS Imo was a Norwegian
    ship chartered to carry relief supplies to Belgium.", two sentences before "… and its
    captain, Haakon From, was anxious to make up time." (its paragraph's third)."""
    state = span.state
    sentences = state.stored.sentences
    text = state.stored.article.paragraph(span.paragraph).text
    asked, terms = wanted
    missing = set(asked) - set(terms(text[sentences[span.first].start:sentences[span.last].end]))
    if not missing:
        return span
    holding = [i for i, sentence in enumerate(sentences) if sentence.paragraph == span.paragraph
               and not span.first <= i <= span.last and missing & set(terms(sentence.text))]
    if not holding:
        return span
    nearest = min(holding, key=lambda i: min(abs(i - span.first), abs(i - span.last)))
    first, last = min(span.first, nearest), max(span.last, nearest)
    if ("\n" in text[sentences[first].end:sentences[last].start]
            or sentences[last].end - sentences[first].start > MAX_QUOTE_CHARS
            or _words(state, first, last) > MAX_QUOTE_WORDS):
        return span
    return Span(state, span.paragraph, first, last, span.score)


TABLE_ROWS = 3  # lines of cells (" | ") at least: a table, its first line the header


def _measure_given(span: Span, gives: re.Pattern | None, replace: bool = True) -> Span:
    """A first quote that does not give what the question measures (``gives``: see
    :func:`measured`) where a sentence of its paragraph does: grown to that sentence (the
    nearest) when the quote stays within bounds, else (with ``replace``) that sentence
    instead. The fitted
    ranking knows that a sentence holds a number, not of which kind, and the retrieval may
    not have found the one sentence that gives it ("Can I volunteer? … You must be 16 or
    over.")."""
    stored = span.state.stored
    text = stored.article.paragraph(span.paragraph).text
    sentences = stored.sentences
    first, last = sentences[span.first], sentences[span.last]
    if gives is None or gives.search(text[first.start:last.end]):
        return span
    giving = [i for i, s in enumerate(sentences)
              if s.paragraph == span.paragraph and gives.search(s.text)]
    if not giving:
        return span
    nearest = min(giving, key=lambda i: min(abs(i - span.first), abs(i - span.last)))
    start, end = min(span.first, nearest), max(span.last, nearest)
    if (_words(span.state, start, end) <= MAX_QUOTE_WORDS
            and sentences[end].end - sentences[start].start <= MAX_QUOTE_CHARS):
        return Span(span.state, span.paragraph, start, end, span.score)
    return Span(span.state, span.paragraph, nearest, nearest, span.score) if replace else span


# A sentence giving what a question asks (a price, a number), of the first quote's article, is
# quoted for it when the scorer rates it at least this share of the first quote's sentence:
# see :func:`_given`
PRICE_SHARE = 0.1
# A year is no count: "In 1917 the ship sank" says nothing of how many (nor, taken for one,
# would "2000 crew" be missed often)
NOT_A_YEAR = r"(?!(?:1[0-9]|20)\d\d(?:s\b|\b(?![,.]\d)))"
# How many: a number, in digits or words, or a word that counts ("none", "twice", "dozens")
COUNTS = (r"\b(?:none|no one|nobody|nothing|once|twice|thrice|both|several|few|dozens?|"
          r"scores|handful|couple|pair|single|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
          rf"hundreds?|thousands?|millions?|billions?|{'|'.join(_NUMBERS)})\b")


def asked_for(question: str) -> tuple[re.Pattern, str] | None:
    """What a quote must give to answer ``question``, and its name: a price for one asking a
    price (:data:`PRICE_ASKED`), a number for one asking how many (:data:`COUNT_ASKED`; a
    number the question names itself does not count: "how many died in 1917?" is not
    answered by "In 1917 the ship …"); None for any other question."""
    if PRICE_ASKED.search(question):
        return MEASURES[0][1], "price"
    if COUNT_ASKED.search(question):
        named = sorted({n.replace(",", "") for n in re.findall(r"\d[\d,.]*\d|\d", question)})
        skip = rf"(?!(?:{'|'.join(map(re.escape, named))})(?![\d,.]\d))" if named else ""
        number = re.compile(rf"(?<![\d.,]){skip}{NOT_A_YEAR}\d|{COUNTS}", re.I)
        return _Count(number, count_of(question)), "number"
    return None


COUNT_NEAR = 8  # words, at most, between a number and what it counts
# Words that end what "how many" counts ("how many French nobles were ..."), and things any
# number may count ("how many people died?": "2,000 died", "a toll of 2,000")
_NOT_COUNTED = frozenset("""
    are were is was be been did do does have has had will would can could should may might of
    in on at to for from by with the a an there their they it its this that these those people
    persons times died live lived
""".split())


def count_of(question: str) -> tuple[str, ...]:
    """What "how many" counts in ``question``, as its words' singular forms (:func:`_one`:
    "how many French nobles" → "french", "noble"); none when it says nothing a number must
    stand by ("how many were there", "how many people")."""
    found = re.search(r"\bhow many\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?(?:\s+([^\W\d_]+))?",
                      question, re.I)
    things: list[str] = []
    for word in (found.groups() if found else ()):
        if not word or word.lower() in _NOT_COUNTED:
            break
        things.append(_one(word.lower()))
    return tuple(things)


def _counts(word: str, things: tuple[str, ...]) -> bool:
    """Whether ``word`` names one of ``things`` (:func:`count_of`): its singular form, or one
    with an ending of a kind of doer or doing ("visit" of "visitors", "staff" of "staffing");
    not "tourism" for "tourists"."""
    one = _one(word)
    return any(one == thing or len(thing) >= 4 and (
        one.startswith(thing) and one[len(thing):] in _ENDINGS
        or thing.startswith(one) and thing[len(one):] in _ENDINGS) for thing in things)


_ENDINGS = frozenset("er or ing ed e".split())


def _one(word: str) -> str:
    """A word's singular form, near enough to tell "tourists" from "tourism" (whose first
    four letters are one): "tourists" → "tourist", "countries" → "country", "boxes" → "box"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


def _bare_words(text: str) -> list[str]:
    return [w.strip("\"'“”‘’()[],.;:!?").lower() for w in text.split()]


@dataclass(frozen=True)
class _Count:
    """A number (``number``) within :data:`COUNT_NEAR` words of what the question counts
    (``things``: :func:`count_of`), found with ``search`` as a pattern is: "Honeybees were
    counted but excluded", "three coloured pan traps" give no number of honeybees. Any number
    in a text that does not name what is counted (the question says "kids", the text
    "children"; or it names nothing: "how many people")."""

    number: re.Pattern
    things: tuple[str, ...]
    loose: bool = True  # False: the text must name what is counted (when the question does)

    @property
    def strict(self) -> _Count:
        return _Count(self.number, self.things, loose=False)

    def names(self, text: str) -> bool:
        return any(_counts(word, self.things) for word in _bare_words(text))

    def search(self, text: str) -> bool:
        if not self.things or self.loose and not self.names(text):
            # (what it counts is said otherwise, if at all: "kids" of "three children")
            return self.number.search(text) is not None
        return any(self._beside(sentence) for sentence in SENTENCE_BREAK.split(text))

    def _beside(self, sentence: str) -> bool:  # (within one sentence: "… set for 24 hours.
        words = _bare_words(sentence)  # Honeybees were counted" gives none of them)
        return any(self.number.search(word) and any(
            _counts(near, self.things)
            for near in words[max(0, i - COUNT_NEAR):i + COUNT_NEAR + 1])
            for i, word in enumerate(sentence.split()))


def _given(span: Span, ranked: list, prob: dict[tuple, float], p: float, grow_share: float,
           gives: re.Pattern) -> Span | None:
    """The first quote for a question asking a price or a number (``gives``: see
    :func:`asked_for`): ``span`` when it gives one (grown to its paragraph's nearest,
    :func:`_measure_given`), else the sentence giving one in the paragraph of the best
    candidate of its article whose paragraph gives one and that the scorer rates at least
    :data:`PRICE_SHARE` of ``p`` (its sentence's probability), else None: the article does not
    say. "How much is the scout hut?" of minutes that tell of its opening but never its cost
    quoted the opening, and "how many honeybees were counted?" of a study saying only that
    they "were counted but excluded" quoted that; of the public SQuAD questions asking a price
    or a number, see docs/scorer.md."""
    if isinstance(gives, _Count) and gives.names(
            span.state.stored.article.paragraph(span.paragraph).text):
        gives = gives.strict  # (a sentence of the paragraph must give it beside what it counts)
    span = _measure_given(span, gives)
    if gives.search(span.quote().text):
        return span
    sentences, named = span.state.stored.sentences, getattr(gives, "strict", gives)
    # (sentence by sentence: "lasted 30 minutes. Honeybees were counted" gives no number of
    # honeybees; and one that names what is counted: "24 verge sites" no number of crew)
    giving = {s.paragraph for s in sentences if named.search(s.text)}
    return _moved(span, ranked, prob, p, grow_share, giving, gives)


# A verb that reports what someone said or thought, in a sentence that names them
REPORTED = re.compile(r"\b(?:said|says|argued|argues|claimed|claims|told|tells|wrote|writes|"
                      r"stated|states|believed|believes|thinks|thought|insisted|insists|warned|"
                      r"warns|added|adds|explained|explains|noted|notes|suggested|suggests|"
                      r"asserted|asserts|theori[sz]ed|contended|maintained|called for|urged)\b",
                      re.I)


def _quoting(span: Span, ranked: list, prob: dict[tuple, float], p: float, grow_share: float,
             wanted, speakers: set[str] = frozenset()) -> Span | None:
    """For "what did X say?" when ``span``'s paragraph quotes no one: the quotation in the
    paragraph of the best candidate of its article that the scorer rates at least
    :data:`PRICE_SHARE` of ``p``, whose quoting sentence (or the one before it) holds a
    question term (``wanted``: see :func:`_grow`; "Linfield manager Steve Draycott was
    unhappy. "I thought …," he said."), else None. "What did the manager say?" of a match
    report quoted what a manager did, "responded by sending on Bamford …"; a quotation of
    someone else ("Xi pointed out that "…"" for "what did Putin say?") is no answer. A
    quotation the sentence gives to the person asked about (``speakers``: their terms, see
    :func:`speaker_terms`) is theirs however the scorer rates it: "what did priya say" rated
    the paragraph naming "Priya Bhatt" (and quoting no one) far over "Bhatt, 29, says …"."""
    asked, terms = wanted
    sentences = span.state.stored.sentences

    def attributed(i: int, words) -> bool:
        before = sentences[i - 1].text if i and sentences[i - 1].paragraph == sentences[
            i].paragraph else ""
        return bool(QUOTED.search(sentences[i].text)
                    and set(words) & set(terms(before + " " + sentences[i].text)))

    # (not from their words reported, "Hobson argued that domestic reforms could cure …", or
    # their own turn of a transcript, "[00:05:06] LUCIA: Mulch is brilliant.")
    own = speaker_at(span.state.stored, span.first)
    reported = own is not None and bool(set(speakers) & set(terms(own))) or any(
        s.paragraph == span.paragraph and REPORTED.search(s.text)
        and set(speakers) & set(terms(s.text)) for s in sentences)
    theirs = {sentences[i].paragraph for i in range(len(sentences))
              if speakers and not reported and attributed(i, speakers)}
    if theirs:
        return _moved(span, ranked, prob, 0.0, grow_share, theirs, QUOTED)
    giving = {sentences[i].paragraph for i in range(len(sentences)) if attributed(i, asked)}
    return _moved(span, ranked, prob, p, grow_share, giving, QUOTED)


def _moved(span: Span, ranked: list, prob: dict[tuple, float], p: float, grow_share: float,
           giving: set[int], gives) -> Span | None:
    """The first quote moved to the best candidate of ``span``'s article in a paragraph of
    ``giving`` that the scorer rates at least :data:`PRICE_SHARE` of ``p``, grown and then
    grown to what ``gives`` finds (:func:`_measure_given`); None when there is none."""
    other = next((c for c in ranked if c.state is span.state and c.sentence.paragraph in giving
                  and prob[(c.state.key, c.index)] >= PRICE_SHARE * p), None)
    if other is None:
        return None
    return _measure_given(_grow(Span(other.state, other.sentence.paragraph, other.index,
                                     other.index, other.score), prob, grow_share), gives)


def _under_header(span: Span, prob: dict[tuple, float]) -> Span:
    """A row of a table (a paragraph of :data:`TABLE_ROWS` lines or more, each of cells) quoted
    with the rows from its header down, when they fit in a quote: "Free cash flow | $29.2 |
    $18.8 | 55.3%" alone does not say which figure is this quarter's, nor what a spec
    table's "Battery | 150 min" is set against. The header alone is quoted down to the row
    the scorer likes best after it (the header matched the question's "Q3 2023", the row its
    "operating income")."""
    stored = span.state.stored
    text = stored.article.paragraph(span.paragraph).text
    lines = text.split("\n")
    if len(lines) < TABLE_ROWS or not all(" | " in line for line in lines):
        return span
    header = next(i for i, s in enumerate(stored.sentences) if s.paragraph == span.paragraph)
    if stored.sentences[header].text != lines[0]:  # each line one sentence
        return span
    last = span.last
    if span.first == header == span.last:
        rows = [i for i in range(header + 1, header + len(lines))
                if i < len(stored.sentences) and stored.sentences[i].paragraph == span.paragraph]
        last = max(rows, key=lambda i: (prob.get((span.state.key, i), 0.0), -i), default=last)
    if _words(span.state, header, last) > MAX_QUOTE_WORDS:
        return span
    return Span(span.state, span.paragraph, header, last, span.score)


def _lists_on(state: ArticleState, span: Span, text: str) -> bool:
    """Whether the sentence after ``span`` is the next item of a list the span introduces:
    one of its sentences ends with a colon ("The banned list includes:") and is followed, to
    the span's end, by items' lines of one kind ("a. mint;", "b. bamboo." or "1. …", "2. …";
    or lines with no mark, as a Markdown list's bullets are read: "The company now expects:"
    over "Revenue of $1.88 billion to $1.91 billion"), as the next sentence is (a sub-list
    ends at its item's next sibling, "5. Water…")."""
    sentences = state.stored.sentences
    after = span.last + 1
    if after >= len(sentences) or sentences[after].paragraph != span.paragraph:
        return False

    def kind(j: int) -> str | None:  # a line of its own that opens with an item's mark
        start = sentences[j].start
        if start == 0 or text[start - 1] != "\n":
            return None
        return ("sub" if SUB_ITEM.match(text, start) else
                "numbered" if NUMBERED.match(text, start) else "line")

    for j in range(span.last, span.first - 1, -1):
        if sentences[j].text.rstrip().endswith(":"):  # the list's first item: j + 1
            return kind(after) is not None and kind(after) == kind(j + 1)
        if kind(j) is None:
            return False
    return False


# A label and its number ("motion 2", "resolution #3", "Question 4"), which may open a paragraph
LABEL_CUE = re.compile(r"\b([^\W\d_]{3,})\s+(?:no\.\s*|number\s+|#\s*)?(\d{1,3})\b(?!\s*[.,:]?\d)",
                       re.I)


def labelled_paragraphs(question: str, evidence: Evidence) -> set[tuple]:
    """``(article key, paragraph)`` of the paragraphs of the articles found that open with a
    label ``question`` names, with its number ("what was the vote on motion 2?" of minutes
    whose paragraphs open "Motion 1:", "Motion 2:", …): each motion's paragraph says "The
    motion carried", and the search alone quoted motion 3's vote for motion 2."""
    labels = LABEL_CUE.findall(question)
    if not labels:
        return set()
    opening = [re.compile(rf"{re.escape(word)}\s+(?:no\.\s*|#\s*)?0*{number}\s*[:.)–—-]", re.I)
               for word, number in labels if not PARAGRAPH_CUE.fullmatch(f"{word} {number}")]
    states = {c.state.key: c.state for c in evidence.candidates}
    return {(key, n) for key, state in states.items()
            for n, paragraph in enumerate(state.stored.article.paragraphs, 1)
            if any(o.match(paragraph.text) for o in opening)}


def answer(question: str, searcher: Searcher, infos, query: np.ndarray, search_text: str,
           scorer: Scorer, max_quotes: int = 3, focus=None, follow_up: bool = False,
           sections=None) -> Answer:
    """Answer over the article versions ``infos`` (one article, or a library). ``focus``: in a
    library, the article that "the article" means (the conversation's, or the default one).
    ``follow_up``: ``query`` leans on the conversation's earlier questions. ``sections``: in a
    library, the conversation's article, whose headings a question may name before any other
    article's (see :func:`asked_section`)."""
    infos = list(infos)
    single = len(infos) == 1
    wanted = named_paragraphs(question)
    if single and wanted and not any(1 <= n <= infos[0].paragraphs for n in wanted):
        return Answer(question=question, answered=False, quotes=[], article=infos[0].id,
                      message=f"*{infos[0].title}* has paragraphs 1 to {infos[0].paragraphs}; "
                              f"there is no ¶{wanted[0]}.", confidence=0.0)
    evidence = searcher.retrieve(search_text, query, infos)
    if AUTHOR_VIEW.search(question):
        evidence.candidates = [c for c in evidence.candidates
                               if not is_note(c.state.stored, c.sentence.paragraph)]
    elif not SOURCES_CUE.search(question):
        # a reference list answers no question on what the text says: "who was she?" of a
        # life quoted its first reference, '"Margarethe Lindqvist (1931–2014)". Nature …'
        evidence.candidates = [c for c in evidence.candidates
                               if not in_back_matter(c.state.stored, c.sentence.paragraph,
                                                     REFERENCES)]
    focus = infos[0] if single else focus
    # (the words naming a paragraph are no subject either: "para 4", "paragraph three"; nor
    # a word for the article or its writer it never uses: "Who wrote the interview?", "Who
    # is the columnist?")
    named = " ".join(m.group(0) for m in PARAGRAPH_CUE.finditer(question))
    if single:  # (in a library, "the interview" need not be the article in focus)
        # ... or one its title uses: "Who wrote the review?" of "The Volta City 2 e-bike
        # review: …"
        kinds = [w for w in re.findall(r"[^\W\d_]+", question) if w.lower() in SELF_OR_WRITER]
        if kinds:  # (the title's terms only then: not on every question)
            title = set(searcher.terms(infos[0].title))
            named += " " + " ".join(w for w in kinds if w in evidence.unknown_words
                                    or set(searcher.terms(w)) <= title)
    if focus is not None and set(evidence.query_terms) - set(searcher.terms(named)) <= \
            _meta_terms(searcher, question):
        # "Who wrote it?", "What does the article conclude?", "What is the main claim?": no
        # subject to search for, so they are about the article in focus.
        about = about_the_article(question, searcher.state(focus).stored)
        if about is not None:
            return about
    # "What is rule 4?", "the last step": an item of a numbered list, unless a heading names
    # it; "What are the ingredients?", "show me step 3": a section an article heads so (in a
    # library, the conversation's article first)
    item = asked_item(question, evidence, searcher,
                      [infos[0]] if single else [sections] if sections else [])
    if item is None and not single:
        # "what's step 3?" in a library (the conversation's article has no such steps): the
        # one article found that numbers its steps so, else the one found with a numbered
        # list ("1. Heat the oven…": "list the steps" of a recipe was refused in a library)
        states = {c.state.key: c.state for c in evidence.candidates}.values()
        found = [a for a in (_labelled_item(question, ITEM_CUE.search(question), evidence,
                                            searcher, state.stored) for state in states) if a]
        if not found:
            found = [a for a in (asked_item(question, evidence, searcher, [state.stored.info])
                                 for state in states if _lists(question, state.stored, searcher))
                     if a is not None and a.answered]
        item = found[0] if len(found) == 1 else None
    if item is not None:
        return item
    section = asked_section(question, evidence, searcher,
                            [infos[0]] if single else [sections] if sections else [],
                            [] if single else infos, max_quotes)
    if section is not None:
        return section
    if not follow_up and set(evidence.query_terms) <= _word_terms(searcher)[2]:
        # "why?", "how?", "what did he say?" with no question before them, or "give me a
        # quote": nothing to search for, and any quote would be the embedding's guess (no
        # question of the SQuAD or bundled question sets is without a word to search for)
        return Answer(question=question, answered=False, quotes=[],
                      article=infos[0].id if single else "", confidence=0.0,
                      message=vague_message(infos[0].title if single else None))
    speakers = speaker_terms(question, evidence, searcher.terms)
    probs, confidence = score(evidence, scorer, question, speakers, searcher.terms)
    speaker = unknown_speaker(question, evidence)
    absent = [speaker] if speaker else unknown_subject(question, evidence) or unknown_years(
        question, evidence)
    if absent:
        confidence = 0.0
    if not evidence.candidates or confidence < scorer.min_confidence:
        message = (abstention_message(infos[0].title, absent) if single
                   else library_abstention(len(infos), absent))
        return Answer(question=question, answered=False, quotes=[],
                      article=infos[0].id if single else "", message=message,
                      confidence=round(confidence, 3))
    labelled = labelled_paragraphs(question, evidence)
    if labelled:
        # "the vote on motion 2": from the paragraph "Motion 2: …", not motion 3's; in it, the
        # label's words tell no sentence from another ("The motion failed 3–4." is the vote,
        # not "Motion 2: Ravi Menon moved …"), so it is ranked by the rest of the question
        rest = LABEL_CUE.sub(" ", search_text)
        for found in ([searcher.retrieve(rest, query, infos)] if searcher.terms(rest) else []
                      ) + [evidence]:
            kept = [c for c in found.candidates if (c.state.key, c.sentence.paragraph) in labelled]
            if kept:
                found.candidates, evidence = kept, found
                probs = score(evidence, scorer, question)[0]
                break
    prob = {(c.state.key, c.index): float(p) for c, p in zip(evidence.candidates, probs)}
    ranked = sorted(evidence.candidates, key=lambda c: -c.score)
    spans: list[Span] = []
    more: list[Span] = []
    used: set[tuple] = set()
    notes: dict[tuple, bool] = {}

    def note(c) -> bool:
        where = (c.state.key, c.sentence.paragraph)
        if where not in notes:
            notes[where] = is_note(c.state.stored, c.sentence.paragraph)
        return notes[where]

    if ranked and note(ranked[0]) and not _about_the_authors(question, ranked[0].state):
        # A note about the authors comes first only for what the body does not say: "what
        # about the US?" after a question on Hong Kong was answered with where an author
        # studied ("… in the US") over the body's "the U.S. has been critical of …". A
        # sentence of the same article's body holding every question term the note holds goes
        # first; "Where is Jilin University?" still gets the note (no sentence of the body
        # names it). (The word of an initialism is left out: "US" is "us" and "acr_us",
        # "U.S." only "acr_us".)
        asked = set(evidence.query_terms)
        asked -= {t for t in asked if f"acr_{t}" in asked}
        wanted = asked & set(searcher.terms(ranked[0].sentence.text))
        body = next((c for c in ranked if c.state is ranked[0].state and not note(c)
                     and wanted <= set(searcher.terms(c.sentence.text))), None)
        if body is not None:
            ranked.remove(body)
            ranked.insert(0, body)

    rated = next((i for i, s in enumerate(ranked[0].state.stored.sentences)
                  if RATING.search(s.text)), None) if ranked and RATING_CUE.search(question) \
        else None
    if rated is not None:
        # "how many stars did it get?", "what rating did the x2 get?": the review's own
        # ("Verdict: 4 out of 5 stars."), which the words asked seldom share
        state = ranked[0].state
        span = Span(state, state.stored.sentences[rated].paragraph, rated, rated, ranked[0].score)
        prob[(state.key, rated)] = max(prob.get((state.key, rated), 0.0), prob[
            (state.key, ranked[0].index)])
        span = _grow(span, prob, scorer.grow_share)
        spans.append(span)
        used.update((state.key, i) for i in range(span.first, span.last + 1))
        confidence = max(confidence, HEDGE_BELOW)  # (found by its form, not its words)

    for c in ranked:
        key = (c.state.key, c.index)
        if key in used:
            continue
        if spans and note(c) and not note(ranked[0]):
            continue  # an author's biography is no further quote on what the article says
        p, index = prob[key], c.index
        if asks_at(c.state.stored, c.index) and not ASKING.search(question):
            # the article's own question, found because it words the reader's: its answer is
            # what follows it ("Q: Who pays for the nurseries?" / "Mostly a grant from …")
            index = reply(c.state, c.index)
            if index is None or (c.state.key, index) in used:
                continue
            prob[(c.state.key, index)] = max(prob.get((c.state.key, index), 0.0), p)
        span = Span(c.state, c.state.stored.sentences[index].paragraph, index, index, c.score)
        if not spans:
            span = _grow(span, prob, scorer.grow_share, why=WHY_CUE.search(question) is not None,
                         wanted=(evidence.query_terms, searcher.terms),
                         speech=asks_speech(question))
            span = _under_header(_measure_given(span, measured(question)), prob)
            if measured(question) is None and WHEN_ASKED.search(question):
                span = _measure_given(span, DATE_TIME, replace=False)
            if asks_speech(question):
                # "what did marcus dell say": "I asked … Marcus Dell, about the people who lose
                # service. He didn't dodge it. "We're not pretending …," he told me."
                span = _measure_given(span, QUOTED, replace=False)
                if not QUOTED.search(span.state.stored.article.paragraph(span.paragraph).text):
                    # ... else, its paragraph quoting no one, the likely paragraph of its
                    # article that quotes them ("what did the manager say": what he did)
                    span = _quoting(span, ranked, prob, p, scorer.grow_share,
                                    (evidence.query_terms, searcher.terms), speakers) or span
            wanted = asked_for(question)
            if wanted is not None:
                span = _given(span, ranked, prob, p, scorer.grow_share, wanted[0])
                if span is None:
                    message = (abstention_message(
                        infos[0].title, why=f"it gives no {wanted[1]} for that") if single
                        else library_abstention(
                            len(infos), why=f"none of them gives a {wanted[1]} for that"))
                    return Answer(question=question, answered=False, quotes=[],
                                  article=infos[0].id if single else "", message=message,
                                  confidence=0.0)
            spans.append(span)
        elif len(spans) < max_quotes and p >= scorer.further_prob and all(
                s.paragraph != span.paragraph or s.state is not span.state for s in spans) and (
                span.state is spans[0].state or p >= OTHER_ARTICLE_PROB):
            span = _under_header(_grow(span, prob, None, used), prob)
            spans.append(span)  # a further quote comes from another paragraph
        elif len(more) < MORE_QUOTES and p >= MORE_FLOOR:
            span = _under_header(_grow(span, prob, None, used), prob)
            more.append(span)
        else:
            continue
        used.update((span.state.key, i) for i in range(span.first, span.last + 1))
    quotes = [s.quote() for s in spans]
    return Answer(question=question, answered=True, quotes=quotes, article=quotes[0].article,
                  message=render_quotes(quotes, header=hedge(confidence, single, len(quotes))),
                  more=[s.quote() for s in more], confidence=round(confidence, 3))


def hedge(confidence: float, single: bool = True, quotes: int = 1) -> str:
    """What an answer says before its ``quotes`` when it is unsure (confidence under
    :data:`HEDGE_BELOW`): that they may not answer the question. Else nothing."""
    if confidence >= HEDGE_BELOW:
        return ""
    where = "the article says" if single else "the articles here say"
    return f"I'm not sure {where} that. The closest {'passage' if quotes == 1 else 'passages'}:"


# Words of a request that says what to show but not about what: "give me a quote", "show me
# something" (a paragraph it names is shown: "show paragraph 2")
COMMAND_WORDS = "show shows display print paste quote quotes give find get see read me"


# Words of questions about the article itself rather than its content (the commands too).
META_WORDS = (
    "wrote write writes written writer writers author authors byline piece ending end ends "
    "beginning start starts opening opens intro introduction conclude concludes conclusion "
    "concluding closing final finally last first main point points argument argue argues "
    "thesis overall summary summarize summarise gist central claim claims idea ideas message "
    "key part section say says said think thinks believe believes view views opinion stance "
    "position take trying getting sentence sentences line lines intro "
    "long big length count word words many source url link original full can "
    "find finds found findings results "
    f"paragraphs whats {COMMAND_WORDS}"
)


# ... and of questions about its authors or its title: "What is the author's name?", "What are
# the writers called?", "What is the article's title?", "What is it called?"
NAME_WORDS = "name names named called title titled headline"


def _word_terms(searcher: Searcher) -> tuple[set[str], set[str], set[str]]:
    """The search terms of META_WORDS, of META_WORDS with NAME_WORDS, and of COMMAND_WORDS,
    made once per searcher (not on every question)."""
    cached = getattr(searcher, "_word_terms", None)
    if cached is None:
        cached = (set(searcher.terms(META_WORDS)),
                  set(searcher.terms(f"{META_WORDS} {NAME_WORDS}")),
                  set(searcher.terms(COMMAND_WORDS)))
        searcher._word_terms = cached
    return cached


def meta_terms(searcher: Searcher) -> set[str]:
    """The search terms of questions about the article itself (:data:`META_WORDS`)."""
    return _word_terms(searcher)[0]


def _meta_terms(searcher: Searcher, question: str = "") -> set[str]:
    meta, with_names, _ = _word_terms(searcher)
    return with_names if AUTHOR_CUE.search(question) or TITLE_CUE.search(question) else meta


AUTHOR_CUE = re.compile(r"\b(?:who wrote|authors?|written by|writers?|byline|"
                        r"(?:columnist|interviewer|reporter|journalist|reviewer)s?)\b", re.I)
# ... asking who they are ("Who wrote it?", "the author's name"), not what they say
WHO_CUE = re.compile(r"\b(?:who|whom|name[sd]?|byline)\b", re.I)
# The article's title or name asked for: "title", "headline", or a name that is the article's
# ("what is it called?", "the name of the article", "its name"); not "Who is named?" or "What
# names are mentioned?", which ask for names in the text.
# What a reader may call the article itself: "Who wrote the interview?", "What is the column
# called?". Such a word that the searched articles use names what they are about instead ("Who
# wrote the report?" of an article about a report): see :func:`answer`.
SELF_NOUNS = frozenset("""article piece text story essay post paper column editorial interview
                          guide report review feature blog transcript newsletter recipe tutorial
                          speech letter profile obituary announcement""".split())
# ... and its writer ("Who is the columnist?"), on the same condition
WRITER_NOUNS = frozenset(f"{word}{end}" for word in ("columnist", "interviewer", "reporter",
                                                     "journalist", "reviewer")
                         for end in ("", "s"))
SELF_OR_WRITER = SELF_NOUNS | WRITER_NOUNS  # words for the article or its writer
_ITSELF = rf"(?:it|this|{'|'.join(sorted(SELF_NOUNS))})"
TITLE_CUE = re.compile(
    r"\b(?:title[ds]?|headline)\b"
    rf"|\b{_ITSELF}\s+(?:is\s+|was\s+)?(?:called|named)\b"
    rf"|\bname\s+of\s+(?:the|this)\s+{_ITSELF}\b"
    rf"|\b(?:{_ITSELF}|its)(?:['’]s)?\s+name\b", re.I)
MAIN_CUE = re.compile(r"\b(?:main|central|key|overall)\b|\b(?:thesis|argues?|argument)\b"
                      # "what did they find?", "what were the findings?" (a study's story)
                      r"|\b(?:find|finds|found|findings|results)\b", re.I)

# A request for a summary in words ("summarize the article", "tl;dr", "what's it about?",
# "summary of paragraphs 2-4"): answered with the summary, as ``/summary`` would.
SUMMARY_CUE = re.compile(
    r"\b(?:summar(?:y|ies|i[sz]e[sd]?|i[sz]ing)|sum(?:ming)?\s+(?:it\s+|this\s+|that\s+)?up|"
    r"recap|overview|tl\s*;?\s*dr|gist|(?:main|key)\s+(?:points|ideas|takeaways)|takeaways|"
    r"highlights)\b|\bwhat(?:'s|’s|s|\s+is)\s+(?:(?:this|the)\s+(?P<about>(?:[\w’'-]+\s+){0,3}?"
    r"(?:article|piece|text|story|essay|post|paper|report|review|interview|column|editorial|"
    r"guide|profile|recipe|tutorial|newsletter|transcript|biography|obituary|video|episode|"
    r"podcast|list|recap|thread|speech|letter|lecture|study|chapter|document|page|blog|"
    r"release|announcement|statement|postmortem|email|e-mail|itinerary|policy))|it|this)\s+"
    r"(?:all\s+)?about\b"
    r"|\b(?:quotes|passages|highlights|excerpts)\s+from\s+(?:the|this|that)\s+(?:article|text|"
    r"piece)\b"
    r"|(?P<say>\bwhat\s+does\s+(?:(?:this|the)\s+(?P<named>(?:[\w’'-]+\s+){0,3}?)(?:article|"
    r"piece|text|story|essay|post|paper)|it|this)\s+say\b)"
    # "what happened?" alone, of a news story or an incident's report: its gist
    r"|^\W*(?P<happened>(?:so\s+)?what\s+happened)\W*$", re.I)
# ... asked for short: "tl;dr", "a quick summary", "sum it up briefly": the few quotes that
# cover most (:data:`bot.summarize.BRIEF_QUOTES`), not a message of them
BRIEF_CUE = re.compile(r"^\W*(?:so\s+)?what\s+happened\W*$|"
                       r"\btl\s*;?\s*dr\b|\b(?:quick|short|brief|tiny|little)\s+(?:summary|recap|"
                       r"overview)\b|\bbriefly\b|\bin\s+(?:a\s+nutshell|short|brief|a\s+few\s+"
                       r"(?:lines|sentences))\b", re.I)
_NUMBER = rf"(?:\d+|{'|'.join(_NUMBERS)})\b"  # "4", "four"
_ITEM = rf"(?:¶\s*)?{_NUMBER}(?:\s*(?:-|–|—|to|through)\s*(?:¶\s*)?{_NUMBER})?"
SUMMARY_RANGE = re.compile(rf"(?:\bparagraphs?|\bparas?\b\.?|¶)\s*"
                           rf"({_ITEM}(?:\s*(?:,|&|\band\b)\s*{_ITEM})*)", re.I)
# What else such a request may say: anything beyond these words is a subject to search for
# ("summarize what Putin said about Hong Kong" is a question, answered with quotes).
SUMMARY_FILLER = frozenset("""
    please pls plz can could would will you me us i we give show send tell write make do get
    want need like a an the this that it its of for on about article articles piece text story
    essay post whole entire quick short brief little tiny up what whats is are s hey hi ok
    okay so just again thanks thank in few some lines sentences all there here bot quotebot one
    u ur ya thx ty briefly nutshell
""".split())


def summary_subject(question: str) -> tuple[str, list[str]] | None:
    """``None`` unless ``question`` asks for a summary; then the paragraph range it names
    (``"3"``, ``"2-4"``, or ``""`` for the whole article) and its other words, which may name
    the article ("summary of the Normans article") or make it a question."""
    cue = SUMMARY_CUE.search(question)
    if cue is None:
        return None

    def words_of(text: str) -> list[str]:
        return [w for w in re.findall(r"[^\W\d_]+", SUMMARY_RANGE.sub(" ", text).lower())
                if w not in SUMMARY_FILLER]

    if cue.group("say") and words_of(question[:cue.start()] + " " + question[cue.end():]):
        return None  # "what does the article say about the oven?" asks about the oven
    # (what names an article stays: "what does the Normans article say?", "what's the match
    # report about?")
    words = words_of(SUMMARY_CUE.sub(
        lambda m: f" {m.group('named') or m.group('about') or ''} ", question))
    found = SUMMARY_RANGE.search(question)
    return ("" if found is None else as_range(found.group(1))), words


def as_range(text: str) -> str:
    """Paragraphs named in words as a range is written: "two to four" and "¶2–¶4" as "2-4",
    "paragraphs 3 and 5" as "3 and 5"."""
    text = re.sub(r"^\s*(?:paragraphs?|paras?\b\.?)\s*", "", text, flags=re.I)
    digits = re.sub(r"[^\W\d_]+", lambda m: str(_NUMBERS.get(m.group().lower(), m.group())),
                    text)
    return re.sub(r"\s*(?:through|to|–|—|-)\s*", "-", digits.replace("¶", "")).strip()


def summary_request(question: str) -> str | None:
    """``None`` unless ``question`` asks for a summary and nothing else; then the paragraph
    range it names (``"3"``, ``"2-4"``) or ``""`` for the whole article."""
    found = summary_subject(question)
    return found[0] if found is not None and not found[1] else None


# ... and the words for kinds of article ("Who wrote the office column?", "the bike review")
ARTICLE_KINDS = ("column review interview report editorial minutes guide profile faq recipe "
                 "tutorial newsletter transcript biography obituary podcast episode").split()
# ... and more kinds of what people paste, that name the article a summary is asked of
# ("summarise the job posting"; asked in a question, "who signed the letter?", "what date was
# the briefing?", such a word is searched: the text says "letter", "briefing")
SUMMARY_KINDS = frozenset(ARTICLE_KINDS) | frozenset(
    "posting ad advert listing leaflet letter blog lecture programme program agreement "
    "contract briefing manual syllabus thread brochure memo speech study paper case ruling "
    "judgment judgement decision policy handbook changelog notes explainer ama video recap list "
    "postmortem announcement statement readme email itinerary page webpage site".split())
# ... and for their writers ("Who is the reviewer?": the review's author)
WRITER_KINDS = {"columnist": "column", "interviewer": "interview", "reviewer": "review"}
ARTICLE_WORD = re.compile(rf"\b(?:article|piece|text|story|essay|post|paper|"
                          rf"{'|'.join(ARTICLE_KINDS)}|(?:{'|'.join(WRITER_KINDS)})s?)\b", re.I)


def article_subject(question: str) -> list[str] | None:
    """The words naming the article in a question about an article it names rather than about
    its content ("Who wrote the coffee article?", "What is the title of the oil crisis
    article?", "What does paragraph 4 of the Normans article say?": ``["coffee"]``, ``["oil",
    "crisis"]``, ``["normans"]``), or ``None`` for any other question."""
    if not ARTICLE_WORD.search(question) or not any(
            cue.search(question) for cue in (AUTHOR_CUE, TITLE_CUE, PARAGRAPH_CUE, END_CUE,
                                             START_CUE)):
        return None
    ignored = (SUMMARY_FILLER | set(META_WORDS.split()) | set(NAME_WORDS.split())
               | {"who", "by", "whom", "does", "did", "paragraph", "paragraphs", "at", "from"}
               | set(ARTICLE_KINDS) | WRITER_NOUNS)
    found = re.findall(r"[^\W\d_]+", PARAGRAPH_CUE.sub(" ", question).lower())
    words = [w for w in found if w not in ignored]  # ("para 4", "paragraph three": no article)
    # "Who wrote the review?", "Who is the reviewer?": the article whose title says it is
    # one (see :func:`titled`)
    kinds = [WRITER_KINDS.get(w.removesuffix("s"), w) for w in found
             if w in ARTICLE_KINDS or w.removesuffix("s") in WRITER_KINDS]
    return words or kinds[:1] or None


# "the article about bees", "this piece on Hong Kong", "the bees article": an article named by
# its subject, not its title ("article" and "piece" only: "the paper on packet switching", "the
# text of the treaty" and "the story of the fox" are as often what an article is about as the
# article itself)
BY_SUBJECT = re.compile(r"\b(?:the|this|that)\s+(?:(?:article|piece)\s+(?:about|on|regarding)\s"
                        r"|(?:[\w’'.-]+\s+){1,4}?(?:article|piece)\b)", re.I)


def titled(words: list[str], infos: list[ArticleInfo]) -> ArticleInfo | None:
    """The one article among ``infos`` whose title (or id) holds every word of ``words``
    (a plural as its singular: "the bike lane article" is *New Bike Lanes*)."""
    def singular(word: str) -> str:
        return word[:-1] if len(word) > 3 and word.endswith("s") else word

    def vocabulary(info) -> set[str]:
        return set(map(singular, re.findall(r"[^\W_]+", f"{info.title} {info.id}".lower())))

    wanted = set(map(singular, words))
    matches = [info for info in infos if wanted <= vocabulary(info)]
    if not matches and wanted - set(ARTICLE_KINDS):
        # "the shakshuka recipe" of *Weeknight Shakshuka for Four*: its kind need not be in
        # its title
        wanted -= set(ARTICLE_KINDS)
        matches = [info for info in infos if wanted <= vocabulary(info)]
    return matches[0] if len(matches) == 1 else None


# "the bike lane article", "in the Normans piece", "the oil crisis story's": an article named in
# a question about its content.
NAMED_ARTICLE = re.compile(r"\b(?:(?:in|from|of|by)\s+)?(?:the|this|that)\s+"
                           r"(?P<name>(?:[\w’'.-]+\s+){1,4}?)(?:article|piece|story|essay)\b"
                           r"(?:['’]s)?", re.I)


def named_article(question: str, infos: list[ArticleInfo], by_subject=None
                  ) -> tuple[ArticleInfo, str] | None:
    """The article among ``infos`` that ``question`` names by words of its title ("What does
    the bike lane article say about parking?"), and the question with "the article" in their
    place (else they are searched for, and find the sentences about bike lanes); else None.
    ``by_subject``: words -> the article they are the subject of, or None, for an article
    named by what it is about ("show paragraph 4 of the football article")."""
    for match in NAMED_ARTICLE.finditer(question):
        words = [w for w in re.findall(r"[^\W\d_]+", match.group("name").lower())
                 if w not in SUMMARY_FILLER]
        found = titled(words, infos) if words else None
        if found is None and words and by_subject is not None:
            found = by_subject(words)
        if found is not None:
            return found, question[:match.start("name")] + question[match.end("name"):]
    return None


# "what does the faq say about refunds?", "in the cake recipe": an article named by its kind
# (with words of its title or subject, or none)
KIND_NAMED = re.compile(rf"\b(?:(?:in|from|of|by)\s+)?(?:the|this|that)\s+"
                        rf"(?P<name>(?:[\w’'.-]+\s+){{0,3}}?)(?P<kind>{'|'.join(ARTICLE_KINDS)})"
                        rf"\b(?:['’]s)?", re.I)


def named_by_kind(question: str, infos: list[ArticleInfo], known, terms, by_subject
                  ) -> tuple[ArticleInfo | None, str] | None:
    """The article among ``infos`` that ``question`` names by its kind ("what does the faq say
    about refunds?" of a help centre's page, "the podcast", "the cake recipe"), and the
    question with "the article" in their place. By its title's words, else (when the articles'
    texts never use the kind's word: ``known``, their terms, ``terms`` the tokenizer) by what
    it is about (``by_subject``: words -> article or None), else none (the article is None):
    the rest of the question is searched in every article. It was searched for the word,
    which no article uses, and refused ("none of them mentions the faq"). None when the
    question names no article so."""
    for match in KIND_NAMED.finditer(question):
        kind = match.group("kind").lower()
        words = [w for w in re.findall(r"[^\W\d_]+", match.group("name").lower())
                 if w not in SUMMARY_FILLER]
        found = titled([*words, kind], infos)
        unknown = not set(terms(kind)) <= known
        if found is None and unknown:
            found = by_subject(words or [kind])
        if found is not None or unknown and not words:
            return found, f"{question[:match.start()]} the article {question[match.end():]}"
    return None


def _name_words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def author_named(question: str, infos: list[ArticleInfo]) -> tuple[ArticleInfo, str] | None:
    """The one article among ``infos`` whose byline names the person ``question`` asks to
    quote ("what does marcus lindqvist argue?", "What did Lindqvist say about offices?" of a
    column by Marcus Lindqvist), and the question with "the author" in the name's place: the
    author's views are the article's body, though the body never names them (it was declined:
    "It never mentions marcus lindqvist"); else None."""
    names = [next(g for g in m.groups() if g) for m in SPEAKER.finditer(question)]
    names += [m.group(1) for m in SPEAKER_TYPED.finditer(question)]
    for name in _named(names):
        words = _name_words(name)
        found = [i for i in infos if words and i.authors and words <= _name_words(i.authors)]
        if len(found) == 1:
            return found[0], question.replace(name, "the author", 1)
    return None


# "How long is the article?", "how many paragraphs are there?", "word count"
_ITS = (r"(?:it|this|(?:the|this) (?:[\w’'-]+ ){0,3}?(?:article|piece|text|story|essay|post|"
        r"paper))")  # ("the Huguenot article" too)
LENGTH_CUE = re.compile(rf"\bhow (?:long|big) (?:is|was) {_ITS}\b|\bhow many (?:paragraphs|"
                        rf"words|sentences)\b|\b(?:word|paragraph) count\b|\blength of {_ITS}\b",
                        re.I)
# "What's the source?", "link?", "where can I read the full article?"
SOURCE_CUE = re.compile(rf"\b(?:source|url|link|original)\b|\bwhere (?:can|could|do) (?:i|we) "
                        rf"(?:read|find|see|get)\b|\bwhere (?:is|was) {_ITS} (?:from|published)\b",
                        re.I)


def _length_and_source(question: str, stored: StoredArticle) -> str:
    """How long the article is, or where it comes from, when that is asked; else ""."""
    info, title = stored.info, f"*{stored.info.title}*"
    if LENGTH_CUE.search(question):
        words = sum(len(p.text.split()) for p in stored.article.paragraphs)
        return f"{title} has {info.length}, {words:,} words."
    if not SOURCE_CUE.search(question):
        return ""
    if is_url(info.source):
        return f"{title} comes from <{info.source}>."  # <…>: no preview
    if info.source and info.source != "upload":  # never a path of the bot's machine
        return f"{title} was added from a file, “{PurePath(info.source).name}”, not a link."
    return f"I don't know where {title} comes from: it was added without a link."


# "How many times is Russia mentioned?", "how often does the article mention the US?", "how
# many times does the word 'hegemony' appear?": counted, not searched.
COUNT_CUE = re.compile(
    r"how\s+(?:many\s+times|often)\s+(?:is|are|was|were|does|do|did)\s+"
    r"(?:(?:the|this)\s+(?:article|text|piece|author|authors)\s+|it\s+|they\s+)?"
    r"(?:(?:mention|use|say|name|cite)s?\s+)?(?:the\s+(?:word|name|term|phrase)\s+)?"
    r"(?P<what>.*?\w.*?)\s*(?:(?:get|gets|being)\s+)?(?:mentioned|named|used|said|cited|"
    r"referred\s+to|come\s+up|comes\s+up|appear|appears|show\s+up|occur|occurs)?"
    r"(?:\s+in\s+(?:it|(?:the|this)\s+(?:article|text|piece)))?[\s?.!]*", re.I)
_INITIALISM = re.compile(r"(?:[A-Z]\.?){2,6}")
LISTED_PLACES = 40  # paragraphs named in a count at most
# ... only when it asks about mentions, not how often something happens ("how often is Brakk
# picked?", "how many times did Putin visit China?" were counted: "never mentions “brakk
# picked”")
MENTION_WORD = re.compile(r"\b(?:mention|mentions|mentioned|use|uses|used|say|says|said|name|"
                          r"names|named|cite|cites|cited|referred|come|comes|appear|appears|"
                          r"show|occur|occurs|word|term|phrase)\b", re.I)


def counted(question: str) -> str | None:
    """What a question asks to count the mentions of (:data:`COUNT_CUE`), else None."""
    found = COUNT_CUE.fullmatch(question.strip())
    if found is None or not MENTION_WORD.search(question[:found.start("what")]
                                                + question[found.end("what"):]):
        return None
    # (words only: the reply echoes it, and must not carry a link or markup a member typed)
    what = re.sub(r"[^\w\s.'’&-]+", " ", found.group("what"))
    what = " ".join(what.split()).strip(" .'’-")
    if re.fullmatch(r"(?:the\s+)?(?:[A-Z]\.)+[A-Z]", what, re.I):
        what += "."  # "U.S." (the question's last dot was taken for its end)
    if re.match(r"the\s", what, re.I) and _INITIALISM.fullmatch(what[4:].strip()):
        what = what[4:].strip()  # "the US"
    return what or None


def _places(what: str, stored: StoredArticle, terms) -> list[tuple[int, int]]:
    """``(paragraph, times)`` where ``stored``'s article mentions ``what``, counted on the
    search terms (``terms``: the search tokenizer), so that "Russia's" is Russia and "U.S.",
    "US" and "United States" are all the US (an initialism is counted as one)."""
    wanted = terms(what)
    initial = [t for t in wanted if t.startswith("acr_")] if _INITIALISM.fullmatch(what) else []
    pattern = initial[:1] or [t for t in wanted if not t.startswith("acr_")]
    places = []
    for paragraph in stored.article.paragraphs:
        have = terms(paragraph.text)
        n = sum(have[k:k + len(pattern)] == pattern for k in range(len(have))) if pattern else 0
        if n:
            places.append((paragraph.number, n))
    return places


def _times(total: int) -> str:
    return "once" if total == 1 else f"{total} times"


def mentions(question: str, what: str, articles: list[StoredArticle], terms) -> Answer:
    """How many times ``what`` is mentioned, and where: in which paragraphs of one article, or
    in which articles of several (the most first, at most ``LISTED_TITLES`` named)."""
    found = [(stored, places) for stored in articles
             if (places := _places(what, stored, terms))]
    if not found:
        where = (f"*{articles[0].info.title}* never mentions" if len(articles) == 1
                 else f"None of the {len(articles)} articles here mentions")
        return Answer(question=question, answered=False, quotes=[],
                      article=articles[0].info.id if len(articles) == 1 else "",
                      message=f"{where} “{what}”.", confidence=0.0)
    if len(articles) == 1:
        (stored, places), = found
        shown = [f"¶{p}" + (f" ({n}×)" if n > 1 else "") for p, n in places]
        if len(shown) > LISTED_PLACES:  # one message, whatever the article's length
            shown = [*shown[:LISTED_PLACES], f"{len(shown) - LISTED_PLACES} more paragraphs"]
        where = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
        total = sum(n for _, n in places)
        return Answer(question=question, answered=True, quotes=[], article=stored.info.id,
                      message=f"*{stored.info.title}* mentions “{what}” {_times(total)}: "
                              f"{where}.", confidence=1.0)
    found.sort(key=lambda item: -sum(n for _, n in item[1]))
    lines = [f"- *{shorten(stored.info.title, 80)}*: {_times(sum(n for _, n in places))}, in "
             f"{len(places)} paragraph" + ("" if len(places) == 1 else "s")
             for stored, places in found[:LISTED_TITLES]]
    if len(found) > LISTED_TITLES:
        lines.append(f"…and {len(found) - LISTED_TITLES} more articles.")
    total = sum(n for _, places in found for _, n in places)
    return Answer(question=question, answered=True, quotes=[], article="",
                  message=f"“{what}” comes up {_times(total)} in {len(found)} of the "
                          f"{len(articles)} articles here:\n" + "\n".join(lines),
                  confidence=1.0)


# "show paragraph 2", "read me the intro", "paste ¶4": the paragraph itself, not the sentence
# that sums it up ("what does paragraph 2 say?"), as /paragraph shows it, when it fits one
# message with its citation (else its central sentence)
SHOW_CUE = re.compile(r"\b(?:show|display|print|paste|quote|give|read|see)\b", re.I)
# ... and a message that is a paragraph's number alone: "¶5", "paragraph 5?", "para 5"
BARE_PARAGRAPH = re.compile(r"\s*(?:¶\s*|(?:paragraph|para)\.?\s*(?:no\.?\s*)?)"
                            rf"{_NUMBER}\s*[?.!]*\s*", re.I)
WHOLE_PARAGRAPH = DISCORD_LIMIT - 200


def about_the_article(question: str, stored: StoredArticle) -> Answer | None:
    """Questions about the article itself rather than its content: who wrote it (the author
    notes), what it is called (its title), how long it is and where it comes from, or what a
    part of it says ("the conclusion", "the opening paragraph", "paragraph 4": its central
    sentence). None when the question is none of these."""
    article = stored.article
    numbers: list[int] = []
    header = _length_and_source(question, stored)
    if header:
        return Answer(question=question, answered=True, quotes=[], article=stored.info.id,
                      message=header, confidence=1.0)
    # "What did the author conclude?" asks what they say (AUTHOR_VIEW), not who they are.
    view = AUTHOR_VIEW.search(question) is not None
    if AUTHOR_CUE.search(question) and not view:
        numbers = [n for n in range(1, len(article.paragraphs) + 1) if is_note(stored, n)]
        if stored.info.authors:
            header = f"*{stored.info.title}* is by {stored.info.authors.rstrip('*')}."
        elif not numbers and WHO_CUE.search(question):  # not a quote about some other writer
            return Answer(question=question, answered=False, quotes=[], article=stored.info.id,
                          message=f"*{stored.info.title}* does not say who wrote it: it has no "
                                  f"byline or note about its authors.", confidence=0.0)
    elif TITLE_CUE.search(question) and not position_bonus(question, stored):
        by = f", by {stored.info.authors}" if stored.info.authors else ""
        header = f"The article is *{stored.info.title}*{by}."
    else:
        numbers = sorted(position_bonus(question, stored))[:1]
        asked = named_paragraphs(question)
        if asked and not any(1 <= n <= len(article.paragraphs) for n in asked):
            return Answer(question=question, answered=False, quotes=[], article=stored.info.id,
                          message=f"*{stored.info.title}* has paragraphs 1 to "
                                  f"{len(article.paragraphs)}; there is no ¶{asked[0]}.",
                          confidence=0.0)
    numbers = [n for n in numbers if 1 <= n <= len(article.paragraphs)]
    quotes = []
    if not numbers and not header:
        if not MAIN_CUE.search(question) and not view:
            return None
        i = _thesis(stored)
        quotes.append(_quote(stored, i, 1.0))
    shown = SHOW_CUE.search(question) is not None or BARE_PARAGRAPH.fullmatch(question)
    for number in numbers:
        if shown:  # "show paragraph 2": all of it
            quote = _paragraph_quote(stored, number)
        else:
            found = _central_sentence(stored, number, MAX_QUOTE_CHARS)
            quote = _quote(stored, *found) if found else None
        if quote is not None:
            quotes.append(quote)
    return Answer(question=question, answered=bool(quotes) or bool(header), quotes=quotes,
                  article=stored.info.id, message=render_quotes(quotes, header=header),
                  confidence=1.0 if quotes or header else 0.0)


SECTION_HEADER = "From “{heading}” in *{title}*:"


def is_section(answer: Answer) -> bool:
    """Whether ``answer`` quotes a section asked for by its heading (:func:`asked_section`)."""
    return answer.answered and answer.message.startswith(SECTION_HEADER.partition("{")[0])
_DIGITS = re.compile(r"\b\d+(?:\.\d+)*\b")  # whole: "section 4" is not "7.4 Replacing the lamp"


def _section_words(searcher: Searcher, info) -> list[tuple[str, frozenset[str]]]:
    """``info``'s headings with their search terms and numbers (a heading under another, with
    the outer one's too), made once per article version and searcher (a library's questions
    look at every article's headings)."""
    return [(heading, words) for heading, words, _ in _sections(searcher, info)[1]]


def _sections(searcher: Searcher, info) -> tuple[frozenset[str], list]:
    """``info``'s title terms and :func:`_section_words`, each heading's with the words of its
    own (innermost) part beside them, made once per article version and searcher; nothing for
    an article without headings."""
    if not info.sections:
        return frozenset(), []
    cache = getattr(searcher, "_section_words", None)
    if cache is None or len(cache) > 10_000:
        cache = searcher._section_words = {}
    key = (info.id, info.version)
    if key not in cache:
        def words(text: str) -> frozenset[str]:
            return frozenset(searcher.terms(text)) | frozenset(_DIGITS.findall(text))

        cache[key] = (frozenset(searcher.terms(info.title)),
                      [(h, words(h), words(h.rpartition(SECTION_PATH)[2]))
                       for h in info.sections])
    return cache[key]


# What a "how …?" question measures: "how long", "how far", "how much"
HOW_KIND = re.compile(r"\bhow\s+(long|far|much|many|often|old|big|fast|heavy|tall|soon|late|"
                      r"early|wide|deep|high)\b", re.I)


# A review's rating asked for ("what rating did it get?", "how many stars?"), and given
# ("Verdict: 4 out of 5 stars.", "Four stars.", "★★★★☆", "8/10")
RATING_CUE = re.compile(r"\b(?:rating|rated|stars|verdict)\b|\bscore (?:did|does) (?:it|the "
                        r"[\w-]+(?: [\w-]+)?) (?:get|receive)\b|\bout of (?:5|five|10|ten)\b",
                        re.I)
RATING = re.compile(r"\b\d+(?:\.\d)?\s?(?:/|out of )\s?(?:5|10|100|five|ten)\b|[★☆]{3,}|"
                    r"\b(?:one|two|three|four|five|\d(?:\.5)?)[ -]stars?\b", re.I)
MODALS = "should would could can may might must shall will"
WHO_WORD = re.compile(r"\bwho(?:m|se)?\b", re.I)
# A question for one fact ("when is the first game?", "which roads are closed?", "how much
# is the rent?"), not for what a section says: a heading that shares its one searched word
# ("The running game", "Room 4: The Silk Road by Sea", "2. RENT") is no answer to it unless
# the section gives what it asks (a date, a number, a price: :func:`_fact_given`), or the
# heading asks the same ("When to visit", "How much does it cost?")
FACT_ASKED = re.compile(r"\b(?:when|where|which|whose|whom|who|how\s+(?:much|many|long|far|old|"
                        r"often|big|soon|tall|fast|heavy)|what\s+(?:time|date|day|year|month|"
                        r"kind|type|sort))\b", re.I)
COUNT_ASKED = re.compile(r"\bhow many\b", re.I)
LONE_WORD_EXTRAS = 3  # a heading with this many words more than the one asked is no section
COUNTED = re.compile(rf"\d|\b(?:{'|'.join(_NUMBERS)}|dozen|hundreds?|thousands?|millions?)\b",
                     re.I)


def _fact_asked(question: str) -> re.Pattern | None:
    """How a text gives the fact ``question`` asks for: a measure (:func:`measured`), a date
    or time (:data:`WHEN_ASKED`), a number (:data:`COUNT_ASKED`); None for any other."""
    return measured(question) or (DATE_TIME if WHEN_ASKED.search(question) else None) or (
        COUNTED if COUNT_ASKED.search(question) else None)


def asked_section(question: str, evidence: Evidence, searcher: Searcher, first, others,
                  max_quotes: int) -> Answer | None:
    """The section that ``question`` asks for by its heading ("What are the ingredients?" of a
    recipe with an "Ingredients" heading, "show me step 3" of "Step 3: Test the soil"): every
    word it searches for (and every number it names) is in that heading; the most specific
    heading when several hold them. Looked for in the articles ``first`` (the one asked, or
    the conversation's), then in ``others`` (a library's), where it must be one article's
    alone. Its paragraphs are quoted whole when they fit (else their central sentence), as
    many as ``max_quotes`` and one message allow. None when no such heading is found."""
    meta, _, command = _word_terms(searcher)
    # (a word of a request too: "list the dates" of a newsletter's "Dates for Your Diary")
    wanted = set(evidence.query_terms) - meta - command - set(searcher.terms(LIST_WORDS))
    # ... or, with none but words of a request, those: "display" of a review's "Display"
    # section (it got "What would you like to know…?")
    wanted = wanted or set(evidence.query_terms)
    # (nor a modal verb: "where should i stay" of a guide's "Where to stay")
    wanted = (wanted - set(searcher.terms(MODALS))) or wanted
    wanted |= set(_DIGITS.findall(question))
    if not wanted:
        return None
    how = {m.lower() for m in HOW_KIND.findall(question)}
    # (nor is what someone said or thought: "what did lukas think of the gesha" is no request
    # for the section '1. Gesha Village "Oma" Lot 21')
    fact = FACT_ASKED.search(question) is not None or asks_speech(question)
    given = _fact_asked(question)
    asked = {m.lower().split()[0] for m in FACT_ASKED.findall(question)}
    # "what was item 7", "agenda item 9": the heading numbered so ("7. ALLOTMENTS: WATER
    # SUPPLY" of council minutes), which need not say "item" ("item 7" was searched, and
    # quoted "… declared an interest in item 7")
    item = ITEM_CUE.search(question)
    number = item and (item.group(1) or item.group(2))
    opens = re.compile(rf"\W*(?:[^\W\d]+\s+)?{number}(?!\d|\.\d)") if number else None
    items = set(searcher.terms(f"{ITEM_NOUNS.replace('|', ' ')} agenda")) if number else set()
    found = None
    for infos in (first, others):
        # article id -> ((title's words lent, extra words), heading)
        best: dict[str, tuple[tuple[bool, int], str]] = {}
        for info in infos:
            title, headings = _sections(searcher, info)
            for heading, words, own in headings:
                inner = heading.rpartition(SECTION_PATH)[2]
                if opens is not None and opens.match(inner):
                    words = words | items
                # (the article's name is none of its headings' words: "where to stay in porto"
                # of *A Long Weekend in Porto*; but a heading that names what was asked comes
                # first: "the nothing ear's cons" of a review titled by the three it compares
                # is "Nothing Ear (a) › Cons", not the first product's)
                lent = bool(wanted - title) and not wanted <= words and wanted - title <= words
                if lent:
                    words = words | (wanted & title)
                # (a section's number is no word it adds, nor a capitals word's initialism form:
                # "4. POSSIBLE SIDE EFFECTS" is as near "what are the side effects?" as
                # "Reporting of side effects", and comes first; nor are the words of the
                # headings it is under: "Speakers" under "Programme" is what "who are the
                # speakers?" asks for)
                extras = {w for w in own - wanted if not w.isdigit() and
                          not w.startswith("acr_")}
                extra = len(extras)
                # "How long does charging take?" is no question for the section "How far does
                # it go on one charge?": it asks another measure of the one word they share
                other = {m.lower() for m in HOW_KIND.findall(inner)}
                if how and other and not how & other:
                    continue
                # "who is the mayor?" asks for a person, not the section "6. MAYOR'S REPORT",
                # "which roads are closed?" for roads, not "Room 4: The Silk Road by Sea" (a
                # heading that is the words asked, "Speakers", or asks so, "Who's who", is one)
                # (and asks what the question asks: "Where the money goes" is no section for
                # "who did he go with?")
                if fact and extras and not asked & {m.lower().split()[0]
                                                    for m in FACT_ASKED.findall(inner)}:
                    continue
                # ... nor is a long heading that shares the one word asked ("what was he
                # driving?" of an itinerary's "Day 4: Drive to the Douro Valley")
                if len(wanted) == 1 and extra >= LONE_WORD_EXTRAS and not (
                        wanted & set(_DIGITS.findall(question))) and opens is None:
                    continue
                if wanted <= words and (info.id not in best or (lent, extra) < best[info.id][0]):
                    best[info.id] = ((lent, extra), heading)
        if best:
            least = min(rank for rank, _ in best.values())
            ids = [i for i, (rank, _) in best.items() if rank == least]
            if len(ids) == 1:  # else it is not clear which article's section is meant
                found = next(i for i in infos if i.id == ids[0]), best[ids[0]][1]
            break
    if found is None:
        return None
    info, heading = found
    stored = searcher.state(info).stored
    article = stored.article
    if heading not in article.headings:
        return None
    numbers = [article.headings.index(heading) + 1]
    under = [n for n in range(numbers[0], len(article.headings) + 1)
             if article.heading(n) == heading]
    inner = heading.rpartition(SECTION_PATH)[2]
    if given is not None and not FACT_ASKED.search(inner) and not any(
            given.search(article.paragraph(n).text) for n in under):
        return None  # "when is the first game?" of "The running game", which names no date
    while len(numbers) < max_quotes and article.heading(numbers[-1] + 1) == heading:
        numbers.append(numbers[-1] + 1)
    quotes = [q for q in (_paragraph_quote(stored, n) for n in numbers) if q is not None]
    header = SECTION_HEADER.format(heading=heading, title=shorten(stored.info.title, 80))
    message = render_quotes(quotes, header=header)
    quotes = [q for q in quotes if format_quote(q) in message]  # those that fit
    return Answer(question=question, answered=bool(quotes), quotes=quotes,
                  article=stored.info.id, message=message, confidence=1.0 if quotes else 0.0)


# "What is step 2?", "the third step", "rule #4", "tip 3": an item of a numbered list, by its
# number. The word for an item ("step", "rule") is seldom in the list itself ("2. Sift in the
# flour…"), so the question was searched for a subject the article lacks and declined.
# (Words for the items of a list, not for what prose numbers: "phase 2" of a trial, "stage 3"
# of a disease are subjects, searched as usual.)
ITEM_NOUNS = (r"step|point|item|rule|tip|instruction|principle|lesson|reason|recommendation|"
              r"guideline|takeaway|habit|way|thing|sign|mistake|trick|idea|strategy|question|"
              r"fact|myth|law")
ITEM_CUE = re.compile(
    rf"\b(?:{ITEM_NOUNS})s?\s*(?:no\.\s*|number\s+|#\s*)?(\d{{1,3}})\b(?!\s*[.,]?\d)"
    rf"|\b(\d{{1,3}})(?:st|nd|rd|th)\s+(?:{ITEM_NOUNS})\b"
    rf"|\b(first|last|final|{'|'.join(_ORDINALS)})\s+(?:{ITEM_NOUNS})\b", re.I)
# "What is rule 4b?", "4(b)", "step 2.a": a lettered sub-item of an item
SUB_ITEM_CUE = re.compile(
    rf"\b(?:(?:{ITEM_NOUNS})s?\s*(?:no\.\s*|number\s+|#\s*)?)?(\d{{1,3}})"
    rf"(?:\s?\(([a-z])\)|\.?([a-z]))(?![\w(])", re.I)
# "What are the seven habits?", "list the steps", "show me all the tips": the whole list
LIST_CUE = re.compile(rf"\b(?:{ITEM_NOUNS})s\b", re.I)
LIST_WORDS = " ".join(_NUMBERS) + " all every list main key numbered"  # besides the items'
ITEM_HEADER = "Item {number} of the numbered list in *{title}*:"
LIST_HEADER = "The numbered list in *{title}*:"
MAX_ITEMS = 3
NUMBERED = re.compile(r"\(?(\d{1,3})[.)]\s")
# A sub-item's line under an item: lettered or Roman ("a. ", "(ii) ") or a bullet
SUB_ITEM = re.compile(rf"(?!\(?\d)(?:{ITEM_NUMBER.pattern}|[-•*–])\s")


def asked_item(question: str, evidence: Evidence, searcher: Searcher, infos
               ) -> Answer | None:
    """The item of a numbered list that ``question`` asks for by its number (:data:`ITEM_CUE`;
    "the first step" is the lowest, "the last step" the highest) in the articles ``infos``
    (the one asked, or the conversation's): each line of the article that opens with that
    number ("2. ", "2) ", "(2) "), as many as ``MAX_ITEMS``; a sub-item's line when a letter
    follows the number ("rule 4b": :data:`SUB_ITEM_CUE`); or the whole list, asked for by
    what its items are and nothing else ("What are the seven habits?", "list the steps").
    None when the question does neither, when the article says what it names ("the first
    step": the search finds it there) or when it has no numbered list (or no such sub-item);
    a clear refusal when its lists have no item of that number."""
    sub = SUB_ITEM_CUE.search(question)
    match = sub or ITEM_CUE.search(question)
    if not infos or match is None and not _asks_for_list(question, evidence, searcher):
        return None
    if match is None:  # "list the tips" of a how-to whose "Tips" heads a section, not its steps
        nouns = set(searcher.terms(" ".join(m.group(0) for m in LIST_CUE.finditer(question))))
        infos = [i for i in infos if not any(nouns & words
                                             for _, words in _section_words(searcher, i))]
    for info in infos:
        stored = searcher.state(info).stored
        if sub is None:
            labelled = _labelled_item(question, match, evidence, searcher, stored)
            if labelled is not None:
                return labelled
        lines = _numbered_lines(stored)
        if not lines:
            continue
        if match is None:  # the whole list: its paragraphs, from the first
            numbers = sorted({p for p, _, _, _ in lines})
            numbers = [n for k, n in enumerate(numbers) if n - k == numbers[0]]
            quotes = [q for q in (_paragraph_quote(stored, n) for n in numbers) if q]
            message = render_quotes(quotes, header=LIST_HEADER.format(title=stored.info.title))
            quotes = [q for q in quotes if format_quote(q) in message]  # those that fit
            return Answer(question=question, answered=bool(quotes), quotes=quotes,
                          article=info.id, message=message, confidence=float(bool(quotes)))
        said = re.compile(r"\s+".join(map(re.escape, match.group(0).split())), re.I)
        if any(said.search(text) for text in (*(p.text for p in stored.article.paragraphs),
                                              *info.sections)):
            return None  # "the first step", "rule 4" in its text: searched as usual, or in
            # a heading ("Step 3: Test the soil"): that section is asked for
        if sub is not None:
            return _sub_item(question, stored, lines, int(sub[1]), (sub[2] or sub[3]).lower())
        word = next(group for group in match.groups() if group).lower()
        numbers = [n for _, _, _, n in lines]
        # the first item is the lowest number (a list may start at 3), the last the highest
        number = (int(word) if word.isdigit() else max(numbers) if word in ("last", "final")
                  else min(numbers) if word == "first" else _ORDINALS[word])
        quotes = [Quote(info.id, p, stored.article.paragraph(p).text[start:end], start, end, 1.0)
                  for p, start, end, n in lines if n == number][:MAX_ITEMS]
        if not quotes:
            return Answer(question=question, answered=False, quotes=[], article=info.id,
                          message=f"*{stored.info.title}* numbers its list items "
                                  f"{min(numbers)} to {max(numbers)}; there is no item "
                                  f"{number}.", confidence=0.0)
        header = ITEM_HEADER.format(number=number, title=shorten(stored.info.title, 80))
        if len(quotes) > 1:
            header = header.replace("the numbered list", "each numbered list")
        return Answer(question=question, answered=True, quotes=quotes, article=info.id,
                      message=render_quotes(quotes, header=header), confidence=1.0)
    return None


def _labelled_item(question: str, match: re.Match | None, evidence: Evidence,
                   searcher: Searcher, stored: StoredArticle) -> Answer | None:
    """An item of a list whose paragraphs open with its noun and number ("Step 1: Heat the
    oil…", "Step 2: …"), asked for by its number and nothing else ("what's step 3?", "the
    last step"): that paragraph whole, or the whole list ("list the steps"). The search
    quoted a step's first sentence alone, and "the first step" searched the word "first".
    None when the article has no two such paragraphs or the question asks something of the
    item ("how long do I simmer in step 3?": searched in it, :func:`labelled_paragraphs`)."""
    said = match.group(0) if match is not None else " ".join(
        m.group(0) for m in LIST_CUE.finditer(question))
    noun = re.search(ITEM_NOUNS, said, re.I)
    if noun is None:
        return None
    opening = re.compile(rf"{noun.group(0)}\s+0*(\d{{1,3}})\s*[:.)–—-]", re.I)
    items: dict[int, int] = {}
    for n, paragraph in enumerate(stored.article.paragraphs, 1):
        found = opening.match(paragraph.text)
        if found is not None:
            items.setdefault(int(found.group(1)), n)
    meta, _, command = _word_terms(searcher)
    rest = set(evidence.query_terms) - set(searcher.terms(f"{said} {LIST_WORDS}"))
    if len(items) < 2 or any(not t.isdigit() for t in rest - meta - command):
        return None
    title = stored.info.title
    if match is None:  # the whole list, in its order
        quotes = [q for q in (_paragraph_quote(stored, items[k]) for k in sorted(items)) if q]
        message = render_quotes(quotes)
        quotes = [q for q in quotes if format_quote(q) in message]  # those that fit
        return Answer(question=question, answered=bool(quotes), quotes=quotes,
                      article=stored.info.id, message=message, confidence=float(bool(quotes)))
    word = next(group for group in match.groups() if group).lower()
    number = (int(word) if word.isdigit() else max(items) if word in ("last", "final")
              else min(items) if word == "first" else _ORDINALS[word])
    if number not in items:
        return Answer(question=question, answered=False, quotes=[], article=stored.info.id,
                      message=f"*{title}* numbers its {noun.group(0).lower()}s {min(items)} "
                              f"to {max(items)}; there is no {noun.group(0).lower()} {number}.",
                      confidence=0.0)
    quote = _paragraph_quote(stored, items[number])
    return Answer(question=question, answered=quote is not None, quotes=[quote] if quote else [],
                  article=stored.info.id, message=render_quotes([quote]) if quote else "",
                  confidence=1.0 if quote else 0.0)


def _sub_item(question: str, stored: StoredArticle, lines, number: int, letter: str
              ) -> Answer | None:
    """The line of item ``number``'s sub-item ``letter`` ("b. morning glory;"), or None."""
    mark = re.compile(rf"\(?{letter}[.)]\s", re.I)
    for p, start, end, n in lines:
        text = stored.article.paragraph(p).text
        at = text.find("\n", start, end)
        while n == number and at >= 0:
            if mark.match(text, at + 1):
                stop = text.find("\n", at + 1, end)
                stop = end if stop < 0 else stop
                quote = Quote(stored.info.id, p, text[at + 1:stop], at + 1, stop, 1.0)
                header = ITEM_HEADER.format(number=f"{number}{letter}",
                                            title=shorten(stored.info.title, 80))
                return Answer(question=question, answered=True, quotes=[quote],
                              article=stored.info.id, confidence=1.0,
                              message=render_quotes([quote], header=header))
            at = text.find("\n", at + 1, end)
    return None


# What a numbered list is a list of when nothing says so: a recipe's "1. Heat the oven…"
STEP_NOUNS = {"step", "instruction"}


def _lists(question: str, stored: StoredArticle, searcher: Searcher) -> bool:
    """Whether ``stored``'s numbered list may be what a library question asks an item of: its
    steps, or what the article itself calls its items ("the first question" is no item of a
    recipe's method: a podcast's host was asked about, and a recipe's step 1 was quoted)."""
    said = ITEM_CUE.search(question)
    said = said.group(0) if said is not None else " ".join(
        m.group(0) for m in LIST_CUE.finditer(question))
    noun = re.search(ITEM_NOUNS, said, re.I)
    if noun is None:
        return False
    if noun.group(0).lower() in STEP_NOUNS:
        return True
    used = searcher.state(stored.info).vocabulary.union(
        *(words for _, words in _section_words(searcher, stored.info)))
    return set(searcher.terms(noun.group(0))) <= used


def _asks_for_list(question: str, evidence: Evidence, searcher: Searcher) -> bool:
    """Whether ``question`` asks for a list by what its items are, with no other subject:
    "What are the seven habits?" (not "What are the reasons for the war?")."""
    nouns = " ".join(m.group(0) for m in LIST_CUE.finditer(question))
    if not nouns:
        return False
    meta, _, command = _word_terms(searcher)
    rest = set(evidence.query_terms) - set(searcher.terms(f"{nouns} {LIST_WORDS}"))
    return all(term.isdigit() for term in rest - meta - command)


def _numbered_lines(stored: StoredArticle) -> list[tuple[int, int, int, int]]:
    """``(paragraph, start, end, number)`` of each line that opens a numbered list's item
    ("2. Sift in the flour…"): a sentence opening with a number at the start of a line, to the
    end of that line and of the lines of its sub-items after it ("a. mint;", "- mint")."""
    lines = []
    for s in stored.sentences:
        text = stored.article.paragraph(s.paragraph).text
        item = NUMBERED.match(s.text)
        if item is None or s.start and text[s.start - 1] != "\n":
            continue
        end = text.find("\n", s.start)
        while end >= 0 and SUB_ITEM.match(text, end + 1):
            end = text.find("\n", end + 1)
        lines.append((s.paragraph, s.start, len(text) if end < 0 else end, int(item.group(1))))
    return lines


def _paragraph_quote(stored: StoredArticle, number: int) -> Quote | None:
    """Paragraph ``number`` whole when it fits one message with its citation
    (``WHOLE_PARAGRAPH``), else its central sentence."""
    text = stored.article.paragraph(number).text
    if len(text) <= WHOLE_PARAGRAPH:
        return Quote(stored.info.id, number, text, 0, len(text), 1.0)
    found = _central_sentence(stored, number, MAX_QUOTE_CHARS)
    return _quote(stored, *found) if found else None


def _quote(stored: StoredArticle, i: int, score: float) -> Quote:
    s = stored.sentences[i]
    return Quote(stored.info.id, s.paragraph, s.text, s.start, s.end, round(score, 4))


def _thesis(stored: StoredArticle) -> int:
    """The body sentence closest to both the title and the body as a whole: the article's
    main claim, as far as one sentence can say it."""
    body = {n for n in range(1, len(stored.article.paragraphs) + 1) if not is_note(stored, n)}
    centroid = stored.whole_paragraph_vectors[[n - 1 for n in sorted(body)]].mean(axis=0)
    target = centroid / (np.linalg.norm(centroid) or 1.0)
    if stored.title_vector is not None:
        target = target + stored.title_vector
    options = [i for i, s in enumerate(stored.sentences)
               if s.paragraph in body and len(s.text.split()) >= 4
               and len(s.text) <= MAX_QUOTE_CHARS]
    # a question claims nothing: an interview's "Q: When did you first know…?" was quoted as
    # its main point
    options = [i for i in options if not stored.sentences[i].text.rstrip(
        " \"”’'»)").endswith("?")] or options
    return max(options, key=lambda i: float(stored.sentence_vectors[i] @ target))


# Chat that is not a question: a greeting, thanks, a request for help. Whole messages only.
_THANKS = (r"(?:thanks?|thank you|thx|ty|cheers|great|nice|cool|ok|okay|perfect|awesome|"
           r"good bot)(?: (?:a lot|so much|very much|again|bot|quotebot))?")
SMALL_TALK = {
    "hello": re.compile(r"(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|"
                        r"evening|day))(?: (?:there|all|everyone|folks|bot|quotebot))?"),
    "thanks": re.compile(rf"{_THANKS}(?: {_THANKS})*"),
    "help": re.compile(r"help(?: me| please)?|what can you do|what do you do|how does this work|"
                       r"how do i use (?:you|this|this bot|quotebot)|commands"),
    # "Which articles do you have?", "list the articles", "what can I ask about?"
    "articles": re.compile(
        r"(?:(?:so |and )?(?:which|what) (?:articles?|texts?|documents?|stories|papers|sources)"
        r"(?: (?:do|can|could) (?:you|i|we) (?:have|know|read|use|ask about|ask you about|"
        r"search)| are (?:there|here|available|loaded|indexed)| have you got)?"
        r"|(?:show|list|give|tell)(?: me| us)? (?:the |all |all the |your )?"
        r"(?:articles?|texts?|documents?|sources)(?: you have| here)?"
        r"|what (?:can|could|should) (?:i|we) ask(?: you)?(?: about)?)(?: please)?"),
}


# A request for quotes rather than a question ("give me 2 quotes about covid", "show me some
# passages on Hong Kong", "any quotes about Putin?", "quote the part about Pompeo"): its
# subject is what to search for (the framing's words are in no article, and read as words the
# article lacks they made the bot decline), and a number asked for is how many quotes at most:
# as many as the article has on it (the usual bar for a further quote), up to that number.
_COUNTS = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "couple": 2, "pair": 2,
           "three": 3, "few": 3, "four": 4, "five": 5}
QUOTE_REQUEST = re.compile(
    r"(?:(?:please|pls|plz|hey|hi|ok|okay|so)\b[\s,]*)*"
    r"(?:(?:can|could|would|will)\s+(?:you|i|we)\s+(?:please\s+)?)?"
    r"(?:(?:(?:give|show|find|get|send|list|fetch|pull|share|provide|quote)\s+(?:me|us)?|"
    r"(?:what|which)\s+(?:are|is)|(?:are|is)\s+there|i\s+(?:want|need|would\s+like)|"
    r"i['’]d\s+like)\s*)?"
    r"(?:(?P<count>\d+|one|single|two|three|four|five|(?:a\s+)?(?:few|couple|pair)(?:\s+of)?|"
    r"a|an)\s+|(?:some|any|the|all\s+(?:the\s+)?)\s+)?"
    r"(?:(?:good|relevant|key|best|direct|exact|important|main)\s+)?"
    r"(?:quotes?|quotations?|passages?|excerpts?|lines?|sentences?|parts?|bits?|sections?|"
    r"citations?)\s+"
    r"(?:(?:from\s+|in\s+)(?:the|this)\s+(?:article|text|piece)\s+)?"
    r"(?:(?P<said>from|by)(?!\s+(?:the|this)\s+(?:article|text|piece)\b)|about|on|regarding|"
    r"concerning|re|(?:related|relating|referring)\s+to|that\s+mentions?|mentioning|"
    r"where\s+(?:it|the\s+article)\s+(?:talks|speaks|says\s+something)\s+about)"
    r"\s+(?P<subject>.*?\w.*?)[\s?.!]*(?:please)?[\s?.!]*", re.IGNORECASE)
# At most this many quotes however many are asked for (one message holds them; the setting
# ``max_quotes`` is the number when none is asked for).
MAX_REQUESTED = 5


# ... and for what the article says on a subject, without a question of its own: "find where
# the article talks about the pandemic", "does it say anything about the economy?", "anything
# on Japan?", "tell me about Xinjiang".
_IT_SAYS = r"(?:it|the (?:article|text|piece|author|authors|writer)|they|this)"
TOPIC_REQUEST = re.compile(
    r"(?:(?:please|pls|plz|hey|hi|ok|okay|so)\b[\s,]*)*"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
    rf"(?:(?:find|show\s+me|tell\s+me)\s+where\s+{_IT_SAYS}\s+(?:talks?|speaks?|writes?|"
    r"says?\s+(?:something|anything)|mentions?|discuss(?:es)?)(?:\s+about)?"
    rf"|(?:does|did)\s+{_IT_SAYS}\s+(?:say|mention|write|have)\s+anything\s+(?:about|on)"
    r"|(?:is\s+there\s+)?anything\s+(?:about|on|regarding|concerning)"
    r"|tell\s+(?:me|us)\s+(?:more\s+)?about"
    r"|i(?:['’]d|\s+would)\s+like\s+to\s+(?:know|hear|read)\s+(?:more\s+)?about)"
    r"\s+(?P<subject>.*?\w.*?)[\s?.!]*(?:please)?[\s?.!]*", re.IGNORECASE)


def quote_request(question: str) -> tuple[str, int | None] | None:
    """``(what to search for, how many quotes)`` when ``question`` asks for quotes rather than
    asking a question (:data:`QUOTE_REQUEST`, :data:`TOPIC_REQUEST`; the number is None when
    it names none, at most ``MAX_REQUESTED``), else None. The subject is searched as "about
    <subject>" (a capital opening it then still marks a name, as inside a question: "anything
    on Japan?"), and quotes *from* someone as what they said ("any quotes from Xi?": "what did
    Xi say"), as "what else did X say?" is when it is no "more" (:func:`more_request`)."""
    who = named_more(question)
    if who is not None:
        return f"what did {who} say", None
    found = QUOTE_REQUEST.fullmatch(question.strip())
    if found is None:
        topic = TOPIC_REQUEST.fullmatch(question.strip())
        return None if topic is None else (f"about {topic.group('subject').strip()}", None)
    words = (found.group("count") or "").lower().split()  # "2", "a few", "a couple of"
    number = next((int(w) if w.isdigit() else _COUNTS[w] for w in reversed(words)
                   if w.isdigit() or w in _COUNTS), None)
    if number is not None:
        number = max(1, min(number, MAX_REQUESTED))
    subject = found.group("subject").strip()
    return (f"what did {subject} say" if found.group("said") else f"about {subject}"), number


# "more", "tell me more", "anything else?" (a whole message): further quotes on the question
# before it, as the "More quotes" button shows.
MORE_REQUEST = re.compile(r"(?:(?:tell|show|give) me |any |some |(?:i )?want )?more(?: quotes?| "
                          r"passages?| of (?:that|this|it)| on (?:that|this|it)| about (?:that|"
                          r"this|it))?(?: please)?|anything else|what else|go on|keep going|"
                          r"continue"
                          # "anything else she said?": the person the last question asked
                          # about, whose words its further quotes are
                          r"|anything else "
                          r"(?:he|she|they|it) (?:said|says|mentioned|mentions|wrote|writes)")
# A question that asks what someone said ("what did Kenji say?", "any quotes from him?"): one
# whose further quotes "what else did he say?" asks for.
SAID_CUE = re.compile(r"\b(?:say|said|says|saying|think|believe|claim|argue|tell|told|write|"
                      r"wrote|quotes?|quoted|views?|response|comments?|remarks?|statement|"
                      r"words|according)\b", re.I)


# "what else did Baptiste say?": further quotes when the question before asked about him,
# else the question "what did Baptiste say?" ("else" then hid the speaker from the search)
NAMED_MORE = re.compile(r"\s*(?:what|anything)\s+else\s+(?:did|does|do|has|have)\s+"
                        r"(?P<who>[^\W\d_][\w.'’ -]{0,60}?)\s+(?P<verb>say|said|mention|"
                        r"mentioned|write|wrote|think|argue)\s*[?.!]*\s*", re.I)


def named_more(question: str) -> str | None:
    """Who "what else did X say?" asks about (X as typed), else None."""
    found = NAMED_MORE.fullmatch(question)
    return None if found is None else found.group("who").strip()


def more_request(question: str, before: str = "") -> bool:
    """"more", "anything else?"; "what else did X say?" when ``before`` (the message before
    it) named X, and "what else did he say?" when it asked what someone said (or there is
    none: "more" then says to ask first). After "who is Kenji Watanabe?", "what else did he
    say?" paged that question ("That is all I found on “who is kenji watanabe”"): it asks
    what he said, a question (:func:`quote_request`)."""
    if MORE_REQUEST.fullmatch(_plain(question)) is not None:
        return True
    who = named_more(question)
    if who is None:
        return False
    if who.lower() in PRONOUNS:
        return not before or SAID_CUE.search(before) is not None
    return set(_plain(who).split()) <= set(_plain(before).split())


# "and then?", "what happened next?", "what's the next step?" (a whole message): what the
# article says after the last answer's first quote, in reading order.
NEXT_REQUEST = re.compile(r"(?:and |so )?(?:then what|and then|then|next|what next|what s next|"
                          r"whats next|what is next|what (?:happened|happens|comes) (?:next|"
                          r"after that|then)|what did (?:they|he|she|it) do next|(?:what s |"
                          r"whats |what is )?the next (?:step|part|one|bit)|(?:and )?after that)"
                          r"(?: please)?")


def next_request(question: str) -> bool:
    return NEXT_REQUEST.fullmatch(_plain(question)) is not None


def next_passage(stored: StoredArticle, quote: Quote) -> Quote | None:
    """What ``stored`` says after ``quote``: the rest of its paragraph, else the next
    paragraph, each as many of its sentences from the start as ``MAX_QUOTE_WORDS`` allows
    (one at least); None at the article's end."""
    sentences = stored.sentences
    after = [i for i, s in enumerate(sentences)
             if s.paragraph == quote.paragraph and s.start >= quote.end]
    if not after:
        after = [i for i, s in enumerate(sentences) if s.paragraph == quote.paragraph + 1]
    if not after:
        later = [s.paragraph for s in sentences if s.paragraph > quote.paragraph]
        after = [i for i, s in enumerate(sentences) if later and s.paragraph == min(later)]
    if not after:
        return None
    first = last = after[0]
    while (last + 1 in after and _words_of(stored, first, last + 1) <= MAX_QUOTE_WORDS
           and sentences[last + 1].end - sentences[first].start <= MAX_QUOTE_CHARS):
        last += 1
    text = stored.article.paragraph(sentences[first].paragraph).text
    start, end = sentences[first].start, sentences[last].end
    return Quote(stored.info.id, sentences[first].paragraph, text[start:end], start, end, 1.0)


def _words_of(stored: StoredArticle, first: int, last: int) -> int:
    """The words from sentence ``first`` to sentence ``last`` (of one paragraph)."""
    s = stored.sentences
    return len(stored.article.paragraph(s[first].paragraph).text[
        s[first].start:s[last].end].split())


def _plain(text: str) -> str:
    """Lower-case words only: "Thanks!!" and "thanks" are the same message."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def is_question(message: str) -> bool:
    """Searched as a question: not a summary request, "more", "and then?" or small talk."""
    return (summary_request(message) is None and not more_request(message)
            and not next_request(message) and small_talk(message) is None)


def last_question(history: list[str]) -> str:
    """The last message of ``history`` searched as a question, else ""."""
    return next((message for message in reversed(history) if is_question(message)), "")


def recent(history: list[str], questions: int = 3, limit: int = 30) -> list[str]:
    """What a conversation keeps of its messages (oldest first): its last ``questions``
    questions and every message since the first of them, at most ``limit`` (the "more"s in a
    row after the last question count how many of its further quotes were shown). Not the last
    few messages: "more" four times in a row would leave no question to page."""
    starts = [i for i, message in enumerate(history) if is_question(message)]
    kept = history[starts[-questions]:] if len(starts) >= questions else history
    return kept[-limit:]


def small_talk(question: str) -> str | None:
    """``"hello"``, ``"thanks"`` or ``"help"`` when the whole message is that, else None."""
    text = _plain(question)
    return next((kind for kind, pattern in SMALL_TALK.items() if pattern.fullmatch(text)), None)


# A list of the articles names at most this many (``/article`` and ``python -m index list``
# show them all).
LISTED_TITLES = 10


def listed_titles(titles: list[str]) -> str:
    """``titles`` as a list of lines, at most :data:`LISTED_TITLES` of them."""
    shown = [f"- *{shorten(t, 80)}*" for t in titles[:LISTED_TITLES]]
    rest = len(titles) - len(shown)
    return "\n".join(shown) + (f"\n…and {rest} more (`/article` lists them all)."
                               if rest > 0 else "")


def which_article_reply(named: str, titles: list[str]) -> str:
    """The reply to a summary of an article ``named`` by what it is ("the football
    article") when no article of ``titles`` can be told to be that one."""
    word = next((w for t in titles for w in re.findall(r"[^\W\d_]{4,}", t)
                 if w.lower() not in SUMMARY_FILLER), None)
    example = f", e.g. “summarize the {word} article”" if word else ""
    return (f"Which article do you mean? No title here says “{named}”:\n"
            + listed_titles(titles) + f"\nName one by a word of its title{example}.")


def small_talk_reply(kind: str, titles: list[str]) -> str:
    """The reply to small talk (:func:`small_talk`) where ``titles`` are the articles asked
    about (for ``"articles"``: every one that can be asked about there)."""
    if kind == "articles":
        if len(titles) == 1:
            return (f"I answer from *{titles[0]}*: ask me a question about it and I'll reply "
                    "with its own words, each quote citing its paragraph (¶).")
        return (f"I answer from these {len(titles)} articles:\n" + listed_titles(titles)
                + "\nAsk a question and I'll quote whichever of them holds the answer, citing "
                "the article and the paragraph.")
    where = (f"*{titles[0]}*" if len(titles) == 1
             else f"the {len(titles)} articles here" if titles else "the articles here")
    if kind == "thanks":
        return "You're welcome! Ask me anything else about " + where + "."
    own = "its" if len(titles) == 1 else "their"
    return ((("Hi! " if kind == "hello" else "") + f"Ask me a question about {where} and I'll "
             f"answer with {own} own words: verbatim quotes, each citing its paragraph (¶). Ask "
             "for a summary too (\"tl;dr\", \"summarize paragraphs 2-4\"); /help lists the "
             "commands."))


def _listed(names: list[str], most: int = 3) -> str:
    """``A``, ``A or B``, ``A, B or C``; past ``most`` names, the first ones and "…"."""
    if len(names) > most:
        return f"{', '.join(names[:most])}…"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def library_abstention(count: int, absent: list[str] = (), why: str = "") -> str:
    why = (f"none of them mentions {_listed(absent)}" if absent
           else why or "none of them seems to cover it")
    return (f"I couldn't find that in any of the {count} articles here: {why}, so I won't quote "
            "something unrelated. Try rephrasing, or ask about one article by name.")


def vague_message(title: str | None) -> str:
    """What a question with nothing to search for gets (``title``: the one article asked)."""
    where, say = (f"*{title}*", "it says") if title else ("the articles here", "they say")
    return (f"What would you like to know about {where}? Ask about something {say} (a "
            "person, a place, an event, a claim), or ask for a summary.")


def abstention_message(title: str, absent: list[str] = (), why: str = "") -> str:
    why = (f"it never mentions {_listed(absent)}" if absent
           else why or "the article doesn't seem to cover it")
    return (f"I couldn't find that in *{title}*: {why}, so I won't quote something unrelated. "
            "Try rephrasing, or ask for a summary to see what it does cover.")


# -- summaries --------------------------------------------------------------------------------

def _central_sentence(stored: StoredArticle, number: int, budget: int) -> tuple[int, float] | None:
    """The sentence of paragraph ``number`` closest to the paragraph as a whole that fits
    ``budget`` characters (or else the shortest one), with its centrality."""
    options = [i for i, s in enumerate(stored.sentences) if s.paragraph == number
               and len(s.text) >= 25]
    if not options:
        options = [i for i, s in enumerate(stored.sentences) if s.paragraph == number]
    if not options:
        return None
    centre = stored.whole_paragraph_vectors[number - 1]
    central = {i: float(stored.sentence_vectors[i] @ centre) for i in options}
    fitting = [i for i in options if len(stored.sentences[i].text) <= budget]
    if fitting:
        best = max(fitting, key=lambda i: central[i])
    else:
        best = min(options, key=lambda i: len(stored.sentences[i].text))
    return best, central[best]


def _author_names(info: ArticleInfo) -> set[str]:
    """The capitalised words of the article's byline ("Yang", "Zhao"), "And"/"By" left out."""
    return {w for w in re.findall(r"[A-Z][a-z]+", info.authors or "")
            if w not in {"And", "By", "The"}}


def _about_the_authors(question: str, state: ArticleState) -> bool:
    """Whether ``question`` asks about the authors of ``state``'s article: by that word ("Where
    did the author study?") or by one of their names ("What is Zhao studying?")."""
    names = {w.lower() for w in _author_names(state.stored.info)}
    return (AUTHOR_CUE.search(question) is not None
            or not names.isdisjoint(re.findall(r"[^\W\d_]+", question.lower())))


def is_note(stored: StoredArticle, number: int) -> bool:
    """Footnotes and author notes are not main points: a paragraph that starts with a footnote
    mark, or a short paragraph after the body that names one of the authors, as every
    paragraph after it does or is a footnote. (Not one of the body that quotes the author: a
    recipe's '"If the sauce is still watery…" says Keller' was left out of its summary, and
    quoted as the note about its author.) So is what comes under a heading such as
    "References" or "See also" (:data:`index.article.BACK_MATTER`)."""
    if _marked(stored.article.paragraph(number).text) or in_back_matter(stored, number):
        return True
    return _signed(stored, number) and all(
        _marked(stored.article.paragraph(later).text) or _signed(stored, later)
        for later in range(number + 1, len(stored.article.paragraphs) + 1))


# A question for what a text cites or lists to read ("what are the sources?", "any books on
# it?", "what did she publish?"), which its references and further reading answer
SOURCES_CUE = re.compile(r"\b(?:references?|sources?|cit(?:e|es|ed|ing|ations?)|bibliograph\w*|"
                         r"notes?|footnotes?|reading|books?|links?|see also|publish\w*|"
                         r"publications?|papers?|studies|study|works?)\b", re.I)


# The back matter that lists what a text cites or points to, never what it says (not "Notes":
# a recipe's "Notes" hold how long the cake keeps)
REFERENCES = re.compile(r"references|bibliography|sources|works cited|citations|further reading|"
                        r"see also|external links", re.I)


def in_back_matter(stored: StoredArticle, number: int,
                   matter: re.Pattern = BACK_MATTER) -> bool:
    """Whether paragraph ``number`` comes under a heading such as "References" or "See also"
    (``matter``: :data:`index.article.BACK_MATTER` by default)."""
    return any(matter.fullmatch(part)
               for part in stored.article.heading(number).split(SECTION_PATH))


def _marked(text: str) -> bool:
    """Whether a paragraph opens with a footnote's mark ("*", "[1] See …")."""
    return text.lstrip().startswith(("*", "†", "‡", "Note:", "Notes:")) or re.match(
        r"\s*\[\d{1,3}\]\s", text) is not None


def _signed(stored: StoredArticle, number: int) -> bool:
    """Whether paragraph ``number`` is short, in the article's second half, and names one of
    its authors."""
    text = stored.article.paragraph(number).text
    if number <= len(stored.article.paragraphs) // 2 or len(text) > 800:
        return False
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in _author_names(stored.info))
