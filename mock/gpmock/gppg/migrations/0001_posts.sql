-- Posts: the JSON document the server reads, and the columns its lists
-- filter and sort on. One table serves every server instance.
CREATE TABLE gospubliki_posts (
    instance    text        NOT NULL,
    id          bigint      NOT NULL,
    cabinet_id  bigint      NOT NULL,
    status      text        NOT NULL,
    urgency     text        NOT NULL,
    targets     text[]      NOT NULL,
    -- created_at holds the creation time to the microsecond, created_ns
    -- the nanoseconds below it, so that period filters are exact.
    created_at  timestamptz NOT NULL,
    created_ns  integer     NOT NULL,
    doc         jsonb       NOT NULL,
    PRIMARY KEY (instance, id)
);

CREATE INDEX gospubliki_posts_cabinet ON gospubliki_posts (instance, cabinet_id, id DESC);
CREATE INDEX gospubliki_posts_status ON gospubliki_posts (instance, cabinet_id, status, id DESC);
CREATE INDEX gospubliki_posts_urgency ON gospubliki_posts (instance, cabinet_id, urgency, id DESC);
CREATE INDEX gospubliki_posts_created ON gospubliki_posts (instance, cabinet_id, created_at, created_ns);
CREATE INDEX gospubliki_posts_targets ON gospubliki_posts USING gin (targets);
