-- The database search engine's index (search::index): each post's words as the analyzer gives
-- them (folded, stemmed in Spanish and English; the 'simple' configuration keeps them as they
-- are), the title's at weight A so it ranks first. Written with the post's text; visibility is
-- checked against posts, threads and categories when searching. `tertulia search reindex` fills
-- it for posts written before.
CREATE TABLE post_search (
    post_id BIGINT PRIMARY KEY REFERENCES posts(id),
    terms TSVECTOR NOT NULL
);
CREATE INDEX post_search_terms ON post_search USING GIN (terms);
