-- 0001: every table outside the read models as the releases before migrations made them, at
-- each process's start. IF NOT EXISTS throughout: a database made by such a release is adopted
-- as it is, and a fresh one ends the same. Never edit this file (its checksum is recorded):
-- a change to the schema is the next numbered file.

-- The event store's side tables (infra/eventstore/store.py): registration numbers, idempotency receipts
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE SEQUENCE IF NOT EXISTS sampark.registration_no;
CREATE TABLE IF NOT EXISTS sampark.idempotency_keys (
    principal text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    originator_id uuid,
    originator_version bigint,
    response bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);

-- The hash chains and signed checkpoints (infra/eventstore/audit.py)
CREATE TABLE IF NOT EXISTS sampark.event_hashes (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    previous_hash bytea NOT NULL,
    event_hash bytea NOT NULL,
    PRIMARY KEY (originator_id, originator_version)
);
CREATE TABLE IF NOT EXISTS sampark.audit_checkpoints (
    id bigserial PRIMARY KEY,
    taken_at timestamptz NOT NULL,
    chains bigint NOT NULL,
    root bytea NOT NULL,
    public_key bytea NOT NULL,
    signature bytea NOT NULL
);
-- The chain heads the latest checkpoint signed.
CREATE TABLE IF NOT EXISTS sampark.audit_heads (
    checkpoint_id bigint NOT NULL,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    event_hash bytea NOT NULL,
    PRIMARY KEY (checkpoint_id, originator_id)
);

-- Who looked at what (infra/security/access_log.py)
CREATE TABLE IF NOT EXISTS sampark.access_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    complaint_id uuid NOT NULL,
    endpoint text NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_complaint ON sampark.access_log (complaint_id, at);
CREATE INDEX IF NOT EXISTS access_log_actor ON sampark.access_log (actor_id, at);

-- Rate limits (infra/security/rate_limits.py)
CREATE TABLE IF NOT EXISTS sampark.rate_windows (
    key text NOT NULL,
    window_start timestamptz NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Open311 clients' keys (infra/security/api_keys.py)
CREATE TABLE IF NOT EXISTS sampark.api_keys (
    id text PRIMARY KEY,
    digest bytea NOT NULL UNIQUE,
    client text NOT NULL,
    issued_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- Dead letters and failing consumers (projections/dead_letters.py)
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE TABLE IF NOT EXISTS sampark.dead_letters (
    id bigserial PRIMARY KEY,
    consumer_group text NOT NULL,
    key text NOT NULL,  -- '<complaint id>/<version>', or '<epoch>/<partition>/<offset>'
    topic text NOT NULL,
    relay_epoch integer NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    complaint_id uuid,  -- null when not even the envelope could be read
    complaint_version integer,
    event_type text,
    kind text NOT NULL CHECK (kind IN ('failed', 'held')),
    error text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_tried timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 1,
    record bytea NOT NULL,  -- the record's value as the broker delivered it
    UNIQUE (consumer_group, key)
);
CREATE INDEX IF NOT EXISTS dead_letters_complaint
    ON sampark.dead_letters (consumer_group, complaint_id, complaint_version);
-- A consumer failing again and again (its worker restarts with backoff), and where.
CREATE TABLE IF NOT EXISTS sampark.consumer_failures (
    consumer_group text PRIMARY KEY,
    failures integer NOT NULL,  -- in a row
    repeats integer NOT NULL,  -- of those, how many at the same record as the one before
    at_record text,  -- topic/partition/offset, when the failure is at a known record
    error text NOT NULL,
    since timestamptz NOT NULL,
    last_failed_at timestamptz NOT NULL
);

-- The relay's position (projections/relay.py)
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE TABLE IF NOT EXISTS sampark.relay_state (
    topic text PRIMARY KEY,
    position bigint NOT NULL,
    epoch integer NOT NULL,
    acked jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The workers' heartbeats (projections/health.py)
CREATE SCHEMA IF NOT EXISTS sampark;
CREATE TABLE IF NOT EXISTS sampark.heartbeats (
    worker text NOT NULL,
    process text NOT NULL,
    beat_at timestamptz NOT NULL,
    failures integer NOT NULL DEFAULT 0,
    last_error text,
    PRIMARY KEY (worker, process)
);

-- The notifications' outbox (projections/notify/outbox.py)
CREATE SCHEMA IF NOT EXISTS notify;
-- Complaints linked to an earlier one (`Linked`): told when the earlier one is disposed of.
CREATE TABLE IF NOT EXISTS notify.linked (
    first_id uuid NOT NULL,
    linked_id uuid NOT NULL,
    PRIMARY KEY (first_id, linked_id)
);
-- Who hears about a complaint, from its Filed event.
CREATE TABLE IF NOT EXISTS notify.recipients (
    complaint_id uuid PRIMARY KEY,
    registration_no text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL
);
CREATE TABLE IF NOT EXISTS notify.messages (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    complaint_id uuid,
    audience text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL,
    template text NOT NULL,
    params jsonb NOT NULL,
    text text NOT NULL,
    buttons boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'retrying', 'sending', 'sent', 'failed', 'uncertain')),
    channel text NOT NULL DEFAULT 'whatsapp',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    provider_message_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);
-- The claim of the attempt in flight, and how often a doubtful send was sent again.
ALTER TABLE notify.messages
    ADD COLUMN IF NOT EXISTS claimed_at timestamptz,
    ADD COLUMN IF NOT EXISTS claimed_by text,
    ADD COLUMN IF NOT EXISTS attempt uuid,
    ADD COLUMN IF NOT EXISTS resends integer NOT NULL DEFAULT 0;
-- A conversation's answer (docs/whatsapp.md): the Cloud API's message body, sent as such while
-- the citizen's 24-hour window is open; after it, the template (`template`, `params`) instead.
ALTER TABLE notify.messages
    ADD COLUMN IF NOT EXISTS session jsonb,
    ADD COLUMN IF NOT EXISTS session_until timestamptz;
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint WHERE conrelid = 'notify.messages'::regclass
        AND conname = 'messages_state_check' AND pg_get_constraintdef(oid) LIKE '%uncertain%'
    ) THEN
        ALTER TABLE notify.messages DROP CONSTRAINT IF EXISTS messages_state_check;
        ALTER TABLE notify.messages ADD CONSTRAINT messages_state_check CHECK (state IN ('pending', 'retrying', 'sending', 'sent', 'failed', 'uncertain'));
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS messages_due ON notify.messages (next_attempt_at, id)
    WHERE state IN ('pending', 'retrying');
