-- Events in search (search::events): each event's title and description as the analyzer gives
-- them, rowid the event's id, written with the event's text. Events are few, so both engines
-- search them here (Meilisearch holds posts only); visibility (the event's category) is
-- checked against the live tables when searching. `tertulia search reindex` fills it.
CREATE VIRTUAL TABLE event_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
