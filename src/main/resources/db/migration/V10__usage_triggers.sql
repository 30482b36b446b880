-- Twilio's usage triggers: a webhook when an account's usage in a category crosses a value,
-- once per recurring period (or once ever). fired_period makes firing idempotent across nodes.
CREATE TABLE usage_triggers (
    sid              VARCHAR(34)    PRIMARY KEY,
    account_sid      VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    friendly_name    VARCHAR(256)   NOT NULL,
    usage_category   VARCHAR(64)    NOT NULL,
    trigger_by       VARCHAR(8)     NOT NULL CHECK (trigger_by IN ('count', 'usage', 'price')),
    trigger_value    DECIMAL(20, 6) NOT NULL,
    recurring        VARCHAR(8)     NOT NULL CHECK (recurring IN ('', 'daily', 'monthly', 'yearly', 'alltime')),
    callback_url     VARCHAR(2048)  NOT NULL,
    callback_method  VARCHAR(8)     NOT NULL,
    current_value    DECIMAL(20, 6),
    fired_period     VARCHAR(16),
    date_fired       BIGINT,
    date_created     BIGINT         NOT NULL,
    date_updated     BIGINT         NOT NULL
);
CREATE INDEX usage_triggers_account ON usage_triggers (account_sid);
