-- Service modules: provided logic (a phone tree, a survey) configured by a JSON document that the
-- service validates on save; the module's inlet is service:<name>.
ALTER TABLE modules ADD COLUMN configuration TEXT;

-- The survey service's answers: one per call, survey module and question.
CREATE TABLE survey_answers (
    call_sid      VARCHAR(34)  NOT NULL,
    module_sid    VARCHAR(34)  NOT NULL,
    account_sid   VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    question      VARCHAR(64)  NOT NULL,
    answer        VARCHAR(32)  NOT NULL,
    answered_at   BIGINT       NOT NULL,
    PRIMARY KEY (call_sid, module_sid, question)
);
CREATE INDEX survey_answers_module ON survey_answers (module_sid, answered_at);

-- Queues (Twilio's): made by REST or on first <Enqueue>; their waiting members (the live calls
-- in them, on whichever node owns each call) and what their waits added up to.
CREATE TABLE queues (
    sid            VARCHAR(34)  PRIMARY KEY,
    account_sid    VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    friendly_name  VARCHAR(64)  NOT NULL,
    max_size       INTEGER      NOT NULL,
    waits          BIGINT       NOT NULL,
    wait_ms        BIGINT       NOT NULL,
    date_created   BIGINT       NOT NULL,
    date_updated   BIGINT       NOT NULL,
    UNIQUE (account_sid, friendly_name)
);

CREATE TABLE queue_members (
    call_sid       VARCHAR(34)   PRIMARY KEY,
    queue_sid      VARCHAR(34)   NOT NULL,
    account_sid    VARCHAR(34)   NOT NULL,
    node_id        VARCHAR(128)  NOT NULL,
    date_enqueued  BIGINT        NOT NULL
);
CREATE INDEX queue_members_queue ON queue_members (queue_sid, date_enqueued);

-- Verification codes (a Verify-like API): only a hash of each code is kept.
CREATE TABLE verifications (
    sid            VARCHAR(34)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    to_address     VARCHAR(64)   NOT NULL,
    channel        VARCHAR(8)    NOT NULL,
    code_hash      VARCHAR(64)   NOT NULL,
    status         VARCHAR(24)   NOT NULL,
    attempts       INTEGER       NOT NULL,
    expires_at     BIGINT        NOT NULL,
    date_created   BIGINT        NOT NULL,
    date_updated   BIGINT        NOT NULL
);
CREATE INDEX verifications_to ON verifications (account_sid, to_address, date_created);

-- Conferences (Twilio's): a room lives on the node where it started; its participants are the
-- live calls in it.
CREATE TABLE conferences (
    sid            VARCHAR(34)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    friendly_name  VARCHAR(64)   NOT NULL,
    status         VARCHAR(16)   NOT NULL CHECK (status IN ('init', 'in-progress', 'completed')),
    node_id        VARCHAR(128)  NOT NULL,
    date_created   BIGINT        NOT NULL,
    date_updated   BIGINT        NOT NULL
);
CREATE INDEX conferences_account ON conferences (account_sid, date_created);

CREATE TABLE conference_participants (
    call_sid                   VARCHAR(34)  PRIMARY KEY,
    conference_sid             VARCHAR(34)  NOT NULL,
    account_sid                VARCHAR(34)  NOT NULL,
    muted                      BOOLEAN      NOT NULL,
    hold                       BOOLEAN      NOT NULL,
    start_conference_on_enter  BOOLEAN      NOT NULL,
    end_conference_on_exit     BOOLEAN      NOT NULL,
    date_created               BIGINT       NOT NULL,
    date_updated               BIGINT       NOT NULL
);
CREATE INDEX conference_participants_conference ON conference_participants (conference_sid);

-- The call-center service: each module's agents (who is available, who is on a call, idle since
-- when: the longest idle available agent takes the next caller) and its callers waiting in line.
CREATE TABLE call_center_agents (
    module_sid     VARCHAR(34)   NOT NULL,
    name           VARCHAR(64)   NOT NULL,
    available      BOOLEAN       NOT NULL,
    busy_call_sid  VARCHAR(34),
    idle_since     BIGINT        NOT NULL,
    PRIMARY KEY (module_sid, name)
);

CREATE TABLE call_center_waiting (
    module_sid  VARCHAR(34)  NOT NULL,
    call_sid    VARCHAR(34)  NOT NULL,
    since       BIGINT       NOT NULL,
    PRIMARY KEY (module_sid, call_sid)
);

-- The calling-card service's cards: a PIN (kept as a salted hash) and what is left on the card.
CREATE TABLE calling_cards (
    sid           VARCHAR(34)    PRIMARY KEY,
    module_sid    VARCHAR(34)    NOT NULL,
    pin_hash      VARCHAR(64)    NOT NULL,
    balance       DECIMAL(20, 6) NOT NULL,
    date_created  BIGINT         NOT NULL,
    date_updated  BIGINT         NOT NULL,
    UNIQUE (module_sid, pin_hash)
);
