"""Compare two prepared records field by field; each field lands in exactly one level.

The level names are the keys of ``settings.DEFAULT_LEVELS``. rapidfuzz is used only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import ratio, token_set_ratio

from .caches import BoundedCache
from .identifiers import DVLA_INITIALS, dvla_initials, dvla_surname_stem
from .normalise import NameForm, Token, phonetic, skeleton
from .records import PreparedRecord

__all__ = [
    "NameComparison",
    "compare_address",
    "compare_dl",
    "compare_dob",
    "compare_names",
    "compare_ni",
    "compare_sex",
    "compare_tokens",
    "learned_variant",
    "letters_one_apart",
    "licences_issued_in_sequence",
    "name_count_lookups",
    "near_number_level",
    "numbers_issued_in_sequence",
    "numbers_two_apart",
    "one_edit_spellings",
    "surname_slip_lookups",
    "surnames_one_apart",
    "token_level",
    "variant_spellings",
]

# Token agreement, best first. Integers so "worst of" is max().
T_EXACT, T_VARIANT, T_DIMINUTIVE, T_FUZZY, T_SIMILAR, T_ALIKE, T_INITIAL, T_NONE = range(8)
JW_SIMILAR = 0.92  # Jaro-Winkler thresholds of the two "spelt alike" levels (as Splink's defaults)
JW_ALIKE = 0.85


def compare_dob(a: PreparedRecord, b: PreparedRecord) -> str:
    """DOB level: exact / exact_text / transposed / typo / year_off / year_only / different / missing."""
    da, db = a.dob, b.dob
    if not da or not db:
        return "missing"
    if da == db:
        return "exact" if a.dob_iso else "exact_text"
    if a.dob_iso and b.dob_iso:
        ya, ma, dda = da[0:4], da[5:7], da[8:10]
        yb, mb, ddb = db[0:4], db[5:7], db[8:10]
        if ya == yb and ma == ddb and dda == mb:
            return "transposed"
        if ma == mb and dda == ddb:
            # Same day and month, years apart: one year is a slip, more is a father and son (1950 / 1980
            # differ by one digit, so this comes before the digit test). Two adjacent year digits swapped
            # (1918 / 1981) are the transposition the "typo" level names, unless the years are a generation
            # apart (1957 / 1975): a father and son born on one day and month stay two people.
            gap = abs(int(ya) - int(yb))
            if gap == 1:
                return "year_off"
            return "typo" if _swapped(ya, yb) and gap not in _GENERATION else "different"
        if OSA.distance(a.dob_digits, b.dob_digits, score_cutoff=1) <= 1:
            return "typo"
        return "year_only" if ya == yb else "different"
    # At least one side is raw text: compare the digits, so "19551192" ~ "1955-11-29" is a slip.
    if a.dob_digits and a.dob_digits == b.dob_digits:
        return "exact_text"
    if len(a.dob_digits) >= 6 and OSA.distance(a.dob_digits, b.dob_digits, score_cutoff=1) <= 1:
        return "typo"
    return "different"


_GENERATION = range(16, 46)  # years between a parent's birth and a child's


def _swapped(x: str, y: str) -> bool:
    """Two strings that differ only by two adjacent characters swapped (1918 / 1981)."""
    if len(x) != len(y):
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def near_number_level(x: str, y: str) -> str:
    """The level of two identity numbers one edit apart, at least one not a valid NI number: text_transposed
    (two adjacent characters swapped: 4137787 / 4137877) or text_typo (a character changed, added or dropped).
    A 7-digit number has 6 swapped neighbours against 63 changed ones, so a swap is far rarer by chance."""
    return "text_transposed" if _swapped(x, y) else "text_typo"


def compare_ni(a: PreparedRecord, b: PreparedRecord) -> str:
    """NI level: exact / typo (both valid) / text_exact / text_transposed / text_typo (not valid NI numbers,
    compared as text) / different (both valid: different people) / different_unverified / missing."""
    na, nb = a.ni_core, b.ni_core
    if not na or not nb:
        return "missing"
    both_valid = a.ni_valid and b.ni_valid
    if na == nb:
        return "exact" if a.ni_valid else "text_exact"
    if OSA.distance(na, nb, score_cutoff=1) <= 1:
        return "typo" if both_valid else near_number_level(na, nb)
    if both_valid:
        return "different"
    return "different_unverified"


# By PreparedRecord.names_id (equal name tuples share an id, never reused): a licence number on one side is
# checked against the other side's surnames in every pair it is in. Bounded; emptying it only costs misses.
MAX_STEMS = 500_000
_stems_by_names: BoundedCache[int, frozenset[str]] = BoundedCache(MAX_STEMS)


def _surname_stems(p: PreparedRecord) -> frozenset[str]:
    stems = _stems_by_names.get(p.names_id)
    if stems is None:
        stems = _stems_by_names.put(p.names_id, _surname_stems_uncached(p))
    return stems


def _surname_stems_uncached(p: PreparedRecord) -> frozenset[str]:
    stems = set()
    for form in p.names:
        for token in form.family:
            stems.add(dvla_surname_stem(token.raw))
        if form.family:
            stems.add(dvla_surname_stem("".join(t.raw for t in form.family)))
    stems.discard("")
    return frozenset(stems)


def compare_dl(a: PreparedRecord, b: PreparedRecord) -> str:
    """Licence level. Both numbers: exact / check_differs / typo / conflict_14th / name_change /
    different / different_unverified. One number: checked against the other record's surname, DOB
    and sex (cross_consistent / cross_inconsistent / cross_unclear)."""
    la, lb = a.dl, b.dl
    if la and lb:
        if la == lb:
            return "exact"
        pa, pb = a.dl_parsed, b.dl_parsed
        if pa and pb:
            if la[:13] == lb[:13]:
                # DVLA varies the 14th character to tell apart people with the same first 13.
                return "check_differs" if la[13] == lb[13] else "conflict_14th"
            if OSA.distance(la, lb, score_cutoff=1) <= 1:
                return "typo"
            if la[5:13] == lb[5:13] and la[:5] != lb[:5]:
                return "name_change"
            return "different"
        if OSA.distance(la, lb, score_cutoff=1) <= 1:
            return "typo"
        return "different_unverified"
    one, other = (a, b) if la else (b, a)
    parsed = one.dl_parsed
    if parsed is None or not (la or lb):
        return "missing"
    if other.dob_iso and not parsed.matches_dob(other.dob):
        # A one-digit slip in the DOB is not proof; only a clear difference counts against.
        encoded = f"{parsed.year_units:02d}{parsed.month:02d}{parsed.day:02d}"
        other_digits = other.dob[2:4] + other.dob[5:7] + other.dob[8:10]
        if OSA.distance(encoded, other_digits, score_cutoff=1) > 1:
            return "cross_inconsistent"
        return "cross_unclear"
    if other.sex and other.sex != parsed.sex:
        return "cross_inconsistent"
    if other.dob_iso and parsed.surname_stem in _surname_stems(other):
        return "cross_consistent"
    return "cross_unclear"


def compare_sex(a: PreparedRecord, b: PreparedRecord) -> str:
    """Sex level: agree / differ / missing."""
    if not a.sex or not b.sex:
        return "missing"
    return "agree" if a.sex == b.sex else "differ"


def _same_street(a: PreparedRecord, b: PreparedRecord) -> bool:
    """First address lines alike word by word, or letter by letter with the spaces gone ("kellewayavenue" and
    "kelleway avenue" are one street: a space lost or added is a typing slip, as in names)."""
    x, y = a.street, b.street
    if not (x and y):
        return False
    if token_set_ratio(x, y, score_cutoff=85) >= 85:
        return True
    return (" " in x or " " in y) and ratio(x.replace(" ", ""), y.replace(" ", ""), score_cutoff=85) >= 85


def compare_address(a: PreparedRecord, b: PreparedRecord) -> str:
    """Address level over the whole address histories: same_address / postcode / street / sector / district /
    different. Postcodes that are not valid UK postcodes are compared as text."""
    pa, pb = a.postcodes, b.postcodes
    if not pa or not pb:
        ta, tb = pa or a.postcode_texts, pb or b.postcode_texts
        if not ta or not tb:
            return "missing"
        if not set(ta).isdisjoint(tb):
            # As for UK postcodes: a shared postcode and house number is one address, whatever the street.
            same_house = not set(a.houses).isdisjoint(b.houses)
            return "same_address" if same_house or _same_street(a, b) else "postcode"
        return "street" if _same_street(a, b) else "different"
    if len(pa) == 1 and len(pb) == 1:
        x, y = pa[0], pb[0]
        if x == y:
            return "same_address" if a.houses and a.houses == b.houses else "postcode"
        if len(x) < 6 or len(y) < 6:
            return "different"
        if x[:-4] == y[:-4] and _same_street(a, b):
            return "street"  # "High Street" counts only within one postcode district
        if x[:-2] == y[:-2]:
            return "sector"
        return "district" if x[:-4] == y[:-4] else "different"
    if a.houses and b.houses and not set(a.houses).isdisjoint(b.houses):
        return "same_address"
    if not set(pa).isdisjoint(pb):
        return "postcode"
    if _same_street(a, b) and not {p[:-4] for p in pa}.isdisjoint({p[:-4] for p in pb}):
        return "street"
    if not {p[:-2] for p in pa}.isdisjoint({p[:-2] for p in pb}):
        return "sector"
    if not {p[:-4] for p in pa}.isdisjoint({p[:-4] for p in pb}):
        return "district"
    return "different"


# --- names ----------------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def _squeezed(canon: str) -> str:
    """A spelling with doubled letters single, a final h after a vowel dropped (Farah -> fara) and a silent h
    after c, g or t dropped (Michaela -> micaela, Meghan -> megan, Thomas -> tomas): one name however spelt.
    Not after s (Asha and Asa are two names)."""
    out: list[str] = []
    for ch in canon:
        if ch == "h" and out and out[-1] in "cgt":
            continue
        if not out or out[-1] != ch:
            out.append(ch)
    if len(out) > 2 and out[-1] == "h" and out[-2] in "aeiou":
        out.pop()
    return "".join(out)


def token_level(x: Token, y: Token) -> int:
    """How two name tokens agree: exact, spelling variant, diminutive, one edit, Jaro-Winkler >= 0.92 or
    >= 0.85, initial, none. Two different names that are both in the variant tables never agree loosely
    (Hassan and Hussain may be twins)."""
    if x.raw == y.raw:
        return T_EXACT
    if x.canon == y.canon:
        return T_VARIANT
    if x.is_initial or y.is_initial:
        return T_INITIAL if x.canon[:1] == y.canon[:1] else T_NONE
    if len(x.canon) >= 3 and len(y.canon) >= 3 and _squeezed(x.canon) == _squeezed(y.canon):
        return T_VARIANT  # Khurram ~ Khuram, Hamza ~ Hamzah, Micaela ~ Michaela: doubled letters, an h
    if not x.formal.isdisjoint(y.formal):
        return T_DIMINUTIVE
    if x.known and y.known:
        return T_NONE  # two recognised, different names (Mahmood vs Muhammad, Hassan vs Hussain)
    if (
        x.skeleton
        and x.skeleton == y.skeleton
        and len(x.canon) == len(y.canon)
        and OSA.distance(x.canon, y.canon, score_cutoff=2) <= 2
    ):
        return T_VARIANT  # a spelling the tables lack, found by its key: Javed ~ Jawed, Akhtar ~ Akther
    shorter = min(len(x.canon), len(y.canon))
    if shorter < 5:
        return T_NONE  # Asif and Atif, Amir and Amin: short names one letter apart are usually two names
    limit = 2 if shorter >= 9 else 1
    if OSA.distance(x.canon, y.canon, score_cutoff=limit) <= limit:
        return T_FUZZY
    jw = JaroWinkler.similarity(x.canon, y.canon, score_cutoff=JW_ALIKE)
    if jw >= JW_SIMILAR:
        return T_SIMILAR
    return T_ALIKE if jw >= JW_ALIKE else T_NONE


_UNKEYED = frozenset("aeiouyh")  # letters the spelling key (``skeleton``) leaves out


def _unkeyed_edits(word: str) -> set[str]:
    """`word` with one vowel changed, or an unkeyed letter moved past a neighbour (Akhtar: Akhter, Akthar)."""
    out = {word[:i] + v + word[i + 1 :] for i, ch in enumerate(word) if ch in "aeiou" for v in "aeiou"}
    out |= {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1] and (word[i] in _UNKEYED or word[i + 1] in _UNKEYED)
    }
    return out - {word}


def variant_spellings(token: Token) -> set[str]:
    """Spellings within two edits of the token that ``token_level`` may read as the same name by the spelling
    key alone (the same skeleton and length; Akhtar and Akther) but whose phonetic code differs, so the
    blocking keys never bring them together. Candidates only: whether one is a variant is token_level's to
    say, for the spellings a register actually holds."""
    word = token.canon
    if not token.skeleton or "+" in word:
        return set()
    near = _unkeyed_edits(word)
    near |= {two for one in near for two in _unkeyed_edits(one)}
    code = phonetic(word)
    return {w for w in near - {word} if skeleton(w) == token.skeleton and phonetic(w) != code}


def learned_variant(x: Token, y: Token) -> bool:
    """Two spellings joined only by the spelling key (Javed ~ Jawed, but also Javed ~ Jawad): no table or
    doubled letter says they are one name, so two such forenames can still be twins' names."""
    return (
        x.canon != y.canon
        and bool(x.skeleton)
        and x.skeleton == y.skeleton
        and x.formal.isdisjoint(y.formal)
        and _squeezed(x.canon) != _squeezed(y.canon)
    )


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """The result of aligning two token lists."""

    level: str  # exact / variant / diminutive / subset / fuzzy / initials / different / missing
    matched: tuple[tuple[Token, Token], ...]  # aligned pairs (shorter side first is not implied)


