-- Each book's balance, kept in the same transaction as its entries (billing verify checks that it
-- equals their sum), and how each account pays: postpaid (the default, with an optional credit
-- limit) or prepaid (spends a balance that top-ups fill).
CREATE TABLE book_balances (
    book      VARCHAR(64)    PRIMARY KEY,
    balance   DECIMAL(20, 6) NOT NULL
);

CREATE TABLE account_billing (
    account_sid   VARCHAR(34)    PRIMARY KEY REFERENCES accounts (sid),
    kind          VARCHAR(16)    NOT NULL CHECK (kind IN ('prepaid', 'postpaid')),
    credit_limit  DECIMAL(20, 6)
);
