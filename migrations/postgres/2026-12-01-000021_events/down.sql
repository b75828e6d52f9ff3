DROP TABLE event_rsvps;
DROP TABLE event_occurrences;
DROP TABLE event_hosts;
DROP TABLE events;
