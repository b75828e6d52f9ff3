DROP TABLE rule_acceptances;
DROP TABLE rule_versions;
DROP TABLE rules;
