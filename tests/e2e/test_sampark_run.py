"""`make run` as a newcomer meets it: the stack starts on the embedded PostgreSQL, prints a
token per role and a curl that files a complaint, and Ctrl-C stops everything cleanly."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.security.signing import hub_signature
from infra.security.tokens import mint
from infra.settings import DEVELOPMENT_APP_SECRET, DEVELOPMENT_SECRET


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_output(process: subprocess.Popen[str], marker: str, timeout: float) -> str:
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"never printed {marker!r}; output so far:\n{seen}")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_sampark_run_files_a_complaint_with_the_printed_curl(
    tmp_path: Path, stop: signal.Signals
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {"SAMPARK_HOME": str(tmp_path / "home"), "SAMPARK_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = wait_for_output(process, "Ctrl-C stops everything", timeout=120)
        for role in ("citizen", "officer", "collector", "department_head", "admin", "auditor"):
            assert re.search(rf"^  {role}\s", output, re.MULTILINE), role

        printed = output[output.index("curl -s") :]
        curl = printed[: printed.index("\n\n")].strip()  # the first curl: it files
        filed = subprocess.run(
            ["bash", "-c", curl], check=True, capture_output=True, text=True, timeout=30
        )
        answer = httpx.Response(200, content=filed.stdout).json()
        assert answer["status"] == "assigned"
        assert answer["holder"] == "PHED-JAI-L1"

        officer = mint(
            DEVELOPMENT_SECRET,
            role="officer",
            sub="ae",
            post="PHED-JAI-L1",
            district="JAI",
            department="PHED",
        )
        timeline = httpx.get(
            f"http://127.0.0.1:{port}/v1/complaints/{answer['id']}/timeline",
            headers={"Authorization": f"Bearer {officer}"},
        )
        assert [e["type"] for e in timeline.json()["events"]] == ["Filed", "Assigned"]

        # Within moments the complaint is in search and on the collector's dashboard.
        collector = mint(DEVELOPMENT_SECRET, role="collector", sub="dm", district="JAI")
        seen: list[Any] = []
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            seen = httpx.get(
                f"http://127.0.0.1:{port}/v1/complaints",
                params={"district": "JAI"},
                headers={"Authorization": f"Bearer {collector}"},
            ).json()["items"]
            time.sleep(0.1)
        assert [c["id"] for c in seen] == [answer["id"]]
        dashboard = httpx.get(
            f"http://127.0.0.1:{port}/v1/dashboards/districts",
            headers={"Authorization": f"Bearer {collector}"},
        ).json()
        assert dashboard["rows"][0]["registered"] == 1
        verified = subprocess.run(
            [sys.executable, "-m", "infra.run.cli", "projections", "verify"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert verified.returncode == 0, verified.stdout + verified.stderr
        # ... on the stack's own database, found under SAMPARK_HOME (and printed at start).
        assert "using the database of the stack running under" in verified.stderr
        stack = json.loads((tmp_path / "home" / "stack.json").read_text())
        assert f"  database   {stack['database_url']}" in output
        assert f"  broker     {stack['kafka_bootstrap']}" in output
        assert stack["api"] == f"http://127.0.0.1:{port}"
        ready = httpx.get(f"http://127.0.0.1:{port}/health/ready")
        assert ready.status_code == 200, ready.text
        assert set(ready.json()["checks"]) >= {"database", "broker", "relay", "projector"}
        figures = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert "sampark_relay_lag_events 0.0" in figures
    finally:
        process.send_signal(stop)
        process.communicate(timeout=30)  # reading what it prints to the end, so it never blocks
        code = process.returncode
    assert code == 0
    assert not (tmp_path / "home" / "stack.json").exists(), "its addresses go with it"
    # PostgreSQL was shut down cleanly, and its data stays for the next run.
    data = tmp_path / "home" / "postgres"
    assert (data / "PG_VERSION").exists()
    assert not (data / "postmaster.pid").exists()


def test_in_sampark_run_a_demo_complaint_climbs_to_level_2_on_its_own(tmp_path: Path) -> None:
    """The issue's promise to a newcomer: file under `demo-minutes`, wait a minute, and the
    timeline shows the scheduler's `Escalated` with trigger `deadline` and the new holder."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {
        "SAMPARK_HOME": str(tmp_path / "home"),
        "SAMPARK_PORT": str(port),
        "SAMPARK_SCAN_SECONDS": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        output = wait_for_output(process, "Ctrl-C stops everything", timeout=120)
        assert "demo-minutes" in output
        operator = mint(DEVELOPMENT_SECRET, role="operator", sub="helpline-181-agent-07")
        auditor = mint(DEVELOPMENT_SECRET, role="auditor", sub="auditor-01")
        filed = httpx.post(
            f"{base}/v1/complaints",
            json={
                "complainant": {"name": "Geeta Devi", "mobile": "9811100000"},
                "district": "JAI",
                "department": "PHED",
                "category": "demo-minutes",
                "subject": "Demo: nobody acts on this",
                "description": "Filed to watch the scheduler escalate it.",
                "channel": "helpline_181",
            },
            headers={"Authorization": f"Bearer {operator}"},
        ).json()
        climbed: list[dict[str, Any]] = []
        deadline = time.monotonic() + 150
        while not climbed and time.monotonic() < deadline:
            time.sleep(1)
            events = httpx.get(
                f"{base}/v1/complaints/{filed['registration_no']}/timeline",
                headers={"Authorization": f"Bearer {auditor}"},
            ).json()["events"]
            climbed = [e for e in events if e["type"] == "Escalated"]
        assert climbed, "the demo complaint did not climb within 150 s"
        first = climbed[0]
        assert first["actor"] == {"id": "scheduler", "role": "system"}
        assert first["data"]["trigger"] == "deadline"
        assert (first["data"]["from_level"], first["data"]["to_level"]) == (1, 2)
        assert first["data"]["holder"] == "PHED-JAI-L2"
        missed = datetime.fromisoformat(first["data"]["missed_due_at"])
        assert missed == datetime.fromisoformat(filed["due_at"])  # the deadline of level 1
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)  # reading what it prints to the end, so it never blocks
        code = process.returncode
    assert code == 0


