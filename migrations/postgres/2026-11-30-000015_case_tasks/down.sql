DROP TABLE case_tasks;
