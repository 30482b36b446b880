-- A node's sign of life is one row, stamped every heartbeat, instead of a stamp on each of its open
-- segments (thousands of rows rewritten every interval, contending with the calls' own writes).
-- A segment left open by a node that died lasted until the node's last heartbeat, or ended at
-- its start when it opened after that.
CREATE TABLE node_heartbeats (
    node_id       VARCHAR(128)  PRIMARY KEY,
    heartbeat_at  BIGINT        NOT NULL
);
INSERT INTO node_heartbeats (node_id, heartbeat_at)
    SELECT node_id, MAX(heartbeat_at) FROM call_segments WHERE ended_at IS NULL AND heartbeat_at IS NOT NULL GROUP BY node_id;
ALTER TABLE call_segments DROP COLUMN heartbeat_at;
