-- Times are epoch milliseconds (UTC) in BIGINT columns: identical on H2 and PostgreSQL,
-- free of session time zones, and cheap to compare.

CREATE TABLE accounts (
    sid            VARCHAR(34)  PRIMARY KEY,
    parent_sid     VARCHAR(34)  REFERENCES accounts (sid),
    friendly_name  VARCHAR(256) NOT NULL,
    auth_token     VARCHAR(64)  NOT NULL,
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    date_created   BIGINT       NOT NULL,
    date_updated   BIGINT       NOT NULL
);
CREATE INDEX accounts_parent ON accounts (parent_sid);

-- API key secrets are stored as SHA-256 hex: shown once at creation, never again.
CREATE TABLE api_keys (
    sid            VARCHAR(34)  PRIMARY KEY,
    account_sid    VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    friendly_name  VARCHAR(256) NOT NULL,
    secret_sha256  VARCHAR(64)  NOT NULL,
    date_created   BIGINT       NOT NULL,
    date_updated   BIGINT       NOT NULL
);
CREATE INDEX api_keys_account ON api_keys (account_sid);

CREATE TABLE applications (
    sid                     VARCHAR(34)   PRIMARY KEY,
    account_sid             VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    friendly_name           VARCHAR(256)  NOT NULL,
    voice_url               VARCHAR(2048),
    voice_method            VARCHAR(8)    NOT NULL,
    voice_fallback_url      VARCHAR(2048),
    voice_fallback_method   VARCHAR(8)    NOT NULL,
    status_callback         VARCHAR(2048),
    status_callback_method  VARCHAR(8)    NOT NULL,
    date_created            BIGINT        NOT NULL,
    date_updated            BIGINT        NOT NULL
);
CREATE INDEX applications_account ON applications (account_sid);

-- A number is an E.164 number or a SIP address (sip:user); the routing target is one of
-- voice_url, voice_application_sid, voice_module_sid, voice_flow_sid, voice_endpoint.
CREATE TABLE incoming_phone_numbers (
    sid                     VARCHAR(34)   PRIMARY KEY,
    account_sid             VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    phone_number            VARCHAR(256)  NOT NULL UNIQUE,
    friendly_name           VARCHAR(256)  NOT NULL,
    voice_url               VARCHAR(2048),
    voice_method            VARCHAR(8)    NOT NULL,
    voice_fallback_url      VARCHAR(2048),
    voice_fallback_method   VARCHAR(8)    NOT NULL,
    status_callback         VARCHAR(2048),
    status_callback_method  VARCHAR(8)    NOT NULL,
    voice_application_sid   VARCHAR(34)   REFERENCES applications (sid),
    voice_module_sid        VARCHAR(34),
    voice_flow_sid          VARCHAR(34),
    voice_endpoint          VARCHAR(2048),
    date_created            BIGINT        NOT NULL,
    date_updated            BIGINT        NOT NULL
);
CREATE INDEX incoming_phone_numbers_account ON incoming_phone_numbers (account_sid, date_created);
