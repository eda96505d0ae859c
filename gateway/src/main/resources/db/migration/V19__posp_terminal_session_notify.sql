-- Issue 19: every node keeps its terminals' sign-on state (registration, batch, sign-on day,
-- active PIK/MAK, grace set) in memory, so a purchase needs no query to learn its keys. A change
-- to any of it notifies posp_terminal_session (sent on commit; the same payload twice in one
-- transaction is delivered once), and every node drops its copy; the same LISTEN connection as
-- posp_psam_binding (V4) hears it. The payload is the terminal's TID, or "sn:" and its SN for a
-- working key (owned by the SN; no lookup here, the nodes know which TID has that SN).
create function posp_terminal_session_notify() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform pg_notify('posp_terminal_session', old.tid);
    end if;
    if tg_op <> 'DELETE' then
        perform pg_notify('posp_terminal_session', new.tid);
    end if;
    return null;
end $$;
create trigger terminal_session_changed after insert or update or delete on terminal
    for each row execute function posp_terminal_session_notify();
create trigger posp_terminal_state_session_changed after insert or update or delete on posp_terminal_state
    for each row execute function posp_terminal_session_notify();

create function posp_terminal_key_notify() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('posp_terminal_session', 'sn:' || old.owner_id);
    else
        perform pg_notify('posp_terminal_session', 'sn:' || new.owner_id);
    end if;
    return null;
end $$;
create trigger key_record_session_changed after insert or update on key_record
    for each row when (new.owner_type = 'TERMINAL' and new.key_type in ('PIK', 'MAK'))
    execute function posp_terminal_key_notify();
create trigger key_record_session_deleted after delete on key_record
    for each row when (old.owner_type = 'TERMINAL' and old.key_type in ('PIK', 'MAK'))
    execute function posp_terminal_key_notify();
