-- Read models: plain tables in their own schema, fed by the projector, thrown away and rebuilt
-- from events at will. Documented for analysts in docs/read-models.md. `{schema}` is `read`
-- for the live copy and `read_rebuild` while `sampark projections rebuild` runs.
CREATE SCHEMA IF NOT EXISTS {schema};

CREATE TABLE IF NOT EXISTS {schema}.complaints (
    id uuid PRIMARY KEY,
    registration_no text NOT NULL UNIQUE,
    version integer NOT NULL,
    status text NOT NULL,
    level smallint NOT NULL,
    holder text,
    department text NOT NULL,
    category text NOT NULL,
    district text NOT NULL,
    channel text NOT NULL,
    priority text NOT NULL,
    subject text NOT NULL,
    description text NOT NULL,
    complainant_name text NOT NULL,
    complainant_mobile text NOT NULL,
    complainant_email text,
    complainant_address text,
    attachments jsonb NOT NULL,
    filed_at timestamptz NOT NULL,
    due_at timestamptz,
    resolved_at timestamptz,
    outcome text,
    action_taken text,
    evidence jsonb,
    resolved_by text,
    resolution_level smallint,
    feedback_until timestamptz,
    feedback_satisfied boolean,
    feedback_rating smallint,
    feedback_comment text,
    reopen_count integer NOT NULL,
    escalation_count integer NOT NULL,
    transfer_count integer NOT NULL,
    reminder_count integer NOT NULL,
    comment_count integer NOT NULL,
    last_event_at timestamptz NOT NULL,
    words tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', subject || ' ' || description)
    ) STORED
);
-- Added later (the scheduler, the notifications); ALTERs bring an older read schema up to date.
ALTER TABLE {schema}.complaints
    ADD COLUMN IF NOT EXISTS warned_due_at timestamptz,
    ADD COLUMN IF NOT EXISTS stalled_due_at timestamptz,
    ADD COLUMN IF NOT EXISTS gap_level smallint,
    ADD COLUMN IF NOT EXISTS gap_post text,
    ADD COLUMN IF NOT EXISTS gap_reason text,
    ADD COLUMN IF NOT EXISTS review_count integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS complainant_language text NOT NULL DEFAULT 'hi',
    ADD COLUMN IF NOT EXISTS awaiting_triage boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS location_pincode text,
    ADD COLUMN IF NOT EXISTS location_latitude double precision,
    ADD COLUMN IF NOT EXISTS location_longitude double precision,
    ADD COLUMN IF NOT EXISTS location_ward text,
    ADD COLUMN IF NOT EXISTS location_landmark text,
    ADD COLUMN IF NOT EXISTS filed_by text;

