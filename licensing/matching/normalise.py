"""Turn names as typed into comparable tokens: clean, drop titles, join compounds, map spelling variants.

Pipeline for one name part (forenames or surname), in this order:

1. ``clean_text``: NFKD with combining marks removed (é -> e), zero-width and bidi controls removed,
   case-folded, apostrophes dropped (O'Brien -> obrien), other punctuation and hyphens become spaces.
2. Titles that are never names (Mr, Dr, Haji...) are dropped. Honorific names that may stand before
   or after a name (Syed, Mirza, Sheikh, Chaudhry...) are kept but marked *soft*: they are ignored
   when comparing as long as something else remains.
3. Compounds are joined so "Abdul-Rahman", "Abdul Rahman", "Abdur Rehman" and "Abdulrahman" give one
   token, as do "Salah ud Din" and "Salahuddin".
4. Each token gets a canonical spelling from the variant families (Mohd, Md, Mohammed -> muhammad;
   Rehman -> rahman; Mahmud -> mahmood). Mahmood and Muhammad are different families.
5. English diminutives (Steve, Mike, Liz...) carry the set of formal names they may stand for, so
   "Mike" ~ "Michael" is recognised but kept apart from a spelling variant in explanations.

Transliteration is canonicalised *before* phonetic coding (``phonetic``) so blocking keys agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jellyfish

from .caches import BoundedCache

__all__ = [
    "NameForm",
    "Token",
    "canonical_token",
    "clean_text",
    "parse_full_name",
    "parse_name",
    "phonetic",
    "split_full_name",
]

# Zero-width and bidirectional controls are Unicode category Cf; strip them all.
_PUNCT_TO_SPACE = re.compile(r"[^\w]+|_")


def clean_text(value: str) -> str:
    """Case-fold, strip accents, invisible and bidi characters and punctuation; collapse spaces."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    text = text.casefold().replace("'", "").replace("\u2019", "").replace("`", "")
    text = text.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d").replace("æ", "ae")
    return " ".join(_PUNCT_TO_SPACE.sub(" ", text).split())


