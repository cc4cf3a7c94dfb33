"""`Idempotency-Key` on every POST: a retry gets the first answer and writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from litestar import Request, Response

from api.problems import Problem
from domain.errors import DomainError
from domain.values import Identity
from infra.eventstore.receipts import PriorAnswer, Receipt, ReceiptBook

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
T = TypeVar("T")


def receipt_for(request: Request[Any, Any, Any], who: Identity, body: bytes) -> Receipt | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise Problem(
            400, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters", field=HEADER
        )
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return Receipt(principal=f"{who.role}:{who.id}", key=key, request_hash=digest.hexdigest())


def _check_same_request(prior: PriorAnswer, receipt: Receipt) -> None:
    if prior.request_hash != receipt.request_hash:
        raise Problem(
            422,
            f"this {HEADER} was already used for a different request; use a new key",
            field=HEADER,
        )


def run_once(
    receipts: ReceiptBook,
    receipt: Receipt | None,
    write: Callable[[dict[str, Any]], T],
    answer: Callable[[T], Response[Any]],
    replay: Callable[[UUID, int], Response[Any]],
) -> Response[Any]:
    """Run `write` once per receipt: a repeat of the same request replays the first answer.

    The receipt travels with the write's events into the same transaction, so a crash
    leaves both or neither, and two racing copies of one request cannot both succeed.
    """
    if receipt is None:
        return answer(write({}))
    prior = receipts.find(receipt.principal, receipt.key)
    if prior is None:
        try:
            return answer(write({"receipt": receipt}))
        except DomainError:
            # A copy of this request racing ours may have won; if so, answer as it did.
            prior = receipts.find(receipt.principal, receipt.key)
            if prior is None:
                raise
    _check_same_request(prior, receipt)
    assert prior.originator_id is not None and prior.originator_version is not None
    response = replay(prior.originator_id, prior.originator_version)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def answer_once(
    receipts: ReceiptBook, receipt: Receipt | None, produce: Callable[[], bytes]
) -> tuple[bytes, bool]:
    """For requests that write no event (uploads): the first answer is kept and replayed."""
    if receipt is None:
        return produce(), False
    prior = receipts.find(receipt.principal, receipt.key)
    if prior is None:
        body = produce()
        prior = receipts.record_answer(receipt, body)
        if prior is None:
            return body, False
    _check_same_request(prior, receipt)
    assert prior.response is not None
    return prior.response, True
