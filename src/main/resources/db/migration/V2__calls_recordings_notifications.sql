-- Calls: one row per call leg, written at each status transition. node_id names the node that
-- owns the live call (media and interpreter); a REST action on a live call finds it through here.
CREATE TABLE calls (
    sid                VARCHAR(34)   PRIMARY KEY,
    account_sid        VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    parent_call_sid    VARCHAR(34),
    phone_number_sid   VARCHAR(34),
    to_address         VARCHAR(256)  NOT NULL,
    from_address       VARCHAR(256)  NOT NULL,
    direction          VARCHAR(32)   NOT NULL,
    status             VARCHAR(16)   NOT NULL,
    start_time         BIGINT,
    end_time           BIGINT,
    duration           INTEGER,
    caller_name        VARCHAR(256),
    sip_call_id        VARCHAR(256),
    node_id            VARCHAR(128)  NOT NULL,
    date_created       BIGINT        NOT NULL,
    date_updated       BIGINT        NOT NULL
);
CREATE INDEX calls_account ON calls (account_sid, date_created);
CREATE INDEX calls_live_by_node ON calls (node_id, status);

CREATE TABLE recordings (
    sid            VARCHAR(34)   PRIMARY KEY,
    account_sid    VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    call_sid       VARCHAR(34)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    duration       INTEGER       NOT NULL,
    channels       INTEGER       NOT NULL,
    source         VARCHAR(32)   NOT NULL,
    file_name      VARCHAR(256)  NOT NULL,
    start_time     BIGINT        NOT NULL,
    date_created   BIGINT        NOT NULL,
    date_updated   BIGINT        NOT NULL
);
CREATE INDEX recordings_account ON recordings (account_sid, date_created);
CREATE INDEX recordings_call ON recordings (call_sid);

-- Errors and warnings met while running an account's calls (Twilio's Notifications resource).
CREATE TABLE notifications (
    sid             VARCHAR(34)    PRIMARY KEY,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    call_sid        VARCHAR(34),
    log_level       INTEGER        NOT NULL,
    error_code      INTEGER        NOT NULL,
    message_text    VARCHAR(4096)  NOT NULL,
    request_url     VARCHAR(2048),
    request_method  VARCHAR(8),
    response_body   VARCHAR(4096),
    message_date    BIGINT         NOT NULL,
    date_created    BIGINT         NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_sid, date_created);
CREATE INDEX notifications_call ON notifications (call_sid);
