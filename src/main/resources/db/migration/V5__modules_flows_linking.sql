-- The linking system: modules (written by developers, installed by accounts), flows of modules,
-- per-call shared state, the module events delivery log, and the module/flow columns of segments.

-- A namespace ("acme" in "acme/simulring") belongs to the first account that names a module in it,
-- so an alias always means the same developer's module.
CREATE TABLE module_namespaces (
    namespace      VARCHAR(64)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid)
);

CREATE TABLE modules (
    sid             VARCHAR(34)    PRIMARY KEY,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    unique_name     VARCHAR(129)   NOT NULL UNIQUE,
    friendly_name   VARCHAR(256)   NOT NULL,
    description     VARCHAR(4000)  NOT NULL,
    kind            VARCHAR(16)    NOT NULL CHECK (kind IN ('application', 'service', 'bridge')),
    inlet_url       VARCHAR(2048),
    inlet_method    VARCHAR(8)     NOT NULL,
    fallback_url    VARCHAR(2048),
    events_url      VARCHAR(2048),
    parameters      VARCHAR(16000) NOT NULL,
    outlets         VARCHAR(2000)  NOT NULL,
    usage_plan_sid  VARCHAR(34),
    visibility      VARCHAR(16)    NOT NULL CHECK (visibility IN ('private', 'unlisted', 'published')),
    banned          BOOLEAN        NOT NULL DEFAULT FALSE,
    date_created    BIGINT         NOT NULL,
    date_updated    BIGINT         NOT NULL
);
CREATE INDEX modules_account ON modules (account_sid);

-- An account's use of another developer's module. At most one active row per (account, module);
-- an uninstalled row stays for the record.
CREATE TABLE installations (
    sid             VARCHAR(34)    PRIMARY KEY,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    module_sid      VARCHAR(34)    NOT NULL REFERENCES modules (sid),
    usage_plan_sid  VARCHAR(34),
    configuration   VARCHAR(16000) NOT NULL,
    status          VARCHAR(16)    NOT NULL CHECK (status IN ('active', 'uninstalled')),
    date_created    BIGINT         NOT NULL,
    date_updated    BIGINT         NOT NULL
);
CREATE INDEX installations_account_module ON installations (account_sid, module_sid);

-- Flows: the row holds the version in force; every saved definition is kept, because a live call
-- runs the version it started with.
CREATE TABLE flows (
    sid             VARCHAR(34)    PRIMARY KEY,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    friendly_name   VARCHAR(256)   NOT NULL,
    version         INTEGER        NOT NULL,
    date_created    BIGINT         NOT NULL,
    date_updated    BIGINT         NOT NULL
);
CREATE INDEX flows_account ON flows (account_sid);

CREATE TABLE flow_versions (
    flow_sid        VARCHAR(34)    NOT NULL REFERENCES flows (sid) ON DELETE CASCADE,
    version         INTEGER        NOT NULL,
    definition      VARCHAR(200000) NOT NULL,
    date_created    BIGINT         NOT NULL,
    PRIMARY KEY (flow_sid, version)
);

-- The modules each flow's version in force names (so a module in use cannot be deleted).
CREATE TABLE flow_modules (
    flow_sid        VARCHAR(34)    NOT NULL REFERENCES flows (sid) ON DELETE CASCADE,
    module_sid      VARCHAR(34)    NOT NULL,
    PRIMARY KEY (flow_sid, module_sid)
);
CREATE INDEX flow_modules_module ON flow_modules (module_sid);

-- Per-call shared state: modules pass values to each other without knowing each other.
CREATE TABLE call_state (
    call_sid        VARCHAR(34)    NOT NULL,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    state_name      VARCHAR(64)    NOT NULL,
    state_value     VARCHAR(4000)  NOT NULL,
    date_updated    BIGINT         NOT NULL,
    PRIMARY KEY (call_sid, state_name)
);

-- Webhooks to modules' events URLs and how their delivery went.
CREATE TABLE module_events (
    sid             VARCHAR(34)    PRIMARY KEY,
    module_sid      VARCHAR(34)    NOT NULL,
    owner_sid       VARCHAR(34)    NOT NULL,
    account_sid     VARCHAR(34)    NOT NULL,
    call_sid        VARCHAR(34)    NOT NULL,
    event_type      VARCHAR(32)    NOT NULL,
    url             VARCHAR(2048)  NOT NULL,
    status          VARCHAR(16)    NOT NULL CHECK (status IN ('queued', 'delivered', 'failed')),
    attempts        INTEGER        NOT NULL,
    response_code   INTEGER,
    date_created    BIGINT         NOT NULL,
    date_updated    BIGINT         NOT NULL
);
CREATE INDEX module_events_module ON module_events (module_sid, date_created);

-- Segments name the module in control, its developer's account and the flow node.
ALTER TABLE call_segments ADD COLUMN module_sid VARCHAR(34);
ALTER TABLE call_segments ADD COLUMN module_owner_sid VARCHAR(34);
ALTER TABLE call_segments ADD COLUMN flow_sid VARCHAR(34);
ALTER TABLE call_segments ADD COLUMN flow_version INTEGER;
ALTER TABLE call_segments ADD COLUMN flow_node VARCHAR(64);
CREATE INDEX call_segments_module ON call_segments (module_sid, started_at);
