"""The rule for a message whose fate is unknown: did the provider get it or not?

The sender claims a message (state `sending`, committed) before it asks the provider, and
records the answer after. A claim left without an answer (the sender was killed, or lost the
connection after its request went out) may or may not have reached the citizen, and the
providers offer no idempotency key: sending again may send it twice, not sending may lose it.
The rule chooses per kind of message, with the citizen in mind (see docs/notifications.md):

- **at most once**, every kind but one: the message is marked `uncertain` and never sent
  again. A second "your complaint is registered", "now with you" or deadline warning is noise,
  and each is visible elsewhere (the report page, the officer's inbox).
- **at least once, bounded**: the disposal message (`sampark_resolved`) carries the Action
  Taken Report's link and the feedback buttons; losing it leaves the citizen without the
  report and the complaint closed without their word. It is sent again, at most
  `MAX_RESENDS` times over the message's life; a further doubt leaves it `uncertain`.

So the provider gets any message at most once, and the Action Taken Report at most
`1 + MAX_RESENDS` times.
"""

from __future__ import annotations

AT_MOST_ONCE, AT_LEAST_ONCE = "at_most_once", "at_least_once"
RESENT_WHEN_UNCERTAIN = frozenset({"sampark_resolved"})  # the Action Taken Report
MAX_RESENDS = 1


def guarantee(template: str) -> str:
    return AT_LEAST_ONCE if template in RESENT_WHEN_UNCERTAIN else AT_MOST_ONCE


def send_again(template: str, resends: int) -> bool:
    """Whether a message of this kind, already sent again `resends` times after a doubt, is
    sent once more after a new one."""
    return guarantee(template) == AT_LEAST_ONCE and resends < MAX_RESENDS
