-- Usage plans: how a module's (or an operational mode's) time in control is priced. The row holds
-- the version in force; every saved definition is kept, because an installation agreed to one.
CREATE TABLE usage_plans (
    sid             VARCHAR(34)    PRIMARY KEY,
    account_sid     VARCHAR(34)    NOT NULL REFERENCES accounts (sid),
    friendly_name   VARCHAR(256)   NOT NULL,
    version         INTEGER        NOT NULL,
    date_created    BIGINT         NOT NULL,
    date_updated    BIGINT         NOT NULL
);
CREATE INDEX usage_plans_account ON usage_plans (account_sid);

CREATE TABLE usage_plan_versions (
    plan_sid        VARCHAR(34)    NOT NULL REFERENCES usage_plans (sid),
    version         INTEGER        NOT NULL,
    definition      VARCHAR(16000) NOT NULL,
    date_created    BIGINT         NOT NULL,
    PRIMARY KEY (plan_sid, version)
);

-- The plan version in force when an account installed a module: what it agreed to.
ALTER TABLE installations ADD COLUMN usage_plan_version INTEGER;