_LIST_LEVEL = {
    T_EXACT: "exact",
    T_VARIANT: "variant",
    T_DIMINUTIVE: "diminutive",
    T_FUZZY: "fuzzy",
    T_SIMILAR: "similar",
    T_ALIKE: "alike",
    T_INITIAL: "initials",
}


def compare_tokens(left: tuple[Token, ...], right: tuple[Token, ...]) -> TokenMatch:
    """Align two token lists in any order; every token of the shorter list must find a partner."""
    if not left or not right:
        return TokenMatch("missing", ())
    swap = len(left) > len(right)
    short, long_ = (right, left) if swap else (left, right)
    used = [False] * len(long_)
    pairs = []
    worst = T_EXACT
    in_order = True
    last = -1
    for s in short:
        best, best_j = T_NONE, -1
        for j, candidate in enumerate(long_):
            if used[j]:
                continue
            lvl = token_level(s, candidate)
            if lvl < best:
                best, best_j = lvl, j
                if lvl == T_EXACT:
                    break
        if best == T_NONE:
            return TokenMatch("different", ())
        used[best_j] = True
        if best_j < last:
            in_order = False
        last = best_j
        pairs.append((long_[best_j], s) if swap else (s, long_[best_j]))
        worst = max(worst, best)
    if all(s.is_initial for s in short) and not all(t.is_initial for t in long_):
        return TokenMatch("initials", tuple(pairs))
    if len(short) != len(long_):
        if worst <= T_DIMINUTIVE:
            return TokenMatch("subset", tuple(pairs))
        return TokenMatch(_LIST_LEVEL[worst], tuple(pairs))
    if worst == T_EXACT and not in_order:
        worst = T_VARIANT
    return TokenMatch(_LIST_LEVEL[worst], tuple(pairs))


