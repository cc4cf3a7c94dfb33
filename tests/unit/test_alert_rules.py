"""The alert rules in deploy/ parse (promtool, when installed), each says how bad it is and
what it means, and watches only figures that exist and are documented in docs/operations.md;
every figure a process makes is documented there too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

import infra.metrics  # noqa: F401 (the process's figures, registered on import)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "alerts.yml"
DOC = (ROOT / "docs" / "operations.md").read_text()
DOCUMENTED = set(re.findall(r"^\| `(sampark_[a-z_]+)` \|", DOC, flags=re.MULTILINE))
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def rules() -> list[dict[str, Any]]:
    loaded: dict[str, Any] = yaml.safe_load(RULES.read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def documented(name: str) -> bool:
    """Whether the figure `name` (a sample's or a family's name) has a row in the document."""
    bases = {name} | {name.removesuffix(s) for s in SUFFIXES if name.endswith(s)}
    return any(base in DOCUMENTED or f"{base}_total" in DOCUMENTED for base in bases)


def test_every_rule_has_a_severity_a_summary_and_a_row_in_the_runbook() -> None:
    found = rules()
    assert len(found) >= 10
    for rule in found:
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert f"| `{rule['alert']}` |" in DOC, f"{rule['alert']} is not in docs/operations.md"


def test_the_rules_watch_only_documented_figures() -> None:
    for rule in rules():
        for name in re.findall(r"\bsampark_[a-z_]+", rule["expr"]):
            assert documented(name), f"{rule['alert']} watches {name}, not in docs/operations.md"


def test_every_figure_this_process_makes_is_documented() -> None:
    made = {m.name for m in REGISTRY.collect() if m.name.startswith("sampark_")}
    assert made, "infra/metrics.py registers the process's figures"
    for name in made:
        assert documented(name), f"{name} is not in docs/operations.md"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_rules_and_the_scrape_configuration() -> None:
    checked = subprocess.run(
        ["promtool", "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = ROOT / "deploy" / "prometheus.yml"
    syntax = subprocess.run(
        ["promtool", "check", "config", "--syntax-only", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert syntax.returncode == 0, syntax.stdout + syntax.stderr
