DROP TABLE event_search;
