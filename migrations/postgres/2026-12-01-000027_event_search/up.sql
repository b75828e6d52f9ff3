-- Events in search (search::events): each event's title (weight A) and description as the
-- analyzer gives them, written with the event's text. Events are few, so both engines search
-- them here (Meilisearch holds posts only); visibility (the event's category) is checked
-- against the live tables when searching. `tertulia search reindex` fills it.
CREATE TABLE event_search (
    event_id BIGINT PRIMARY KEY REFERENCES events(id),
    terms TSVECTOR NOT NULL
);
CREATE INDEX event_search_terms ON event_search USING GIN (terms);
