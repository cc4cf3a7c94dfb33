"""How the assistant reads a text before anything else: one form for the many ways people
type the same words (`docs/assist.md`, "The model")."""

from __future__ import annotations

import re
import unicodedata

_REPEATS = re.compile(r"(.)\1{2,}")  # "bahuuut" is "bahut"; "!!!" is "!"
_NUKTA = "\u093c"


def normalise(text: str) -> str:
    """The words as the features read them: NFC, lower case, the nukta dropped (people
    write ज़ and ज alike), the chandrabindu as an anusvara, runs of one letter cut to one."""
    text = unicodedata.normalize("NFC", text)
    text = unicodedata.normalize("NFD", text).replace(_NUKTA, "")
    text = unicodedata.normalize("NFC", text).replace("\u0901", "\u0902").lower()
    return _REPEATS.sub(r"\1", text)
