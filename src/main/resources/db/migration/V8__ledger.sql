-- The ledger: double-entry and append-only. Every transaction's entries sum to zero; balances are
-- sums of entries. A book is 'customer:<AccountSid>', 'developer:<AccountSid>' or 'platform:revenue'.
-- reference is the idempotency key (a charged segment's SID for charges; sub:<account>:<module>:<month>
-- for a subscription).
CREATE TABLE ledger_transactions (
    sid            VARCHAR(34)    PRIMARY KEY,
    kind           VARCHAR(16)    NOT NULL CHECK (kind IN ('charge', 'subscription', 'topup', 'refund', 'reversal')),
    reference      VARCHAR(128)   NOT NULL UNIQUE,
    account_sid    VARCHAR(34)    NOT NULL,
    call_sid       VARCHAR(34),
    module_sid     VARCHAR(34),
    period         VARCHAR(7)     NOT NULL,
    date_created   BIGINT         NOT NULL
);
CREATE INDEX ledger_transactions_account ON ledger_transactions (account_sid, date_created);

CREATE TABLE ledger_entries (
    transaction_sid  VARCHAR(34)    NOT NULL REFERENCES ledger_transactions (sid),
    book             VARCHAR(64)    NOT NULL,
    amount           DECIMAL(20, 6) NOT NULL,
    currency         VARCHAR(3)     NOT NULL,
    PRIMARY KEY (transaction_sid, book)
);
CREATE INDEX ledger_entries_book ON ledger_entries (book);
