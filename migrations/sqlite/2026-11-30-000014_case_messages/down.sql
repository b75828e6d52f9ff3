DROP TABLE case_messages;
