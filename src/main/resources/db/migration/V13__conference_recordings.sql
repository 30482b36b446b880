-- A conference's recording (<Conference record="record-from-start">) names its conference; its
-- call_sid is the participant whose Dial asked for it.
ALTER TABLE recordings ADD COLUMN conference_sid VARCHAR(34);
CREATE INDEX recordings_conference ON recordings (conference_sid);
