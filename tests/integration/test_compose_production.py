"""`docker compose up` starts in production: each sampark service of docker-compose.yml, given
the environment Docker would give it (the image's ENV, the compose file's, with the
operator's variables and the secrets made by scripts/production_secrets.py mounted where
the file says), passes the production check its `sampark` command runs first.

Docker is not on these machines: the compose file is read as YAML and interpolated the way
compose does (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.run.cli import parser
from infra.security.tokens import load_jwks
from infra.settings import PLACEHOLDER, Settings
from scripts.production_secrets import make

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = {"SAMPARK_PUBLIC_BASE_URL": "https://sampark.rajasthan.gov.in"}
_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg")
        found = env.get(name)
        if op in (":-", "-") and (found is None or (op == ":-" and not found)):
            return arg or ""
        if op in (":?", "?") and (found is None or (op == ":?" and not found)):
            raise SystemExit(f"required variable {name} is missing a value: {arg}")
        return found or ""

    return _VARIABLE.sub(one, value)


def image_env() -> dict[str, str]:
    """The Dockerfile's ENV instructions."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for word in shlex.split(line[4:]):
                name, _, value = word.partition("=")
                env[name] = value
    return env


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def sampark_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("image") == "sampark:latest"
    }


def environment_of(
    service: dict[str, Any], operator: Mapping[str, str], secrets: Path
) -> dict[str, str]:
    """What the container's process sees, with /run/secrets/... pointing at `secrets`."""
    declared = compose().get("secrets", {})
    mounted = {}
    for entry in service.get("secrets", []):
        source = entry if isinstance(entry, str) else entry["source"]
        target = entry if isinstance(entry, str) else entry.get("target", source)
        host_file = Path(declared[source]["file"])
        assert host_file.parent == Path("secrets"), host_file
        mounted[f"/run/secrets/{target}"] = str(secrets / host_file.name)
    env = image_env()
    for name, value in service["environment"].items():
        env[name] = interpolate(str(value), operator)
    for name, value in env.items():
        if value.startswith("/run/secrets/"):
            assert value in mounted, f"{name} names {value}, which is not mounted"
            env[name] = mounted[value]
    return env


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """The secrets as the script makes them, with Meta's values put in by the operator."""
    folder = tmp_path / "secrets"
    make(folder)
    (folder / "whatsapp_app_secret").write_text("the-app-secret-from-meta\n")
    (folder / "whatsapp_token").write_text("the-access-token-from-meta\n")
    return folder


@pytest.mark.parametrize("left", ["whatsapp_app_secret", "whatsapp_token"])
def test_production_will_not_start_on_a_placeholder_left_in(left: str, secrets: Path) -> None:
    (secrets / left).write_text(f"{PLACEHOLDER}\n")
    service = sampark_services()["notifier"]
    settings = Settings.from_env(environment_of(service, OPERATOR, secrets))
    with pytest.raises(SystemExit, match=left.upper()):
        settings.check()


def test_every_sampark_service_of_the_compose_file_is_checked() -> None:
    assert set(sampark_services()) == {
        "migrate",
        "directory-load",
        "api",
        "relay",
        "projector",
        "notifier",
        "scheduler",
    }


@pytest.mark.parametrize("name", sorted(sampark_services()))
def test_each_service_passes_the_production_check(name: str, secrets: Path) -> None:
    service = sampark_services()[name]
    settings = Settings.from_env(environment_of(service, OPERATOR, secrets))

    settings.check()  # what `sampark <command>` does first; SystemExit if refused

    assert settings.environment == "production"
    assert settings.public_url == OPERATOR["SAMPARK_PUBLIC_BASE_URL"]
    assert settings.database_url and "@postgres:5432/" in settings.database_url
    assert settings.jwt_jwks_file and load_jwks(settings.jwt_jwks_file)
    assert settings.signing_key() is not None
    assert not settings.schema_served  # /schema is off unless SAMPARK_PUBLIC_SCHEMA says
    assert settings.whatsapp_base_url == "https://graph.facebook.com/v21.0"
    parser().parse_args(service["command"][1:])  # a command the CLI knows


def test_the_api_listens_where_the_compose_file_publishes_it(secrets: Path) -> None:
    service = sampark_services()["api"]
    settings = Settings.from_env(environment_of(service, OPERATOR, secrets))
    assert settings.host == "0.0.0.0"
    assert f"{settings.port}:{settings.port}" in service["ports"]


def test_the_database_password_is_the_same_secret_on_both_sides(secrets: Path) -> None:
    postgres = compose()["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    password = (secrets / "postgres_password").read_text().strip()
    assert f":{password}@" in (secrets / "database_url").read_text()


def test_compose_refuses_to_start_without_the_public_address(secrets: Path) -> None:
    with pytest.raises(SystemExit, match="SAMPARK_PUBLIC_BASE_URL"):
        environment_of(sampark_services()["api"], {}, secrets)


def test_making_the_secrets_again_keeps_them(secrets: Path) -> None:
    before = {p.name: p.read_text() for p in secrets.iterdir()}
    assert make(secrets) == []
    assert {p.name: p.read_text() for p in secrets.iterdir()} == before
    assert (secrets / "jwks.json").stat().st_mode & 0o777 == 0o644
    assert secrets.stat().st_mode & 0o777 == 0o700


def test_the_image_holds_every_package_the_project_installs() -> None:
    """`pip install .` in the image installs what was copied in: a package left out of the
    COPY lines would be missing from every container (reports/ once was)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {
        line.split()[1]
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    }
    assert packages <= copied, f"the Dockerfile does not copy {sorted(packages - copied)}"


def test_the_migrations_run_once_before_every_other_service() -> None:
    services = sampark_services()
    assert services["migrate"]["command"] == ["sampark", "migrate"]
    assert services["migrate"]["restart"] == "no"
    for name, service in services.items():
        if name != "migrate":
            waits = service["depends_on"]["migrate"]
            assert waits == {"condition": "service_completed_successfully"}, name


def test_each_long_running_service_is_healthy_only_when_ready(secrets: Path) -> None:
    """The compose file's health checks ask `/health/ready` where each process serves it: the
    API on its port, each worker process on SAMPARK_METRICS_PORT."""
    for name, service in sampark_services().items():
        if service["command"][1:] in (
            ["directory", "load", "/app/data/directory.json"],
            ["migrate"],
        ):
            assert service["healthcheck"] == {"disable": True}  # runs once and ends
            continue
        settings = Settings.from_env(environment_of(service, OPERATOR, secrets))
        port = settings.port if service["command"][1] == "serve" else settings.metrics_port
        check = " ".join(service["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/health/ready" in check, name
        assert settings.metrics_token and settings.logs_as == "json", name


def test_in_production_a_service_refuses_a_pending_migration_until_sampark_migrate_ran(
    database: str,
    secrets: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A database the previous release made (its migration not recorded): the services of the
    compose file refuse to start, naming `sampark migrate`; the `migrate` service applies it."""
    import psycopg

    from infra.run import cli

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("DELETE FROM sampark.schema_migrations")
    (secrets / "database_url").write_text(database)
    services = sampark_services()
    for name, value in environment_of(services["relay"], OPERATOR, secrets).items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit, match=r"run `sampark migrate` before starting"):
        cli.main(["audit", "verify"])  # any command that opens the database

    cli.main(services["migrate"]["command"][1:])
    assert "applied 0001_tables_before_migrations" in capsys.readouterr().out
    cli.main(["audit", "verify"])  # starts now
    assert "chain(s) hold" in capsys.readouterr().out
