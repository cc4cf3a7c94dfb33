"""Directory names in Hindi (`name_hi`): given by the sample directory for every district,
department, category and post; read by the same rule as every other name; absent from
payloads stored before them, and then the name as recorded is shown."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from domain import master_data
from domain.directory import District, DistrictDefined, PostDefined, in_hindi
from domain.errors import InvalidCommand
from scripts.sample_directory import build
from tests.unit import world
from tests.unit.test_stored_events import mapper, stored


def devanagari(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("DEVANAGARI" in unicodedata.name(c, "") for c in letters)


def test_the_sample_directory_names_everything_in_hindi() -> None:
    sample = build()
    for part in ("districts", "departments", "categories", "posts"):
        records = sample[part]
        assert isinstance(records, list)
        missing = [r for r in records if not devanagari(r.get("name_hi") or "")]
        assert missing == [], f"{part} without a Hindi name: {missing[:3]}"
    jaipur = next(d for d in sample["districts"] if d["code"] == "JAI")  # type: ignore[union-attr]
    assert jaipur["name_hi"] == "जयपुर"
    l1 = next(p for p in sample["posts"] if p["id"] == "PHED-JAI-L1")  # type: ignore[union-attr]
    assert l1["name_hi"] == "सहायक अभियंता, जयपुर"


def test_a_reader_of_hindi_gets_the_hindi_name_and_falls_back_to_the_recorded_one() -> None:
    assert in_hindi("Jaipur", "जयपुर", "hi") == "जयपुर"
    assert in_hindi("Jaipur", "जयपुर", "en") == "Jaipur"
    assert in_hindi("Jaipur", None, "hi") == "Jaipur"


def test_a_hindi_name_obeys_the_rule_of_names() -> None:
    data = world.master_data()
    broken = (District("JAI", "Jaipur", "Jaipur", name_hi="जय\x00पुर"), *data.districts[1:])
    with pytest.raises(InvalidCommand) as refused:
        master_data.checked(dataclasses.replace(data, districts=broken))
    assert refused.value.field == "districts[0].name_hi"
    # Decomposed text is kept composed (NFC), as every name is.
    decomposed = unicodedata.normalize("NFD", "भीलवाड़ा")
    fine = (District("BHL", "Bhilwara", "Ajmer", name_hi=decomposed), *data.districts[1:])
    kept = master_data.checked(dataclasses.replace(data, districts=fine))
    assert kept.districts[0].name_hi == unicodedata.normalize("NFC", "भीलवाड़ा")


def test_directory_events_stored_before_hindi_names_read_without_them() -> None:
    district = mapper.to_domain_event(stored("domain.directory.DistrictDefined"))
    assert isinstance(district, DistrictDefined)
    assert district.district.name_hi is None
    post = mapper.to_domain_event(stored("domain.directory.PostDefined"))
    assert isinstance(post, PostDefined)
    assert post.post.name_hi is None


def test_the_documents_name_categories_and_posts_in_hindi_and_places_by_their_short_forms() -> None:
    from domain.directory import Category, Department, Directory
    from reports import places
    from tests.support import START

    directory = Directory.create(world.ROOT, START)
    directory.load(world.master_data(), world.ROOT, START)
    directory.define_department(
        Department("NEWDEPT", "New Department", "x", name_hi="नया विभाग"), world.ROOT, START
    )
    directory.define_category(
        Category("PHED", "water-supply", "Drinking water supply", name_hi="पेयजल आपूर्ति"),
        world.ROOT,
        START,
    )
    post = directory.posts["PHED-JAI-L1"]
    directory.define_post(
        dataclasses.replace(post, name_hi="सहायक अभियंता, जयपुर"), world.ROOT, START
    )
    assert places.category_name(directory, "PHED", "water-supply", "hi") == "पेयजल आपूर्ति"
    assert places.category_name(directory, "PHED", "water-supply", "en") == "Drinking water supply"
    assert places.post_name(directory, "PHED-JAI-L1", "hi") == "सहायक अभियंता, जयपुर"
    assert places.post_name(directory, "PHED-JAI-L1", "en") == post.designation
    # A department the documents' table of short names lacks: the directory's Hindi name.
    assert places.department_name(directory, "NEWDEPT", "hi") == "नया विभाग"
    # One the table has: its short form, to fit the tables.
    assert places.department_name(directory, "PHED", "hi") == "जन स्वास्थ्य अभियांत्रिकी"
