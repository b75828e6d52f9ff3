DROP TABLE case_arbitrations;
