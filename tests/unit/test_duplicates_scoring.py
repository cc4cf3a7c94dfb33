"""Scoring two complaints as one grievance (`assist/duplicates.py`)."""

from __future__ import annotations

from assist import duplicates
from assist.duplicates import (
    THRESHOLD,
    Complaint,
    choose_threshold,
    halves,
    measure,
    pairs,
    places,
    score,
    sound_key,
)
from assist.finding import topics
from tests.assisting import seed_model


def test_a_place_sounds_the_same_in_devanagari_and_roman_letters() -> None:
    assert sound_key("Hamirgarh") == sound_key("हमीरगढ़")
    assert sound_key("Mansarovar") == sound_key("मानसरोवर")
    assert sound_key("Sector") == sound_key("सेक्टर")
    assert sound_key("Asind") != sound_key("Hamirgarh")
    # A nasal written as a dot (anusvara) sounds as the n or m of the Roman spelling.
    assert sound_key("Sanganer") == sound_key("सांगानेर")
    assert sound_key("Ambedkar") == sound_key("अंबेडकर") == sound_key("अम्बेडकर")
    assert sound_key("Chandpole") == sound_key("चांदपोल")


def test_places_are_the_rare_names_not_the_grievances_words() -> None:
    text = "Transformer burnt in Hamirgarh\nThe transformer near Hamirgarh burnt in April."
    assert places(text) == {sound_key("Hamirgarh")}


def test_words_met_in_many_districts_are_no_places_however_rare() -> None:
    # "puliya" and "tanker" are met in few seed complaints but in many districts: the
    # grievance, not where it is; two villages' culverts share no place.
    hindi = "बस्सी की पुलिया टूटी\nनदी वाली पुलिया टूट गई, रास्ता बंद"
    hinglish = "Broken puliya near Kapasan\nKapasan ke paas naale ki puliya toot gayi"
    assert sound_key("पुलिया") not in places(hindi) | places(hinglish)
    assert sound_key("tanker") not in places("jayal tanker band\njayal me tanker nahi aaya")
    # A village named in Roman letters counts even where it also opens a sentence.
    assert sound_key("Kapasan") in places(hinglish)


def test_another_village_is_cut_and_the_same_person_counts() -> None:
    here = Complaint("Transformer burnt in Hamirgarh\nNo light for days", None, [0.9, 0.1])
    there = Complaint("Transformer burnt in Asind\nNo light for days", None, [0.9, 0.1])
    again = Complaint("हमीरगढ़ में ट्रांसफार्मर जला\nतीन दिन से अंधेरा", None, [0.8, 0.2])
    assert score(here, again) >= THRESHOLD > score(here, there)
    same_person = Complaint(there.text, "9829001101", there.topic)
    assert score(Complaint(here.text, "9829001101", here.topic), same_person) > score(here, there)


def test_the_threshold_is_the_one_chosen_on_the_first_half_of_the_pairs() -> None:
    model = seed_model()
    tune, held = halves(pairs())
    assert len(tune) == len(held) == len(pairs()) // 2

    def scored(found: list[dict[str, object]]) -> list[tuple[float, bool]]:
        out = []
        for p in found:
            one, other = p["first"], p["second"]
            assert isinstance(one, dict) and isinstance(other, dict)
            a_text = f"{one['subject']}\n{one['description']}"
            b_text = f"{other['subject']}\n{other['description']}"
            a_topic, b_topic = topics(model, [a_text, b_text])
            a = Complaint(a_text, one.get("mobile"), a_topic)
            b = Complaint(b_text, other.get("mobile"), b_topic)
            out.append((score(a, b), bool(p["duplicate"])))
        return out

    assert choose_threshold(scored(tune)) == THRESHOLD
    on_held = measure(scored(held), THRESHOLD)
    assert on_held.pairs == len(held)


def test_a_place_that_opens_a_sentence_counts_when_the_other_complaint_names_it() -> None:
    hinglish = "gali me transformer jal gaya\nSanganer ward 5 me kal raat se transformer jal gaya"
    hindi = "सांगानेर वार्ड 5 में ट्रांसफार्मर जल गया\nसांगानेर वार्ड 5 में कल रात से अंधेरा है"
    elsewhere = "transformer jal gaya\nChomu ward 5 me kal raat se transformer jal gaya"
    # Its capital alone cannot tell "Sanganer" from a sentence's first word ...
    assert duplicates.places(hinglish) == frozenset()
    # ... the neighbour's complaint naming the place can.
    assert duplicates.places_named_by(hinglish, hindi) == duplicates.places(hindi) != frozenset()
    assert duplicates.places_named_by(elsewhere, hindi) == frozenset()
    same = [1.0, 0.0]  # one topic: only the places differ

    def score(one: str, other: str) -> float:
        return duplicates.score(
            duplicates.Complaint(one, topic=same), duplicates.Complaint(other, topic=same)
        )

    assert score(hinglish, hindi) >= duplicates.THRESHOLD
    assert score(hindi, hinglish) >= duplicates.THRESHOLD
    assert score(hindi, elsewhere) < duplicates.THRESHOLD