# compare_tokens of token tuples that repeat across pairs (a surname such as Khan, a common forename), by the
# tuples' identity: parse_full_name shares equal tuples. Each entry holds its two tuples, so an id is never
# reused while its entry lives. Bounded; emptying it only costs recomputation.
MAX_TOKEN_MATCHES = 250_000
_token_matches: BoundedCache[tuple[int, int], tuple[tuple[Token, ...], tuple[Token, ...], TokenMatch]] = (
    BoundedCache(MAX_TOKEN_MATCHES)
)


def _compare_tokens_cached(left: tuple[Token, ...], right: tuple[Token, ...]) -> TokenMatch:
    """``compare_tokens``, remembered for the pair of tuple objects."""
    key = (id(left), id(right))
    hit = _token_matches.get(key)
    if hit is not None and hit[0] is left and hit[1] is right:
        return hit[2]
    found = compare_tokens(left, right)
    _token_matches.put(key, (left, right, found))
    return found


def letters_one_apart(left: tuple[Token, ...], right: tuple[Token, ...], shortest: int = 4) -> bool:
    """Two forename lists whose letters, spaces and hyphens aside, are one edit apart (Cobuy / Coby,
    "Lachlq-Njohn" / "Lachlan-John"), at least `shortest` letters each, neither differing spelling a
    recognised name (Amir / Amin).
    Whether that is a slip or two names only the file's counts can say (``score.Scorer``)."""
    x, y = _joined(left), _joined(right)
    if x == y or min(len(x), len(y)) < shortest or abs(len(x) - len(y)) > 1:
        return False
    xs, ys = {t.raw for t in left}, {t.raw for t in right}
    if any(t.known for t in left if t.raw not in ys) or any(t.known for t in right if t.raw not in xs):
        return False  # a recognised name is a name, not a slip
    return OSA.distance(x, y, score_cutoff=1) <= 1


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_spellings(word: str) -> set[str]:
    """Every spelling one typo from `word`: a letter left out, added, changed, or two side by side swapped."""
    halves = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in halves if b}
        | {a + b[1] + b[0] + b[2:] for a, b in halves if len(b) > 1}
        | {a + c + b[1:] for a, b in halves if b for c in _LETTERS}
        | {a + c + b for a, b in halves for c in _LETTERS}
    ) - {word}


