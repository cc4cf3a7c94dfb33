"""Where a complaint is (`domain/location.py`): one set of rules for every way in, a part
of it for analysts, and the points' say in finding duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assist.duplicates import THRESHOLD, Complaint, by_points, score
from domain.disclosure import location_shown
from domain.errors import InvalidCommand
from domain.events import Filed
from domain.location import Location, distance_km
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from tests.support import ANALYST, JAIPUR_WATER_OFFICER, citizen
from tests.unit.test_stored_events import stored

HAND_PUMP = (26.9124, 75.7873)  # Jaipur, by the hand pump
ACROSS_THE_LANE = (26.9130, 75.7879)  # about 90 m away
AJMER = (26.4499, 74.6399)


def test_a_full_location_is_kept_as_given_in_its_stored_form() -> None:
    found = Location.of(
        pincode="302001",
        latitude=26.91243219,
        longitude=75,
        ward="  वार्ड 12, Chandpole ",
        landmark="Hanuman mandir ke saamne",
    )
    assert found == Location(
        pincode="302001",
        latitude=26.912432,
        longitude=75.0,
        ward="वार्ड 12, Chandpole",
        landmark="Hanuman mandir ke saamne",
    )
    assert found.point == (26.912432, 75.0)


def test_nothing_given_is_no_location() -> None:
    assert Location.of() is None


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"pincode": "110001"}, "pincode"),  # Delhi
        ({"pincode": "300999"}, "pincode"),
        ({"pincode": "346000"}, "pincode"),
        ({"pincode": "30200"}, "pincode"),
        ({"pincode": "३०२००१"}, "pincode"),  # Devanagari digits are not a pincode
        ({"latitude": 26.9}, "longitude"),  # a point needs both
        ({"longitude": 75.8}, "latitude"),
        ({"latitude": 28.61, "longitude": 77.21 + 2}, "longitude"),  # east of the state
        ({"latitude": 19.07, "longitude": 72.87}, "latitude"),  # Mumbai
        ({"latitude": float("nan"), "longitude": 75.0}, "latitude"),
        ({"latitude": float("inf"), "longitude": 75.0}, "latitude"),
        ({"latitude": 10**400, "longitude": 75.0}, "latitude"),  # no float holds it
        ({"latitude": True, "longitude": 75.0}, "latitude"),
        ({"latitude": "26.9", "longitude": 75.0}, "latitude"),
        ({"ward": "Ward\x0012"}, "ward"),
        ({"ward": "   "}, "ward"),
        ({"landmark": "x" * 301}, "landmark"),
        ({"landmark": "line one\nline two"}, "landmark"),
    ],
)
def test_a_broken_part_is_refused_by_name(given: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        Location.of(**given)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_the_states_corners_are_inside() -> None:
    assert Location.of(pincode="345999", latitude=23.0, longitude=78.3) is not None
    assert Location.of(pincode="301000", latitude=30.2, longitude=69.4) is not None


def test_staff_and_the_complainant_see_it_whole_analysts_the_pincode_and_ward() -> None:
    place = Location(
        pincode="302001", latitude=26.9, longitude=75.8, ward="Ward 12", landmark="house 14"
    )
    assert location_shown(JAIPUR_WATER_OFFICER, place) == place
    assert location_shown(citizen("9876543210"), place) == place
    assert location_shown(ANALYST, place) == Location(pincode="302001", ward="Ward 12")
    assert location_shown(ANALYST, Location(latitude=26.9, longitude=75.8)) is None
    assert location_shown(ANALYST, None) is None


def test_a_filing_stored_before_locations_reads_as_none_and_a_new_one_keeps_it() -> None:
    mapper = MsgspecMapper(transcoder=MsgspecTranscoder())
    before = mapper.to_domain_event(stored("domain.events.Filed"))
    assert isinstance(before, Filed)
    assert before.location is None
    place = Location(pincode="302001", latitude=26.9, longitude=75.8, ward="Ward 12")
    now = replace(before, location=place)
    assert mapper.to_domain_event(mapper.to_stored_event(now)) == now


def test_distances_are_measured_on_the_earth() -> None:
    assert distance_km(HAND_PUMP, HAND_PUMP) == 0
    assert 0.05 < distance_km(HAND_PUMP, ACROSS_THE_LANE) < 0.15
    assert 115 < distance_km(HAND_PUMP, AJMER) < 135  # Jaipur to Ajmer, as the crow flies


def test_points_on_one_spot_raise_a_candidate_and_points_far_apart_damp_it() -> None:
    text = "Hand pump broken\nThe hand pump near the school gives no water."
    other = "Hand pump kharab\nPaani nahi aa raha school ke paas."
    topic = [0.9, 0.1]
    without = score(Complaint(text, None, topic), Complaint(other, None, topic))
    near = score(
        Complaint(text, None, topic, HAND_PUMP), Complaint(other, None, topic, ACROSS_THE_LANE)
    )
    far = score(Complaint(text, None, topic, HAND_PUMP), Complaint(other, None, topic, AJMER))
    assert far < without < near
    assert near >= THRESHOLD > without
    # One spot does not make another grievance the same: a street light by the same pump.
    light = "Street light not working\nThe light pole by the school is dark at night."
    assert (
        score(Complaint(text, None, None, HAND_PUMP), Complaint(light, None, None, HAND_PUMP))
        < THRESHOLD
    )


def test_points_on_one_spot_outweigh_place_names_that_differ() -> None:
    """Two neighbours name the spot by different landmarks: the points say it is one."""
    here = Complaint("Transformer burnt near Hamirgarh chowk\nNo light", None, [0.9, 0.1])
    there = Complaint("Transformer burnt near Asind gate\nNo light", None, [0.9, 0.1])
    assert by_points(here, there) is None
    near_here = Complaint(here.text, None, here.topic, HAND_PUMP)
    near_there = Complaint(there.text, None, there.topic, ACROSS_THE_LANE)
    assert by_points(near_here, near_there) == "near"
    assert score(near_here, near_there) > score(here, there)
