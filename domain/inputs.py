"""What may come in: the rules for text, mobile numbers, codes, ratings, days and sizes.

Every way in (the JSON API, the report page's form, the WhatsApp webhook, the CLI and the
directory loader) applies these same rules, so one value gets one answer wherever it comes
from. A broken value is an `InvalidCommand` naming the field; a good one comes back in its
stored form (free text in Unicode NFC, line ends as `\\n`).

Free text refuses control characters (NUL first: PostgreSQL cannot store it) except, in text
that may hold lines, tab and line ends; it refuses lone surrogates, which no encoder writes;
and it is bounded per kind, counted in characters after normalising.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from domain.errors import InvalidCommand

# Characters no text of ours holds: C0 and C1 controls, DEL, and surrogates (never valid
# alone in UTF-8). Text on one line refuses line and paragraph separators too.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
_ONE_LINE = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
_REFUSED_IN_LINES = re.compile(f"[{_CONTROLS}]")
_REFUSED_ON_ONE_LINE = re.compile(f"[{_ONE_LINE}]")
# As published in the API schema: the same, less the surrogates, which JSON text in UTF-8
# cannot carry anyway and which schema-driven generators cannot read in a pattern.
_SURROGATES = r"\ud800-\udfff"


@dataclass(frozen=True)
class Text:
    """A kind of free text a person writes: a name, a subject, a description, a reason."""

    kind: str
    max_length: int
    min_length: int = 1
    lines: bool = False  # whether it may hold several lines (and tabs)

    @property
    def pattern(self) -> str:
        """The characters allowed, as a regular expression (published in the API schema)."""
        refused = _CONTROLS if self.lines else _ONE_LINE
        return f"^[^{refused.replace(_SURROGATES, '')}]*$"

    def clean(self, value: str, field: str) -> str:
        """The text as stored: NFC, `\\n` line ends; or `InvalidCommand` naming `field`."""
        if not isinstance(value, str):
            raise InvalidCommand(f"{field} must be text", field=field)
        refused = _REFUSED_IN_LINES if self.lines else _REFUSED_ON_ONE_LINE
        if self.lines:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        found = refused.search(value)
        if found is not None:
            raise InvalidCommand(
                f"{field} must not contain the control character U+{ord(found.group()):04X}",
                field=field,
            )
        value = unicodedata.normalize("NFC", value)
        if len(value) > self.max_length:
            raise InvalidCommand(
                f"{field} is a {self.kind} of at most {self.max_length} characters", field=field
            )
        if self.min_length and not value.strip():
            raise InvalidCommand(f"{field} must not be blank", field=field)
        if len(value) < self.min_length:
            raise InvalidCommand(
                f"{field} needs at least {self.min_length} characters", field=field
            )
        return value


NAME = Text("name", 200)  # a person's, an office's or a place's name
SHORT_TEXT = Text("short text", 300)  # a complaint's subject
LONG_TEXT = Text("long text", 10_000, lines=True)  # a description, the action taken, a comment
REASON = Text("reason", 2_000, lines=True)  # why a complaint moved; a review's note
COMMENT = Text("comment", 2_000, min_length=0, lines=True)  # the complainant's, on feedback
ADDRESS = Text("address", 1_000, min_length=0, lines=True)
FILE_NAME = Text("file name", 255)
MEDIA_TYPE = Text("media type", 100, min_length=3)
SEARCH_WORDS = Text("search words", 200)
WHATSAPP_TEXT = Text("WhatsApp message", 4_096, min_length=0, lines=True)  # the provider's limit
IDENTIFIER = Text("identifier", 255)  # an actor's id, a provider's message id
PARAMETER = Text("query parameter", 2_000)  # anything in a URL's query, before its own rule


@dataclass(frozen=True)
class Shape:
    """A value written in a fixed alphabet: a code, a mobile number, a hash."""

    kind: str
    regex: str
    max_length: int
    description: str

    @property
    def pattern(self) -> str:
        return f"^{self.regex}$"

    def clean(self, value: str, field: str) -> str:
        if (
            not isinstance(value, str)
            or len(value) > self.max_length
            or re.fullmatch(self.regex, value) is None
        ):
            raise InvalidCommand(f"{field} must be {self.description}", field=field)
        return value


CODE = Shape(
    "code",
    r"[A-Za-z0-9][A-Za-z0-9_-]*",
    64,
    "a code of 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit",
)
MOBILE = Shape("mobile number", r"[6-9][0-9]{9}", 10, "a ten-digit mobile number starting 6-9")
_EMAIL_PART = r"[^@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
EMAIL = Shape(
    "email address",
    # Spaces written out (not `\s`, which Python and JSON Schema read differently).
    f"{_EMAIL_PART}+@{_EMAIL_PART}+\\.{_EMAIL_PART}+",
    254,
    "an email address of at most 254 characters",
)
SHA256 = Shape("SHA-256", r"[0-9a-f]{64}", 64, "a SHA-256 digest in lower-case hex")

MIN_RATING, MAX_RATING = 1, 5


def rating(value: object, field: str = "rating") -> int:
    """A rating of the action taken: a whole number from 1 to 5 (digits as text are read)."""
    if isinstance(value, str):
        digits = value.strip()
        value = int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 3 else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidCommand(f"{field} is a whole number from 1 to 5", field=field)
    if not MIN_RATING <= value <= MAX_RATING:
        raise InvalidCommand(f"{field} is a whole number from 1 to 5", field=field)
    return value


def whatsapp_mobile(value: object, field: str = "from") -> str:
    """The ten-digit mobile number of a WhatsApp sender (`91` and 10 digits, or 10 digits)."""
    text = value if isinstance(value, str) else ""
    if len(text) == 12 and text.startswith("91"):
        text = text[2:]
    return MOBILE.clean(text, field)


def dialled_mobile(value: object, field: str = "mobile") -> str:
    """A mobile number as a caller reads it out or a desk agent types it: spaces, hyphens,
    dots or brackets between the digits, and `+91`, `0091`, `91` or a trunk `0` in front;
    its ten digits, held to `MOBILE`, which is how every filing stores it."""
    digits = re.sub(r"[\s().-]", "", value) if isinstance(value, str) else ""
    for prefix in ("+91", "0091", "91", "0"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = digits[len(prefix) :]
            break
    return MOBILE.clean(digits, field)


# Days and moments the system reasons about: filings, disposals, reports. Anything outside
# is a mistake (or an attack on date arithmetic), not a question to answer.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def day(value: date, field: str) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidCommand(
            f"{field} must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}",
            field=field,
        )
    return value


def moment(value: datetime, field: str) -> datetime:
    """A point in time: with its timezone, within the days above."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidCommand(f"{field} needs a timezone, e.g. 2026-11-01T00:00:00Z", field=field)
    if not FIRST_DAY <= value.date() <= LAST_DAY:  # its own date: no arithmetic that overflows
        raise InvalidCommand(
            f"{field} must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}",
            field=field,
        )
    return value


# Sizes: how much one command may carry.
MAX_ATTACHMENTS_AT_FILING = 10
MAX_EVIDENCE = 20
MIN_FILE_BYTES = 1
