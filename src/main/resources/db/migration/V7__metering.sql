-- Metering: one charge per closed segment (the segment's SID is the idempotency key), the
-- account's usage per plan and period (the context tiers and allowances count in), and the
-- call's price (the sum of its charges).
CREATE TABLE segment_charges (
    segment_sid       VARCHAR(34)    PRIMARY KEY,
    call_sid          VARCHAR(34)    NOT NULL,
    account_sid       VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    seq               INTEGER        NOT NULL,
    mode              VARCHAR(16)    NOT NULL,
    module            VARCHAR(2048)  NOT NULL,
    module_sid        VARCHAR(34),
    module_owner_sid  VARCHAR(34),
    plan_key          VARCHAR(64)    NOT NULL,
    plan_version      INTEGER,
    period            VARCHAR(7)     NOT NULL,
    duration_ms       BIGINT         NOT NULL,
    billed_seconds    BIGINT         NOT NULL,
    included_seconds  BIGINT         NOT NULL,
    unit_price        DECIMAL(24, 12) NOT NULL,
    unit_seconds      BIGINT         NOT NULL,
    amount            DECIMAL(20, 6) NOT NULL,
    currency          VARCHAR(3)     NOT NULL,
    date_created      BIGINT         NOT NULL
);
CREATE INDEX segment_charges_call ON segment_charges (call_sid);
CREATE INDEX segment_charges_account_period ON segment_charges (account_sid, period);

-- Running usage per account, plan and period; its row lock orders concurrent ratings.
CREATE TABLE usage_counters (
    account_sid  VARCHAR(34)  NOT NULL,
    plan_key     VARCHAR(64)  NOT NULL,
    period       VARCHAR(7)   NOT NULL,
    seconds      BIGINT       NOT NULL,
    uses         BIGINT       NOT NULL,
    PRIMARY KEY (account_sid, plan_key, period)
);

ALTER TABLE calls ADD COLUMN price DECIMAL(20, 6);
