"""`sampark run` loads the sample directory on a first start only: a restart keeps what the
admins changed since (a post filled or vacated, a holiday declared), and says so."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from api.services import Services
from domain.directory import Directory, Holiday
from infra.run.directory import SAMPLE_DIRECTORY, directory_at_start, directory_to_load
from tests.support import ADMIN, START
from tests.unit import world

OWN_FILE = Path("/srv/sampark/rajasthan-masters.json")


def test_only_a_first_start_takes_the_sample_and_a_file_asked_for_is_always_loaded() -> None:
    empty = Directory.create(ADMIN.actor, START)
    kept = world.directory()
    assert directory_to_load(empty, None, SAMPLE_DIRECTORY) == SAMPLE_DIRECTORY
    assert directory_to_load(kept, None, SAMPLE_DIRECTORY) is None
    assert directory_to_load(kept, OWN_FILE, SAMPLE_DIRECTORY) == OWN_FILE
    only_a_holiday = Directory.create(ADMIN.actor, START)
    only_a_holiday.declare_holiday(Holiday(date(2026, 1, 26), "Republic Day"), ADMIN.actor, START)
    assert directory_to_load(only_a_holiday, None, SAMPLE_DIRECTORY) is None


def test_a_restart_keeps_the_posts_and_holidays_an_admin_changed(services: Services) -> None:
    closure = Holiday(date(2027, 3, 17), "Offices closed for the Sampark Diwas")

    def vacate_and_declare(d: Directory, at: datetime) -> None:
        d.change_holder("PHED-JAI-L1", None, ADMIN.actor, at)
        d.declare_holiday(closure, ADMIN.actor, at)

    services.app.change_directory(ADMIN, vacate_and_declare)
    said = directory_at_start(services.app, None, SAMPLE_DIRECTORY)  # the next `sampark run`
    assert said.startswith("Directory: kept as stored")
    held = services.app.directory()
    assert held.posts["PHED-JAI-L1"].holder is None, "the vacancy stands"
    assert closure.day in held.holidays
