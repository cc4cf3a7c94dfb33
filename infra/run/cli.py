"""`sampark`: the command line. Starts the stack or one of its processes, mints tokens,
loads the directory, rebuilds and verifies the read models, checks the audit trail.

Part of the composition root (`infra/run/`); the heavier packages (the API, the workers, the
read side's rebuild) are imported inside the commands that need them, so `sampark token`
starts fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infra import migrations
from infra.logs import configure as configure_logs
from infra.migrations import MigrationChanged, MigrationsPending
from infra.run.addresses import Addresses, written
from infra.run.addresses import running as running_stack
from infra.run.directory import SAMPLE_DIRECTORY, directory_at_start, load_directory
from infra.run.lifecycle import running, wait_while_alive
from infra.run.probe import observed
from infra.run.services import opened
from infra.run.stack import broker, database, providers
from infra.run.welcome import welcome
from infra.security.tokens import SCOPE_CLAIMS, mint
from infra.settings import Settings

if TYPE_CHECKING:
    import uvicorn
    from litestar import Litestar


def cmd_notifier(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.workers import notifier

    with (
        database(settings) as url,
        broker(settings) as configured,
        providers(configured) as ready,
        opened(ready, url) as services,
    ):
        workers = notifier(ready, services.app, url)
        with (
            observed(ready, url, workers, needs_broker=True),
            running(workers, daemon=True) as threads,
        ):
            wait_while_alive(threads)


def cmd_scheduler(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.workers import scheduler

    with database(settings) as url, opened(settings, url) as services:
        clockwork = scheduler(settings, services.app, services.pool, url)
        with observed(settings, url, [clockwork], needs_broker=False):
            clockwork.run_until_stopped()


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> None:
    with database(settings, migrated=False) as url:
        applied = migrations.migrate(url)
    for migration in applied:
        print(f"applied {migration}")
    print(f"{len(applied)} migration(s) applied; the schema is current")


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> None:
    from uuid import UUID

    import psycopg

    from infra.eventstore.audit import all_chains, verify_chain, verify_checkpoint

    with database(settings) as url, psycopg.connect(url) as conn:
        if args.complaint:
            from domain.complaint import complaint_id

            try:
                wanted = UUID(args.complaint)
            except ValueError:
                wanted = complaint_id(args.complaint)  # a registration number
            reports = [verify_chain(conn, wanted)]
        else:
            reports = list(all_chains(conn))
        broken = [r for r in reports if not r.holds]
        for report in broken:
            print(
                f"BROKEN {report.originator_id}: version {report.first_broken_version}: "
                f"{report.reason}"
            )
        checkpoint = verify_checkpoint(conn, settings.signing_key().public_key())
    for problem in checkpoint.problems:
        print(f"CHECKPOINT {checkpoint.id}: {problem}")
    print(
        f"{len(reports) - len(broken)} of {len(reports)} chain(s) hold; checkpoint "
        f"{checkpoint.id} of {checkpoint.taken_at}: "
        f"{'valid' if not checkpoint.problems else 'NOT valid'}"
    )
    if broken or (checkpoint.id is not None and checkpoint.problems):
        raise SystemExit(1)


def cmd_audit_checkpoint(args: argparse.Namespace, settings: Settings) -> None:
    from datetime import UTC, datetime

    import psycopg

    from infra.eventstore.audit import take_checkpoint

    with database(settings) as url, psycopg.connect(url, autocommit=True) as conn:
        taken = take_checkpoint(conn, settings.signing_key(), datetime.now(UTC))
    print(f"checkpoint {taken.id}: {taken.chains} chain(s), root {taken.root.hex()}")


def cmd_relay(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.workers import read_side

    with database(settings) as url, broker(settings) as configured:
        relay, _ = read_side(configured, url)
        with observed(configured, url, [relay], needs_broker=True):
            relay.run_until_stopped()


def cmd_projector(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.workers import read_side

    with database(settings) as url, broker(settings) as configured:
        _, projector = read_side(configured, url)
        with observed(configured, url, [projector], needs_broker=True):
            projector.run_until_stopped()


def positive(text: str) -> int:
    """An argument that must be a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.progress import progress_shown, rebuilt
    from projections.rebuild import RebuildFailed, rebuild

    with database(settings) as url:
        try:
            with progress_shown("rebuilding", 0) as show:
                done = rebuild(url, rebuilt(show), workers=args.workers)
        except RebuildFailed as failed:
            raise SystemExit(str(failed)) from None
    print(f"read models rebuilt: {done.applied} events applied")


