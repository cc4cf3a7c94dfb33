"""Every `sampark` process imports the API's services, and only those that build, train or
read the assistant's model need scikit-learn and SciPy (1.2 of a process's 2.8 s to start
here, and half its memory): they are imported where a model is, not with the modules."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy")


def test_a_process_of_the_stack_starts_without_scikit_learn_or_scipy() -> None:
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            # The workers' command (relay, projector, notifier) and the scheduler, which
            # trains the assistant at night, not at its start.
            "import sys, infra.run.cli, infra.run.services, infra.run.workers, "
            "projections.projector, projections.relay, scheduler.service, api.app; "
            "print(sorted({m.split('.')[0] for m in sys.modules}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not [name for name in HEAVY if f"'{name}'" in imported], imported


def test_a_model_is_still_trained() -> None:
    from assist.corpus import Example
    from assist.training import train

    model = train(
        [
            Example("no water for three days", "PHED", "water-supply", urgent=False),
            Example("transformer burnt in the lane", "ENERGY", "transformer", urgent=True),
        ],
        thresholds=False,
    )
    (judged,) = model.judge(["no water"], top=1)
    assert judged.suggestions[0].department == "PHED"


def test_a_model_still_reads_words_once_it_is_built() -> None:
    from assist.model import Reading

    reading = Reading.learned(["no water for three days", "transformer burnt in the lane"])
    assert reading.features(["no water"]).shape == (1, reading.width)
