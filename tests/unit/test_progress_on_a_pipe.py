"""The CLI's progress bars know a pipe from a terminal: on a pipe (a log) the work's end is
one line, not a carriage return per step."""

from __future__ import annotations

import io

from rich.console import Console

from infra.run.progress import progress_shown, rebuilt, simulated


def test_on_a_pipe_a_bar_is_one_line_when_the_work_ends() -> None:
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


def test_on_a_terminal_the_bar_moves() -> None:
    out = io.StringIO()
    terminal = Console(file=out, force_terminal=True, width=120)

    with progress_shown("simulating", 100, console=terminal) as show:
        for done in range(0, 101, 25):
            show(done, 100, "")

    assert "\r" in out.getvalue() or "\x1b[" in out.getvalue()  # drawn over itself
