--
-- PostgreSQL database dump
--

\restrict nBZumkeWofJbIOsAnbLaSMYCh45Wc9SDQdhS8h2caOxJDwIaEfRS2FwbIPKP50f

-- Dumped from database version 18.6
-- Dumped by pg_dump version 18.6

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: assist; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA assist;


--
-- Name: notify; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA notify;


--
-- Name: reports; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reports;


--
-- Name: sampark; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA sampark;


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: stored_event_uuid; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.stored_event_uuid AS (
	originator_id uuid,
	originator_version bigint,
	topic text,
	state bytea
);


--
-- Name: es_insert_events_uuid(public.stored_event_uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.es_insert_events_uuid(events public.stored_event_uuid[]) RETURNS SETOF bigint
    LANGUAGE plpgsql
    AS $$BEGIN    SET LOCAL lock_timeout = '0s';    NOTIFY "sampark_events";    RETURN QUERY    INSERT INTO "public"."sampark_events" AS t (    originator_id, originator_version, topic, state)    SELECT originator_id, originator_version, topic, state    FROM unnest(events)    RETURNING notification_id;END;$$;


--
-- Name: record_commands(integer[], integer[], text[], text[], text[], uuid[], bigint[], uuid[], bigint[], text[], bytea[]); Type: FUNCTION; Schema: sampark; Owner: -
--

CREATE FUNCTION sampark.record_commands(first_event integer[], event_count integer[], principals text[], keys text[], request_hashes text[], read_ids uuid[], read_versions bigint[], ids uuid[], versions bigint[], topics text[], states bytea[]) RETURNS TABLE(command integer, refusal text, notification_ids bigint[])
    LANGUAGE plpgsql
    AS $$
DECLARE
    f int;
    l int;
    i int;
    previous bytea;
    link bytea;
    kept int;
BEGIN
    -- One writer at a time, until commit: notification ids are issued in commit order.
    LOCK TABLE public.sampark_events IN EXCLUSIVE MODE;
    NOTIFY sampark_events;
    FOR c IN 1 .. coalesce(array_length(first_event, 1), 0) LOOP
        command := c;
        refusal := NULL;
        notification_ids := NULL;
        f := first_event[c];
        l := f + event_count[c] - 1;
        IF read_ids[c] IS NOT NULL AND read_versions[c] <> coalesce((
            SELECT max(e.originator_version) FROM public.sampark_events e
            WHERE e.originator_id = read_ids[c]), 0)
        THEN
            refusal := 'stale';
        END IF;
        FOR i IN f .. l LOOP  -- one index probe per event (a join may plan a scan)
            EXIT WHEN refusal IS NOT NULL;
            IF EXISTS (SELECT 1 FROM public.sampark_events e
                       WHERE e.originator_id = ids[i] AND e.originator_version = versions[i])
            THEN
                refusal := 'conflict';
            END IF;
        END LOOP;
        IF refusal IS NULL AND principals[c] IS NOT NULL THEN
            INSERT INTO sampark.idempotency_keys
                (principal, key, request_hash, originator_id, originator_version)
            VALUES (principals[c], keys[c], request_hashes[c], ids[l], versions[l])
            ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS kept = ROW_COUNT;
            IF kept = 0 THEN
                refusal := 'conflict';
            END IF;
        END IF;
        IF refusal IS NULL THEN
            FOR i IN f .. l LOOP
                previous := NULL;
                IF versions[i] > 1 THEN
                    SELECT h.event_hash INTO previous FROM sampark.event_hashes h
                    WHERE h.originator_id = ids[i] AND h.originator_version = versions[i] - 1;
                END IF;
                previous := coalesce(previous, decode(repeat('00', 32), 'hex'));  -- genesis
                link := sha256(previous || uuid_send(ids[i]) || int8send(versions[i])
                    || int4send(length(topics[i])) || convert_to(topics[i], 'UTF8')
                    || states[i]);
                INSERT INTO sampark.event_hashes
                    (originator_id, originator_version, previous_hash, event_hash)
                VALUES (ids[i], versions[i], previous, link);
            END LOOP;
            WITH stored AS (
                INSERT INTO public.sampark_events
                    (originator_id, originator_version, topic, state)
                SELECT * FROM unnest(ids[f:l], versions[f:l], topics[f:l], states[f:l])
                RETURNING notification_id
            )
            SELECT array_agg(s.notification_id ORDER BY s.notification_id)
            INTO notification_ids FROM stored s;
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: models; Type: TABLE; Schema: assist; Owner: -
--

CREATE TABLE assist.models (
    version bigint NOT NULL,
    trained_at timestamp with time zone NOT NULL,
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
    reason_terms text[] DEFAULT '{}'::text[] NOT NULL,
    hazard_weights jsonb DEFAULT '{}'::jsonb NOT NULL
);


--
-- Name: models_version_seq; Type: SEQUENCE; Schema: assist; Owner: -
--

CREATE SEQUENCE assist.models_version_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: models_version_seq; Type: SEQUENCE OWNED BY; Schema: assist; Owner: -
--

ALTER SEQUENCE assist.models_version_seq OWNED BY assist.models.version;


--
-- Name: conversation_messages; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.conversation_messages (
    message_id text NOT NULL,
    mobile text NOT NULL,
    taken_at timestamp with time zone NOT NULL
);


--
-- Name: conversations; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.conversations (
    mobile text NOT NULL,
    language text,
    step text DEFAULT 'idle'::text NOT NULL,
    draft jsonb DEFAULT '{}'::jsonb NOT NULL,
    last_message_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: decided; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.decided (
    complaint_id uuid NOT NULL,
    version bigint NOT NULL,
    event text,
    told text[] NOT NULL,
    note text,
    decided_at timestamp with time zone NOT NULL
);


--
-- Name: linked; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.linked (
    first_id uuid NOT NULL,
    linked_id uuid NOT NULL
);


--
-- Name: messages; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.messages (
    id bigint NOT NULL,
    key text NOT NULL,
    complaint_id uuid,
    audience text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL,
    template text NOT NULL,
    params jsonb NOT NULL,
    text text NOT NULL,
    buttons boolean DEFAULT false NOT NULL,
    state text DEFAULT 'pending'::text NOT NULL,
    channel text DEFAULT 'whatsapp'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    provider_message_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    claimed_at timestamp with time zone,
    claimed_by text,
    attempt uuid,
    resends integer DEFAULT 0 NOT NULL,
    session jsonb,
    session_until timestamp with time zone,
    CONSTRAINT messages_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'retrying'::text, 'sending'::text, 'sent'::text, 'failed'::text, 'uncertain'::text])))
);


