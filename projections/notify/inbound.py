"""What the WhatsApp Cloud API's webhook sends: citizens' messages, in Meta's shapes.

    {"object": "whatsapp_business_account", "entry": [{"id": ..., "changes": [{"field":
     "messages", "value": {"metadata": {...}, "contacts": [{"profile": {"name": ...},
     "wa_id": ...}], "messages": [{"from": "91...", "id": "wamid...", "timestamp": ...,
     "type": "text" | "interactive" | "button" | "image" | "audio" | "location" | ...,
     ...the part named by type...}]}}]}]}

`statuses` (what became of our own messages: sent, delivered, read, failed) arrive in the
same envelope and are never read as messages. A signed body is the provider's, but its shape
is still only a promise: each level is read on its own, and a part that is missing, null or
of another type is skipped (a message whose own parts are broken is still known by its id and
sender, and read as a message of no type we know), never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import msgspec

log = logging.getLogger(__name__)


class Part(msgspec.Struct, forbid_unknown_fields=False):
    pass


class Context(Part):
    id: str | None = None


class TextPart(Part):
    body: str | None = None


class ButtonPart(Part):
    payload: str | None = None


class Choice(Part):
    id: str | None = None
    title: str | None = None


class Interactive(Part):
    type: str | None = None
    button_reply: Choice | None = None
    list_reply: Choice | None = None


class MediaPart(Part):
    """An image, a voice note or an audio file: the bytes are fetched by `id`."""

    id: str | None = None
    mime_type: str | None = None
    caption: str | None = None


class LocationPart(Part):
    latitude: float | str | None = None
    longitude: float | str | None = None
    name: str | None = None
    address: str | None = None


class Header(Part):
    """What every message has: its id and its sender."""

    id: str
    sender: str = msgspec.field(name="from")


class InboundMessage(Header):
    type: str | None = None
    context: Context | None = None
    text: TextPart | None = None
    button: ButtonPart | None = None
    interactive: Interactive | None = None
    image: MediaPart | None = None
    audio: MediaPart | None = None
    location: LocationPart | None = None


class Profile(Part):
    name: str | None = None


class Contact(Part):
    profile: Profile | None = None
    wa_id: str | None = None


class Value(Part):
    messages: list[msgspec.Raw] | None = None  # `statuses` are not messages: not read
    contacts: list[msgspec.Raw] | None = None


class Change(Part):
    value: Value | None = None


class Entry(Part):
    changes: list[msgspec.Raw] | None = None


class Notification(Part):
    entry: list[msgspec.Raw] | None = None


P = TypeVar("P", bound=Part)


def each(raws: list[msgspec.Raw] | None, kind: type[P]) -> Iterator[P]:
    """The parts of a list that read as `kind`; the others are skipped (and logged)."""
    for raw in raws or []:
        try:
            yield msgspec.json.decode(raw, type=kind)
        except msgspec.ValidationError as ignored:
            log.info("a WhatsApp %s of another shape was ignored: %s", kind.__name__, ignored)


@dataclass(frozen=True)
class Received:
    """A citizen's message, and the name its WhatsApp profile gives (if any)."""

    message: InboundMessage
    profile_name: str | None


def received(body: bytes) -> list[Received]:
    """Every message in a webhook's body, in order; `msgspec.DecodeError` if not JSON."""
    try:
        notification = msgspec.json.decode(body, type=Notification)
    except msgspec.ValidationError as ignored:
        log.info("a WhatsApp notification of another shape was ignored: %s", ignored)
        return []
    found = []
    for entry in each(notification.entry, Entry):
        for change in each(entry.changes, Change):
            if change.value is None:
                continue
            names = {
                c.wa_id: c.profile.name
                for c in each(change.value.contacts, Contact)
                if c.profile is not None
            }
            for raw in change.value.messages or []:
                message = _message(raw)
                if message is not None:
                    found.append(Received(message, names.get(message.sender)))
    return found


def _message(raw: msgspec.Raw) -> InboundMessage | None:
    try:
        return msgspec.json.decode(raw, type=InboundMessage)
    except msgspec.ValidationError as broken:
        try:
            header = msgspec.json.decode(raw, type=Header)
        except msgspec.ValidationError:
            log.info("a WhatsApp message without an id or sender was ignored: %s", broken)
            return None
        log.info("a WhatsApp message's parts are broken (%s): read as of no known type", broken)
        return InboundMessage(id=header.id, sender=header.sender, type="unreadable")