def _data(name: str) -> list[str]:
    """Lines of a name table in ``licensing/matching/data`` (blank lines and # comments skipped)."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# Words that are never part of a person's name.
TITLES = frozenset(w for line in _data("titles.txt") for w in line.split())

# Honorific names: inherited or religious titles that are also used as names. Soft = ignorable
# in comparisons when other tokens remain, because they appear, vanish and move between records.
SOFT_TOKENS = frozenset(w for line in _data("honorifics.txt") for w in line.split())


def _families(lines: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    canonical = ""
    for line in lines:
        words = line.split()
        if not words:
            continue
        if not line.startswith("  "):  # a continuation line keeps the family above
            canonical = words[0]
        for word in words:
            table[word] = canonical
    return table


VARIANTS: dict[str, str] = _families(_data("variant_families.txt"))


DIMINUTIVES: dict[str, frozenset[str]] = {}
for _line in _data("diminutives.txt"):
    _short, *_formal = _line.split()
    DIMINUTIVES[_short] = frozenset(VARIANTS.get(f, f) for f in _formal)

# Compound particles. "Abdul Rahman" -> one token; infix particles join both neighbours.
_ABD_PREFIXES = ("abdul", "abdur", "abdus", "abdal", "abdel", "abdil", "abdu", "abd")
_JOIN_NEXT = frozenset(_ABD_PREFIXES) | {"abu", "abou", "al", "el"}
_INFIXES = frozenset({"ul", "ur", "us", "ud", "ad", "al", "el"})
_SUFFIXES = {
    "uddin": "din",
    "udin": "din",
    "uddeen": "din",
    "din": "din",
    "ullah": "allah",
    "ulla": "allah",
    "allah": "allah",
    "ullha": "allah",
}


@lru_cache(maxsize=200_000)
def canonical_token(token: str) -> str:
    """The canonical spelling of one cleaned token (compounds are canonicalised part by part)."""
    if "+" in token:
        parts: list[str] = []
        for part in token.split("+"):
            if part in _ABD_PREFIXES:
                parts.append("abd")
            elif part in _INFIXES:
                continue
            elif part in _SUFFIXES:
                parts.append(_SUFFIXES[part])
            else:
                parts.append(canonical_token(part))
        return "+".join(parts)
    known = VARIANTS.get(token)
    if known:
        return known
    # A run-together compound: Abdurrehman -> abd+rahman, Salahuddin -> salah+din.
    fallback = ""
    for prefix in _ABD_PREFIXES:
        rest = token[len(prefix) :]
        if not token.startswith(prefix) or len(rest) < 3:
            continue
        if rest in VARIANTS:
            return "abd+" + VARIANTS[rest]
        fallback = fallback or "abd+" + canonical_token(rest)
    if fallback:
        return fallback
    for suffix in ("uddin", "udin", "uddeen", "ullah", "ulla", "ullha"):
        head = token[: -len(suffix)]
        if token.endswith(suffix) and len(head) >= 3:
            return canonical_token(head) + "+" + _SUFFIXES[suffix]
    return token


def _join_compounds(words: list[str]) -> list[str]:
    """Join particle sequences into one '+'-separated token so spacing and hyphens do not matter."""
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        word = words[i]
        nxt = words[i + 1] if i + 1 < n else ""
        if word in _JOIN_NEXT and len(nxt) > 1:
            if nxt in _INFIXES and i + 2 < n and len(words[i + 2]) > 1:
                out.append(word + "+" + nxt + "+" + words[i + 2])  # Abd al Rahman
                i += 3
            else:
                out.append(word + "+" + nxt)
                i += 2
            continue
        if word in _INFIXES and out and len(nxt) > 1:
            out[-1] = out[-1] + "+" + word + "+" + nxt  # Fazal ur Rehman, Salah ud Din
            i += 2
            continue
        if word in _SUFFIXES and out and word not in ("din", "allah"):
            out[-1] = out[-1] + "+" + word  # Nizam Uddin
            i += 1
            continue
        out.append(word)
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class Token:
    """One name token: as written (cleaned), canonical spelling, and the formal names it may abbreviate."""

    raw: str
    canon: str
    formal: frozenset[str]  # canonical names this token may stand for (itself, or a diminutive's formals)
    soft: bool  # an honorific name that may be ignored
    known: bool  # in a variant family (so an unlike known name is a different name, not a typo)
    skeleton: str = ""  # transliteration-aware consonant key (see ``skeleton``)

    @property
    def initial(self) -> str:
        return self.canon[:1]

    @property
    def is_initial(self) -> bool:
        return len(self.raw) == 1


_KNOWN_CANON = frozenset(VARIANTS.values())
_PARTICLES = frozenset({"abd", "din", "allah"})


def _known_compound(canon: str) -> bool:
    """A compound whose every name part is known (abd+rahman): "Abdul" alone does not make Abdul Ryuf a
    recognised name, which would keep it from ever meeting Abdul Rauf as a slip."""
    parts = canon.split("+")
    return len(parts) > 1 and all(p in _KNOWN_CANON or p in _PARTICLES for p in parts)


@lru_cache(maxsize=200_000)
def _make_token(raw: str) -> Token:
    canon = canonical_token(raw)
    formal = DIMINUTIVES.get(raw, frozenset()) | {canon}
    return Token(
        raw=raw.replace("+", ""),
        canon=canon,
        formal=frozenset(formal),
        soft=raw in SOFT_TOKENS,
        known=raw in VARIANTS or raw in DIMINUTIVES or _known_compound(canon),
        skeleton=skeleton(canon),
    )


@lru_cache(maxsize=200_000)
def parse_name(text: str) -> tuple[Token, ...]:
    """Tokens of one name part (forenames or surname), titles removed, compounds joined."""
    words = [w for w in clean_text(text).split() if w not in TITLES]
    return tuple(_make_token(w) for w in _join_compounds(words))


def core(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """Tokens without honorific names, unless nothing else is left."""
    kept = tuple(t for t in tokens if not t.soft)
    return kept or tokens


@dataclass(frozen=True, slots=True)
class NameForm:
    """One full name of a person (current, previous or alias) as comparable tokens."""

    given: tuple[Token, ...]
    family: tuple[Token, ...]
    # Every surname token as written, honorific ones included: "Crou Ch" keeps its "ch" here, so a surname
    # split by a stray space is judged on all its letters (compare._readings), never on what core() left.
    family_words: tuple[str, ...] = ()

    @property
    def surname_key(self) -> str:
        """Canonical surname (honorifics ignored) for frequency lookup and blocking."""
        return " ".join(t.canon for t in core(self.family))

    @property
    def all_tokens(self) -> tuple[Token, ...]:
        return core(self.given + self.family)

    @property
    def display(self) -> str:
        return " ".join(t.raw for t in self.given + self.family)

    def __bool__(self) -> bool:
        return bool(self.given or self.family)


# Equal token tuples of parsed names are one object, so a comparison of two can be cached by identity
# (compare._readings): a surname such as Khan is one tuple whatever forenames go with it. Bounded; emptying it
# only costs cache misses.
MAX_TOKEN_TUPLES = 500_000
_token_tuples: BoundedCache[tuple[Token, ...], tuple[Token, ...]] = BoundedCache(MAX_TOKEN_TUPLES)


def _shared(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    found = _token_tuples.get(tokens)
    return _token_tuples.put(tokens, tokens) if found is None else found


@lru_cache(maxsize=300_000)
def parse_full_name(forenames: str, surname: str) -> NameForm:
    """A NameForm from separate forenames and surname fields."""
    given = _shared(core(parse_name(forenames))) if forenames else ()
    written = parse_name(surname) if surname else ()
    return NameForm(given=given, family=_shared(core(written)), family_words=tuple(t.raw for t in written))


def split_full_name(full: str) -> tuple[str, str]:
    """Split "Forenames Surname" on the last word (used for previous names and aliases)."""
    words = clean_text(full).split()
    words = [w for w in words if w not in TITLES]
    # Keep a trailing honorific (e.g. "Asif Khan Syed") with the surname it follows.
    if len(words) >= 3 and words[-1] in SOFT_TOKENS:
        return " ".join(words[:-2]), " ".join(words[-2:])
    if len(words) <= 1:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


# Letters English spellings of Urdu, Arabic and Bengali names use interchangeably (Javed/Jawed, Akhtar/Akther,
# Zain/Zayn, Qasim/Kasim): mapped to one letter before the vowels go.
_SKELETON_PAIRS = (
    ("kh", "k"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("sh", "s"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("ck", "k"),
    ("c", "k"),
)


@lru_cache(maxsize=300_000)
def skeleton(canon: str) -> str:
    """A South-Asian-aware phonetic key: first letter, then the consonants with interchangeable spellings
    merged
    and doubled letters single. Javed and Jawed share "jvd"; Hassan and Hussain share "hsn", so the key alone
    never decides (both are known names, and known names never agree loosely)."""
    word = canon.replace("+", "")
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return ""
    head, rest = word[0], word[1:]
    for old, new in _SKELETON_PAIRS:
        rest = rest.replace(old, new)
    out = [head]
    for ch in rest:
        if ch in "aeiouyh" or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=300_000)
def phonetic(canon: str) -> str:
    """A short phonetic code of a canonical token (NYSIIS, capped at 6), so near spellings share keys."""
    letters = canon.replace("+", "")
    if not letters:
        return ""
    if not letters.isascii() or not letters.isalpha():
        return letters[:12]
    return jellyfish.nysiis(letters)[:6].lower()
