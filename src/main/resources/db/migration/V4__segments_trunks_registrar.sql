-- Control segments: every stretch of a call's life under one controller (a mode and a module).
-- A call has at most one open segment (ended_at NULL); a transition closes it and opens the
-- next in one transaction. Metering prices closed segments.
CREATE TABLE call_segments (
    sid           VARCHAR(34)   PRIMARY KEY,
    call_sid      VARCHAR(34)   NOT NULL,
    account_sid   VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    seq           INTEGER       NOT NULL,
    mode          VARCHAR(16)   NOT NULL CHECK (mode IN ('basic', 'application', 'service')),
    module        VARCHAR(2048) NOT NULL,
    reason        VARCHAR(64)   NOT NULL,
    started_at    BIGINT        NOT NULL,
    ended_at      BIGINT,
    end_reason    VARCHAR(64),
    node_id       VARCHAR(128)  NOT NULL,
    UNIQUE (call_sid, seq)
);
CREATE INDEX call_segments_open ON call_segments (node_id, ended_at);

-- Outbound SIP trunks of an account, chosen by the longest matching number prefix.
-- The platform-wide trunk lives in the configuration. Passwords answer digest challenges, so
-- they are kept as given and never rendered.
CREATE TABLE outbound_trunks (
    sid              VARCHAR(34)   PRIMARY KEY,
    account_sid      VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    friendly_name    VARCHAR(256)  NOT NULL,
    prefix           VARCHAR(16)   NOT NULL,
    termination_uri  VARCHAR(512)  NOT NULL,
    username         VARCHAR(128),
    password         VARCHAR(128),
    date_created     BIGINT        NOT NULL,
    date_updated     BIGINT        NOT NULL
);
CREATE INDEX outbound_trunks_account ON outbound_trunks (account_sid);

-- Registrar: SIP domains (the realm a user agent registers to) and their credentials.
-- Passwords are stored as the digest HA1 (MD5 of username:domain:password), never in clear.
CREATE TABLE sip_domains (
    sid            VARCHAR(34)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    domain_name    VARCHAR(256)  NOT NULL UNIQUE,
    friendly_name  VARCHAR(256)  NOT NULL,
    date_created   BIGINT        NOT NULL,
    date_updated   BIGINT        NOT NULL
);
CREATE INDEX sip_domains_account ON sip_domains (account_sid);

CREATE TABLE sip_credentials (
    sid            VARCHAR(34)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    domain_sid     VARCHAR(34)   NOT NULL REFERENCES sip_domains (sid),
    username       VARCHAR(128)  NOT NULL,
    ha1            VARCHAR(32)   NOT NULL,
    date_created   BIGINT        NOT NULL,
    date_updated   BIGINT        NOT NULL,
    UNIQUE (domain_sid, username)
);

-- Live registrations: one row per contact; expired rows are ignored and swept.
CREATE TABLE sip_registrations (
    domain_sid     VARCHAR(34)   NOT NULL REFERENCES sip_domains (sid),
    account_sid    VARCHAR(34)   NOT NULL,
    username       VARCHAR(128)  NOT NULL,
    contact        VARCHAR(512)  NOT NULL,
    expires_at     BIGINT        NOT NULL,
    node_id        VARCHAR(128)  NOT NULL,
    PRIMARY KEY (domain_sid, username, contact)
);
CREATE INDEX sip_registrations_user ON sip_registrations (account_sid, username);

-- Direct routing: what takes over the caller when the bridged endpoint hangs up.
ALTER TABLE incoming_phone_numbers ADD COLUMN voice_endpoint_hangup_url VARCHAR(2048);
