"""The assistant's model: it reads complaints it never saw, in Hindi, English and Hinglish,
tells a risk to life from emphatic words, and its thresholds come from its own folds."""

from __future__ import annotations

import numpy as np

from assist import corpus, hazards
from assist.training import routing_threshold, urgent_threshold
from assist.wording import normalise
from tests.assisting import seed_model


def top(text: str) -> tuple[str, str]:
    best = seed_model().judge([text])[0].suggestions[0]
    return best.department, best.category


def test_words_are_read_alike_however_they_are_typed() -> None:
    assert normalise("ज़मीन") == normalise("जमीन")
    assert normalise("bahuuuut URGENT!!!") == "bahut urgent!"
    assert normalise("पाँच") == normalise("पांच")


def test_the_corpus_covers_every_category_of_the_sample_directory_in_three_languages() -> None:
    import json

    from infra.run.directory import SAMPLE_DIRECTORY

    categories = json.loads(SAMPLE_DIRECTORY.read_text())["categories"]
    wanted = {corpus.label(c["department"], c["code"]) for c in categories}
    wanted.discard("PHED/demo-minutes")  # a demonstration of the clock, not a grievance
    seed = corpus.seed()
    for language in corpus.LANGUAGES:
        assert {e.label for e in seed if e.language == language} >= wanted, language
    held = {(e.text, e.label) for e in corpus.held_out()}
    assert held and not held & {(e.text, e.label) for e in seed}  # never trained on


def test_the_corpus_is_large_balanced_and_holds_hard_negatives() -> None:
    seed, held = corpus.seed(), corpus.held_out()
    assert len(seed) >= 1500 and len(held) >= 300
    for examples in (seed, held):
        for language in corpus.LANGUAGES:
            assert len([e for e in examples if e.language == language]) >= len(examples) / 4
    # In each language, complaints only emphatic (not a risk to life) teach that emphasis
    # alone is not urgent.
    emphatic = ("urgent", "turant", "तुरंत", "immediately", "जरूरी")
    for language in corpus.LANGUAGES:
        calm = [e for e in seed if e.language == language and not e.urgent]
        assert len([e for e in calm if any(w in e.text.lower() for w in emphatic)]) >= 20
        assert len([e for e in seed if e.language == language and e.urgent]) >= 40


def test_complaints_never_seen_go_to_their_category_in_each_language() -> None:
    assert top("Gaon ka transformer 4 din se jala pada hai, koi badalne nahi aaya") == (
        "ENERGY",
        "transformer",
    )
    assert top("मेरी विधवा पेंशन छह महीने से खाते में नहीं आई है") == ("SJE", "pension")
    assert top("We have not received our ration of wheat for two months now") == (
        "FOOD",
        "ration-not-received",
    )


def test_suggestions_are_ranked_scores_of_a_share() -> None:
    judged = seed_model().judge(["nal me pani nahi aa raha"], top=5)[0]
    scores = [s.score for s in judged.suggestions]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores) and sum(scores) <= 1.0001


def test_a_risk_to_life_is_urgent_and_emphatic_words_alone_are_not() -> None:
    model = seed_model()
    danger, shouting = model.judge(
        [
            "Bijli ka taar toot ke gali me gira hai, current chalu hai, bachhe khel rahe hai",
            "bahut urgent hai turant karo!!! ration card me naam jodna hai",
        ]
    )
    assert danger.urgent.score > shouting.urgent.score
    assert danger.urgent.flag and not shouting.urgent.flag
    # The reasons say why: first the hazard, named, with the complaint's own words that told
    # of it; then the words that weighed most.
    first = danger.urgent.reasons[0]
    assert first.startswith("live wire or electric current: '")
    told = first.split(": '", 1)[1].rstrip("'")
    assert told in normalise(
        "Bijli ka taar toot ke gali me gira hai, current chalu hai, bachhe khel rahe hai"
    )
    # Words met as often in ordinary complaints ("me", "hai", "ke") are no reason.
    assert not {"me", "hai", "ke", "ka"} & set(danger.urgent.reasons)


def test_hazards_are_told_in_three_scripts_and_hurry_is_none() -> None:
    found = hazards.matrix(
        [
            "बस स्टैंड के पास बिजली के खंभे में करंट आ रहा है",
            "gaon me khambe me karant aa raha hai",
            "An 11 kV wire snapped and is lying on the road",
            "सड़क पर सीवर का मैनहोल खुला पड़ा है, ढक्कन नहीं है",
            "nal ka ganda pani pee ke sab bimar, ulti dast",
            "गांव की पुलिया पानी में बह गई",
            "URGENT!!! bahut urgent hai, turant karo, jaldi",
            "तुरंत कार्रवाई करें, अति आवश्यक, बहुत जरूरी है",
            "Please act immediately, this is very urgent!!!",
        ]
    )
    named = [{hazards.NAMES[i] for i in np.flatnonzero(row)} for row in found]
    assert all("live-wire" in n for n in named[:3])
    assert "open-pit" in named[3] and "illness" in named[4] and "collapse" in named[5]
    assert named[6:] == [set(), set(), set()]


def test_the_model_learns_what_each_hazard_weighs_from_the_labelled_examples() -> None:
    weights = seed_model().hazard_weights
    assert set(weights) == set(hazards.NAMES)
    # Each of these is told of in the corpus mostly by urgent complaints.
    assert all(weights[n] > 0 for n in ("live-wire", "open-pit", "illness", "violence"))


def test_the_routing_threshold_is_the_lowest_score_still_right_often_enough() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    right = np.array([True, True, True, False, False])
    assert routing_threshold(scores, right, precision=0.95) == 0.7
    assert routing_threshold(scores, right, precision=0.7) == 0.6
    assert routing_threshold(scores, np.array([False] * 5), precision=0.9) == 1.0


def test_the_urgency_threshold_catches_the_recall_asked_for() -> None:
    scores = np.array([0.9, 0.8, 0.3, 0.2, 0.1])
    truth = np.array([True, True, True, False, True])
    assert urgent_threshold(scores, truth, recall=0.75) == 0.3
    assert urgent_threshold(scores, truth, recall=1.0) == 0.1
