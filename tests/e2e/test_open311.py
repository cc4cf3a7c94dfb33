"""A partner's system speaks Open311 GeoReport v2 to Sampark: it lists our services (as an
Open311 client library reads them, in JSON and XML), files a request for a citizen with its
key, and reads back what it filed, and only that. Errors come in the spec's shape, naming the
Open311 parameter."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from uuid import UUID

import pytest
from georeport import GeoReport

from api.services import Services
from infra.security.api_keys import ApiKeys, identity_of
from infra.settings import Settings
from tests.conftest import Pipeline
from tests.serving import api_server
from tests.support import new_mobile

BASE = "/open311/v2"
# The fields of a service request in the spec's own example (GET requests/{id}), in order.
SPEC_REQUEST = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def key_for(services: Services, client: str = "emitra-jaipur") -> str:
    return ApiKeys(services.pool).issue(client, services.app.clock()).key


def a_filing(key: str, **overrides: str) -> dict[str, str]:
    form = {
        "api_key": key,
        "service_code": "PHED.water-supply",
        "first_name": "Sunita",
        "last_name": "Devi",
        "phone": f"+91 {new_mobile()}",  # as dialled
        "description": "हैंडपंप तीन दिन से खराब है, पानी नहीं आ रहा",
        "lat": "26.8467",
        "long": "75.8056",
        "address_string": "near the Hanuman temple",
        "attribute[district]": "JAI",
        "attribute[pincode]": "302017",
        "attribute[ward]": "Ward 12, Malviya Nagar",
    }
    form.update(overrides)
    return form


def test_an_open311_client_reads_the_services_in_json_and_xml(
    settings: Settings, database: str
) -> None:
    with api_server(settings, database) as base:
        as_json = GeoReport(f"{base}{BASE}", jurisdiction="rajasthan")
        as_xml = GeoReport(f"{base}{BASE}", jurisdiction="rajasthan", output_format="xml")
        listed = as_json.get_service_list()
        codes = {s["service_code"] for s in listed}
        assert "PHED.water-supply" in codes
        assert {s["service_code"] for s in as_xml.get_service_list()} == codes
        water = next(s for s in listed if s["service_code"] == "PHED.water-supply")
        assert water["type"] == "realtime" and water["metadata"] is True
        assert water["service_name"] == "Drinking water supply"

        defined = as_json.get_service_definition("PHED.water-supply")
        district = next(a for a in defined["attributes"] if a["code"] == "district")
        assert district["required"] is True and district["datatype"] == "singlevaluelist"
        assert {"key": "JAI", "name": "Jaipur"} in district["values"]
        in_xml = as_xml.get_service_definition("PHED.water-supply")
        assert in_xml["service_code"] == "PHED.water-supply"
        assert any(a["code"] == "district" for a in in_xml["attributes"]["attribute"])


def test_a_partner_files_with_its_key_and_reads_back_what_it_filed(
    client: Any, services: Services, pipeline: Pipeline
) -> None:
    key = key_for(services)
    form = a_filing(key)
    answer = client.post(f"{BASE}/requests.json", data=form)
    assert answer.status_code == 200, answer.text
    (receipt,) = answer.json()
    number = receipt["service_request_id"]
    assert receipt["service_notice"].startswith(f"Registered as {number}")
    pipeline.settle()

    (request,) = client.get(f"{BASE}/requests/{number}.json", params={"api_key": key}).json()
    assert list(request) == SPEC_REQUEST
    assert request["status"] == "open"
    assert request["service_code"] == "PHED.water-supply"
    assert request["description"] == form["description"]
    assert (request["lat"], request["long"], request["zipcode"]) == (26.8467, 75.8056, "302017")
    assert request["address"] == "near the Hanuman temple, Ward 12, Malviya Nagar, Jaipur"
    assert request["expected_datetime"] and request["requested_datetime"].endswith("Z")

    token = client.get(f"{BASE}/tokens/{receipt['token']}.json", params={"api_key": key})
    assert token.json() == [{"service_request_id": number, "token": receipt["token"]}]
    # The event store says who filed it, and through which channel: the key's operator.
    filed = services.app.complaint(UUID(receipt["token"]))
    assert filed.filed_by == identity_of(key.split("_")[1]).id
    assert filed.channel == "open311"

    listed = client.get(f"{BASE}/requests.json", params={"api_key": key}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert (
        client.get(f"{BASE}/requests.json", params={"api_key": key, "status": "closed"}).json()
        == []
    )

    in_xml = client.get(f"{BASE}/requests/{number}.xml", params={"api_key": key})
    assert in_xml.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(in_xml.content)
    assert root.tag == "service_requests"
    assert [child.tag for child in root.find("request")] == SPEC_REQUEST  # type: ignore[union-attr]


def test_a_key_sees_only_its_own_requests_and_a_revoked_key_nothing(
    client: Any, services: Services, pipeline: Pipeline
) -> None:
    ours, theirs = key_for(services, "partner-a"), key_for(services, "partner-b")
    number = client.post(f"{BASE}/requests.json", data=a_filing(ours)).json()[0][
        "service_request_id"
    ]
    pipeline.settle()
    assert client.get(f"{BASE}/requests.json", params={"api_key": ours}).json()

    other = client.get(f"{BASE}/requests/{number}.json", params={"api_key": theirs})
    assert other.status_code == 404
    assert client.get(f"{BASE}/requests.json", params={"api_key": theirs}).json() == []

    key_id = ours.split("_")[1]
    assert ApiKeys(services.pool).revoke(key_id, services.app.clock())
    refused = client.get(f"{BASE}/requests.json", params={"api_key": ours})
    assert refused.status_code == 403
    assert refused.json()[0]["description"].startswith("api_key:")


@pytest.mark.parametrize(
    ("change", "status", "parameter"),
    [
        ({"api_key": "o311_nokey_forged"}, 403, "api_key"),
        ({"phone": "12345"}, 400, "phone"),
        ({"lat": "51.5", "long": "-0.12"}, 400, "lat"),
        ({"lat": "north"}, 400, "lat"),
        ({"attribute[district]": "XXX"}, 422, "attribute[district]"),
        ({"attribute[pincode]": "110001"}, 400, "attribute[pincode]"),
        ({"service_code": "PHED.nothing"}, 404, "service_code"),
        ({"jurisdiction_id": "london"}, 404, "jurisdiction_id"),
        ({"description": "\x00"}, 400, "description"),
    ],
)
def test_a_bad_filing_is_refused_in_the_specs_shape_naming_the_parameter(
    client: Any, services: Services, change: dict[str, str], status: int, parameter: str
) -> None:
    form = a_filing(key_for(services), **change)
    as_json = client.post(f"{BASE}/requests.json", data=form)
    assert as_json.status_code == status, as_json.text
    (error,) = as_json.json()
    assert error["code"] == status
    assert error["description"].startswith(f"{parameter}:"), error

    as_xml = client.post(f"{BASE}/requests.xml", data=form)
    assert as_xml.status_code == status
    root = ET.fromstring(as_xml.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == str(status)
    assert (root.findtext("error/description") or "").startswith(f"{parameter}:")


def test_a_query_keeps_to_the_specs_window_and_statuses(client: Any, services: Services) -> None:
    key = key_for(services)
    too_wide = {
        "api_key": key,
        "start_date": "2026-01-01T00:00:00Z",
        "end_date": "2026-06-01T00:00:00Z",
    }
    assert client.get(f"{BASE}/requests.json", params=too_wide).status_code == 400
    no_zone = {"api_key": key, "start_date": "2026-10-01T00:00:00"}
    assert client.get(f"{BASE}/requests.json", params=no_zone).status_code == 400
    bad_status = {"api_key": key, "status": "pending"}
    answer = client.get(f"{BASE}/requests.json", params=bad_status)
    assert answer.status_code == 400 and answer.json()[0]["description"].startswith("status:")
    assert client.get(f"{BASE}/services.csv").status_code == 404