CREATE INDEX IF NOT EXISTS messages_in_flight ON notify.messages (claimed_by)
    WHERE state = 'sending';
-- A provider's ids are its own business: a provider (or a restarted stand-in) that repeats
-- one must never stop us recording what it accepted. A reply's context takes the newest.
DROP INDEX IF EXISTS notify.messages_provider_id;
CREATE INDEX IF NOT EXISTS messages_provider ON notify.messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_complaint ON notify.messages (complaint_id);
-- Each complaint event the consumer decided on, once: what it told whom, and why not more.
-- A replayed event finds its row and decides nothing again (a post filled since, a directory
-- changed since, never turn an old event into a message it did not make at the time). Made
-- once, with the events decided before it that queued a message (known by their keys).
DO $$
BEGIN
    IF to_regclass('notify.decided') IS NULL THEN
        CREATE TABLE notify.decided (
            complaint_id uuid NOT NULL,
            version bigint NOT NULL,
            event text,
            told text[] NOT NULL,
            note text,
            decided_at timestamptz NOT NULL,
            PRIMARY KEY (complaint_id, version)
        );
        INSERT INTO notify.decided (complaint_id, version, told, note, decided_at)
        SELECT complaint_id, split_part(key, ':', 2)::bigint,
            array_agg(audience ORDER BY audience), 'decided before decisions were recorded',
            min(created_at)
        FROM notify.messages
        WHERE complaint_id IS NOT NULL AND key ~ '^[0-9a-f-]{36}:[0-9]+:[a-z]+$'
        GROUP BY 1, 2;
    END IF;
END $$;
-- The sender's health: halted while the provider refuses our credentials.
CREATE TABLE IF NOT EXISTS notify.sender (
    name text PRIMARY KEY,
    state text NOT NULL,
    reason text,
    since timestamptz NOT NULL,
    checked_at timestamptz NOT NULL
);

-- The WhatsApp conversations (projections/notify/conversations.py)
CREATE SCHEMA IF NOT EXISTS notify;
CREATE TABLE IF NOT EXISTS notify.conversations (
    mobile text PRIMARY KEY,
    language text,
    step text NOT NULL DEFAULT 'idle',
    draft jsonb NOT NULL DEFAULT '{}',
    last_message_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS notify.conversation_messages (
    message_id text PRIMARY KEY,
    mobile text NOT NULL,
    taken_at timestamptz NOT NULL
);

-- The assistant's trained models (assist/store.py)
CREATE SCHEMA IF NOT EXISTS assist;
CREATE TABLE IF NOT EXISTS assist.models (
    version bigserial PRIMARY KEY,
    trained_at timestamptz NOT NULL,
    labels text[] NOT NULL,
    character_terms text[] NOT NULL,
    character_idf bytea NOT NULL,
    word_terms text[] NOT NULL,
    word_idf bytea NOT NULL,
    coefficients bytea NOT NULL,
    intercepts bytea NOT NULL,
    urgent_coefficients bytea NOT NULL,
    urgent_intercept double precision NOT NULL,
    route_threshold double precision NOT NULL,
    urgent_threshold double precision NOT NULL,
    facts jsonb NOT NULL,
    reason_terms text[] NOT NULL DEFAULT '{}'
);
ALTER TABLE assist.models ADD COLUMN IF NOT EXISTS hazard_weights jsonb NOT NULL DEFAULT '{}';

-- The documents made and kept (reports/kept.py)
CREATE SCHEMA IF NOT EXISTS reports;
CREATE TABLE IF NOT EXISTS reports.made (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    sha256 text NOT NULL,
    size integer NOT NULL,
    data_version text NOT NULL,
    made_by text NOT NULL,
    made_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS reports.kept (
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    data_version text NOT NULL,
    made_by text NOT NULL,
    made_at timestamptz NOT NULL,
    PRIMARY KEY (kind, subject, period, language, format)
);
CREATE TABLE IF NOT EXISTS reports.copies (
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    data_version text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (kind, subject, period, language, format)
);
