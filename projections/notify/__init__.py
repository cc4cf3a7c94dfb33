"""Notifications: what the citizen and the officers are told, and the citizen's answers.

`notifications` (a consumer of the complaint topic: events -> messages, each event decided
once), `messages` (what each event says, to whom, in Hindi or English), `outbox` (the
messages, claimed before they are sent and answered after), `delivery` (the sender: WhatsApp,
SMS as the fallback), `uncertain` (the rule for a send whose outcome is unknown), `replies`
(a citizen's answers on WhatsApp, read and taken as feedback). See `docs/notifications.md`.
"""
