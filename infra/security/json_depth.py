"""How deep a JSON text nests, measured before anything parses it.

Parsers recurse once per level: a body of 50,000 `[` exhausts the stack (a RecursionError in
msgspec and in the standard library's json). The scan below is linear in the body's size,
skips strings (a `[` inside one is text), and runs in C.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 32  # our deepest document (a WhatsApp webhook) nests 9 levels

_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)  # to its end, or the text's
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def too_deep(text: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest more than `limit` levels deep.

    Linear in the text, and every step runs in C: strings are cut out (an unterminated one
    runs to the end), the brackets left are counted as steps up and down, and the highest
    level is compared with the limit. A closing bracket too many makes the parser stop
    there, so no level after it is ever reached; counting on past it only undercounts.
    """
    if text.count(b"[") + text.count(b"{") <= limit:
        return False  # too few brackets to nest that deep: most bodies stop here
    brackets = _STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    if len(brackets) <= limit:
        return False
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit
