DROP TABLE evidence_snapshots;
DROP TABLE reports;
DROP TABLE review_items;
