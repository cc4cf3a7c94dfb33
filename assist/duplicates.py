"""Is this the same grievance as that one? (`docs/assist.md`, "Duplicates").

Two complaints are compared on three things, in any script:

- the topic: the classifier's probabilities of every category, compared as vectors (the model
  learned Hindi, English and Hinglish alike, so "transformer burnt" and "ट्रांसफार्मर जल गया"
  land on the same category); without a model, the words' sound-keys in common;
- the place: the words that are rare in the seed corpus (names of villages, wards, sectors,
  landmarks), each reduced to a sound-key that Devanagari and Roman letters share
  ("Hamirgarh" and "हमीरगढ़" are both `hmrgr`). Two texts that both name places and share
  none are about two places: the score is cut to a fraction (`ELSEWHERE`);
- the person: the same mobile number counts strongly (`SAME_PERSON`);
- the points on the map, when both complaints have one (`by_points`): within `NEAR_KM` they
  are one spot, which counts as places named in common (the place term is whole, and
  differing names do not cut it); `FAR_KM` or more apart they are two places and the score
  is cut as above. Between the two, and without two points, the words decide.

`THRESHOLD` is set on the first half of `data/assist/duplicates.jsonl` and measured on the
second (bench/assist.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

from domain.location import distance_km

DUPLICATE_PAIRS = Path(__file__).resolve().parents[1] / "data" / "assist" / "duplicates.jsonl"

TOPIC_WEIGHT = 0.55
PLACE_WEIGHT = 0.45
SAME_PERSON = 0.35  # added when the mobile numbers are the same
ELSEWHERE = 0.3  # the score is multiplied by this when both name places and share none
NEAR_KM = 0.3  # two points this close are one spot (a hand pump, a transformer, a lane)
FAR_KM = 3.0  # two points this far apart are two places, whatever the words say
THRESHOLD = 0.9  # chosen on the first half of the pairs (`choose_threshold`, bench/assist.py)
COMMON_SHARE = 0.01  # a sound-key met in this share of seed complaints is a common word
COMMON_DISTRICTS = 6  # ... or one met in complaints of this many districts

_CONSONANTS = {
    "क": "k", "ख": "k", "ग": "g", "घ": "g", "ङ": "n", "च": "ch", "छ": "ch", "ज": "j", "झ": "j",
    "ञ": "n", "ट": "t", "ठ": "t", "ड": "d", "ढ": "d", "ण": "n", "त": "t", "थ": "t", "द": "d",
    "ध": "d", "न": "n", "प": "p", "फ": "f", "ब": "b", "भ": "b", "म": "m", "य": "y", "र": "r",
    "ल": "l", "व": "v", "श": "s", "ष": "s", "स": "s", "ह": "h", "ळ": "l",
}  # fmt: skip
_NASALS = {"\u0902", "\u0901"}  # anusvara, chandrabindu
_NUKTA = {"ड": "r", "ढ": "r", "ज": "z", "फ": "f", "क": "k", "ख": "k", "ग": "g"}
_ROMAN = [
    (r"chh|ch", "C"), (r"c", "k"), (r"C", "c"), (r"sh", "s"), (r"ph", "f"), (r"w", "v"),
    (r"q", "k"), (r"z", "j"), (r"m([bp])", r"n\1"),
    (r"([bcdfgjklmnprstvz])h", r"\1"), (r"(.)\1", r"\1"),
]  # fmt: skip
# Capitalised words that name no place: the months and days.
NOT_PLACES = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_WORD = re.compile(r"[\w\u0900-\u097f]+")


def _devanagari(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        if ch in _CONSONANTS:
            nukta = i + 1 < len(word) and word[i + 1] == "\u093c"
            out.append(_NUKTA.get(ch, _CONSONANTS[ch]) if nukta else _CONSONANTS[ch])
        elif ch in _NASALS and i + 1 < len(word) and word[i + 1] in _CONSONANTS:
            out.append("n")  # a nasal before a consonant: सांगानेर is Sanganer
        elif "0" <= ch <= "9" or "\u0966" <= ch <= "\u096f":
            out.append(str(unicodedata.digit(ch)))
    return "".join(out)


def sound_key(word: str) -> str:
    """The consonants of a word as it sounds, in Roman letters, whatever its script."""
    word = unicodedata.normalize("NFD", word.lower())
    if any("\u0900" <= ch <= "\u097f" for ch in word):
        key = _devanagari(word)
    else:
        key = "".join(ch for ch in word if ch.isascii() and ch.isalnum())
        if key and not key.isdigit():
            head, rest = key[0], re.sub(r"[aeiouy]", "", key[1:])
            key = head + rest if head not in "aeiouy" else rest
    for pattern, to in _ROMAN:
        key = re.sub(pattern, to, key)
    return re.sub(r"h$", "", key) if len(key) > 2 else key


@lru_cache(maxsize=65_536)
def sound_key_of(word: str) -> str:
    return sound_key(word)


@lru_cache(maxsize=4096)
def keys(text: str) -> frozenset[str]:
    return frozenset(k for w in _WORD.findall(text) if len(k := sound_key_of(w)) >= 2)


@cache
def common_keys() -> frozenset[str]:
    """Sound-keys of the words of grievances, not names of places: met in `COMMON_SHARE` or
    more of the seed complaints, or in complaints of `COMMON_DISTRICTS` or more districts
    (a village or a colony belongs to one district; "puliya", "tanker", "CHC" to all)."""
    from assist import corpus

    seen: Counter[str] = Counter()
    districts: dict[str, set[str | None]] = {}
    examples = corpus.seed()
    for example in examples:
        found = keys(example.text)
        seen.update(found)
        for key in found:
            districts.setdefault(key, set()).add(example.district)
    return frozenset(
        k
        for k, n in seen.items()
        if n >= COMMON_SHARE * len(examples) or len(districts[k]) >= COMMON_DISTRICTS
    )


_SENTENCE = re.compile(r"(?:^|[.!?।\n]\s*)([\w\u0900-\u097f]+)")


def places(text: str) -> frozenset[str]:
    """Sound-keys of the words that name places: rare in the seed corpus, and in Roman letters
    capitalised inside a sentence (unless the text is written all in small letters, as
    Hinglish often is)."""
    return _place_words(text)[0]


def places_named_by(text: str, other: str) -> frozenset[str]:
    """`text`'s places, and a rare capitalised word opening one of its sentences ("Sanganer
    ward 5 me ...") when `other` names that place: its capital alone cannot tell a place from
    the first word of a sentence, the other complaint can."""
    named, opening = _place_words(text)
    return named | (opening & places(other))


@lru_cache(maxsize=4096)
def _place_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of `text`'s places, and of the rare capitalised Roman words it has only at
    the opening of a sentence (maybe places, maybe not)."""
    lower = text == text.lower() or not any(c.isupper() for c in text if c.isascii())
    first = {m.start(1) for m in _SENTENCE.finditer(text)}  # where sentences begin
    found, opening = set(), set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        key = sound_key_of(word)
        if len(key) < 2 or key.isdigit() or key in common_keys() or word.lower() in NOT_PLACES:
            continue
        roman = word.isascii()
        if roman and not lower and not word[0].isupper():
            continue
        if roman and not lower and match.start() in first:
            opening.add(key)  # one capitalised inside a sentence elsewhere still counts
            continue
        found.add(key)
    return frozenset(found), frozenset(opening - found)


@dataclass(frozen=True)
class Complaint:
    """What is compared of a complaint."""

    text: str  # subject and description
    mobile: str | None = None
    topic: Sequence[float] | None = None  # the classifier's probability of every category
    point: tuple[float, float] | None = None  # latitude, longitude (`domain/location.py`)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = (sum(x * x for x in a) * sum(y * y for y in b)) ** 0.5
    return dot / norm if norm else 0.0


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def score(one: Complaint, other: Complaint) -> float:
    """0 to 1: how likely `other` is `one` filed again."""
    if one.topic is not None and other.topic is not None:
        topic = _cosine(one.topic, other.topic)
    else:
        topic = _overlap(keys(one.text) - places(one.text), keys(other.text) - places(other.text))
    here, there = places_named_by(one.text, other.text), places_named_by(other.text, one.text)
    points = by_points(one, other)
    place = 1.0 if points == "near" else _overlap(here, there)
    found = TOPIC_WEIGHT * topic + PLACE_WEIGHT * place
    if points == "far" or (points is None and here and there and not here & there):
        found *= ELSEWHERE
    if one.mobile and one.mobile == other.mobile:
        found += SAME_PERSON
    return round(min(found, 1.0), 4)


def by_points(one: Complaint, other: Complaint) -> Literal["near", "far"] | None:
    """What the two points say: one spot (`near`), two places (`far`), or nothing (either
    has no point, or they lie between `NEAR_KM` and `FAR_KM` apart)."""
    if one.point is None or other.point is None:
        return None
    km = distance_km(one.point, other.point)
    if km <= NEAR_KM:
        return "near"
    return "far" if km >= FAR_KM else None


def pairs(path: Path = DUPLICATE_PAIRS) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def halves(found: Iterable[dict[str, object]]) -> tuple[list[dict[str, object]], ...]:
    """The pairs to choose the threshold on and to measure it on. The file holds them two by
    two (a duplicate and its near-miss, of one first complaint): lines 1-2, 5-6, ... choose,
    lines 3-4, 7-8, ... measure."""
    listed = list(found)
    return (
        [p for i, p in enumerate(listed) if i // 2 % 2 == 0],
        [p for i, p in enumerate(listed) if i // 2 % 2 == 1],
    )


def choose_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The score halfway between the highest near-miss and the next duplicate above it,
    where the fewest pairs are judged wrong (ties: the highest, for precision)."""
    values = sorted({s for s, _ in scored})
    cuts = [(a + b) / 2 for a, b in pairwise(values)] or values
    wrong = {cut: sum((s >= cut) != same for s, same in scored) for cut in cuts}
    best = min(wrong.values())
    return round(max(cut for cut, n in wrong.items() if n == best), 2)


@dataclass(frozen=True)
class Measured:
    threshold: float
    precision: float
    recall: float
    pairs: int


def measure(scored: Sequence[tuple[float, bool]], threshold: float) -> Measured:
    flagged = [same for s, same in scored if s >= threshold]
    duplicates = sum(same for _, same in scored)
    return Measured(
        threshold=threshold,
        precision=round(sum(flagged) / len(flagged), 3) if flagged else 1.0,
        recall=round(sum(flagged) / duplicates, 3) if duplicates else 1.0,
        pairs=len(scored),
    )