CREATE INDEX IF NOT EXISTS complaints_filed ON {schema}.complaints (filed_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS complaints_place ON {schema}.complaints (district, department, status);
CREATE INDEX IF NOT EXISTS complaints_inbox ON {schema}.complaints (holder, priority, due_at)
    WHERE status IN ('unassigned', 'assigned', 'reopened');
CREATE INDEX IF NOT EXISTS complaints_due ON {schema}.complaints (due_at)
    WHERE status IN ('unassigned', 'assigned', 'reopened');
-- The scheduler's indexes. Due: open, and its deadline not yet found unmovable.
CREATE INDEX IF NOT EXISTS complaints_to_escalate ON {schema}.complaints (due_at, id)
    WHERE status IN ('unassigned', 'assigned', 'reopened')
      AND stalled_due_at IS DISTINCT FROM due_at;
-- To warn: open, and its holder not yet warned of this deadline.
CREATE INDEX IF NOT EXISTS complaints_to_warn ON {schema}.complaints (due_at, id)
    WHERE status IN ('unassigned', 'assigned', 'reopened')
      AND warned_due_at IS DISTINCT FROM due_at;
-- Blocked by a routing gap, until a directory change lets them climb.
CREATE INDEX IF NOT EXISTS complaints_blocked ON {schema}.complaints (department, district)
    WHERE status IN ('unassigned', 'assigned', 'reopened')
      AND stalled_due_at = due_at AND gap_level IS NOT NULL;
-- Disposed of, awaiting the complainant until the feedback window ends.
CREATE INDEX IF NOT EXISTS complaints_awaiting_feedback ON {schema}.complaints (feedback_until, id)
    WHERE status = 'resolved';
-- The helpline desk's triage queue: complaints the assistant was not sure of, oldest first.
CREATE INDEX IF NOT EXISTS complaints_triage ON {schema}.complaints (filed_at, id)
    WHERE awaiting_triage AND status IN ('unassigned', 'assigned', 'reopened');
-- The secretary's monthly data: a department's month by category, and its complaints moved
-- between departments most often (a range of each, not a scan of the department's history).
CREATE INDEX IF NOT EXISTS complaints_department_filed ON {schema}.complaints (department, filed_at);
CREATE INDEX IF NOT EXISTS complaints_department_moved
    ON {schema}.complaints (department, transfer_count) WHERE transfer_count > 0;
CREATE INDEX IF NOT EXISTS complaints_mobile ON {schema}.complaints (complainant_mobile);
CREATE INDEX IF NOT EXISTS complaints_words ON {schema}.complaints USING gin (words);
-- Finding a complaint by the complainant's name as heard on the phone (`name` on the search):
-- trigrams of the lower-cased name serve "every word typed is part of it" (LIKE '%word%').
-- pg_trgm ships with PostgreSQL's contrib (and the embedded server); trusted, so the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS complaints_name
    ON {schema}.complaints USING gin (lower(complainant_name) gin_trgm_ops);

-- The figures' aggregates (docs/read-models.md, "The figures"): their size grows with
-- districts x departments x posts x days, never with complaints. `holder` '' is the pool.
-- They replace `daily_counts` and `disposals` (an older read schema: rebuild it).
DROP TABLE IF EXISTS {schema}.daily_counts;
DROP TABLE IF EXISTS {schema}.disposals;
-- So do the histograms as arrays (a row per number of days before) and the pending work's
-- margins (a row per level, CMO/VIP, filing day and deadline day before): the tables of the
-- older shape go, and a rebuild fills the new ones.
DO $$
BEGIN
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = '{schema}'
               AND table_name = 'disposal_days' AND column_name = 'days') THEN
        DROP TABLE {schema}.disposal_days, {schema}.disposal_days_blocks;
    END IF;
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = '{schema}'
               AND table_name = 'pending' AND column_name = 'filed_day') THEN
        DROP TABLE {schema}.pending;
    END IF;
END $$;

-- Movements into and out of each cell's pending work, and what else happened, per day.
CREATE TABLE IF NOT EXISTS {schema}.flows (
    district text NOT NULL,
    department text NOT NULL,
    holder text NOT NULL,
    day date NOT NULL,
    filed integer NOT NULL DEFAULT 0,
    transferred_in integer NOT NULL DEFAULT 0,
    reassigned_in integer NOT NULL DEFAULT 0,
    reopened integer NOT NULL DEFAULT 0,
    disposed integer NOT NULL DEFAULT 0,
    disposed_relief integer NOT NULL DEFAULT 0,
    disposed_interim_relief integer NOT NULL DEFAULT 0,
    disposed_rejected integer NOT NULL DEFAULT 0,
    disposed_false_complaint integer NOT NULL DEFAULT 0,
    disposed_sub_judice integer NOT NULL DEFAULT 0,
    disposed_not_possible integer NOT NULL DEFAULT 0,
    disposed_in_time integer NOT NULL DEFAULT 0,
    transferred_out integer NOT NULL DEFAULT 0,
    reassigned_out integer NOT NULL DEFAULT 0,
    escalated_l2 integer NOT NULL DEFAULT 0,
    escalated_l3 integer NOT NULL DEFAULT 0,
    escalated_l4 integer NOT NULL DEFAULT 0,
    feedback_satisfied integer NOT NULL DEFAULT 0,
    feedback_not_satisfied integer NOT NULL DEFAULT 0,
    withdrawn integer NOT NULL DEFAULT 0,
    PRIMARY KEY (district, department, holder, day)
);
-- Added later (issue 17: withdrawal); each table of the flows gets it last, as here.
ALTER TABLE {schema}.flows ADD COLUMN IF NOT EXISTS withdrawn integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS flows_day ON {schema}.flows (day);
CREATE INDEX IF NOT EXISTS flows_department ON {schema}.flows (department, day);
CREATE INDEX IF NOT EXISTS flows_holder ON {schema}.flows (holder, day);

-- The same sums per block of `span` (8 or 64) days starting at `day` (projections/rows.py,
-- `BLOCKS`): a long window reads a few blocks per cell, not every day.
CREATE TABLE IF NOT EXISTS {schema}.flows_blocks (LIKE {schema}.flows INCLUDING DEFAULTS);
ALTER TABLE {schema}.flows_blocks ADD COLUMN IF NOT EXISTS span smallint NOT NULL;
ALTER TABLE {schema}.flows_blocks ADD COLUMN IF NOT EXISTS withdrawn integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX IF NOT EXISTS flows_blocks_key
    ON {schema}.flows_blocks (district, department, holder, span, day);