def cmd_verify(args: argparse.Namespace, settings: Settings) -> None:
    from projections.rebuild import verify

    with database(settings) as url:
        differences = verify(url)
    for difference in differences:
        print(difference)
    if differences:
        print(f"{len(differences)} difference(s) between the read models and the event store")
        raise SystemExit(1)
    print("the read models agree with the event store")


def cmd_retry_dead(args: argparse.Namespace, settings: Settings) -> None:
    """Replay the consumers' dead letters after a fix (an admin's command: it needs the
    database's credentials, which only the operators hold)."""
    import psycopg

    from infra.run.workers import notifications_consumer
    from projections.projector import Projector

    with database(settings) as url, opened(settings, url) as services:
        consumers = [
            Projector(url, "", topic=settings.kafka_topic, group=settings.kafka_group),
            notifications_consumer(settings, services.app, url, ""),
        ]
        still = 0
        with psycopg.connect(url, autocommit=True) as conn:
            for consumer in consumers:
                if args.group and consumer.group != args.group:
                    continue
                consumer.prepare(conn)
                done = consumer.retry_dead(conn)
                still += done.failed + done.held
                print(
                    f"{consumer.group}: {done.applied} applied and removed, "
                    f"{done.failed} still failing, {done.held} held behind those"
                )
    if still:
        raise SystemExit(1)


def cmd_token(args: argparse.Namespace, settings: Settings) -> None:
    from domain.permissions import claims_of
    from domain.values import Role

    if args.role not in {r.value for r in Role if r != Role.SYSTEM}:
        raise SystemExit(f"no role {args.role!r}")
    required, allowed = claims_of(Role(args.role))
    given = {c for c in SCOPE_CLAIMS if getattr(args, c, None)}
    if given - allowed or required - given:
        # The API would refuse such a token (401): say so now.
        raise SystemExit(
            f"{Role(args.role).a} token carries {', '.join(sorted(required)) or 'no scope claim'}"
            + (
                f" (and may carry {', '.join(sorted(allowed - required))})"
                if allowed - required
                else ""
            )
        )
    print(
        mint(
            settings.jwt_secret,
            role=args.role,
            sub=args.sub,
            district=args.district,
            department=args.department,
            post=args.post,
            mobile=args.mobile,
            departments=args.departments.split(",") if args.departments else None,
            desk=args.desk,
        )
    )


def cmd_directory_load(args: argparse.Namespace, settings: Settings) -> None:
    with database(settings) as url, opened(settings, url) as services:
        changes = load_directory(services.app, Path(args.file))
    print(f"directory loaded from {args.file}: {changes} change(s) recorded")


def cmd_simulate(args: argparse.Namespace, settings: Settings) -> None:
    from infra.run.progress import progress_shown, simulated
    from infra.run.simulation import simulate

    if args.complaints < 1 or args.days < 1:
        raise SystemExit("--complaints and --days must be at least 1")
    with database(settings) as url, opened(settings, url) as services:
        if not services.app.directory().categories:
            load_directory(services.app, SAMPLE_DIRECTORY)
        with progress_shown("simulating", args.complaints) as show:
            done = simulate(
                services.app,
                args.complaints,
                args.days,
                seed=args.seed,
                progress=simulated(show, args.complaints),
            )
    print(
        f"simulated {done.complaints:,} complaints over {args.days} days: {done.events:,} events "
        f"in {done.seconds:.1f} s ({done.events / done.seconds:,.0f} events/s)"
    )


def cmd_assist_train(args: argparse.Namespace, settings: Settings) -> None:
    from assist.teaching import retrain

    with database(settings) as url, opened(settings, url) as services:
        if not services.app.directory().categories:
            load_directory(services.app, SAMPLE_DIRECTORY)
        with services.pool.connection() as conn:
            retrain(conn, services.app.directory(), services.app.clock(), report=print)


def cmd_open311_key(args: argparse.Namespace, settings: Settings) -> None:
    from infra.security.api_keys import ApiKeys

    with database(settings) as url, opened(settings, url) as services:
        issued = ApiKeys(services.pool).issue(args.client, services.app.clock())
    print(f"key {issued.id} for {args.client} (shown once; only its hash is kept):")
    print(issued.key)


def cmd_open311_revoke(args: argparse.Namespace, settings: Settings) -> None:
    from infra.security.api_keys import ApiKeys

    with database(settings) as url, opened(settings, url) as services:
        if not ApiKeys(services.pool).revoke(args.id, services.app.clock()):
            raise SystemExit(f"no live key {args.id!r}")
    print(f"key {args.id} revoked")


