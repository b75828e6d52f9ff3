-- The database search engine's index (search::index): each post's words as the analyzer gives
-- them (folded, stemmed in Spanish and English), the title's apart so it ranks first; rowid is
-- the post's id. Written with the post's text; visibility is checked against posts, threads and
-- categories when searching. `tertulia search reindex` fills it for posts written before.
CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
