"""Bearer tokens: expiry, not-before, issuer and audience, with a little clock skew; in
production, RS256 and ES256 keys from a JWKS file, chosen and rotated by `kid`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from litestar.testing import TestClient

from api.app import create_app
from infra.run.services import open_services
from infra.security.tokens import AUDIENCE, ISSUER, mint
from infra.settings import Settings
from tests.conftest import SECRET
from tests.support import TurnableClock

Client = TestClient[Any]


def claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    base = {
        "sub": "auditor-01",
        "role": "auditor",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    return {k: v for k, v in (base | overrides).items() if v is not None}


def status(client: Client, token: str) -> int:
    return client.get(
        "/v1/directory/timeline", headers={"Authorization": f"Bearer {token}"}
    ).status_code


def test_development_tokens_are_checked_claim_by_claim(client: Client) -> None:
    now = datetime.now(UTC)
    assert status(client, mint(SECRET, role="auditor", sub="auditor-01")) == 200
    hs = lambda **c: jwt.encode(claims(**c), SECRET, algorithm="HS256")  # noqa: E731
    assert status(client, hs()) == 200
    assert status(client, hs(exp=int((now - timedelta(minutes=5)).timestamp()))) == 401
    assert status(client, hs(nbf=int((now + timedelta(minutes=5)).timestamp()))) == 401
    assert status(client, hs(nbf=int((now + timedelta(seconds=10)).timestamp()))) == 200  # skew
    assert status(client, hs(iss="someone-else")) == 401
    assert status(client, hs(aud="another-api")) == 401
    assert status(client, hs(aud=None)) == 401
    assert status(client, hs(exp=None)) == 401
    assert status(client, jwt.encode(claims(), "not-the-secret-" * 3, algorithm="HS256")) == 401


@pytest.fixture
def keys() -> dict[str, Any]:
    return {
        "rsa-2026-10": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ec-2026-11": ec.generate_private_key(ec.SECP256R1()),
    }


def jwks(keys: dict[str, Any], path: Path) -> str:
    entries = []
    for kid, private in keys.items():
        algorithm = "RS256" if isinstance(private, rsa.RSAPrivateKey) else "ES256"
        public = jwt.algorithms.get_default_algorithms()[algorithm].to_jwk(
            private.public_key(), as_dict=True
        )
        entries.append(public | {"kid": kid, "alg": algorithm, "use": "sig"})
    path.write_text(json.dumps({"keys": entries}))
    return str(path)


def signed(keys: dict[str, Any], kid: str, **overrides: Any) -> str:
    private = keys[kid]
    algorithm = "RS256" if isinstance(private, rsa.RSAPrivateKey) else "ES256"
    return jwt.encode(claims(**overrides), private, algorithm=algorithm, headers={"kid": kid})


def test_production_tokens_come_from_jwks_keys_and_rotate_by_kid(
    settings: Settings, database: str, clock: TurnableClock, keys: dict[str, Any], tmp_path: Path
) -> None:
    def api(jwks_file: str) -> tuple[Any, Client]:
        services = open_services(
            msgspec.structs.replace(settings, jwt_jwks_file=jwks_file), database, clock=clock
        )
        return services, TestClient(app=create_app(services))

    services, client = api(jwks(keys, tmp_path / "jwks.json"))
    try:
        with client:
            assert status(client, signed(keys, "rsa-2026-10")) == 200
            assert status(client, signed(keys, "ec-2026-11")) == 200
            assert status(client, signed(keys, "ec-2026-11", exp=1)) == 401
            stranger = {"unknown": ec.generate_private_key(ec.SECP256R1())}
            assert status(client, signed(stranger, "unknown")) == 401
            # A shared-secret token is no good once keys are configured.
            assert status(client, mint(SECRET, role="auditor", sub="auditor-01")) == 401
    finally:
        services.close()

    rotated = {"ec-2026-11": keys["ec-2026-11"]}  # the RSA key is retired
    services, client = api(jwks(rotated, tmp_path / "jwks-rotated.json"))
    try:
        with client:
            assert status(client, signed(keys, "rsa-2026-10")) == 401
            assert status(client, signed(keys, "ec-2026-11")) == 200
    finally:
        services.close()
