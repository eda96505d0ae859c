-- Runs after every migration (Flyway callback), as the schema owner: the gateway's own role may
-- read and write its tables but only append to and read the audit trail (docs/security.md).
-- Roles are cluster-wide: created once if missing, tolerating a concurrent creator. Where the
-- owner may not create roles, create it beforehand (docs/operations.md).
do $$
begin
    if not exists (select from pg_roles where rolname = '${appRole}') then
        create role ${appRole} login;
    end if;
exception when duplicate_object or unique_violation then
    null;
end $$;

grant usage on schema public to ${appRole};
grant select, insert, update, delete on all tables in schema public to ${appRole};
grant usage, select on all sequences in schema public to ${appRole};
revoke update, delete, truncate, references, trigger on audit_log from ${appRole};
revoke insert, update, delete on flyway_schema_history from ${appRole};
