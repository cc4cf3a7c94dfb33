"""What `sampark run` prints once the API is up: where it is, where its servers are (also in
`<SAMPARK_HOME>/stack.json`, for the other `sampark` commands), a ready token for each role,
and a curl that files a complaint."""

from __future__ import annotations

import json
from pathlib import Path

from domain.access import citizen
from infra.security.tokens import mint
from infra.settings import Settings

DEMO_MOBILE = "9876543210"
# One ready identity per role, scoped to the sample directory (Jaipur, water supply).
DEMO_IDENTITIES: list[dict[str, str]] = [
    {"role": "citizen", "sub": citizen(DEMO_MOBILE).id, "mobile": DEMO_MOBILE},
    {"role": "operator", "sub": "helpline-181-agent-07", "desk": "RJ181-DESK-07"},
    {
        "role": "officer",
        "sub": "ae-phed-jaipur",
        "post": "PHED-JAI-L1",
        "district": "JAI",
        "department": "PHED",
    },
    {"role": "collector", "sub": "collector-jaipur", "district": "JAI"},
    {"role": "department_head", "sub": "ce-phed", "department": "PHED"},
    {"role": "secretary", "sub": "acs-phed", "department": "PHED"},
    {"role": "analyst", "sub": "analyst-01"},
    {"role": "auditor", "sub": "auditor-01"},
    {"role": "admin", "sub": "admin-01"},
]


def configured_scan(settings: Settings) -> str:
    return f"{settings.scan_seconds:g} s"


def stack_addresses(settings: Settings, database_url: str, addresses: Path) -> list[str]:
    """Where the servers are, and that the other commands find them."""
    return [
        "",
        f"The stack's addresses (also in {addresses}; every `sampark` command run with",
        "this SAMPARK_HOME and no URL of its own uses them while this runs):",
        f"  database   {database_url}",
        f"  broker     {settings.kafka_bootstrap}",
        f"  metrics    http://{settings.host}:{settings.port}/metrics"
        f"   ready: http://{settings.host}:{settings.port}/health/ready",
    ]


def welcome(
    settings: Settings,
    *,
    standin: bool,
    directory: str = "",
    addresses: Path | None = None,
    database_url: str = "",
) -> str:
    base = f"http://{settings.host}:{settings.port}"
    lines = [
        "",
        f"Sampark is up: {base}   (API docs: {base}/schema)",
        *([directory] if directory else []),
        *(stack_addresses(settings, database_url, addresses) if addresses else []),
        "",
        "Ready tokens (12 hours), one per role:",
    ]
    tokens = {}
    for identity in DEMO_IDENTITIES:
        token = mint(
            settings.jwt_secret,
            role=identity["role"],
            sub=identity["sub"],
            district=identity.get("district"),
            department=identity.get("department"),
            post=identity.get("post"),
            mobile=identity.get("mobile"),
            desk=identity.get("desk"),
        )
        tokens[identity["role"]] = token
        scope = ", ".join(f"{k}={v}" for k, v in identity.items() if k not in ("role", "sub"))
        lines.append(f"  {identity['role']:<16} {scope}")
        lines.append(f"    {token}")
    body = json.dumps(
        {
            "complainant": {"name": "Ramesh Kumar", "mobile": DEMO_MOBILE},
            "district": "JAI",
            "department": "PHED",
            "category": "water-supply",
            "subject": "No water supply for three days",
            "description": "Ward 12, Malviya Nagar: taps dry since Monday.",
            "channel": "portal",
        }
    )
    lines += [
        "",
        "File a complaint as the citizen:",
        f"  curl -s -X POST {base}/v1/complaints \\",
        f"    -H 'Authorization: Bearer {tokens['citizen']}' \\",
        "    -H 'Content-Type: application/json' \\",
        f"    -d '{body}'",
        "",
        "Watch a complaint climb on its own: file it under category demo-minutes (one minute",
        f"a level; the scheduler scans every {configured_scan(settings)}) and read its timeline:",
        f"  curl -s {base}/v1/complaints/<registration_no>/timeline \\",
        f"    -H 'Authorization: Bearer {tokens['auditor']}'",
        "",
        *(
            [
                "Messages to citizens and officers go to a local stand-in for WhatsApp, which",
                "prints them here (set SAMPARK_WHATSAPP_BASE_URL for the real one); a report",
                "link opens the Action Taken Report; replies come in at POST",
                "/v1/webhooks/whatsapp.",
                "",
            ]
            if standin
            else []
        ),
        "Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)
