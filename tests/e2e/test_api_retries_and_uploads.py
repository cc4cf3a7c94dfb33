"""Retries with an Idempotency-Key write once; evidence uploads are checked and kept once."""

from __future__ import annotations

from typing import Any

import psycopg
from litestar.testing import TestClient

from tests.conftest import Tokens
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, citizen, new_mobile, water_complaint

Client = TestClient[Any]
PDF = b"%PDF-1.4\n" + b"1 0 obj<<>>endobj\n" * 10
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100


def count_events(database: str) -> int:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT count(*) FROM sampark_events").fetchone()
    assert row is not None
    return int(row[0])


def test_a_retried_filing_returns_the_first_answer_and_files_once(
    client: Client, tokens: Tokens, database: str
) -> None:
    mobile = new_mobile()
    headers = tokens.headers(citizen(mobile), **{"Idempotency-Key": "file-7f3a"})
    body = water_complaint(mobile)
    first = client.post("/v1/complaints", json=body, headers=headers)
    events = count_events(database)
    again = client.post("/v1/complaints", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert count_events(database) == events


def test_a_retried_command_after_later_changes_still_answers_as_it_did(
    client: Client, tokens: Tokens, database: str
) -> None:
    mobile = new_mobile()
    filed = client.post(
        "/v1/complaints", json=water_complaint(mobile), headers=tokens.headers(OPERATOR)
    ).json()
    officer = tokens.headers(JAIPUR_WATER_OFFICER, **{"Idempotency-Key": "comment-1"})
    url = f"/v1/complaints/{filed['id']}/comments"
    first = client.post(url, json={"text": "Pipeline inspected"}, headers=officer)
    client.post(url, json={"text": "Parts ordered"}, headers=tokens.headers(JAIPUR_WATER_OFFICER))
    events = count_events(database)
    retry = client.post(url, json={"text": "Pipeline inspected"}, headers=officer)
    assert retry.status_code == 200
    assert retry.json() == first.json() and retry.json()["version"] == 3
    assert count_events(database) == events


def test_the_same_key_with_a_different_body_is_a_422(client: Client, tokens: Tokens) -> None:
    mobile = new_mobile()
    headers = tokens.headers(citizen(mobile), **{"Idempotency-Key": "k-reused"})
    assert (
        client.post("/v1/complaints", json=water_complaint(mobile), headers=headers).status_code
        == 201
    )
    other = client.post(
        "/v1/complaints", json=water_complaint(mobile, subject="Another matter"), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"


def test_keys_are_per_caller(client: Client, tokens: Tokens) -> None:
    a, b = new_mobile(), new_mobile()
    first = client.post(
        "/v1/complaints",
        json=water_complaint(a),
        headers=tokens.headers(citizen(a), **{"Idempotency-Key": "same"}),
    )
    second = client.post(
        "/v1/complaints",
        json=water_complaint(b),
        headers=tokens.headers(citizen(b), **{"Idempotency-Key": "same"}),
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_an_overlong_key_is_a_400(client: Client, tokens: Tokens) -> None:
    answer = client.post(
        "/v1/complaints",
        json=water_complaint("9876543210"),
        headers=tokens.headers(OPERATOR, **{"Idempotency-Key": "k" * 300}),
    )
    assert answer.status_code == 400 and answer.json()["field"] == "Idempotency-Key"


def upload(client: Client, tokens: Tokens, content: bytes, media_type: str, **headers: str) -> Any:
    return client.post(
        "/v1/attachments",
        files={"file": ("evidence", content, media_type)},
        headers=tokens.headers(JAIPUR_WATER_OFFICER, **headers),
    )


def test_an_upload_is_stored_by_its_content_and_kept_once(client: Client, tokens: Tokens) -> None:
    first = upload(client, tokens, PDF, "application/pdf", **{"Idempotency-Key": "up-1"})
    assert first.status_code == 201
    ref = first.json()
    assert ref["size"] == len(PDF) and ref["media_type"] == "application/pdf"
    replay = upload(client, tokens, PDF, "application/pdf", **{"Idempotency-Key": "up-1"})
    assert replay.json() == ref and replay.headers["idempotent-replayed"] == "true"
    changed = upload(client, tokens, PNG, "image/png", **{"Idempotency-Key": "up-1"})
    assert changed.status_code == 422
    uploader = tokens.headers(JAIPUR_WATER_OFFICER)  # not yet attached: the uploader only
    got = client.get(f"/v1/attachments/{ref['sha256']}", headers=uploader)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"


def test_uploads_beyond_the_size_limit_are_a_413(client: Client, tokens: Tokens) -> None:
    too_big = PNG + b"\x00" * (64 * 1024)  # the tests' limit is 64 KiB
    answer = upload(client, tokens, too_big, "image/png")
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_only_allowed_media_types_whose_content_matches(client: Client, tokens: Tokens) -> None:
    assert upload(client, tokens, b"hello", "text/plain").status_code == 415
    assert upload(client, tokens, PDF, "image/png").status_code == 415
    assert upload(client, tokens, b"", "image/png").status_code == 400


def test_an_unknown_attachment_is_a_404(client: Client, tokens: Tokens) -> None:
    for ref in ("e" * 64, "not-a-digest"):
        answer = client.get(f"/v1/attachments/{ref}", headers=tokens.headers(OPERATOR))
        assert answer.status_code == 404