def surname_slip_lookups(
    a: PreparedRecord, others: Iterable[PreparedRecord], shortest: int = 3
) -> set[tuple[str, str]]:
    """The surname counts a search's reading of a surname slip (score.Scorer with slips_by_counts) asks for
    when `a` meets `others`: both surnames of every pair one edit apart (surnames_one_apart), so a caller
    reads them in one statement before scoring (most searches meet none, and read nothing more)."""
    wanted: set[tuple[str, str]] = set()
    for form in a.names:
        if len(form.family) != 1:
            continue
        for other in others:
            for other_form in other.names:
                pair = surnames_one_apart(form, other_form, shortest)
                if pair is not None:
                    wanted.update(("surname", token.canon) for token in pair)
    return wanted


def surnames_one_apart(left: NameForm, right: NameForm, shortest: int = 3) -> tuple[Token, Token] | None:
    """The two surnames, when each is one word of at least `shortest` letters and they are one edit apart
    (Sah / Shah). Whether that is a slip or two surnames only the counts can say (``score.Scorer``)."""
    if len(left.family) != 1 or len(right.family) != 1:
        return None
    x, y = left.family[0], right.family[0]
    if x.canon == y.canon or min(len(x.canon), len(y.canon)) < shortest:
        return None
    return (x, y) if OSA.distance(x.canon, y.canon, score_cutoff=1) <= 1 else None