def test_in_sampark_run_the_citizen_gets_the_report_on_whatsapp_and_answers(
    tmp_path: Path,
) -> None:
    """The issue's promise: resolving a complaint sends one WhatsApp message (to the local
    stand-in, which prints it) with a working report link; a signed "not satisfied" reply
    reopens the complaint; the timeline shows both."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {"SAMPARK_HOME": str(tmp_path / "home"), "SAMPARK_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def bearer(**claims: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(DEVELOPMENT_SECRET, **claims)}"}  # type: ignore[arg-type]

    try:
        wait_for_output(process, "Ctrl-C stops everything", timeout=120)
        mobile = "9822200000"
        filed = httpx.post(
            f"{base}/v1/complaints",
            json={
                "complainant": {"name": "Kamla Devi", "mobile": mobile},
                "district": "JAI",
                "department": "PHED",
                "category": "water-supply",
                "subject": "No water",
                "description": "Ward 3: taps dry.",
                "channel": "helpline_181",
            },
            headers=bearer(role="operator", sub="helpline-181-agent-07"),
        ).json()
        officer = bearer(
            role="officer", sub="ae", post="PHED-JAI-L1", district="JAI", department="PHED"
        )
        photo = httpx.post(
            f"{base}/v1/attachments",
            files={"file": ("done.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 32, "image/png")},
            headers=officer,
        ).json()
        resolved = httpx.post(
            f"{base}/v1/complaints/{filed['id']}/resolve",
            json={"outcome": "relief", "action_taken": "Valve replaced", "attachments": [photo]},
            headers=officer,
        )
        assert resolved.status_code == 200, resolved.text
        line = wait_for_output(process, "sampark_resolved", timeout=60).splitlines()[-1]
        assert f"+91{mobile}" in line
        message_id = re.search(r"(wamid\.\S+)\]", line).group(1)  # type: ignore[union-attr]
        link = re.search(r"(http://\S+/atr/[\w.-]+)", line).group(1)  # type: ignore[union-attr]
        report = httpx.get(link)
        assert report.status_code == 200 and "Valve replaced" in report.text
        # The link is a capability: the access log must not keep it.
        assert output_count(process, link.rsplit("/", 1)[1], seconds=1.0) == 0

        reply = {
            "entry": [
                {
                    "changes": [
                        {
                            "value": {
                                "messages": [
                                    {
                                        "from": f"91{mobile}",
                                        "id": "wamid.citizen.1",
                                        "type": "button",
                                        "context": {"id": message_id},
                                        "button": {"payload": "NOT_SATISFIED"},
                                    }
                                ]
                            }
                        }
                    ]
                }
            ]
        }
        body = json.dumps(reply).encode()
        answered = httpx.post(
            f"{base}/v1/webhooks/whatsapp",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": hub_signature(DEVELOPMENT_APP_SECRET, body),
            },
        )
        assert answered.json() == {"recorded": 1}
        timeline = httpx.get(
            f"{base}/v1/complaints/{filed['id']}/timeline",
            headers=bearer(role="auditor", sub="auditor-01"),
        ).json()["events"]
        kinds = [e["type"] for e in timeline]
        assert kinds[-3:] == ["Resolved", "FeedbackGiven", "Reopened"]
        assert output_count(process, "sampark_resolved") == 0  # one message, not two
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)  # reading what it prints to the end, so it never blocks
        code = process.returncode
    assert code == 0


def output_count(process: subprocess.Popen[str], marker: str, seconds: float = 2.0) -> int:
    """How often `marker` is printed in the next few seconds."""
    assert process.stdout is not None
    deadline, seen = time.monotonic() + seconds, ""
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stdout], [], [], left)
        if ready:
            seen += process.stdout.readline()
    return seen.count(marker)
