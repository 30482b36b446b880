-- Which call progress events a status callback receives (space-separated: initiated ringing answered completed).
ALTER TABLE incoming_phone_numbers ADD COLUMN status_callback_events VARCHAR(64) DEFAULT 'completed' NOT NULL;
ALTER TABLE applications ADD COLUMN status_callback_events VARCHAR(64) DEFAULT 'completed' NOT NULL;
