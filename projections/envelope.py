"""The message on the complaint topic: a CloudEvents 1.0 event (structured JSON mode).

`data` is the stored event's state exactly as the event store holds it (msgspec JSON, see
docs/events.md); the extensions carry what consumers need to apply it exactly once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent

ENVELOPE_VERSION = 1
SOURCE = "urn:sampark:complaints"
TYPE_PREFIX = "in.sampark.complaint."
CONTENT_TYPE = "application/cloudevents+json"


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
    data: msgspec.Raw


class _Header(msgspec.Struct, forbid_unknown_fields=False):
    timestamp: datetime
    actor: dict[str, str]
    class_version: int = 1  # the payload's version (infra/codec.py): absent means 1


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ComplaintCloudEvent)
_header = msgspec.json.Decoder(_Header)


def event_name(topic: str) -> str:
    return topic.rsplit(":", 1)[-1].rsplit(".", 1)[-1]


def wrap(notification_id: int, stored: StoredEvent, epoch: int) -> ComplaintCloudEvent:
    header = _header.decode(stored.state)
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
        data=msgspec.Raw(bytes(stored.state)),
    )


def encode(event: ComplaintCloudEvent) -> bytes:
    return _encoder.encode(event)


def decode(message: bytes) -> ComplaintCloudEvent:
    return _decoder.decode(message)


def stored_event(envelope: ComplaintCloudEvent) -> StoredEvent:
    """The stored event inside an envelope, for the mapper to turn into a domain event."""
    return StoredEvent(
        originator_id=UUID(envelope.subject),
        originator_version=envelope.complaintversion,
        topic=envelope.eventtopic,
        state=bytes(envelope.data),
    )