CREATE INDEX IF NOT EXISTS flows_blocks_span ON {schema}.flows_blocks (span, day);
-- A page of the dashboard per post: its posts' blocks, not every post's (the per-day rows
-- have `flows_holder`).
CREATE INDEX IF NOT EXISTS flows_blocks_holder ON {schema}.flows_blocks (holder, span, day);

-- Days to dispose, per cell and day: one histogram a row, `disposals[n + 1]` disposals that
-- day took n whole days (as long as the longest of them).
CREATE TABLE IF NOT EXISTS {schema}.disposal_days (
    district text NOT NULL,
    department text NOT NULL,
    holder text NOT NULL,
    day date NOT NULL,
    disposals integer[] NOT NULL,
    PRIMARY KEY (district, department, holder, day)
);
CREATE INDEX IF NOT EXISTS disposal_days_day ON {schema}.disposal_days (day);
-- A district's rows (a collector's dashboards): without it the planner takes the day index
-- and fetches every district's rows of the window (3 M complaints: 125 ms, with it 6 ms).
CREATE INDEX IF NOT EXISTS disposal_days_place ON {schema}.disposal_days (district, day);
CREATE TABLE IF NOT EXISTS {schema}.disposal_days_blocks (
    LIKE {schema}.disposal_days INCLUDING DEFAULTS INCLUDING GENERATED
);
ALTER TABLE {schema}.disposal_days_blocks ADD COLUMN IF NOT EXISTS span smallint NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS disposal_days_blocks_key
    ON {schema}.disposal_days_blocks (district, department, holder, span, day);
CREATE INDEX IF NOT EXISTS disposal_days_blocks_span
    ON {schema}.disposal_days_blocks (span, day);
CREATE INDEX IF NOT EXISTS disposal_days_blocks_place
    ON {schema}.disposal_days_blocks (district, span, day);
-- A page of the dashboard per post: its posts' histograms, not every post's.
CREATE INDEX IF NOT EXISTS disposal_days_holder ON {schema}.disposal_days (holder, day);
CREATE INDEX IF NOT EXISTS disposal_days_blocks_holder
    ON {schema}.disposal_days_blocks (holder, span, day);

-- The same sums per district, per department and for the state ('' stands for every
-- district or every department), per day (`span` 1) and per block of 8 and 64 days: what the
-- dashboards of the state, a district or a department read, rather than every post's rows.
CREATE TABLE IF NOT EXISTS {schema}.flows_totals (
    LIKE {schema}.flows INCLUDING DEFAULTS
);
ALTER TABLE {schema}.flows_totals DROP COLUMN IF EXISTS holder;
ALTER TABLE {schema}.flows_totals ADD COLUMN IF NOT EXISTS span smallint NOT NULL;
ALTER TABLE {schema}.flows_totals ADD COLUMN IF NOT EXISTS withdrawn integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX IF NOT EXISTS flows_totals_key
    ON {schema}.flows_totals (district, department, span, day);
-- The rows of each district (of the state, or of a department), and of each department.
CREATE INDEX IF NOT EXISTS flows_totals_districts
    ON {schema}.flows_totals (department, span, day) WHERE district <> '';
CREATE INDEX IF NOT EXISTS flows_totals_departments
    ON {schema}.flows_totals (span, day) WHERE district = '' AND department <> '';
CREATE TABLE IF NOT EXISTS {schema}.disposal_days_totals (
    district text NOT NULL,
    department text NOT NULL,
    span smallint NOT NULL,
    day date NOT NULL,
    disposals integer[] NOT NULL,
    PRIMARY KEY (district, department, span, day)
);
CREATE INDEX IF NOT EXISTS disposal_days_totals_districts
    ON {schema}.disposal_days_totals (department, span, day) WHERE district <> '';
CREATE INDEX IF NOT EXISTS disposal_days_totals_departments
    ON {schema}.disposal_days_totals (span, day) WHERE district = '' AND department <> '';

-- Each histogram also kept packed, as PostgreSQL's binary wire format sends an int4[]
-- (`array_send`), which the dashboards read and add up with numpy (projections/histograms.py):
-- packing thousands of histograms for each dashboard took half the time of reading them.
-- Generated, so it is always the packing of `disposals`. array_send is marked stable for any
-- element type; of an int4[] it depends on nothing but the array, hence immutable here.
CREATE OR REPLACE FUNCTION {schema}.packed(histogram integer[]) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT array_send(histogram)';
ALTER TABLE {schema}.disposal_days ADD COLUMN IF NOT EXISTS packed bytea
    GENERATED ALWAYS AS ({schema}.packed(disposals)) STORED;
