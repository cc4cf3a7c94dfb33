"""`sampark simulate`: a realistic history, written into the real event store.

Every move goes through the domain (`Complaint.file`, `transfer`, `pass_deadlines`,
`resolve`, `give_feedback`, `close_unanswered`), with the loaded directory's routing, chains
and SLAs, at simulated times over the last `days` days; nothing is written past the rules.
Complaints are saved many at a time (one recorder call, one transaction per batch).

The mix, for a state portal: filings weighted by district population (Census 2011; the
districts formed in 2023 estimated from their parent districts) and by category, more on
weekdays and office hours; one in sixteen transferred as "not my department"; disposal
times spread around each category's SLA, so some deadlines pass and the complaint climbs;
outcomes as the portal reports them; about half the citizens answer the feedback call, the
unsatisfied get their complaint reopened (and appealed the second time), and the silent
ones are closed when the window ends. Seeded: the same seed gives the same history.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.access import citizen as citizen_identity
from domain.application import Sampark
from domain.clarification import ANSWER_WITHIN
from domain.complaint import Complaint
from domain.directory import Directory
from domain.location import Location
from domain.values import (
    SCHEDULER,
    Attachment,
    Channel,
    Complainant,
    Identity,
    Outcome,
    Role,
    Status,
)

# Population in thousands (Census 2011; districts of 2023 estimated from their parents).
POPULATION = {
    "AJM": 1700, "BWR": 880, "BHL": 2408, "NAG": 2100, "DDK": 1200, "TON": 1421,
    "BHP": 1700, "DEG": 850, "DHO": 1206, "KRL": 1458, "SWM": 1335, "BKN": 2363,
    "CHU": 2039, "HNM": 1774, "SGN": 1969, "JAI": 5200, "ALW": 2300, "DAU": 1634,
    "JJN": 2137, "SIK": 2677, "KHT": 1000, "KPB": 1300, "JOD": 2900, "BLT": 1000,
    "BMR": 1800, "JSM": 669, "JLR": 1828, "PAL": 2037, "PHL": 800, "SIR": 1037,
    "KOT": 2001, "BRN": 1222, "BUN": 1110, "JHL": 1411, "UDR": 2900, "BSW": 1797,
    "CTG": 1544, "DUN": 1388, "PTG": 868, "RSM": 1156, "SLM": 700,
}  # fmt: skip
# The head post office's pincode and the town's centre of some districts' headquarters: a
# simulated filing there names a place half the time (a point within ~3 km, a ward).
HEADQUARTERS = {
    "JAI": ("302001", 26.9124, 75.7873), "JOD": ("342001", 26.2389, 73.0243),
    "UDR": ("313001", 24.5854, 73.7125), "KOT": ("324001", 25.2138, 75.8648),
    "AJM": ("305001", 26.4499, 74.6399), "BKN": ("334001", 28.0229, 73.3119),
    "ALW": ("301001", 27.5530, 76.6346), "BHP": ("321001", 27.2152, 77.4930),
    "SIK": ("332001", 27.6094, 75.1399), "BHL": ("311001", 25.3463, 74.6364),
}  # fmt: skip
# Relative weight of a department's complaints; its categories share it evenly.
DEPARTMENT_WEIGHT = {
    "ENERGY": 20, "PHED": 18, "LSG": 12, "REVENUE": 11, "FOOD": 9, "RDPR": 9,
    "POLICE": 7, "SJE": 5, "MEDICAL": 5, "PWD": 4, "EDUCATION": 3,
}  # fmt: skip
CHANNELS = {
    Channel.PORTAL: 30, Channel.HELPLINE_181: 34, Channel.WHATSAPP: 22, Channel.EMITRA: 8,
    Channel.SAMPARK_DIWAS: 5, Channel.CMO: 1,
}  # fmt: skip
OUTCOMES = {
    Outcome.RELIEF: 62, Outcome.INTERIM_RELIEF: 10, Outcome.REJECTED: 12,
    Outcome.NOT_POSSIBLE: 8, Outcome.FALSE_COMPLAINT: 5, Outcome.SUB_JUDICE: 3,
}  # fmt: skip
SATISFIED = {
    Outcome.RELIEF: 0.78, Outcome.INTERIM_RELIEF: 0.5, Outcome.REJECTED: 0.15,
    Outcome.NOT_POSSIBLE: 0.25, Outcome.FALSE_COMPLAINT: 0.1, Outcome.SUB_JUDICE: 0.3,
}  # fmt: skip
WEEKDAY = [1.25, 1.1, 1.05, 1.0, 1.0, 0.8, 0.45]  # Monday first
HOUR = [1, 0, 0, 0, 0, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 11, 10, 8, 6, 5, 4, 3, 2, 1]
NAMES = ["Sunita", "Ramesh", "Geeta", "Mohan", "Kamla", "Suresh", "Pooja", "Bhanwar", "Meena"]
SURNAMES = ["Devi", "Meena", "Sharma", "Jat", "Gurjar", "Bishnoi", "Rathore", "Saini", "Khan"]
PHOTO = Attachment(
    sha256="9f2c4f1a5be0d5d0c7a3f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0",
    filename="site-visit.jpg",
    media_type="image/jpeg",
    size=182_344,
)
OPERATOR = Identity(id="helpline-181-agent-07", role=Role.OPERATOR)
CMO_CELL = Identity(id="cmo-cell-01", role=Role.OPERATOR)
FEEDBACK_WINDOW = timedelta(days=7)
BATCH = 200  # complaints per transaction


@dataclass(frozen=True)
class Simulated:
    complaints: int
    events: int
    seconds: float


def weighted(rng: random.Random, table: dict[str, int] | dict[Channel, int]) -> object:
    return rng.choices(list(table), weights=list(table.values()))[0]


class History:
    """One complaint's life, move by move, until `now`."""

    def __init__(self, app: Sampark, directory: Directory, rng: random.Random, now: datetime):
        self.app = app
        self.directory = directory
        self.rng = rng
        self.now = now
        self.categories = [
            (c.department, c.code)
            for c in directory.categories.values()
            if c.department in DEPARTMENT_WEIGHT and c.code != "demo-minutes"
        ]
        shares = {d: sum(1 for c in self.categories if c[0] == d) for d in DEPARTMENT_WEIGHT}
        self.category_weights = [DEPARTMENT_WEIGHT[d] / shares[d] for d, _ in self.categories]
        self.districts = [d for d in POPULATION if d in directory.districts]
        self.district_weights = [POPULATION[d] for d in self.districts]

    def filed_at(self, days: int) -> datetime:
        rng = self.rng
        while True:
            at = self.now - timedelta(days=rng.uniform(0, days))
            local = at + timedelta(hours=5, minutes=30)
            keep = WEEKDAY[local.weekday()] / 1.25 * HOUR[local.hour] / 12
            if rng.random() < keep:
                return at

    def place(self, district: str) -> Location | None:
        rng = self.rng
        if district not in HEADQUARTERS or rng.random() < 0.5:
            return None
        pincode, latitude, longitude = HEADQUARTERS[district]
        return Location.of(
            pincode=pincode,
            latitude=latitude + rng.uniform(-0.03, 0.03),
            longitude=longitude + rng.uniform(-0.03, 0.03),
            ward=f"Ward {rng.randint(1, 60)}",
        )

    def live(self, days: int) -> Complaint:
        rng, directory = self.rng, self.directory
        at = self.filed_at(days)
        district = rng.choices(self.districts, weights=self.district_weights)[0]
        department, category = rng.choices(self.categories, weights=self.category_weights)[0]
        channel = weighted(rng, CHANNELS)
        mobile = f"{rng.randint(6, 9)}{rng.randrange(10**9):09d}"
        citizen = citizen_identity(mobile)
        filer = {Channel.PORTAL: citizen, Channel.WHATSAPP: citizen, Channel.CMO: CMO_CELL}
        complaint = Complaint.file(
            by=filer.get(channel, OPERATOR),  # type: ignore[call-overload]
            registration_no=self.app.registration_numbers.next(district, at),
            complainant=Complainant(
                name=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}", mobile=mobile
            ),
            district=district,
            department=department,
            category=category,
            subject=f"{category.replace('-', ' ').capitalize()} in {district}",
            description="Reported by the complainant; details as recorded by the operator.",
            channel=channel,  # type: ignore[arg-type]
            attachments=(),
            directory=directory,
            at=at,
            location=self.place(district),
        )
        self._work(complaint, citizen, at)
        return complaint

    def _work(self, complaint: Complaint, citizen: Identity, at: datetime) -> None:
        rng = self.rng
        if complaint.holder and rng.random() < 1 / 16:
            at += timedelta(hours=rng.uniform(1, 30))
            if at > self.now:
                return
            others = [d for d in DEPARTMENT_WEIGHT if d != complaint.department]
            complaint.transfer(
                by=self._holder(complaint),
                department=rng.choice(others),
                category=None,
                reason="Not my department: the matter lies with another department",
                directory=self.directory,
                at=at,
            )
        if complaint.holder and complaint.is_open and rng.random() < 1 / 25:
            resumed = self._ask(complaint, citizen, at)
            if resumed is None:
                return
            at = resumed
        for _ in range(3):  # a disposal, and up to two more after reopening
            resolved_at = self._dispose(complaint, at)
            if resolved_at is None:
                return
            reopened_at = self._feedback(complaint, citizen, resolved_at)
            if reopened_at is None:
                return
            at = reopened_at

    def _ask(self, complaint: Complaint, citizen: Identity, since: datetime) -> datetime | None:
        """The holder asks the complainant for something (the clock waits); most answer in a
        few days, some never (disposed of as such once they may be). The time it goes on
        from; None when the story ends here (still waiting now, or disposed of)."""
        rng = self.rng
        asked_at = since + timedelta(hours=rng.uniform(2, 48))
        if asked_at > self.now:
            return since
        holder = self._holder(complaint)
        complaint.seek_clarification(
            by=holder, question="Please send a photo of the site and your address", at=asked_at
        )
        if rng.random() < 0.8:
            answered_at = asked_at + timedelta(hours=rng.uniform(3, 24 * 6))
            if answered_at > self.now:
                return None
            complaint.answer_clarification(
                by=citizen, answer="Sent the photo; the address is as filed", at=answered_at
            )
            return answered_at
        lapsed_at = asked_at + ANSWER_WITHIN + timedelta(hours=rng.uniform(1, 72))
        if lapsed_at <= self.now:
            complaint.dispose_unanswered(by=holder, feedback_window=FEEDBACK_WINDOW, at=lapsed_at)
        return None

    def _dispose(self, complaint: Complaint, since: datetime) -> datetime | None:
        """Deadlines pass while nobody acts; the holder disposes; None if still open now."""
        rng = self.rng
        allowed = (complaint.due_at - since) if complaint.due_at else timedelta(days=7)
        resolve_at = since + allowed * rng.lognormvariate(-0.35, 0.7)
        for _ in range(5):
            due = complaint.due_at
            if complaint.status not in (Status.ASSIGNED, Status.REOPENED):
                break
            if due is None or due > min(resolve_at, self.now):
                break
            version = complaint.version
            complaint.pass_deadlines(
                by=SCHEDULER, directory=self.directory, at=due + timedelta(minutes=1)
            )
            if complaint.version == version:
                break
            if complaint.due_at and complaint.due_at > due:  # climbed: time again there
                resolve_at = max(resolve_at, due + (complaint.due_at - due) * rng.random())
        if resolve_at > self.now or complaint.holder is None or not complaint.is_open:
            return None
        complaint.resolve(
            by=self._holder(complaint),
            outcome=weighted(self.rng, OUTCOMES),  # type: ignore[arg-type]
            action_taken="Site inspected; the fault was attended and the complainant told.",
            evidence=(PHOTO,),
            feedback_window=FEEDBACK_WINDOW,
            at=resolve_at,
        )
        return resolve_at

    def _feedback(
        self, complaint: Complaint, citizen: Identity, resolved_at: datetime
    ) -> datetime | None:
        """The citizen's answer, or silence until the window closes; when it was reopened."""
        rng = self.rng
        outcome = complaint.resolution.outcome if complaint.resolution else Outcome.RELIEF
        if rng.random() < 0.55:
            at = resolved_at + timedelta(hours=rng.uniform(0.5, 24 * 6))
            if at > self.now:
                return None
            satisfied = rng.random() < SATISFIED[outcome]
            complaint.give_feedback(
                by=citizen,
                satisfied=satisfied,
                rating=rng.randint(4, 5) if satisfied else rng.randint(1, 2),
                comment=None,
                at=at,
                directory=self.directory,
                policy=self.app.policy.unsatisfied,
            )
            return at if complaint.is_open else None
        closes = resolved_at + FEEDBACK_WINDOW + timedelta(minutes=5)
        if closes <= self.now:
            complaint.close_unanswered(by=SCHEDULER, at=closes)
        return None

    def _holder(self, complaint: Complaint) -> Identity:
        post = self.directory.posts[complaint.holder or ""]
        return Identity(
            id=f"officer-{post.id.lower()}",
            role=Role.OFFICER,
            post=post.id,
            district=post.district,
            department=post.department,
        )


def simulate(
    app: Sampark,
    complaints: int,
    days: int,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> Simulated:
    """Write `complaints` complaints' histories over the last `days` days."""
    directory = app.directory()
    if not directory.categories:
        raise SystemExit("the directory is empty: run `sampark directory load` first")
    history = History(app, directory, random.Random(seed), now or app.clock())
    started = time.perf_counter()
    written = events = 0
    for batch in _batches(complaints):
        lives = [history.live(days) for _ in range(batch)]
        events += sum(len(c.pending_events) for c in lives)
        app.save(*lives)
        written += batch
        if progress:
            progress(written, events, time.perf_counter() - started)
    return Simulated(written, events, time.perf_counter() - started)


def _batches(total: int) -> Iterator[int]:
    while total > 0:
        yield min(BATCH, total)
        total -= BATCH