--
-- Name: messages_id_seq; Type: SEQUENCE; Schema: notify; Owner: -
--

CREATE SEQUENCE notify.messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: messages_id_seq; Type: SEQUENCE OWNED BY; Schema: notify; Owner: -
--

ALTER SEQUENCE notify.messages_id_seq OWNED BY notify.messages.id;


--
-- Name: recipients; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.recipients (
    complaint_id uuid NOT NULL,
    registration_no text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL
);


--
-- Name: sender; Type: TABLE; Schema: notify; Owner: -
--

CREATE TABLE notify.sender (
    name text NOT NULL,
    state text NOT NULL,
    reason text,
    since timestamp with time zone NOT NULL,
    checked_at timestamp with time zone NOT NULL
);


--
-- Name: sampark_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sampark_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigint NOT NULL
)
WITH (autovacuum_enabled='true', autovacuum_vacuum_threshold='100000000', autovacuum_vacuum_scale_factor='0.5', autovacuum_analyze_threshold='1000', autovacuum_analyze_scale_factor='0.01');


--
-- Name: sampark_events_notification_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sampark_events_notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: sampark_events_notification_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sampark_events_notification_id_seq OWNED BY public.sampark_events.notification_id;


--
-- Name: copies; Type: TABLE; Schema: reports; Owner: -
--