ALTER TABLE {schema}.disposal_days_blocks ADD COLUMN IF NOT EXISTS packed bytea
    GENERATED ALWAYS AS ({schema}.packed(disposals)) STORED;
ALTER TABLE {schema}.disposal_days_totals ADD COLUMN IF NOT EXISTS packed bytea
    GENERATED ALWAYS AS ({schema}.packed(disposals)) STORED;

-- The complaints open now, per cell: all of them, by level, and from the CMO or VIP cells.
CREATE TABLE IF NOT EXISTS {schema}.pending (
    district text NOT NULL,
    department text NOT NULL,
    holder text NOT NULL,
    complaints integer NOT NULL DEFAULT 0,
    level_1 integer NOT NULL DEFAULT 0,
    level_2 integer NOT NULL DEFAULT 0,
    level_3 integer NOT NULL DEFAULT 0,
    level_4 integer NOT NULL DEFAULT 0,
    cmo_vip integer NOT NULL DEFAULT 0,
    PRIMARY KEY (district, department, holder)
);
-- And per cell and day: those filed that day (their age) and those due that day (beyond
-- deadline or not); `due` on 9999-12-31: no deadline.
CREATE TABLE IF NOT EXISTS {schema}.pending_days (
    district text NOT NULL,
    department text NOT NULL,
    holder text NOT NULL,
    day date NOT NULL,
    filed integer NOT NULL DEFAULT 0,
    due integer NOT NULL DEFAULT 0,
    PRIMARY KEY (district, department, holder, day)
);
CREATE INDEX IF NOT EXISTS pending_days_day ON {schema}.pending_days (day);
CREATE INDEX IF NOT EXISTS pending_days_place ON {schema}.pending_days (district, day);
-- A page of the dashboard per post: its posts' recent days, not every post's.
CREATE INDEX IF NOT EXISTS pending_days_holder ON {schema}.pending_days (holder, day);
-- The same per district, per department and for the state ('' as in `flows_totals`).
CREATE TABLE IF NOT EXISTS {schema}.pending_totals (LIKE {schema}.pending INCLUDING DEFAULTS);
ALTER TABLE {schema}.pending_totals DROP COLUMN IF EXISTS holder;
CREATE UNIQUE INDEX IF NOT EXISTS pending_totals_key
    ON {schema}.pending_totals (district, department);
CREATE TABLE IF NOT EXISTS {schema}.pending_days_totals (
    LIKE {schema}.pending_days INCLUDING DEFAULTS
);
ALTER TABLE {schema}.pending_days_totals DROP COLUMN IF EXISTS holder;
CREATE UNIQUE INDEX IF NOT EXISTS pending_days_totals_key
    ON {schema}.pending_days_totals (district, department, day);
CREATE INDEX IF NOT EXISTS pending_days_totals_districts
    ON {schema}.pending_days_totals (department, day) WHERE district <> '';
CREATE INDEX IF NOT EXISTS pending_days_totals_departments
    ON {schema}.pending_days_totals (day) WHERE district = '' AND department <> '';

-- The projector's place in each partition, written with the changes it made.
CREATE TABLE IF NOT EXISTS {schema}.offsets (
    consumer_group text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    relay_epoch integer NOT NULL,
    last_event_time timestamptz,  -- the time of the last event applied from this partition
    PRIMARY KEY (consumer_group, topic, partition)
);

-- The secretaries' daily review lists (day in Asia/Kolkata), and the reviews recorded.
CREATE TABLE IF NOT EXISTS {schema}.reviews (
    day date NOT NULL,
    complaint_id uuid NOT NULL,
    department text NOT NULL,
    rank integer,  -- NULL: reviewed without being on the day's list
    queued_at timestamptz,
    reviewed_at timestamptz,
    reviewed_by text,
    note text,
    PRIMARY KEY (day, complaint_id)
);
CREATE INDEX IF NOT EXISTS reviews_department ON {schema}.reviews (department, day);

-- Events that arrived after a missing one: reported, never applied.
CREATE TABLE IF NOT EXISTS {schema}.gaps (
    complaint_id uuid NOT NULL,
    have_version integer NOT NULL,
    got_version integer NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (complaint_id, got_version)
);

