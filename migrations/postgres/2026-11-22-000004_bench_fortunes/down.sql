DROP TABLE fortunes;
