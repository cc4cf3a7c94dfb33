"""HTML pages, rendered by Jinja2 from `api/templates/` with auto-escaping always on.

Whatever a value holds (a complaint's text, a token, a notice), it is escaped for where it
lands: no page is built by string formatting. Templates name what they need; a value they
are not given is an error (StrictUndefined), not an empty string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **values: Any) -> str:
    return _environment().get_template(template).render(**values)
