"""The assistant's model: what a complaint's words say of its department, category and
urgency.

Two bags of features read the words (`Reading`): character n-grams within words (2 to 5
characters: they carry misspellings, inflections and mixed scripts - "transformer",
"trasformer", "ट्रांसफार्मर" share much) and words and word pairs, each weighted by TF-IDF.
Two linear models read the features: a multinomial logistic regression over the categories
(`DEPARTMENT/category`), and a binary one for risk to life or safety. A model is plain
numbers (vocabularies, IDF weights, coefficients, thresholds), so it is stored as arrays in
PostgreSQL (`assist/store.py`), never as a pickle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assist import hazards
from assist.wording import normalise

if TYPE_CHECKING:  # imported where a model is built or read (~1.2 s a process otherwise)
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

# A word: letters, digits and the Devanagari signs (matras, virama, anusvara), which
# Python's `\w` does not count as letters and would cut a Hindi word at; not the danda.
WORD_PATTERN = r"[\w\u0900-\u0963\u0966-\u097f]{2,}"
CHARACTERS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "sublinear_tf": True,
    "lowercase": False,  # `normalise` has done it
    "dtype": np.float32,
}
WORDS: dict[str, Any] = {
    "analyzer": "word",
    "token_pattern": WORD_PATTERN,
    "ngram_range": (1, 2),
    "sublinear_tf": True,
    "lowercase": False,
    "dtype": np.float32,
}
MAX_CHARACTER_FEATURES = 200_000
MAX_WORD_FEATURES = 60_000


@dataclass(frozen=True)
class Bag:
    """One bag of features: a fitted vectoriser's vocabulary (in column order) and IDF."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray

    def vectoriser(self, settings: dict[str, Any]) -> TfidfVectorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectoriser = TfidfVectorizer(
            **settings, vocabulary={term: i for i, term in enumerate(self.vocabulary)}
        )
        vectoriser.idf_ = self.idf
        return vectoriser

    @classmethod
    def fitted(cls, vectoriser: TfidfVectorizer) -> Bag:
        terms = vectoriser.get_feature_names_out()
        return cls(tuple(str(t) for t in terms), np.asarray(vectoriser.idf_, dtype=np.float32))


@dataclass
class Reading:
    """The two bags together: text in, one sparse row of features out."""

    characters: Bag
    words: Bag
    _vectorisers: tuple[TfidfVectorizer, TfidfVectorizer] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def width(self) -> int:
        return len(self.characters.vocabulary) + len(self.words.vocabulary)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        if self._vectorisers is None:
            self._vectorisers = (
                self.characters.vectoriser(CHARACTERS),
                self.words.vectoriser(WORDS),
            )
        import scipy.sparse as sp

        normalised = [normalise(t) for t in texts]
        chars, words = self._vectorisers
        return sp.hstack([chars.transform(normalised), words.transform(normalised)], format="csr")

    @classmethod
    def learned(cls, texts: Sequence[str]) -> Reading:
        from sklearn.feature_extraction.text import TfidfVectorizer

        normalised = [normalise(t) for t in texts]
        chars = TfidfVectorizer(**CHARACTERS, max_features=MAX_CHARACTER_FEATURES)
        words = TfidfVectorizer(**WORDS, max_features=MAX_WORD_FEATURES)
        chars.fit(normalised)
        words.fit(normalised)
        return cls(Bag.fitted(chars), Bag.fitted(words), (chars, words))


@dataclass(frozen=True)
class Suggestion:
    department: str
    category: str
    score: float  # the model's probability of this category, 0 to 1


@dataclass(frozen=True)
class Urgency:
    flag: bool
    score: float
    reasons: tuple[str, ...]  # when flagged: the hazards told of, then the weightiest words


@dataclass(frozen=True)
class Judgement:
    suggestions: tuple[Suggestion, ...]
    urgent: Urgency
    confident: bool  # the top suggestion's score reaches the routing threshold
    model_version: int | None
    route_threshold: float


