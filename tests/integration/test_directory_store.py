"""Directory changes are events: on the directory's timeline, seen by every process."""

from __future__ import annotations

from api.services import Services
from domain.directory import Category, Directory, Route
from domain.sla import Sla
from domain.values import Channel, Complainant
from infra.run.services import open_services
from infra.settings import Settings
from tests.support import ADMIN, citizen


def test_a_route_change_is_on_the_directory_timeline_with_who_and_when(
    services: Services,
) -> None:
    before = len(services.app.directory_timeline())

    def reroute(directory: Directory, at: object) -> None:
        directory.set_route(
            Route("PHED", "water-supply", "JAI", "PHED-JAI-L1"),
            ADMIN.actor,
            at,  # type: ignore[arg-type]
        )
        directory.change_holder("PHED-JAI-L1", "Kavita Rathore", ADMIN.actor, at)  # type: ignore[arg-type]

    services.app.change_directory(ADMIN, reroute)
    changes = services.app.directory_timeline()[before:]
    assert [type(e).__name__ for e in changes] == ["RouteSet", "PostHolderChanged"]
    assert all(e.actor == ADMIN.actor for e in changes)  # type: ignore[attr-defined]


def test_another_process_sees_a_directory_change_at_its_next_command(
    services: Services, settings: Settings, database: str
) -> None:
    other = open_services(settings, database)
    try:
        assert other.app.directory().posts["PHED-AJM-L1"].holder != "Vacant Desk"
        services.app.change_directory(
            ADMIN,
            lambda d, at: d.remove_route("PHED", None, "AJM", ADMIN.actor, at),
        )
        mobile = "9123456780"
        complaint = other.app.file_complaint(
            by=citizen(mobile),
            complainant=Complainant(name="Gopal", mobile=mobile),
            district="AJM",
            department="PHED",
            category="water-supply",
            subject="Hand pump broken",
            description="The hand pump near the school is broken.",
            channel=Channel.WHATSAPP,
        )
        assert complaint.status == "unassigned"
        assert complaint.holder is None
    finally:
        other.close()


def test_a_category_added_by_another_process_is_accepted_at_once_not_refused_as_unknown(
    services: Services, settings: Settings, database: str
) -> None:
    """Commands decide on the directory as last seen; a refusal waits for the current one."""
    other = open_services(settings, database)
    try:
        assert other.app.directory().category("PHED", "tanker-request") is None
        tanker = Category("PHED", "tanker-request", "Water tanker", Sla((1, 2, 3, 5)))
        services.app.change_directory(
            ADMIN, lambda d, at: d.define_category(tanker, ADMIN.actor, at)
        )
        mobile = "9123456781"
        complaint = other.app.file_complaint(
            by=citizen(mobile),
            complainant=Complainant(name="Kamla", mobile=mobile),
            district="JAI",
            department="PHED",
            category="tanker-request",
            subject="Tanker needed",
            description="No supply for four days; a tanker is needed.",
            channel=Channel.WHATSAPP,
        )
        assert complaint.category == "tanker-request"
    finally:
        other.close()


def test_loading_the_sample_directory_again_changes_nothing(services: Services) -> None:
    from infra.run.directory import SAMPLE_DIRECTORY, load_directory

    before = services.app.directory().version
    assert load_directory(services.app, SAMPLE_DIRECTORY) == 0
    assert services.app.directory().version == before
    directory = services.app.directory()
    assert len(directory.districts) == 41
    assert len(directory.departments) >= 10
    for department in directory.departments:
        for district in directory.districts:
            assert directory.level_one_post(
                department, directory.departments[department].default_category, district
            )
            for level in (2, 3, 4):
                assert directory.post_at_level(department, district, level) is not None


def test_before_any_load_the_directory_is_empty_and_filing_says_why(
    server_url: str, settings: Settings
) -> None:
    import psycopg
    import pytest

    from domain.errors import InvalidCommand
    from infra.local.embedded import database_url

    name = "sampark_empty_directory"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    empty = open_services(settings, database_url(server_url, name))
    try:
        assert empty.app.directory().districts == {}
        with pytest.raises(InvalidCommand) as refused:
            empty.app.file_complaint(
                by=citizen("9000000009"),
                complainant=Complainant(name="Gopal", mobile="9000000009"),
                district="JAI",
                department="PHED",
                category="water-supply",
                subject="No water",
                description="Dry taps.",
                channel=Channel.PORTAL,
            )
        assert refused.value.field == "district"
    finally:
        empty.close()