def server_config(app: Litestar, settings: Settings) -> uvicorn.Config:
    """uvicorn's configuration for the API. Client addresses are ours to find (only from
    `SAMPARK_TRUSTED_PROXIES`: `infra/security/rate_limits.py`), not uvicorn's, which by
    default believes X-Forwarded-For from any client on 127.0.0.1."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=None,  # uvicorn's lines go to the root logger, formatted as every other
        lifespan="on",
        proxy_headers=False,
    )


def cmd_run(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from api.app import create_app
    from infra.run.workers import notifier, read_side, scheduler

    already = running_stack(settings.home)
    if already is not None:
        raise SystemExit(
            f"a stack is already running under {settings.home} (process {already.pid}, API at "
            f"{already.api}); stop it first, or set SAMPARK_HOME to start another"
        )
    with (
        database(settings) as url,
        broker(settings) as with_broker,
        providers(with_broker) as configured,
        opened(configured, url) as services,
        written(
            settings.home,
            Addresses(
                pid=os.getpid(),
                api=f"http://{settings.host}:{settings.port}",
                database_url=None if settings.database_url else url,
                kafka_bootstrap=None if settings.kafka_bootstrap else with_broker.kafka_bootstrap,
            ),
        ) as addresses,
    ):
        workers = [
            *read_side(configured, url),
            scheduler(configured, services.app, services.pool, url),
            *notifier(configured, services.app, url),
        ]
        with observed(configured, url, workers, needs_broker=True) as readiness, running(workers):
            services.readiness = readiness
            requested = Path(args.directory) if args.directory else None
            said = directory_at_start(services.app, requested)
            logging.getLogger("sampark").info("%s", said)
            server = uvicorn.Server(server_config(create_app(services), configured))
            original_startup = server.startup

            async def startup(sockets: Any = None) -> None:
                await original_startup(sockets)
                standin = not settings.whatsapp_base_url
                print(
                    welcome(
                        configured,
                        standin=standin,
                        directory=said,
                        addresses=addresses,
                        database_url="(SAMPARK_DATABASE_URL)" if settings.database_url else url,
                    ),
                    flush=True,
                )

            server.startup = startup  # type: ignore[method-assign]
            server.run()


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from api.app import create_app

    with database(settings) as url, opened(settings, url) as services:
        uvicorn.Server(server_config(create_app(services), settings)).run()


def rule(name: str, option: str) -> Callable[[str], str]:
    """An argument checked by the domain's input rule `name` (`domain/inputs.py`), as every
    other way in checks it: argparse names the option and exits when it is broken."""

    def check(value: str) -> str:
        from domain import inputs
        from domain.errors import InvalidCommand

        try:
            clean: str = getattr(inputs, name).clean(value, option)
        except InvalidCommand as refused:
            raise argparse.ArgumentTypeError(refused.reason) from None
        return clean

    return check


def departments(value: str) -> str:
    """A minister's departments: department codes, comma-separated."""
    code = rule("CODE", "--departments")
    return ",".join(code(part) for part in value.split(","))