-- The Public Services Guarantee Act (docs/guarantee.md; projections/guarantee.py).
-- Each complaint about a notified service: for the scan of stipulated times, and where its
-- appeals stand.
CREATE TABLE IF NOT EXISTS {schema}.guarantee_cases (
    id uuid PRIMARY KEY,
    service text NOT NULL,
    district text NOT NULL,
    department text NOT NULL,
    applied_on date NOT NULL,
    due_on date NOT NULL,
    lapses_at timestamptz NOT NULL,  -- the end of the stipulated time's last day
    lapsed_at timestamptz,  -- recorded passed (StipulatedTimePassed)
    appeal_post text,  -- the post an undecided appeal lies before
    appeal_stage smallint,  -- 1: first appeal, 2: second
    appeal_decide_by timestamptz,
    penalty_amount integer
);
CREATE INDEX IF NOT EXISTS guarantee_cases_lapsing
    ON {schema}.guarantee_cases (lapses_at, id) WHERE lapsed_at IS NULL;
CREATE INDEX IF NOT EXISTS guarantee_cases_appeals
    ON {schema}.guarantee_cases (appeal_post, appeal_decide_by) WHERE appeal_post IS NOT NULL;
-- The posts the Act brought the complaint before (each appeal's, the post fined): their
-- officers see it (scope `office`, `projections/queries.py` scope_conditions). A read schema
-- older than the column needs a rebuild for the appeals it already holds.
ALTER TABLE {schema}.guarantee_cases ADD COLUMN IF NOT EXISTS posts text[] NOT NULL DEFAULT '{}';
-- Written straight into the index (no pending list, which the planner would scan past until
-- a vacuum): a case's posts change a few times in its life.
CREATE INDEX IF NOT EXISTS guarantee_cases_posts ON {schema}.guarantee_cases USING gin (posts)
    WITH (fastupdate = off);
-- Its figures per district, department and day (in Asia/Kolkata): what the Act's steps
-- counted, by the complaint's district and department when each happened.
CREATE TABLE IF NOT EXISTS {schema}.guarantee_days (
    district text NOT NULL,
    department text NOT NULL,
    day date NOT NULL,
    filed integer NOT NULL DEFAULT 0,
    lapsed integer NOT NULL DEFAULT 0,
    first_appeals integer NOT NULL DEFAULT 0,
    first_decided integer NOT NULL DEFAULT 0,
    second_appeals integer NOT NULL DEFAULT 0,
    second_decided integer NOT NULL DEFAULT 0,
    penalties integer NOT NULL DEFAULT 0,
    penalty_rupees bigint NOT NULL DEFAULT 0,
    revisions integer NOT NULL DEFAULT 0,
    PRIMARY KEY (department, day, district)
);

-- The clock that waits (projections/waiting.py, docs/hearings.md): per district x department
-- and day (Asia/Kolkata), questions asked of complainants, answered, lapsed (disposed of
-- unanswered), and the seconds the clocks stood still, counted on the day each wait ended.
-- A complaint cannot change district or department while it waits, so its wait stays in
-- one cell: waiting at the end of a day = asked - answered - lapsed up to that day.
CREATE TABLE IF NOT EXISTS {schema}.waiting (
    district text NOT NULL,
    department text NOT NULL,
    day date NOT NULL,
    asked bigint NOT NULL DEFAULT 0,
    answered bigint NOT NULL DEFAULT 0,
    lapsed bigint NOT NULL DEFAULT 0,
    paused_seconds bigint NOT NULL DEFAULT 0,
    interim_replies bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (district, department, day)
);

-- Hearings of complainants (projections/hearings.py, docs/hearings.md), a row per hearing;
-- those at a Rajasthan Sampark Diwas carry its day, and make the day's list in the order
-- they were listed. Written by upserts that fill what each event knows, in any order.
CREATE TABLE IF NOT EXISTS {schema}.hearings (
    complaint_id uuid NOT NULL,
    number integer NOT NULL,
    registration_no text,
    district text,
    department text,
    subject text,
    scheduled_at timestamptz,  -- when it was fixed (listed, for a Sampark Diwas)
    scheduled_by_role text,
    hearing_on timestamptz,
    post text,
    mode text,
    diwas date,
    attended boolean,
    directions text,
    recorded_at timestamptz,
    PRIMARY KEY (complaint_id, number)
);
CREATE INDEX IF NOT EXISTS hearings_diwas ON {schema}.hearings (district, diwas, scheduled_at)
    WHERE diwas IS NOT NULL;
