-- Open segments are durable: the owning node stamps them while the call lives, so a node that
-- dies mid-call leaves segments that are closed at their last heartbeat when it comes back.
ALTER TABLE call_segments ADD COLUMN heartbeat_at BIGINT;

-- Money a live call has set aside from its account's prepaid balance for its open segment
-- (debit intervals ahead); released when the segment is charged. Available = balance - reserved.
CREATE TABLE call_reservations (
    call_sid     VARCHAR(34)    PRIMARY KEY,
    account_sid  VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    amount       DECIMAL(20, 6) NOT NULL,
    node_id      VARCHAR(128)   NOT NULL,
    updated_at   BIGINT         NOT NULL
);
CREATE INDEX call_reservations_account ON call_reservations (account_sid);

-- A cost limit for each call to a number (a call created by REST carries its own MaxPrice).
ALTER TABLE incoming_phone_numbers ADD COLUMN max_price DECIMAL(20, 6);

-- Counted usage (API requests, recording seconds, TTS characters): one row per event, its key
-- the idempotency key; priced by the operator when a period closes (rated_period: which one).
CREATE TABLE usage_events (
    event_key         VARCHAR(160)  PRIMARY KEY,
    account_sid       VARCHAR(34)   NOT NULL REFERENCES accounts (sid),
    meter             VARCHAR(32)   NOT NULL,
    quantity          BIGINT        NOT NULL,
    call_sid          VARCHAR(34),
    module_sid        VARCHAR(34),
    module_owner_sid  VARCHAR(34),
    source            VARCHAR(64)   NOT NULL,
    period            VARCHAR(7)    NOT NULL,
    occurred_at       BIGINT        NOT NULL,
    rated_period      VARCHAR(7)
);
CREATE INDEX usage_events_account_time ON usage_events (account_sid, occurred_at);
CREATE INDEX usage_events_rated ON usage_events (rated_period);

-- Billing periods: charges go to the open period their usage ended in, or the next open one.
CREATE TABLE billing_periods (
    period     VARCHAR(7)  PRIMARY KEY,
    status     VARCHAR(8)  NOT NULL CHECK (status IN ('open', 'closed')),
    closed_at  BIGINT
);

-- What a closed period produced: one invoice per account, one payout per developer (lines as JSON).
CREATE TABLE invoices (
    account_sid  VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    period       VARCHAR(7)     NOT NULL,
    total        DECIMAL(20, 6) NOT NULL,
    lines        TEXT           NOT NULL,
    closed_at    BIGINT         NOT NULL,
    PRIMARY KEY (account_sid, period)
);
CREATE TABLE payouts (
    developer_sid  VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    period         VARCHAR(7)     NOT NULL,
    gross          DECIMAL(20, 6) NOT NULL,
    commission     DECIMAL(20, 6) NOT NULL,
    net            DECIMAL(20, 6) NOT NULL,
    lines          TEXT           NOT NULL,
    closed_at      BIGINT         NOT NULL,
    PRIMARY KEY (developer_sid, period)
);

-- The platform's commission per module or per developer (the subject); the default is configured.
CREATE TABLE commission_rates (
    subject  VARCHAR(34)   PRIMARY KEY,
    rate     DECIMAL(7, 6) NOT NULL CHECK (rate >= 0 AND rate <= 1)
);

-- Auto-recharge: below the threshold, top up to the target through the payment provider.
ALTER TABLE account_billing ADD COLUMN recharge_threshold DECIMAL(20, 6);
ALTER TABLE account_billing ADD COLUMN recharge_target DECIMAL(20, 6);