# Twins' numbers were issued together: consecutively (1 apart), a family's children a few apart. A slip
# in the units digit is within this too and cannot be told apart; one in any other digit is 10 or more off,
# and two neighbouring digits swapped move a number by a multiple of 9: 8 is the most no swap reaches.
ISSUE_GAP = 8
_DIGIT = re.compile(r"[0-9]")


def numbers_issued_in_sequence(x: str, y: str) -> bool:
    """Two identity numbers (NI cores or another scheme's) that could have been issued together: the same
    letters in the same places and numeric parts at most ISSUE_GAP apart in value (AB123459 / AB123460, across
    a carry). A digit changed higher up (AB123456 / AB173456) or two digits swapped (AB123465) is a typing
    slip."""
    if x == y or len(x) != len(y) or _DIGIT.sub("#", x) != _DIGIT.sub("#", y):
        return False
    digits_x, digits_y = "".join(_DIGIT.findall(x)), "".join(_DIGIT.findall(y))
    return bool(digits_x) and abs(int(digits_x) - int(digits_y)) <= ISSUE_GAP


def licences_issued_in_sequence(x: str, y: str) -> bool:
    """Two licence numbers as twins' are: the same surname, birth date and sex, so one character apart only in
    the initials DVLA derives from the forenames. One character off anywhere else is a typing slip."""
    if len(x) != len(y):
        return False
    differ = [i for i, (cx, cy) in enumerate(zip(x, y, strict=True)) if cx != cy]
    return len(differ) == 1 and DVLA_INITIALS.start <= differ[0] < DVLA_INITIALS.stop


