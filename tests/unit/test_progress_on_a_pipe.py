"""The CLI's progress bars know a pipe from a terminal: on a pipe (a log) a plain line now and
then and one at the work's end, never a carriage return per step."""

from __future__ import annotations

import io

from rich.console import Console

from infra.run.progress import progress_shown, rebuilt, simulated


def test_on_a_pipe_a_quick_job_is_one_line_when_the_work_ends() -> None:
    out = io.StringIO()
    pipe = Console(file=out, force_terminal=False, width=120)

    with progress_shown("simulating", 1000, console=pipe) as show:
        step = simulated(show, 1000)
        for done in range(0, 1001, 10):
            step(done, done * 7, done / 100)

    written = out.getvalue()
    assert "\r" not in written
    assert written.count("\n") == 1
    assert "simulating" in written and "100.0%" in written and "7,000 events" in written


def test_the_total_may_grow_as_the_work_learns_more() -> None:
    out = io.StringIO()
    pipe = Console(file=out, force_terminal=False, width=120)

    with progress_shown("rebuilding", 0, console=pipe) as show:
        step = rebuilt(show)
        step(0, 500, 0.0)
        step(500, 800, 1000.0)  # events stored meanwhile: caught up after the replay
        step(800, 800, 1200.0)

    written = out.getvalue()
    assert "\r" not in written
    assert "800/800" in written and "100.0%" in written


def test_on_a_pipe_a_long_job_writes_a_line_every_half_minute() -> None:
    out = io.StringIO()
    pipe = Console(file=out, force_terminal=False, width=120)
    now = [0.0]

    with progress_shown("simulating", 1000, console=pipe, clock=lambda: now[0]) as show:
        for done in range(0, 1001, 10):
            now[0] = done * 0.3  # 3 s a step, 300 s in all: a line at 30 s, 60 s, ... 300 s
            show(done, 1000, f"{done * 7:,} events")

    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert len(lines) == 10 + 1, lines  # and one more at the end
    assert lines[0] == "simulating  10.0% 100/1,000 700 events"
    assert lines[-1] == "simulating 100.0% 1,000/1,000 7,000 events"


def test_on_a_terminal_the_bar_moves() -> None:
    out = io.StringIO()
    terminal = Console(file=out, force_terminal=True, width=120)

    with progress_shown("simulating", 100, console=terminal) as show:
        for done in range(0, 101, 25):
            show(done, 100, "")

    assert "\r" in out.getvalue() or "\x1b[" in out.getvalue()  # drawn over itself
