"""Stored events encoded with msgspec: compact JSON, decoded back into typed events.

The eventsourcing library's mapper turns an event into a dict of its fields; this mapper
encodes that dict with msgspec and, on the way back, decodes it against a schema made from
the event class's own annotations, so dates, enums and value objects come back typed.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic

_ENVELOPE_FIELDS = frozenset({"originator_id", "originator_version"})
_encoder = msgspec.json.Encoder()


class MsgspecTranscoder(Transcoder):
    """Untyped msgspec JSON, for anything stored without an event class to guide it."""

    def encode(self, obj: Any) -> bytes:
        return _encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return msgspec.json.decode(data)


_structs: dict[Any, type[msgspec.Struct]] = {}
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def stored_struct(event_class: Any) -> type[msgspec.Struct]:
    """The stored shape of an event class: its own fields, typed by its annotations."""
    if (found := _structs.get(event_class)) is None:
        hints = typing.get_type_hints(event_class)
        fields = [
            (f.name, hints[f.name])
            for f in dataclasses.fields(event_class)
            if f.name not in _ENVELOPE_FIELDS
        ]
        found = msgspec.defstruct(event_class.__name__, fields, forbid_unknown_fields=False)
        _structs[event_class] = found
    return found


def _schema(event_class: Any) -> msgspec.json.Decoder[Any]:
    if (found := _decoders.get(event_class)) is None:
        found = _decoders[event_class] = msgspec.json.Decoder(stored_struct(event_class))
    return found


class MsgspecMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=_encoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event_class = resolve_topic(stored_event.topic)
        try:
            decoded = _schema(event_class).decode(stored_event.state)
        except (msgspec.DecodeError, TypeError) as error:
            raise MapperDeserialisationError(
                f"cannot decode {stored_event.topic} version "
                f"{stored_event.originator_version} of {stored_event.originator_id}: {error}"
            ) from error
        state = {name: getattr(decoded, name) for name in decoded.__struct_fields__}
        originator_id = stored_event.originator_id
        state["originator_id"] = (
            originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
        )
        state["originator_version"] = stored_event.originator_version
        event = object.__new__(event_class)
        object.__setattr__(event, "__dict__", state)
        return typing.cast(DomainEventProtocol[UUID], event)


def event_fields(event: object) -> dict[str, Any]:
    """An event's own data (without the envelope), as plain JSON-ready builtins."""
    state = {
        k: v
        for k, v in vars(event).items()
        if k not in _ENVELOPE_FIELDS and k not in ("timestamp", "actor", "originator_topic")
    }
    return typing.cast(dict[str, Any], msgspec.to_builtins(state))
