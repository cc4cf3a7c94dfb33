"""The message on the complaint topic: a CloudEvents 1.0 event (structured JSON mode).

`data` is the stored event's state exactly as the event store holds it (msgspec JSON, see
docs/events.md); the extensions carry what consumers need to apply it exactly once.

A stored event the broker should not carry inline (over `INLINE_LIMIT` bytes, or not even
JSON) travels as a claim check: no `data`, and `dataref` naming its place in the event
store's notification log, where consumers read it. A header that cannot be read (no
timestamp, an actor of the wrong shape) does not stop the relay either: the envelope says
what it can, and the consumer that cannot decode the event sets it aside as a dead letter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent

ENVELOPE_VERSION = 1
SOURCE = "urn:sampark:complaints"
TYPE_PREFIX = "in.sampark.complaint."
CONTENT_TYPE = "application/cloudevents+json"
INLINE_LIMIT = 512 * 1024  # bytes of a stored event carried inline; larger ones by reference
DATAREF_PREFIX = "urn:sampark:notification:"


class ComplaintCloudEvent(msgspec.Struct, kw_only=True, forbid_unknown_fields=False):
    specversion: str = "1.0"
    id: str  # "<complaint id>/<version>": the same event always has the same id
    source: str = SOURCE
    type: str  # "in.sampark.complaint.Filed"
    subject: str  # the complaint id
    time: datetime
    datacontenttype: str = "application/json"
    dataschema: str  # "urn:sampark:event:Filed:1"
    # Extensions (CloudEvents attribute names: lower-case letters and digits).
    envelopeversion: int = ENVELOPE_VERSION
    notificationid: int  # position in the event store's notification log
    complaintversion: int  # the complaint's version after this event
    eventtopic: str  # the event class, for decoding `data`
    actorid: str
    actorrole: str
    relayepoch: int  # bumped when the broker lost the topic and the relay starts over
    data: msgspec.Raw = msgspec.Raw(b"null")  # null: read it from the event store (`dataref`)
    dataref: str | None = None  # "urn:sampark:notification:<id>" for a claim check


class _Header(msgspec.Struct, forbid_unknown_fields=False):
    timestamp: datetime
    actor: dict[str, str]
    class_version: int = 1  # the payload's version (infra/eventstore/codec.py): absent means 1


class _Actor(msgspec.Struct, forbid_unknown_fields=False):
    actor: dict[str, str]


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ComplaintCloudEvent)
_header = msgspec.json.Decoder(_Header)
_actor = msgspec.json.Decoder(_Actor)


def _read_header(state: bytes) -> tuple[_Header, bool]:
    """The stored event's time and actor, and whether its state is JSON at all."""
    try:
        return _header.decode(state), True
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    try:
        msgspec.json.decode(state)
    except msgspec.DecodeError:
        return _Header(timestamp=datetime.now(UTC), actor={}), False
    try:
        actor = _actor.decode(state).actor
    except (msgspec.DecodeError, msgspec.ValidationError):
        actor = {}
    return _Header(timestamp=datetime.now(UTC), actor=actor), True


def event_name(topic: str) -> str:
    return topic.rsplit(":", 1)[-1].rsplit(".", 1)[-1]


def wrap(notification_id: int, stored: StoredEvent, epoch: int) -> ComplaintCloudEvent:
    header, is_json = _read_header(bytes(stored.state))
    inline = is_json and len(stored.state) <= INLINE_LIMIT
    name = event_name(stored.topic)
    subject = str(stored.originator_id)
    return ComplaintCloudEvent(
        id=f"{subject}/{stored.originator_version}",
        type=TYPE_PREFIX + name,
        subject=subject,
        time=header.timestamp,
        dataschema=f"urn:sampark:event:{name}:{header.class_version}",
        notificationid=notification_id,
        complaintversion=stored.originator_version,
        eventtopic=stored.topic,
        actorid=header.actor.get("id", ""),
        actorrole=header.actor.get("role", ""),
        relayepoch=epoch,
        data=msgspec.Raw(bytes(stored.state)) if inline else msgspec.Raw(b"null"),
        dataref=None if inline else f"{DATAREF_PREFIX}{notification_id}",
    )


def encode(event: ComplaintCloudEvent) -> bytes:
    return _encoder.encode(event)


def decode(message: bytes) -> ComplaintCloudEvent:
    return _decoder.decode(message)


def stored_event(
    envelope: ComplaintCloudEvent, claim: Callable[[int], bytes] | None = None
) -> StoredEvent:
    """The stored event inside an envelope, for the mapper to turn into a domain event;
    `claim` reads a claim check's state from the event store by notification id."""
    if envelope.dataref is not None:
        if claim is None:
            raise ValueError(f"{envelope.dataref}: a claim check, and no event store to read")
        state = claim(int(envelope.dataref.removeprefix(DATAREF_PREFIX)))
    else:
        state = bytes(envelope.data)
    return StoredEvent(
        originator_id=UUID(envelope.subject),
        originator_version=envelope.complaintversion,
        topic=envelope.eventtopic,
        state=state,
    )