@dataclass
class Model:
    """A trained model: its reading, its two linear models and its two thresholds."""

    reading: Reading
    labels: tuple[str, ...]  # `DEPARTMENT/category`, one per row of `coefficients`
    coefficients: np.ndarray  # labels x features, float32
    intercepts: np.ndarray  # labels
    urgent_coefficients: np.ndarray  # features
    urgent_intercept: float
    route_threshold: float  # a top score at or above it routes the complaint unattended
    urgent_threshold: float  # an urgency score at or above it raises the priority
    version: int | None = None  # given when stored
    facts: dict[str, Any] = field(default_factory=dict)  # what it was trained on, how long
    # The words that may be given as reasons: met in at least two urgent examples (a place
    # named once in an urgent complaint is no reason).
    reason_terms: frozenset[str] = frozenset()
    # Each hazard's weight in the urgency score (`assist/hazards.py`), by name, learned beside
    # the words' coefficients; a hazard the model does not know weighs nothing.
    hazard_weights: dict[str, float] = field(default_factory=dict)

    def hazard_column(self) -> np.ndarray:
        """The hazards' weights in `hazards.HAZARDS` order."""
        return np.array([self.hazard_weights.get(n, 0.0) for n in hazards.NAMES], np.float32)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's probability of every label (rows: texts; columns: `labels`)."""
        x = self.reading.features(texts)
        return _softmax(np.asarray(x @ self.coefficients.T) + self.intercepts)

    def judge(self, texts: Sequence[str], *, top: int | None = 3) -> list[Judgement]:
        """Each text's judgement: its `top` suggestions, best first (None: every label)."""
        if not texts:
            return []
        x = self.reading.features(texts)
        scores = _softmax(np.asarray(x @ self.coefficients.T) + self.intercepts)
        urgent_raw = (
            np.asarray(x @ self.urgent_coefficients).ravel()
            + hazards.matrix(texts) @ self.hazard_column()
            + self.urgent_intercept
        )
        urgent_scores = 1.0 / (1.0 + np.exp(-urgent_raw))
        judgements = []
        for row in range(len(texts)):
            ranked = np.argsort(-scores[row])[: top or len(self.labels)]
            suggestions = tuple(
                Suggestion(*_split(self.labels[i]), round(float(scores[row, i]), 4)) for i in ranked
            )
            flag = bool(urgent_scores[row] >= self.urgent_threshold)
            judgements.append(
                Judgement(
                    suggestions=suggestions,
                    urgent=Urgency(
                        flag=flag,
                        score=round(float(urgent_scores[row]), 4),
                        reasons=self._reasons(texts[row], x.getrow(row)) if flag else (),
                    ),
                    confident=suggestions[0].score >= self.route_threshold,
                    model_version=self.version,
                    route_threshold=self.route_threshold,
                )
            )
        return judgements

    def _reasons(self, text: str, row: sp.csr_matrix, most: int = 3) -> tuple[str, ...]:
        """Why a complaint is urgent: first the hazards it tells of, each named with the
        words that told of it, most weighty first; then the words (not character pieces: a
        reader cannot weigh those) whose presence added most to the score, up to `most`."""
        told = [reason for _, reason in sorted(hazards.reasons(text, self.hazard_weights))[::-1]]
        offset = len(self.reading.characters.vocabulary)
        found = []
        for column, value in zip(row.indices, row.data, strict=True):
            if column >= offset:
                added = float(value * self.urgent_coefficients[column])
                term = self.reading.words.vocabulary[column - offset]
                if added > 0 and term in self.reason_terms:
                    found.append((added, term))
        found.sort(reverse=True)
        return (*told, *(term for _, term in found[:most]))


def _split(label: str) -> tuple[str, str]:
    department, _, category = label.partition("/")
    return department, category


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))
