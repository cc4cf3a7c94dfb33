"""Progress on the terminal, drawn by `rich`: a bar that moves on a terminal; on a pipe (a
log, `make bench`'s output) a plain line every `LINE_EVERY_SECONDS` and one when the work
ends, never a carriage return per step, so a long run's log still says how far it is.

The work itself only reports how far it is (`rebuild`'s and `simulate`'s `progress`
callbacks); what it looks like is decided here, for the CLI.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Shown = Callable[[int, int, str], None]  # (done, total, a note such as "1,234 events")
LINE_EVERY_SECONDS = 30.0


@contextmanager
def progress_shown(
    what: str,
    total: int,
    *,
    console: Console | None = None,
    every: float = LINE_EVERY_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Shown]:
    """Progress of `what` out of `total` on standard error, while the block runs; the block
    is given the function that moves it (the total may change as the work learns more)."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        with _lines(what, total, console, every, clock) as show:
            yield show
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(what, total=total, note="")

        def show(done: int, total: int, note: str = "") -> None:
            progress.update(task, completed=done, total=total, note=note)

        yield show


@contextmanager
def _lines(
    what: str, total: int, console: Console, every: float, clock: Callable[[], float]
) -> Iterator[Shown]:
    """On a pipe: a line now and then, and the last one when the block ends."""
    state = {"done": 0, "total": total}
    notes = [""]
    last = [clock()]

    def line() -> str:
        done, total = state["done"], state["total"]
        share = f"{100 * done / total:5.1f}%" if total else "     "
        return f"{what} {share} {done:,}/{total:,} {notes[0]}".rstrip()

    def show(done: int, total: int, note: str = "") -> None:
        state.update(done=done, total=total)
        notes[0] = note
        if clock() - last[0] >= every:
            last[0] = clock()
            console.out(line(), highlight=False)

    yield show
    console.out(line(), highlight=False)


def simulated(show: Shown, total: int) -> Callable[[int, int, float], None]:
    """`simulate`'s progress (complaints written, events, seconds) on a bar."""
    return lambda done, events, _seconds: show(done, total, f"{events:,} events")


def rebuilt(show: Shown) -> Callable[[int, int, float], None]:
    """`rebuild`'s progress (position, last position, events a second) on a bar."""
    return lambda position, total, rate: show(position, total, f"{rate:,.0f} events/s")
