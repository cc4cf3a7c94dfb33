"""The assistant's models in PostgreSQL: stored as arrays, read back to the same judgements,
picked up by a running API without a restart; and the history teaches it, an officer's
transfer counting as the correction of a filing."""

from __future__ import annotations

from api.services import Services
from assist import history
from assist.assistant import Assistant
from assist.store import KEEP, Models
from assist.teaching import known_labels, retrain
from domain.values import Channel, Complainant
from tests.assisting import seed_model
from tests.conftest import Pipeline
from tests.support import JAIPUR_WATER_OFFICER, START, citizen

TEXTS = [
    "trasformer jal gaya hai gaon me",
    "मेरी वृद्धावस्था पेंशन बंद हो गई है",
    "Open manhole on the main road, a child nearly fell in",
]


def test_a_stored_model_judges_as_it_did_before_it_was_stored(services: Services) -> None:
    model = seed_model(route_threshold=0.4, urgent_threshold=0.6)
    with services.pool.connection() as conn:
        version = Models(conn).save(model, START)
        loaded = Models(conn).load()
    assert loaded is not None and loaded.version == version
    assert (loaded.route_threshold, loaded.urgent_threshold) == (0.4, 0.6)
    assert loaded.judge(TEXTS) == model.judge(TEXTS)  # the same suggestions, scores, urgency
    assert loaded.hazard_weights == model.hazard_weights and model.hazard_weights


def test_the_api_picks_up_a_new_version_without_a_restart(services: Services) -> None:
    assistant = Assistant(services.pool, poll_seconds=0)
    with services.pool.connection() as conn:
        first = Models(conn).save(seed_model(), START)
    assert assistant.judge(TEXTS[:1])[0].model_version == first
    with services.pool.connection() as conn:
        second = Models(conn).save(seed_model(), START)
    assert assistant.judge(TEXTS[:1])[0].model_version == second


def test_only_the_newest_versions_are_kept(services: Services) -> None:
    with services.pool.connection() as conn:
        models = Models(conn)
        versions = [models.save(seed_model(), START) for _ in range(KEEP + 2)]
        kept = [r[0] for r in conn.execute("SELECT version FROM assist.models ORDER BY 1")]
    assert kept == versions[-KEEP:]


def test_a_transfer_teaches_the_category_the_officer_chose(
    services: Services, pipeline: Pipeline
) -> None:
    app = services.app
    filed = app.file_complaint(
        by=citizen("9876543210"),
        complainant=Complainant(name="Ramesh", mobile="9876543210"),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Motor of the pump house burnt",
        description="The transformer feeding the pump house sparks and burnt out.",
        channel=Channel.PORTAL,
    )
    app.transfer(
        filed.id,
        by=JAIPUR_WATER_OFFICER,
        department="ENERGY",
        category="transformer",
        reason="a transformer: the discom's",
    )
    pipeline.settle()
    with services.pool.connection() as conn:
        taught = list(history.examples(conn, known_labels(app.directory())))
    (example,) = [e for e in taught if "pump house" in e.text]
    assert (example.department, example.category, example.weight) == (
        "ENERGY",
        "transformer",
        history.CORRECTED_WEIGHT,
    )
    with services.pool.connection() as conn:
        version = retrain(conn, app.directory(), START)
        model = Models(conn).load(version)
    assert model is not None and model.facts["history_examples"] == len(taught)
    assert model.facts["corpus_examples"] > 300


def test_the_scheduler_trains_when_the_model_is_stale_and_not_again(services: Services) -> None:
    from scheduler.jobs import ASSISTANT_FRESH, Clockwork

    clockwork = Clockwork(services.app, services.pool)
    trained = clockwork.train_assistant(when_stale=True)  # none yet: trained, in a process
    assert len(trained) == 1
    assert clockwork.train_assistant(when_stale=True) == {}  # fresh: left alone
    with services.pool.connection() as conn:
        first = Models(conn).latest_version()
    services.app.clock.advance(seconds=ASSISTANT_FRESH.total_seconds() + 60)  # type: ignore[attr-defined]
    assert len(clockwork.train_assistant(when_stale=True)) == 1
    with services.pool.connection() as conn:
        assert Models(conn).latest_version() == (first or 0) + 1


def test_the_same_words_teach_one_category_the_one_most_of_them_ended_in(
    services: Services, pipeline: Pipeline
) -> None:
    app = services.app

    def file(mobile: str) -> object:
        return app.file_complaint(
            by=citizen(mobile),
            complainant=Complainant(name="Ramesh", mobile=mobile),
            district="JAI",
            department="PHED",
            category="water-supply",
            subject="No water",
            description="Taps dry in ward 12.",
            channel=Channel.PORTAL,
        )

    for mobile in ("9876500001", "9876500002", "9876500003"):
        file(mobile)
    moved = file("9876500004")
    app.transfer(
        moved.id,  # type: ignore[attr-defined]
        by=JAIPUR_WATER_OFFICER,
        department="ENERGY",
        category="power-supply",
        reason="the pump has no power",
    )
    pipeline.settle()
    with services.pool.connection() as conn:
        taught = [
            e for e in history.examples(conn, known_labels(app.directory())) if "ward 12" in e.text
        ]
    # Three filings against one correction (counted twice): one example, under PHED.
    assert [(e.department, e.category) for e in taught] == [("PHED", "water-supply")]