CREATE TABLE reports.copies (
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    data_version text NOT NULL,
    content bytea NOT NULL
);


--
-- Name: kept; Type: TABLE; Schema: reports; Owner: -
--

CREATE TABLE reports.kept (
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    data_version text NOT NULL,
    made_by text NOT NULL,
    made_at timestamp with time zone NOT NULL
);


--
-- Name: made; Type: TABLE; Schema: reports; Owner: -
--

CREATE TABLE reports.made (
    id bigint NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    period text NOT NULL,
    language text NOT NULL,
    format text NOT NULL,
    sha256 text NOT NULL,
    size integer NOT NULL,
    data_version text NOT NULL,
    made_by text NOT NULL,
    made_at timestamp with time zone NOT NULL
);


--
-- Name: made_id_seq; Type: SEQUENCE; Schema: reports; Owner: -
--

CREATE SEQUENCE reports.made_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: made_id_seq; Type: SEQUENCE OWNED BY; Schema: reports; Owner: -
--

ALTER SEQUENCE reports.made_id_seq OWNED BY reports.made.id;


--
-- Name: access_log; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.access_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    complaint_id uuid NOT NULL,
    endpoint text NOT NULL
);


--
-- Name: access_log_id_seq; Type: SEQUENCE; Schema: sampark; Owner: -
--

CREATE SEQUENCE sampark.access_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_log_id_seq; Type: SEQUENCE OWNED BY; Schema: sampark; Owner: -
--

ALTER SEQUENCE sampark.access_log_id_seq OWNED BY sampark.access_log.id;


