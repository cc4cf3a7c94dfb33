"""Documents that go out by themselves (docs/reports.md): the secretaries' monthly data on
the 1st, and the morning's infographic announced to the posts that publish it.

Each goes as a message through the notification outbox (`projections/notify/outbox.py`)
carrying signed links to the copies kept when it was made (`reports.kept`, served at
`/documents/{token}`). A message's key names the document and the post it goes to, and the
outbox adds a key once, ever: a restart, a second scheduler or a run again sends nothing
twice. A document already kept is not made again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from domain.directory import Directory, Post
from domain.values import MAX_LEVEL, Identity, Role
from projections.notify.messages import Message, render
from projections.notify.outbox import Outbox
from reports import infographic, monthly_data, places
from reports.kept import Name, Shelf, anything_by, data_version
from reports.publishing import LANGUAGES, Picture, Sheet, infographic_name

# (the kept document's name parts, when the message is made) -> the signed link
Link = Callable[[tuple[str, ...], datetime], str]
SCHEDULER = Identity(id="scheduler", role=Role.ANALYST)  # reads the state, as an analyst
SECRETARY, PUBLISHER = "secretary", "publisher"
# The monthly data kept and linked: the PDF in Hindi and in English, the workbook in English.
MONTHLY_COPIES = (("hi", Sheet.PDF), ("en", Sheet.PDF), ("en", Sheet.XLSX))


def secretary_of(directory: Directory, department: str) -> Post | None:
    """The department's secretary: its state-level post at the top level (the first by id)."""
    posts = sorted(
        (p for p in directory.posts.values()
         if p.department == department and p.level == MAX_LEVEL and p.district is None),
        key=lambda p: p.id,
    )  # fmt: skip
    return posts[0] if posts else None


def send_monthly_data(
    pool: ConnectionPool[Any], directory: Directory, now: datetime, first: date, link: Link
) -> Counter[str]:
    """The month from `first` of each department, kept and sent to its secretary."""
    month = f"{first:%Y-%m}"
    done: Counter[str] = Counter()
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with pool.connection() as conn:
        if not anything_by(conn, last):
            done[f"monthly data {month}: no complaint by the month's end"] += 1
            return done
    for department in sorted(directory.departments):
        key = f"monthly_data:{department}:{month}:{SECRETARY}"
        secretary = secretary_of(directory, department)
        mobile = secretary.reachable_at if secretary else None
        with pool.connection() as conn:
            if Outbox(conn).queued(key):
                continue
        if mobile is None:
            done["monthly data: no secretary to send to"] += 1
            continue
        names = [Name("monthly_data", department, month, lang, form.value)
                 for lang, form in MONTHLY_COPIES]  # fmt: skip
        with pool.connection() as conn:
            _keep_monthly(conn, directory, now, department, first, names)
            params = [places.department_name(directory, department, "hi"), month]
            params += [link(n.key(), now) for n in names]
            message = Message(
                key=key,
                complaint_id=None,
                audience=SECRETARY,
                mobile=mobile,
                language="hi",
                template="sampark_monthly_data",
                params=params,
                text=render("sampark_monthly_data", "hi", params),
            )
            done[f"monthly data {month} sent"] += Outbox(conn).add([message], now)
    return done


def _keep_monthly(
    conn: Any, directory: Directory, now: datetime, department: str, first: date, names: list[Name]
) -> None:
    """Make and keep those of `names` not kept yet (a kept copy is the one a link opens)."""
    shelf = Shelf(conn)
    missing = [n for n in names if shelf.kept(n) is None]
    version = data_version(conn)
    for language in sorted({n.language for n in missing}):
        data = monthly_data.gather(conn, directory, SCHEDULER, department, first, language)
        for name in (n for n in missing if n.language == language):
            pdf = name.format == Sheet.PDF.value
            made = monthly_data.pdf(data) if pdf else monthly_data.xlsx(data)
            shelf.keep(name, made, version, "scheduler", now)


def announce_infographic(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    day: date,
    posts: Iterable[str],
    link: Link,
) -> Counter[str]:
    """Tell each post that publishes the infographic (its holder) that `day`'s is kept,
    with links to the PNG in Hindi and English; once per day and post, ever."""
    done: Counter[str] = Counter()
    names = [infographic_name(day, language, Picture.PNG) for language in LANGUAGES]
    with pool.connection() as conn:
        shelf = Shelf(conn)
        if any(shelf.kept(n) is None for n in names):
            return done  # nothing to announce before it is kept
        outbox = Outbox(conn)
        for post_id in posts:
            post = directory.posts.get(post_id)
            mobile = post.reachable_at if post else None
            if mobile is None:
                done["infographic: publisher not reachable"] += 1
                continue
            params = [infographic.shown_day(day, "hi"), *(link(n.key(), now) for n in names)]
            message = Message(
                key=f"infographic:{day.isoformat()}:{post_id}:{PUBLISHER}",
                complaint_id=None,
                audience=PUBLISHER,
                mobile=mobile,
                language="hi",
                template="sampark_infographic",
                params=params,
                text=render("sampark_infographic", "hi", params),
            )
            done[f"infographic {day.isoformat()} announced"] += outbox.add([message], now)
    return done
