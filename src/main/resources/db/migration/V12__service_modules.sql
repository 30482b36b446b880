-- Service modules: provided logic (a phone tree, a survey) configured by a JSON document that the
-- service validates on save; the module's inlet is service:<name>.
ALTER TABLE modules ADD COLUMN configuration TEXT;

-- The survey service's answers: one per call, survey module and question.
CREATE TABLE survey_answers (
    call_sid      VARCHAR(34)  NOT NULL,
    module_sid    VARCHAR(34)  NOT NULL,
    account_sid   VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    question      VARCHAR(64)  NOT NULL,
    answer        VARCHAR(32)  NOT NULL,
    answered_at   BIGINT       NOT NULL,
    PRIMARY KEY (call_sid, module_sid, question)
);
CREATE INDEX survey_answers_module ON survey_answers (module_sid, answered_at);
