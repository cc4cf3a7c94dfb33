"""A citizen's filing quota is its own: only filings the caller has the right to make are
counted, and the address they are counted by is the one the connection comes from, unless it
comes through one of our own proxies (`SAMPARK_TRUSTED_PROXIES`)."""

from __future__ import annotations

import ipaddress

import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from api.app import create_app
from infra.run.services import open_services
from infra.security.rate_limits import client_address
from infra.settings import Settings
from tests.conftest import Tokens
from tests.serving import api_server
from tests.support import TurnableClock, citizen, new_mobile, water_complaint


def test_refused_filings_under_someone_elses_number_leave_that_persons_quota_alone(
    settings: Settings, database: str, clock: TurnableClock, tokens: Tokens
) -> None:
    strict = msgspec.structs.replace(settings, file_limit_per_mobile=2)
    services = open_services(strict, database, clock=clock)
    try:
        with TestClient(app=create_app(services)) as client:
            victim, mischief = new_mobile(), new_mobile()
            for _ in range(5):
                refused = client.post(
                    "/v1/complaints",
                    json=water_complaint(victim),
                    headers=tokens.headers(citizen(mischief)),
                )
                assert refused.status_code == 403
            me = tokens.headers(citizen(victim))
            for _ in range(2):
                mine = client.post("/v1/complaints", json=water_complaint(victim), headers=me)
                assert mine.status_code == 201, mine.text
            assert (
                client.post("/v1/complaints", json=water_complaint(victim), headers=me).status_code
                == 429
            )
    finally:
        services.close()


def file_from(base: str, tokens: Tokens, forwarded_for: str) -> int:
    mobile = new_mobile()
    headers = tokens.headers(citizen(mobile), **{"X-Forwarded-For": forwarded_for})
    return httpx.post(
        f"{base}/v1/complaints", json=water_complaint(mobile), headers=headers
    ).status_code


def test_a_client_cannot_make_itself_a_new_address_with_x_forwarded_for(
    settings: Settings, database: str, tokens: Tokens
) -> None:
    one_each = msgspec.structs.replace(settings, file_limit_per_address=1)
    with api_server(one_each, database) as base:
        assert file_from(base, tokens, "203.0.113.1") == 201
        assert file_from(base, tokens, "203.0.113.2") == 429  # the same connection's address


def test_behind_our_own_proxy_each_client_is_counted_by_its_own_address(
    settings: Settings, database: str, tokens: Tokens
) -> None:
    behind_proxy = msgspec.structs.replace(
        settings, file_limit_per_address=1, trusted_proxies="127.0.0.1, 10.0.0.0/8"
    )
    with api_server(behind_proxy, database) as base:
        assert file_from(base, tokens, "203.0.113.1") == 201
        assert file_from(base, tokens, "203.0.113.2") == 201
        assert file_from(base, tokens, "203.0.113.1") == 429
        # A hop the client wrote itself, before our proxies, is not believed.
        assert file_from(base, tokens, "198.51.100.9, 203.0.113.2, 10.1.2.3") == 429


def test_forwarded_hops_are_believed_only_back_to_the_first_untrusted_one() -> None:
    ours = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address("192.0.2.7", "6.6.6.6", ours) == "192.0.2.7"
    assert client_address("10.0.0.2", "6.6.6.6, 203.0.113.5", ours) == "203.0.113.5"
    assert client_address("10.0.0.2", "203.0.113.5, 10.0.0.9", ours) == "203.0.113.5"
    assert client_address("10.0.0.2", "not-an-address", ours) == "10.0.0.2"
    assert client_address("10.0.0.2", None, ours) == "10.0.0.2"
    assert client_address(None, "6.6.6.6", ours) == "unknown"
    assert client_address("127.0.0.1", "6.6.6.6", []) == "127.0.0.1"
    assert Settings(trusted_proxies="").trusted_proxy_networks() == []


def test_a_proxy_list_that_is_not_addresses_stops_the_start() -> None:
    with pytest.raises(SystemExit, match="SAMPARK_TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local").check()
