"""Stored events encoded with msgspec: compact JSON, decoded back into typed events.

The eventsourcing library's mapper turns an event into a dict of its fields; this mapper
encodes that dict with msgspec and, on the way back, decodes it against a schema made from
the event class's own annotations, so dates, enums and value objects come back typed.

Versions follow the library's convention. An event class carries `class_version` (1 when it
says nothing); a payload written by a class at version 2 or more records it under the key
`class_version`, and a payload without that key is version 1 (every payload stored before
versions came back). Reading a payload older than its class runs the class's upcasters,
`upcast_v1_v2(state)`, then `upcast_v2_v3(state)`, ..., each changing the stored dict in
place into the next version's shape, before the current schema decodes it. A payload at the
current version (every payload of a class still at version 1) is decoded straight from its
bytes, as before: no dict is walked. A field added with a default needs no upcaster: a
payload without it decodes with the default.
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

VERSION_KEY = "class_version"  # the library's key for a payload's version
_ENVELOPE_FIELDS = frozenset({"originator_id", "originator_version"})
_encoder = msgspec.json.Encoder()


class MsgspecTranscoder(Transcoder):
    """Untyped msgspec JSON, for anything stored without an event class to guide it."""

    def encode(self, obj: Any) -> bytes:
        return _encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return msgspec.json.decode(data)


def class_version(event_class: Any) -> int:
    """The version of an event class's stored shape: 1 unless the class says otherwise."""
    return int(getattr(event_class, VERSION_KEY, 1))


def upcaster_name(version: int) -> str:
    """The static method that turns a version's payload into the next version's."""
    return f"upcast_v{version}_v{version + 1}"


def _field(f: dataclasses.Field[Any], hint: Any) -> tuple[Any, ...]:
    if f.default is not dataclasses.MISSING:
        return (f.name, hint, f.default)
    if f.default_factory is not dataclasses.MISSING:
        return (f.name, hint, msgspec.field(default_factory=f.default_factory))
    return (f.name, hint)


_structs: dict[Any, type[msgspec.Struct]] = {}


def stored_struct(event_class: Any) -> type[msgspec.Struct]:
    """The stored shape of an event class at its current version: its own fields, typed by
    its annotations, with their defaults (so a payload written before a field was added
    still decodes), and the version key when the class is past version 1."""
    if (found := _structs.get(event_class)) is None:
        hints = typing.get_type_hints(event_class)
        fields: list[Any] = [
            _field(f, hints[f.name])
            for f in dataclasses.fields(event_class)
            if f.name not in _ENVELOPE_FIELDS
        ]
        if class_version(event_class) > 1:
            fields.append((VERSION_KEY, int, 1))
        found = msgspec.defstruct(
            event_class.__name__, fields, kw_only=True, forbid_unknown_fields=False
        )
        _structs[event_class] = found
    return found


class _Reader:
    """How one event class's payloads are read: its schema, version and upcasters."""

    def __init__(self, event_class: Any) -> None:
        self.event_class = event_class
        self.version = class_version(event_class)
        self.decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(stored_struct(event_class))
        missing = [
            upcaster_name(v)
            for v in range(1, self.version)
            if not callable(getattr(event_class, upcaster_name(v), None))
        ]
        if missing:
            raise TypeError(
                f"{event_class.__name__} is at version {self.version} but lacks {missing}"
            )

    def state(self, data: bytes) -> dict[str, Any]:
        """The event's fields from a stored payload of any version up to the current one."""
        if self.version == 1:
            decoded = self.decoder.decode(data)
        else:
            try:
                decoded = self.decoder.decode(data)
            except msgspec.ValidationError:
                decoded = None  # an older shape the current schema cannot hold
            if decoded is None or getattr(decoded, VERSION_KEY) < self.version:
                decoded = self._upcast(data)
        state = msgspec.structs.asdict(decoded)
        state.pop(VERSION_KEY, None)
        return state

    def _upcast(self, data: bytes) -> Any:
        state = msgspec.json.decode(data)
        if not isinstance(state, dict):
            raise msgspec.ValidationError("a stored event's state must be a JSON object")
        stored = state.pop(VERSION_KEY, 1)
        if not isinstance(stored, int) or stored < 1:
            raise msgspec.ValidationError(f"{VERSION_KEY} must be a positive integer")
        if stored >= self.version:
            return self.decoder.decode(data)  # current (or newer): its own error, if any
        for version in range(stored, self.version):
            try:
                getattr(self.event_class, upcaster_name(version))(state)
            except Exception as error:  # an upcaster's bug names the payload it failed on
                raise msgspec.ValidationError(
                    f"{upcaster_name(version)} failed: {error!r}"
                ) from error
        return self.decoder.decode(_encoder.encode(state))


_readers: dict[Any, _Reader] = {}


def _reader(event_class: Any) -> _Reader:
    if (found := _readers.get(event_class)) is None:
        found = _readers[event_class] = _Reader(event_class)
    return found


class MsgspecMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        version = class_version(type(domain_event))
        if version > 1:
            state[VERSION_KEY] = version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=_encoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event_class = resolve_topic(stored_event.topic)
        try:
            state = _reader(event_class).state(stored_event.state)
        except (msgspec.DecodeError, TypeError, KeyError, ValueError) as error:
            raise MapperDeserialisationError(
                f"cannot decode {stored_event.topic} version "
                f"{stored_event.originator_version} of {stored_event.originator_id}: {error}"
            ) from error
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
