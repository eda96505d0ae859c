-- The gateways connect as posgate_app (DML on their tables, INSERT/SELECT only on audit_log);
-- the schema owner posgate runs the migrations, whose afterMigrate grants the app role its
-- rights (docs/security.md). Change both passwords for anything but a demonstration.
create role posgate_app login password 'posgate-app';
