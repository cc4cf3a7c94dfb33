"""Open311 GeoReport v2 at `/open311/v2/`: the standard that FixMyStreet, its clients and many
city systems use to exchange service requests (docs/open311.md).

A service is one of our categories (`PHED.water-supply`); a service request is a complaint
(its `service_request_id` the registration number). Services are public. Filing and reading
back need an `api_key` (`infra/security/api_keys.py`), which stands for one operator: it files
as that operator, for the citizen it names, and reads back only what it filed. Every
resource answers JSON or XML, chosen by the path's extension as the spec says, and so do its
errors (`[{"code", "description"}]`, `<errors><error>`), each naming the Open311 parameter.
A filing passes the same rules as `POST /v1/complaints`: it is made into that request's body
and filed by the same code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery

from api import schemas
from api.complaints import Injected, Req, file_complaint
from api.problems import EXCEPTION_HANDLERS
from api.services import Services
from domain import inputs
from domain.directory import Category, Directory
from domain.errors import InvalidCommand
from domain.values import OPEN_STATUSES, Channel, Identity, Status
from infra.security.api_keys import ApiKeys
from projections.queries import ReadQueries
from projections.rows import ComplaintRow

JURISDICTION = "rajasthan"  # the one jurisdiction this server answers for
FORMATS = {"json": MediaType.JSON, "xml": MediaType.XML}
MAX_WINDOW = timedelta(days=90)  # the spec's default and widest span of a requests query
MAX_REQUESTS = 1000  # the spec's default cap of a requests query
MAX_IDS = 100  # registration numbers in one `service_request_id` query

# Our request's fields, as the Open311 parameters a client sent them in.
PARAMETERS = {
    "complainant.name": "first_name",
    "complainant.mobile": "phone",
    "complainant.email": "email",
    "complainant.language": "attribute[language]",
    "district": "attribute[district]",
    "department": "service_code",
    "category": "service_code",
    "subject": "service_code",
    "description": "description",
    "location.latitude": "lat",
    "location.longitude": "long",
    "location.landmark": "address_string",
    "location.pincode": "attribute[pincode]",
    "location.ward": "attribute[ward]",
}


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


# --- formats -----------------------------------------------------------------------------


def split_format(name: str) -> tuple[str, str]:
    """`services.json` -> (`services`, `json`); 404 in JSON for an unknown extension."""
    stem, dot, extension = name.rpartition(".")
    if not dot or extension not in FORMATS:
        raise Open311Error(404, "name the format as the extension: .json or .xml")
    return stem, extension


def _format_of(request: Request[Any, Any, Any]) -> str:
    extension = request.url.path.rpartition(".")[2]
    return extension if extension in FORMATS else "json"


def _xml(root: str, item: str, records: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for record in records:
        _xml_fields(ET.SubElement(top, item), record)
    return bytes(ET.tostring(top, encoding="utf-8", xml_declaration=True))


def _xml_fields(element: ET.Element, record: dict[str, Any]) -> None:
    for name, value in record.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):  # attributes and their values, as the spec nests them
            for entry in value:
                _xml_fields(ET.SubElement(child, name.removesuffix("s")), entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def answer(
    extension: str, root: str, item: str, records: list[dict[str, Any]], status: int = 200
) -> Response[bytes]:
    """`records` as the spec lays them out: a JSON array, or `<root><item>...` in XML."""
    if extension == "xml":
        return Response(_xml(root, item, records), media_type=MediaType.XML, status_code=status)
    return Response(msgspec.json.encode(records), media_type=MediaType.JSON, status_code=status)


def on_error(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    """Every error of these routes in the spec's shape, in the format the path asked for; the
    status and description are those the rest of the API gives (`api/problems.py`), with our
    field names put as the Open311 parameters they came from."""
    if isinstance(error, Open311Error):
        code, description, headers = error.code, error.description, {}
    else:
        handler = next(
            (EXCEPTION_HANDLERS[t] for t in type(error).__mro__ if t in EXCEPTION_HANDLERS),
            EXCEPTION_HANDLERS[Exception],
        )
        problem = handler(request, error)
        body = problem.content if isinstance(problem.content, dict) else {}
        code = problem.status_code
        description = str(body.get("detail", ""))
        field = body.get("field")
        if isinstance(field, str):
            named = PARAMETERS.get(field.removeprefix("data."), field)
            description = f"{named}: {description.removeprefix(f'{field}: ')}"
        headers = {k: v for k, v in (problem.headers or {}).items() if k == "Retry-After"}
    reply = answer(
        _format_of(request), "errors", "error", [{"code": code, "description": description}], code
    )
    reply.headers.update(headers)
    return reply


# --- services ------------------------------------------------------------------------------


def service_code(category: Category) -> str:
    return f"{category.department}.{category.code}"


def _category(directory: Directory, code: str) -> Category:
    department, dot, category = code.partition(".")
    found = directory.categories.get((department, category)) if dot else None
    if found is None:
        raise Open311Error(404, f"service_code: no service {code!r}; see services.json")
    return found


def service(directory: Directory, category: Category) -> dict[str, Any]:
    department = directory.departments.get(category.department)
    group = department.name if department else category.department
    return {
        "service_code": service_code(category),
        "service_name": category.name,
        "description": f"{category.name} ({group})",
        "metadata": True,  # the district is asked for, as an attribute
        "type": "realtime",
        "keywords": category.code.replace("-", ", "),
        "group": group,
    }


def definition(directory: Directory, category: Category) -> dict[str, Any]:
    districts = sorted(directory.districts.values(), key=lambda d: d.name)
    text = {"variable": True, "datatype": "string", "required": False, "datatype_description": None}
    return {
        "service_code": service_code(category),
        "attributes": [
            {
                "variable": True,
                "code": "district",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": None,
                "order": 1,
                "description": "The district where the problem is",
                "values": [{"key": d.code, "name": d.name} for d in districts],
            },
            {**text, "code": "pincode", "order": 2, "description": "The 6-digit pincode"},
            {**text, "code": "ward", "order": 3, "description": "The ward or village"},
            {
                "variable": True,
                "code": "language",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 4,
                "description": "The language of the citizen's messages",
                "values": [{"key": "hi", "name": "हिन्दी"}, {"key": "en", "name": "English"}],
            },
        ],
    }


# --- requests ------------------------------------------------------------------------------


class Filing(msgspec.Struct, kw_only=True):
    """`POST requests.{format}`: the spec's parameters (form-encoded) that we use. Location
    by `lat`/`long` and `address_string`; the district, pincode, ward and language by the
    service definition's attributes. `media_url` is not fetched (a URL of the client's
    choosing would make us its messenger): photos come through the JSON API."""

    api_key: str
    service_code: str
    description: str
    phone: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    jurisdiction_id: str | None = None
    district: str | None = msgspec.field(default=None, name="attribute[district]")
    pincode: str | None = msgspec.field(default=None, name="attribute[pincode]")
    ward: str | None = msgspec.field(default=None, name="attribute[ward]")
    language: str | None = msgspec.field(default=None, name="attribute[language]")


def _as_number(value: str | None, parameter: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise Open311Error(400, f"{parameter}: a decimal number of degrees (WGS84)") from None


def complaint_of(filing: Filing, category: Category) -> schemas.FileComplaint:
    """The filing as the body of `POST /v1/complaints`, held to its rules."""
    name = " ".join(part for part in (filing.first_name, filing.last_name) if part)
    location = {
        "latitude": _as_number(filing.lat, "lat"),
        "longitude": _as_number(filing.long, "long"),
        "landmark": filing.address_string or None,
        "pincode": filing.pincode or None,
        "ward": filing.ward or None,
    }
    try:  # as a desk agent types it: +91, spaces, hyphens (the search's rule)
        mobile = inputs.dialled_mobile(filing.phone, "phone")
    except InvalidCommand as wrong:
        raise Open311Error(400, f"phone: {wrong.reason}") from None
    body: dict[str, Any] = {
        "complainant": {
            "name": name or None,
            "mobile": mobile,
            **({"email": filing.email} if filing.email else {}),
            **({"language": filing.language} if filing.language else {}),
        },
        "district": filing.district,
        "department": category.department,
        "category": category.code,
        "subject": category.name,
        "description": filing.description,
        "channel": Channel.OPEN311,
        "location": {k: v for k, v in location.items() if v is not None} or None,
    }
    try:
        return msgspec.convert(body, schemas.FileComplaint)
    except msgspec.ValidationError as error:
        from api.problems import field_from_message

        field = field_from_message(str(error)) or ""
        named = PARAMETERS.get(field, field or "request")
        raise Open311Error(400, f"{named}: {str(error).split(' - at ')[0]}") from None


def request_record(row: ComplaintRow, directory: Directory) -> dict[str, Any]:
    """A complaint as a GeoReport service request (its filer's own: words and place included)."""
    category = directory.categories.get((row.department, row.category))
    department = directory.departments.get(row.department)
    district = directory.districts.get(row.district)
    closed = row.status not in {s.value for s in OPEN_STATUSES}
    notes = None
    if row.status == Status.WITHDRAWN:
        notes = "withdrawn by the complainant"
    elif closed and row.outcome:
        notes = row.outcome.replace("_", " ") + (
            f": {row.action_taken}" if row.action_taken else ""
        )
    place = [row.location_landmark, row.location_ward, district.name if district else row.district]
    return {
        "service_request_id": row.registration_no,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": category.name if category else row.category,
        "service_code": f"{row.department}.{row.category}",
        "description": row.description,
        "agency_responsible": department.name if department else row.department,
        "service_notice": None,
        "requested_datetime": _moment(row.filed_at),
        "updated_datetime": _moment(row.last_event_at),
        "expected_datetime": _moment(row.due_at),
        "address": ", ".join(p for p in place if p),
        "address_id": None,
        "zipcode": row.location_pincode,
        "lat": row.location_latitude,
        "long": row.location_longitude,
        "media_url": None,
    }


def _moment(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if at else None


def _window(start: str | None, end: str | None, now: datetime) -> tuple[datetime, datetime]:
    def moment(value: str, parameter: str) -> datetime:
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            at = None
        if at is None or at.tzinfo is None:
            raise Open311Error(
                400, f"{parameter}: a w3 date-time with its zone, e.g. 2026-01-01T00:00:00Z"
            )
        return at

    until = moment(end, "end_date") if end else now
    since = moment(start, "start_date") if start else until - MAX_WINDOW
    if since > until or until - since > MAX_WINDOW:
        raise Open311Error(400, "start_date: the window is at most 90 days, start before end")
    return since, until


def _listed(value: str | None, parameter: str, allowed: set[str] | None = None) -> list[str]:
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if allowed is not None and any(p not in allowed for p in parts):
        raise Open311Error(400, f"{parameter}: one or more of {', '.join(sorted(allowed))}")
    return parts


@dataclass(frozen=True)
class Query:
    """`GET requests`' filters, as the client sent them."""

    service_request_id: str | None
    service_code: str | None
    start_date: str | None
    end_date: str | None
    status: str | None


def list_services(
    services: Services, extension: str, jurisdiction_id: str | None
) -> Response[bytes]:
    _jurisdiction(jurisdiction_id)
    directory = services.app.directory()
    listed = sorted(directory.categories.values(), key=service_code)
    return answer(extension, "services", "service", [service(directory, c) for c in listed])


def list_requests(
    services: Services, who: Identity, extension: str, query: Query
) -> Response[bytes]:
    """The key's own requests the query asks for: by registration numbers (then nothing
    else counts), else by services, statuses and a window of at most 90 days (the last 90 by
    default), newest first, at most 1000."""
    directory = services.app.directory()
    ids = _listed(query.service_request_id, "service_request_id")
    if len(ids) > MAX_IDS:
        raise Open311Error(400, f"service_request_id: at most {MAX_IDS} at once")
    codes = [_category(directory, c) for c in _listed(query.service_code, "service_code")]
    wanted = set(_listed(query.status, "status", {"open", "closed"}))
    statuses = None
    if wanted == {"open"}:
        statuses = sorted(s.value for s in OPEN_STATUSES)
    elif wanted == {"closed"}:
        statuses = sorted(s.value for s in Status if s not in OPEN_STATUSES)
    since, until = _window(query.start_date, query.end_date, services.app.clock())
    with services.pool.connection() as conn:
        rows = ReadQueries(conn).filed_by(
            who.id,
            ids=ids or None,
            categories=[(c.department, c.code) for c in codes],
            statuses=statuses,
            filed_from=since,
            filed_to=until,
            limit=MAX_REQUESTS,
        )
    services.looked(who, [r.id for r in rows], "open311.requests")
    records = [request_record(r, directory) for r in rows]
    return answer(extension, "service_requests", "request", records)


# --- the routes ----------------------------------------------------------------------------


def _caller(services: Services, api_key: str | None, jurisdiction_id: str | None) -> Identity:
    _jurisdiction(jurisdiction_id)
    who = ApiKeys(services.pool).identify(api_key) if api_key else None
    if who is None:
        raise Open311Error(403, "api_key: a valid key is required (ask the state's Sampark team)")
    return who


def _jurisdiction(jurisdiction_id: str | None) -> None:
    if jurisdiction_id not in (None, "", JURISDICTION):
        raise Open311Error(404, f"jurisdiction_id: this server answers for {JURISDICTION!r}")


Key = FromQuery[str | None]


class Open311Controller(Controller):
    path = "/open311/v2"
    tags = ["open311"]
    # Every error these routes meet, whatever layer would answer it otherwise.
    exception_handlers = {**dict.fromkeys(EXCEPTION_HANDLERS, on_error), Open311Error: on_error}

    # One route per resource name (`services.json`, `requests.xml`): Litestar 2 does not
    # match part of a segment, and a handler given several paths loses its thread.
    @get("/{name:str}", sync_to_thread=True, summary="Open311: services or requests")
    def listed(
        self,
        request: Req,
        services: Injected,
        name: FromPath[str],
        api_key: Key = None,
        jurisdiction_id: Key = None,
        service_request_id: Key = None,
        service_code: Key = None,
        start_date: Key = None,
        end_date: Key = None,
        status: Key = None,
    ) -> Response[bytes]:
        resource, extension = split_format(name)
        if resource == "services":
            return list_services(services, extension, jurisdiction_id)
        if resource == "requests":
            who = _caller(services, api_key, jurisdiction_id)
            wanted = Query(service_request_id, service_code, start_date, end_date, status)
            return list_requests(services, who, extension, wanted)
        raise Open311Error(404, f"no resource {resource!r}: services, requests")

    @get("/services/{name:str}", sync_to_thread=True, summary="Open311: a service's definition")
    def define_service(
        self, services: Injected, name: FromPath[str], jurisdiction_id: Key = None
    ) -> Response[bytes]:
        _jurisdiction(jurisdiction_id)
        code, extension = split_format(name)
        directory = services.app.directory()
        found = definition(directory, _category(directory, code))
        if extension == "xml":
            return Response(_xml_one("service_definition", found), media_type=MediaType.XML)
        return Response(msgspec.json.encode(found), media_type=MediaType.JSON)

    @post("/{name:str}", sync_to_thread=True, status_code=200, summary="Open311: file a request")
    def file_request(
        self,
        request: Req,
        services: Injected,
        name: FromPath[str],
        data: Annotated[Filing, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[bytes]:
        resource, extension = split_format(name)
        if resource != "requests":
            raise Open311Error(404, "file a request at requests.json or requests.xml")
        who = _caller(services, data.api_key, data.jurisdiction_id)
        directory = services.app.directory()
        category = _category(directory, data.service_code)
        filed = file_complaint(services, request, who, complaint_of(data, category)).content
        notice = f"Registered as {filed.registration_no}"
        if filed.due_at is not None:
            notice += f"; to be disposed of by {_moment(filed.due_at)}"
        record = {
            "service_request_id": filed.registration_no,
            "token": str(filed.id),
            "service_notice": notice,
            "account_id": None,
        }
        return answer(extension, "service_requests", "request", [record])

    @get("/requests/{name:str}", sync_to_thread=True, summary="Open311: one request")
    def one_request(
        self,
        services: Injected,
        name: FromPath[str],
        api_key: Key = None,
        jurisdiction_id: Key = None,
    ) -> Response[bytes]:
        registration_no, extension = split_format(name)
        who = _caller(services, api_key, jurisdiction_id)
        with services.pool.connection() as conn:
            rows = ReadQueries(conn).filed_by(who.id, ids=[registration_no], limit=1)
        if not rows:
            raise Open311Error(404, "service_request_id: no such request filed with this key")
        services.looked(who, [rows[0].id], "open311.request")
        record = request_record(rows[0], services.app.directory())
        return answer(extension, "service_requests", "request", [record])

    @get("/tokens/{name:str}", sync_to_thread=True, summary="Open311: a request by its token")
    def resolve_token(
        self,
        services: Injected,
        name: FromPath[str],
        api_key: Key = None,
        jurisdiction_id: Key = None,
    ) -> Response[bytes]:
        token, extension = split_format(name)
        who = _caller(services, api_key, jurisdiction_id)
        try:
            complaint = UUID(token)
        except ValueError:
            raise Open311Error(404, "token: no such token") from None
        with services.pool.connection() as conn:
            row = ReadQueries(conn).complaint(complaint)
        if row is None or row.filed_by != who.id:
            raise Open311Error(404, "token: no such token")
        record = {"service_request_id": row.registration_no, "token": token}
        return answer(extension, "service_requests", "request", [record])


def _xml_one(root: str, record: dict[str, Any]) -> bytes:
    top = ET.Element(root)
    _xml_fields(top, record)
    return bytes(ET.tostring(top, encoding="utf-8", xml_declaration=True))