--
-- Name: api_keys; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.api_keys (
    id text NOT NULL,
    digest bytea NOT NULL,
    client text NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: audit_checkpoints; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.audit_checkpoints (
    id bigint NOT NULL,
    taken_at timestamp with time zone NOT NULL,
    chains bigint NOT NULL,
    root bytea NOT NULL,
    public_key bytea NOT NULL,
    signature bytea NOT NULL
);


--
-- Name: audit_checkpoints_id_seq; Type: SEQUENCE; Schema: sampark; Owner: -
--

CREATE SEQUENCE sampark.audit_checkpoints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_checkpoints_id_seq; Type: SEQUENCE OWNED BY; Schema: sampark; Owner: -
--

ALTER SEQUENCE sampark.audit_checkpoints_id_seq OWNED BY sampark.audit_checkpoints.id;


--
-- Name: audit_heads; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.audit_heads (
    checkpoint_id bigint NOT NULL,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    event_hash bytea NOT NULL
);


--
-- Name: consumer_failures; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.consumer_failures (
    consumer_group text NOT NULL,
    failures integer NOT NULL,
    repeats integer NOT NULL,
    at_record text,
    error text NOT NULL,
    since timestamp with time zone NOT NULL,
    last_failed_at timestamp with time zone NOT NULL
);


--
-- Name: dead_letters; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.dead_letters (
    id bigint NOT NULL,
    consumer_group text NOT NULL,
    key text NOT NULL,
    topic text NOT NULL,
    relay_epoch integer NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    complaint_id uuid,
    complaint_version integer,
    event_type text,
    kind text NOT NULL,
    error text NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_tried timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    record bytea NOT NULL,
    CONSTRAINT dead_letters_kind_check CHECK ((kind = ANY (ARRAY['failed'::text, 'held'::text])))
);


--
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: sampark; Owner: -
--

CREATE SEQUENCE sampark.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: dead_letters_id_seq; Type: SEQUENCE OWNED BY; Schema: sampark; Owner: -
--

ALTER SEQUENCE sampark.dead_letters_id_seq OWNED BY sampark.dead_letters.id;


--
-- Name: event_hashes; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.event_hashes (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    previous_hash bytea NOT NULL,
    event_hash bytea NOT NULL
);


--
-- Name: heartbeats; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.heartbeats (
    worker text NOT NULL,
    process text NOT NULL,
    beat_at timestamp with time zone NOT NULL,
    failures integer DEFAULT 0 NOT NULL,
    last_error text
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.idempotency_keys (
    principal text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    originator_id uuid,
    originator_version bigint,
    response bytea,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: rate_windows; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.rate_windows (
    key text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    count integer NOT NULL
);


--
-- Name: registration_no; Type: SEQUENCE; Schema: sampark; Owner: -
--

CREATE SEQUENCE sampark.registration_no
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: relay_state; Type: TABLE; Schema: sampark; Owner: -
--

CREATE TABLE sampark.relay_state (
    topic text NOT NULL,
    "position" bigint NOT NULL,
    epoch integer NOT NULL,
    acked jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: models version; Type: DEFAULT; Schema: assist; Owner: -
--

ALTER TABLE ONLY assist.models ALTER COLUMN version SET DEFAULT nextval('assist.models_version_seq'::regclass);


--
-- Name: messages id; Type: DEFAULT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.messages ALTER COLUMN id SET DEFAULT nextval('notify.messages_id_seq'::regclass);


--
-- Name: sampark_events notification_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sampark_events ALTER COLUMN notification_id SET DEFAULT nextval('public.sampark_events_notification_id_seq'::regclass);


--
-- Name: made id; Type: DEFAULT; Schema: reports; Owner: -
--

ALTER TABLE ONLY reports.made ALTER COLUMN id SET DEFAULT nextval('reports.made_id_seq'::regclass);


--
-- Name: access_log id; Type: DEFAULT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.access_log ALTER COLUMN id SET DEFAULT nextval('sampark.access_log_id_seq'::regclass);


--
-- Name: audit_checkpoints id; Type: DEFAULT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.audit_checkpoints ALTER COLUMN id SET DEFAULT nextval('sampark.audit_checkpoints_id_seq'::regclass);


--
-- Name: dead_letters id; Type: DEFAULT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.dead_letters ALTER COLUMN id SET DEFAULT nextval('sampark.dead_letters_id_seq'::regclass);


--
-- Name: models models_pkey; Type: CONSTRAINT; Schema: assist; Owner: -
--

ALTER TABLE ONLY assist.models
    ADD CONSTRAINT models_pkey PRIMARY KEY (version);


--
-- Name: conversation_messages conversation_messages_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.conversation_messages
    ADD CONSTRAINT conversation_messages_pkey PRIMARY KEY (message_id);


--
-- Name: conversations conversations_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (mobile);


--
-- Name: decided decided_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.decided
    ADD CONSTRAINT decided_pkey PRIMARY KEY (complaint_id, version);


--
-- Name: linked linked_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.linked
    ADD CONSTRAINT linked_pkey PRIMARY KEY (first_id, linked_id);


--
-- Name: messages messages_key_key; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.messages
    ADD CONSTRAINT messages_key_key UNIQUE (key);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: recipients recipients_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.recipients
    ADD CONSTRAINT recipients_pkey PRIMARY KEY (complaint_id);


--
-- Name: sender sender_pkey; Type: CONSTRAINT; Schema: notify; Owner: -
--

ALTER TABLE ONLY notify.sender
    ADD CONSTRAINT sender_pkey PRIMARY KEY (name);


--
-- Name: sampark_events sampark_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sampark_events
    ADD CONSTRAINT sampark_events_pkey PRIMARY KEY (originator_id, originator_version);


--
-- Name: copies copies_pkey; Type: CONSTRAINT; Schema: reports; Owner: -
--

ALTER TABLE ONLY reports.copies
    ADD CONSTRAINT copies_pkey PRIMARY KEY (kind, subject, period, language, format);


--
-- Name: kept kept_pkey; Type: CONSTRAINT; Schema: reports; Owner: -
--

ALTER TABLE ONLY reports.kept
    ADD CONSTRAINT kept_pkey PRIMARY KEY (kind, subject, period, language, format);


--
-- Name: made made_pkey; Type: CONSTRAINT; Schema: reports; Owner: -
--

ALTER TABLE ONLY reports.made
    ADD CONSTRAINT made_pkey PRIMARY KEY (id);


--
-- Name: access_log access_log_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.access_log
    ADD CONSTRAINT access_log_pkey PRIMARY KEY (id);


--
-- Name: api_keys api_keys_digest_key; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.api_keys
    ADD CONSTRAINT api_keys_digest_key UNIQUE (digest);


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);


--
-- Name: audit_checkpoints audit_checkpoints_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.audit_checkpoints
    ADD CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (id);


--
-- Name: audit_heads audit_heads_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.audit_heads
    ADD CONSTRAINT audit_heads_pkey PRIMARY KEY (checkpoint_id, originator_id);


--
-- Name: consumer_failures consumer_failures_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.consumer_failures
    ADD CONSTRAINT consumer_failures_pkey PRIMARY KEY (consumer_group);


--
-- Name: dead_letters dead_letters_consumer_group_key_key; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.dead_letters
    ADD CONSTRAINT dead_letters_consumer_group_key_key UNIQUE (consumer_group, key);


--
-- Name: dead_letters dead_letters_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.dead_letters
    ADD CONSTRAINT dead_letters_pkey PRIMARY KEY (id);


--
-- Name: event_hashes event_hashes_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.event_hashes
    ADD CONSTRAINT event_hashes_pkey PRIMARY KEY (originator_id, originator_version);


--
-- Name: heartbeats heartbeats_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.heartbeats
    ADD CONSTRAINT heartbeats_pkey PRIMARY KEY (worker, process);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, key);


--
-- Name: rate_windows rate_windows_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.rate_windows
    ADD CONSTRAINT rate_windows_pkey PRIMARY KEY (key, window_start);


--
-- Name: relay_state relay_state_pkey; Type: CONSTRAINT; Schema: sampark; Owner: -
--

ALTER TABLE ONLY sampark.relay_state
    ADD CONSTRAINT relay_state_pkey PRIMARY KEY (topic);


--
-- Name: messages_complaint; Type: INDEX; Schema: notify; Owner: -
--

CREATE INDEX messages_complaint ON notify.messages USING btree (complaint_id);


--
-- Name: messages_due; Type: INDEX; Schema: notify; Owner: -
--

CREATE INDEX messages_due ON notify.messages USING btree (next_attempt_at, id) WHERE (state = ANY (ARRAY['pending'::text, 'retrying'::text]));


--
-- Name: messages_in_flight; Type: INDEX; Schema: notify; Owner: -
--

CREATE INDEX messages_in_flight ON notify.messages USING btree (claimed_by) WHERE (state = 'sending'::text);


--
-- Name: messages_provider; Type: INDEX; Schema: notify; Owner: -
--

CREATE INDEX messages_provider ON notify.messages USING btree (provider_message_id) WHERE (provider_message_id IS NOT NULL);


--
-- Name: sampark_events_notification_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX sampark_events_notification_id_idx ON public.sampark_events USING btree (notification_id);


--
-- Name: access_log_actor; Type: INDEX; Schema: sampark; Owner: -
--

CREATE INDEX access_log_actor ON sampark.access_log USING btree (actor_id, at);


--
-- Name: access_log_complaint; Type: INDEX; Schema: sampark; Owner: -
--

CREATE INDEX access_log_complaint ON sampark.access_log USING btree (complaint_id, at);


--
-- Name: dead_letters_complaint; Type: INDEX; Schema: sampark; Owner: -
--

CREATE INDEX dead_letters_complaint ON sampark.dead_letters USING btree (consumer_group, complaint_id, complaint_version);


--
-- PostgreSQL database dump complete
--

\unrestrict nBZumkeWofJbIOsAnbLaSMYCh45Wc9SDQdhS8h2caOxJDwIaEfRS2FwbIPKP50f