def numbers_two_apart(a: PreparedRecord, b: PreparedRecord) -> bool:
    """Identity numbers, at least one not a valid NI number, exactly two edits apart (9030076 / 9036067)."""
    x, y = a.ni_core, b.ni_core
    if not x or not y or (a.ni_valid and b.ni_valid):
        return False
    return OSA.distance(x, y, score_cutoff=2) == 2


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The best reading of two records' names (over every current, previous and alias name)."""

    surname: str  # surname level
    forenames: str  # forenames level
    surname_key: str  # canonical surname for frequency lookup ("" when not TF-eligible)
    forename_tokens: tuple[str, ...]  # canonical forename tokens that agreed (for frequency lookup)
    left: NameForm | None
    right: NameForm | None
    surname_pairs: tuple[tuple[Token, Token], ...] = ()
    forename_pairs: tuple[tuple[Token, Token], ...] = ()


_SURNAME_FROM_LIST = {
    "exact": "exact",
    "variant": "variant",
    "diminutive": "variant",
    "subset": "partial",
    "fuzzy": "fuzzy",
    "similar": "similar",
    "alike": "alike",
    "initials": "different",
    "different": "different",
    "missing": "missing",
}


def _forename_tokens(pairs: tuple[tuple[Token, Token], ...]) -> tuple[str, ...]:
    return tuple(sorted({x.canon for x, _ in pairs if not x.is_initial}))


_LOOSE_SURNAME = frozenset({"different", "partial", "fuzzy", "similar", "alike"})
_FIRM = frozenset({"exact", "variant", "subset"})
_SLIPPED = frozenset({"variant", "diminutive", "fuzzy", "similar", "alike"})


def _surname_key(tokens) -> str:
    """The surname counted for a partial or reordered reading: its tokens' canonical forms, sorted."""
    return " ".join(sorted({t.canon for t in tokens}))


def name_count_lookups(a: PreparedRecord, most_tokens: int = 4) -> set[tuple[str, str]]:
    """The (kind, term) counts ``compare_names(a, b)`` may ask of the frequencies for any b, so a caller
    can read them in one statement: each name's surname, every set of up to `most_tokens` of its tokens
    read as a surname (partial and reordered readings), and each token as a forename. Not b's own surname,
    counted when b is written in fewer surname words."""
    wanted: set[tuple[str, str]] = set()
    for form in a.names:
        tokens = list({t.canon: t for t in form.given + form.family}.values())
        wanted.add(("surname", form.surname_key))
        wanted.update(("forename", t.canon) for t in tokens if not t.is_initial)
        for size in range(1, min(len(tokens), most_tokens) + 1):
            wanted.update(("surname", _surname_key(chosen)) for chosen in combinations(tokens, size))
    return wanted


def _joined(tokens: tuple[Token, ...]) -> str:
    return "".join(t.raw for t in tokens)


