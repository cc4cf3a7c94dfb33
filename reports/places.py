"""The names and places the documents draw: each district's tile on the state's tile map
and the short Hindi names of districts and departments that fit the documents' tables
(`data/report_places.json`); anything the table does not name is shown by the directory's
name in the language (its Hindi `name_hi` where given), then by its code. Categories and
posts are named by the directory alone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from domain.directory import Directory, in_hindi

PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "report_places.json"


@dataclass(frozen=True)
class Tile:
    """A district's square on the tile map: row 0 is the north, column 0 the west."""

    district: str
    row: int
    column: int
    names: dict[str, str]  # short name by language, to fit a tile


@cache
def _places() -> dict[str, Any]:
    places: dict[str, Any] = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    return places


def tiles() -> list[Tile]:
    return [
        Tile(code, place["row"], place["column"], {"hi": place["hi"], "en": place["en"]})
        for code, place in _places()["districts"].items()
    ]


def district_name(directory: Directory, code: str, language: str) -> str:
    if language == "hi" and code in _places()["districts"]:
        return str(_places()["districts"][code]["hi"])
    district = directory.districts.get(code)
    return in_hindi(district.name, district.name_hi, language) if district else code


def department_name(directory: Directory, code: str, language: str) -> str:
    if language == "hi" and code in _places()["departments"]:
        return str(_places()["departments"][code]["hi"])
    department = directory.departments.get(code)
    return in_hindi(department.name, department.name_hi, language) if department else code


def category_name(directory: Directory, department: str, code: str, language: str) -> str:
    category = directory.category(department, code)
    return in_hindi(category.name, category.name_hi, language) if category else code


def post_name(directory: Directory, post_id: str, language: str) -> str:
    """A post by its designation in the language (a district post's names its district)."""
    post = directory.posts.get(post_id)
    return in_hindi(post.designation, post.name_hi, language) if post else post_id
