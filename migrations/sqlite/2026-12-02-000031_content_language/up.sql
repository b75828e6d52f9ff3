-- The language a post is written in (ISO 639-1, detected from its text or taken from its
-- author's setting; NULL for posts written before this, which inherit the page's language),
-- and a thread's title's (its opening post's): pages mark them with `lang` so that a screen
-- reader reads a Spanish post on an English page in Spanish.
ALTER TABLE posts ADD COLUMN lang TEXT;
ALTER TABLE threads ADD COLUMN lang TEXT;
