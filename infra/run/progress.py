"""Progress on the terminal, drawn by `rich`: a bar that moves on a terminal, and on a pipe
(a log, `make bench`'s output) one line when the work ends, never a carriage return per step.

The work itself only reports how far it is (`rebuild`'s and `simulate`'s `progress`
callbacks); what it looks like is decided here, for the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Shown = Callable[[int, int, str], None]  # (done, total, a note such as "1,234 events")


@contextmanager
def progress_shown(what: str, total: int, *, console: Console | None = None) -> Iterator[Shown]:
    """A bar for `what` out of `total` on standard error, while the block runs; the block
    is given the function that moves it (the total may change as the work learns more)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
    ) as progress:
        task = progress.add_task(what, total=total, note="")

        def show(done: int, total: int, note: str = "") -> None:
            progress.update(task, completed=done, total=total, note=note)

        yield show


def simulated(show: Shown, total: int) -> Callable[[int, int, float], None]:
    """`simulate`'s progress (complaints written, events, seconds) on a bar."""
    return lambda done, events, _seconds: show(done, total, f"{events:,} events")


def rebuilt(show: Shown) -> Callable[[int, int, float], None]:
    """`rebuild`'s progress (position, last position, events a second) on a bar."""
    return lambda position, total, rate: show(position, total, f"{rate:,.0f} events/s")
