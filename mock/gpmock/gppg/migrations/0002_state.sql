-- The state of each server instance other than its posts, as one
-- document (cabinets, users, and every entity the server adds).
CREATE TABLE gospubliki_state (
    instance   text        PRIMARY KEY,
    doc        jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
