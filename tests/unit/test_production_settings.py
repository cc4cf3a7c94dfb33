"""Production refuses to start on settings that would hurt citizens or leak secrets; secrets
may come from files, as Docker mounts them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.settings import Settings

SECRET = "production-secret-0123456789-0123456789-0123456789"


def production(tmp_path: Path, **overrides: Any) -> Settings:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    values: dict[str, Any] = {
        "environment": "production",
        "jwt_secret": SECRET,
        "jwt_jwks_file": str(jwks),
        "audit_signing_key": "A" * 43 + "=",
        "whatsapp_app_secret": "meta-app-secret",
        "whatsapp_base_url": "https://graph.facebook.com/v21.0",
        "whatsapp_token": "meta-token",
        "public_base_url": "https://sampark.rajasthan.gov.in",
    }
    return Settings(**(values | overrides))


def test_a_complete_production_configuration_starts(tmp_path: Path) -> None:
    production(tmp_path).check()


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"public_base_url": None}, "SAMPARK_PUBLIC_BASE_URL"),
        ({"public_base_url": "http://0.0.0.0:8000"}, "SAMPARK_PUBLIC_BASE_URL"),
        ({"public_base_url": "sampark.rajasthan.gov.in"}, "SAMPARK_PUBLIC_BASE_URL"),
        ({"whatsapp_base_url": None}, "SAMPARK_WHATSAPP_BASE_URL"),
        ({"whatsapp_token": None}, "SAMPARK_WHATSAPP_TOKEN"),
        ({"jwt_jwks_file": None}, "SAMPARK_JWT_JWKS_FILE"),
        ({"audit_signing_key": None}, "SAMPARK_AUDIT_SIGNING_KEY"),
    ],
)
def test_production_names_what_it_is_missing(
    tmp_path: Path, overrides: dict[str, Any], named: str
) -> None:
    with pytest.raises(SystemExit, match=named):
        production(tmp_path, **overrides).check()


def test_citizens_links_need_no_public_address_in_development() -> None:
    Settings().check()
    assert Settings().public_url == "http://127.0.0.1:8000"


def test_secrets_are_read_from_the_files_docker_mounts(tmp_path: Path) -> None:
    for name, value in (("jwt", SECRET), ("app", "meta-app-secret"), ("db", "postgresql://x")):
        (tmp_path / name).write_text(value + "\n")
    settings = Settings.from_env(
        {
            "SAMPARK_JWT_SECRET_FILE": str(tmp_path / "jwt"),
            "SAMPARK_WHATSAPP_APP_SECRET_FILE": str(tmp_path / "app"),
            "SAMPARK_DATABASE_URL_FILE": str(tmp_path / "db"),
        }
    )
    assert settings.jwt_secret == SECRET
    assert settings.whatsapp_app_secret == "meta-app-secret"
    assert settings.database_url == "postgresql://x"


def test_a_secret_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="SAMPARK_ATR_SECRET_FILE"):
        Settings.from_env({"SAMPARK_ATR_SECRET_FILE": str(tmp_path / "missing")})


def test_a_secret_given_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "jwt").write_text(SECRET)
    with pytest.raises(SystemExit, match="not both"):
        Settings.from_env(
            {"SAMPARK_JWT_SECRET": SECRET, "SAMPARK_JWT_SECRET_FILE": str(tmp_path / "jwt")}
        )


@pytest.mark.parametrize(
    ("environ", "served"),
    [
        ({}, True),
        ({"SAMPARK_ENVIRONMENT": "production"}, False),
        ({"SAMPARK_ENVIRONMENT": "production", "SAMPARK_PUBLIC_SCHEMA": "true"}, True),
        ({"SAMPARK_PUBLIC_SCHEMA": "false"}, False),
    ],
)
def test_the_schema_is_public_in_development_and_private_in_production(
    environ: dict[str, str], served: bool
) -> None:
    assert Settings.from_env(environ).schema_served is served
