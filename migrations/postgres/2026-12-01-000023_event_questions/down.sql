DROP TABLE event_question_votes;
DROP TABLE event_questions;