def role(value: str) -> str:
    from domain.values import Role

    if value not in {r.value for r in Role}:
        raise argparse.ArgumentTypeError(f"--role is one of {', '.join(r.value for r in Role)}")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="sampark", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the whole stack on the embedded default")
    run.add_argument(
        "--directory",
        default=None,
        help="master-data file to load at start (default: the sample, on a first start only)",
    )
    run.set_defaults(handler=cmd_run)

    migrate = commands.add_parser(
        "migrate", help="apply the schema's pending migrations (docs/operations.md)"
    )
    migrate.set_defaults(handler=cmd_migrate)

    serve = commands.add_parser("serve", help="serve the API only")
    serve.set_defaults(handler=cmd_serve)

    token = commands.add_parser("token", help="mint a bearer token")
    token.add_argument("--role", required=True, type=role)
    token.add_argument("--sub", required=True, type=rule("IDENTIFIER", "--sub"))
    for claim in ("district", "department", "post", "desk"):
        token.add_argument(f"--{claim}", type=rule("CODE", f"--{claim}"))
    token.add_argument("--mobile", type=rule("MOBILE", "--mobile"))
    token.add_argument(
        "--departments", type=departments, help="a minister's departments, comma-separated"
    )
    token.set_defaults(handler=cmd_token)

    relay = commands.add_parser("relay", help="publish the event store's events to Kafka")
    relay.set_defaults(handler=cmd_relay)
    projector = commands.add_parser("projector", help="keep the read models from Kafka")
    projector.set_defaults(handler=cmd_projector)
    clock = commands.add_parser(
        "scheduler", help="escalate at deadlines, warn, auto-close, make the review lists"
    )
    clock.set_defaults(handler=cmd_scheduler)
    notify = commands.add_parser(
        "notifier", help="tell citizens and officers: WhatsApp messages, SMS as the fallback"
    )
    notify.set_defaults(handler=cmd_notifier)
    projections = commands.add_parser("projections", help="the read models")
    projection_commands = projections.add_subparsers(dest="projections_command", required=True)
    rebuild = projection_commands.add_parser(
        "rebuild",
        help="replay every event into a fresh copy, then switch to it",
        description="Replay every event into a fresh copy of the read models while the live "
        "copy serves, partitions of the complaints in parallel worker processes, then catch "
        "up and switch to the copy in one transaction. If any worker fails, the live copy is "
        "left as it was.",
    )
    rebuild.add_argument(
        "--workers",
        type=positive,
        default=None,
        help="worker processes replaying in parallel (default: one per core this process may use)",
    )
    rebuild.set_defaults(handler=cmd_rebuild)
    verify = projection_commands.add_parser("verify", help="compare with the event store")
    verify.set_defaults(handler=cmd_verify)
    retry = projection_commands.add_parser(
        "retry-dead", help="replay the dead letters after a fix (those that apply are removed)"
    )
    retry.add_argument("--group", help="only this consumer group's")
    retry.set_defaults(handler=cmd_retry_dead)

    audit = commands.add_parser("audit", help="the event store's tamper evidence")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_verify = audit_commands.add_parser(
        "verify", help="check every hash chain (or one complaint's) and the latest checkpoint"
    )
    audit_verify.add_argument(
        "--complaint",
        type=rule("CODE", "--complaint"),
        help="a complaint's id or registration number",
    )
    audit_verify.set_defaults(handler=cmd_audit_verify)
    audit_checkpoint = audit_commands.add_parser(
        "checkpoint", help="sign the heads of every chain now"
    )
    audit_checkpoint.set_defaults(handler=cmd_audit_checkpoint)

    directory = commands.add_parser("directory", help="the state's master data")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    load = directory_commands.add_parser("load", help="load a master-data file (idempotent)")
    load.add_argument("file")
    load.set_defaults(handler=cmd_directory_load)
    _simulate_command(commands)
    _assist_commands(commands)
    _open311_commands(commands)
    return root


def _simulate_command(commands: Any) -> None:
    simulate = commands.add_parser(
        "simulate", help="write a realistic history of complaints into the event store"
    )
    simulate.add_argument("--complaints", type=int, required=True)
    simulate.add_argument("--days", type=int, required=True)
    simulate.add_argument("--seed", type=int, default=2026, help="the same seed, the same history")
    simulate.set_defaults(handler=cmd_simulate)


def _open311_commands(commands: Any) -> None:
    open311 = commands.add_parser("open311", help="the keys of Open311 clients (docs/open311.md)")
    open311_commands = open311.add_subparsers(dest="open311_command", required=True)
    key = open311_commands.add_parser("key", help="issue a key for a client; printed once")
    key.add_argument("client", help="a code naming the client, e.g. emitra-jaipur")
    key.set_defaults(handler=cmd_open311_key)
    revoke = open311_commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("id")
    revoke.set_defaults(handler=cmd_open311_revoke)


def _assist_commands(commands: Any) -> None:
    assist = commands.add_parser("assist", help="the assistant (docs/assist.md)")
    assist_commands = assist.add_subparsers(dest="assist_command", required=True)
    train = assist_commands.add_parser(
        "train", help="train on the corpus and the history; store a new model version"
    )
    train.set_defaults(handler=cmd_assist_train)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    settings.check()
    # JSON lines or text, redacted, each with its request and complaint (`infra/logs.py`);
    # fontTools kept quiet: fpdf2's font subsetting says some thirty lines a document at
    # INFO, and the morning's infographic alone once stalled every thread that logs.
    configure_logs(settings.logs_as)
    # `docker stop` and process managers send SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        args.handler(args, settings)
    except (MigrationsPending, MigrationChanged) as refused:
        raise SystemExit(f"sampark: {refused}") from None
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully, then passes Ctrl-C on; by now everything is closed.
        print("Sampark stopped.", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
