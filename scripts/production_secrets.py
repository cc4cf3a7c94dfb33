"""Makes the files `docker-compose.yml` mounts as secrets, in `secrets/` (or the directory
given), so that `docker compose up` starts in production mode:

    .venv/bin/python scripts/production_secrets.py [secrets]

A file that exists is kept, so running it again changes nothing. Random secrets are made
for the database password, the JWT and report-link secrets, the audit signing key and the
webhook's verification token. Three files are placeholders to replace with your own:

- `jwks.json`: the public keys of your identity provider (RS256/ES256, by `kid`). The one
  made here holds a fresh ES256 key whose private half is `token-signing-key.pem` (not
  mounted), to sign trial tokens until the identity provider is connected.
- `whatsapp_app_secret`, `whatsapp_token`: your WhatsApp Business app's secret and access
  token (Meta's developer console). Production refuses to start while either still holds
  the placeholder.

The directory is readable by you alone (0700); the files in it are 0644 so that the
containers' `sampark` user (uid 10001) can read them where Docker mounts them.
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.settings import PLACEHOLDER

DATABASE_USER = "sampark"
DATABASE_HOST = "postgres:5432"


def _b64url(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def _jwks(folder: Path) -> str:
    """A JWKS holding one fresh ES256 public key; its private half beside it, unmounted."""
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    (folder / "token-signing-key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "token-signing-key.pem").chmod(0o600)
    kid = f"sampark-{datetime.now(UTC):%Y-%m}"
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64url(numbers.x),
        "y": _b64url(numbers.y),
        "alg": "ES256",
        "use": "sig",
        "kid": kid,
    }
    return json.dumps({"keys": [jwk]}, indent=2) + "\n"


def _random() -> str:
    return secrets.token_urlsafe(48)


def make(folder: Path) -> list[str]:
    """Write each missing file into `folder`; return the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    password_file = folder / "postgres_password"
    password = password_file.read_text().strip() if password_file.exists() else _random()
    files: dict[str, Callable[[], str]] = {
        "postgres_password": lambda: password,
        "database_url": lambda: f"postgresql://{DATABASE_USER}:{password}@{DATABASE_HOST}/sampark",
        "jwt_secret": _random,
        "atr_secret": _random,
        "audit_signing_key": lambda: base64.b64encode(
            Ed25519PrivateKey.generate().private_bytes_raw()
        ).decode(),
        "jwks.json": lambda: _jwks(folder),
        "whatsapp_app_secret": lambda: PLACEHOLDER,
        "whatsapp_verify_token": _random,
        "whatsapp_token": lambda: PLACEHOLDER,
        "metrics_token": _random,  # Prometheus scrapes /metrics with it (deploy/prometheus.yml)
    }
    written = []
    for name, content in files.items():
        path = folder / name
        if path.exists():
            continue
        text = content()
        path.write_text(text if text.endswith("\n") else text + "\n")
        path.chmod(0o644)
        written.append(name)
    return written


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else "secrets")
    written = make(folder)
    print(f"{folder}: made {', '.join(written) if written else 'nothing (all there)'}")
    if "whatsapp_token" in written or "whatsapp_app_secret" in written:
        print(f"replace {folder}/whatsapp_token and whatsapp_app_secret with Meta's values")


if __name__ == "__main__":
    main(sys.argv[1:])