def _readings(x: NameForm, y: NameForm, weights: dict[str, dict[str, float]]):
    """Direct, swapped (surname given as a forename and vice versa) and whole-name readings."""
    sur = _compare_tokens_cached(x.family, y.family)
    fore = _compare_tokens_cached(x.given, y.given)
    s_level = _SURNAME_FROM_LIST[sur.level]
    yield s_level, fore.level, sur.matched, fore.matched
    if fore.level == "different" and len(x.given) != len(y.given):
        joined_x, joined_y = _joined(x.given), _joined(y.given)
        if joined_x == joined_y:
            yield s_level, "variant", sur.matched, ()  # a stray space: "Soph Ie" is "Sophie", not a twin
        elif min(len(joined_x), len(joined_y)) >= 8 and OSA.distance(joined_x, joined_y, score_cutoff=1) <= 1:
            yield s_level, "fuzzy", sur.matched, ()  # and a slip: "Agdul Majid" is "Abdulmajid"
    fx = x.family_words or tuple(t.raw for t in x.family)
    fy = y.family_words or tuple(t.raw for t in y.family)
    if len(fx) != len(fy) and "".join(fx) == "".join(fy):
        yield "variant", fore.level, (), fore.matched  # the same in a surname: "Crou Ch" is "Crouch"
    if x.given and y.given and x.family and y.family and s_level in _LOOSE_SURNAME:
        cross_sur = _compare_tokens_cached(x.family, y.given)
        cross_fore = _compare_tokens_cached(x.given, y.family)
        if cross_sur.level in _FIRM and cross_fore.level not in ("different", "missing"):
            yield "reordered", cross_fore.level, cross_sur.matched, cross_fore.matched
        elif cross_fore.level in _FIRM and cross_sur.level in _SLIPPED:
            # Swapped, and the name now in the forenames field has the slip: "Challenor, Nathqn" and
            # "Nathan Challenor". The firm side is the surname evidence, the slipped side the forenames'.
            yield "reordered", cross_sur.level, cross_fore.matched, cross_sur.matched
        whole = compare_tokens(x.all_tokens, y.all_tokens)
        if whole.level in ("exact", "variant", "subset") and len(whole.matched) >= 2:
            s_pairs = tuple(p for p in whole.matched if p[0] in x.family)
            f_pairs = tuple(p for p in whole.matched if p[0] not in x.family)
            yield "reordered", "subset", s_pairs, f_pairs


def compare_names(
    a: PreparedRecord, b: PreparedRecord, weights: dict[str, dict[str, float]]
) -> NameComparison:
    """Best surname + forenames reading over all name pairs, judged by the levels' base weights.

    Not cached here: the scorer caches per settings object and pair of name ids (see ``score.Scorer``)."""
    if a.names_id == b.names_id and len(a.names) == 1 and a.names[0].given and a.names[0].family:
        x = a.names[0]  # the same name as written: nothing to align
        return NameComparison(
            "exact",
            "exact",
            x.surname_key,
            _forename_tokens(tuple(zip(x.given, x.given, strict=True))),
            x,
            x,
            tuple(zip(x.family, x.family, strict=True)),
            tuple(zip(x.given, x.given, strict=True)),
        )
    best = None
    best_score = -1e9
    sw, fw = weights["surname"], weights["forenames"]
    for x in a.names:
        for y in b.names:
            for s_level, f_level, s_pairs, f_pairs in _readings(x, y, weights):
                score = sw[s_level] + fw[f_level]
                if score > best_score:
                    best_score = score
                    best = (s_level, f_level, x, y, s_pairs, f_pairs)
    if best is None:
        return NameComparison("missing", "missing", "", (), None, None)
    s_level, f_level, x, y, s_pairs, f_pairs = best
    if s_level in ("exact", "variant"):
        # The side written in fewer words: "Crouch", not the "crou" of "Crou Ch", is the name to count.
        s_key = x.surname_key if len(x.family_words) <= len(y.family_words) else y.surname_key
    elif s_level in ("partial", "reordered"):
        s_key = _surname_key(p[0] for p in s_pairs)
    else:
        s_key = ""
    return NameComparison(
        surname=s_level,
        forenames=f_level,
        surname_key=s_key,
        forename_tokens=_forename_tokens(f_pairs),
        left=x,
        right=y,
        surname_pairs=s_pairs,
        forename_pairs=f_pairs,
    )


def initials_of(form: NameForm) -> str:
    """DVLA-style initials of a name form (used in explanations)."""
    return dvla_initials(" ".join(t.raw for t in form.given))
