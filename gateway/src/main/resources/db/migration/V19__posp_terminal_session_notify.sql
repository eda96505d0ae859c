-- Issue 19: every node keeps its terminals' sign-on state (registration, batch, sign-on day,
-- active PIK/MAK, grace set) in memory, so a purchase needs no query to learn its keys. A change
-- to any of it notifies posp_terminal_session with the terminal's TID (sent on commit; several
-- changes of one TID in one transaction are delivered once), and every node drops its copy; the
-- same LISTEN connection as posp_psam_binding (V4) hears it. Working keys are owned by the
-- terminal's SN: the key trigger notifies the TID registered with that SN.
create function posp_terminal_session_notify() returns trigger language plpgsql as $$
begin
    if tg_table_name = 'key_record' then
        if tg_op <> 'INSERT' and old.owner_type = 'TERMINAL' and old.key_type in ('PIK', 'MAK') then
            perform pg_notify('posp_terminal_session', t.tid) from terminal t where t.sn = old.owner_id;
        end if;
        if tg_op <> 'DELETE' and new.owner_type = 'TERMINAL' and new.key_type in ('PIK', 'MAK') then
            perform pg_notify('posp_terminal_session', t.tid) from terminal t where t.sn = new.owner_id;
        end if;
    else
        if tg_op <> 'INSERT' then
            perform pg_notify('posp_terminal_session', old.tid);
        end if;
        if tg_op <> 'DELETE' then
            perform pg_notify('posp_terminal_session', new.tid);
        end if;
    end if;
    return null;
end $$;
create trigger terminal_session_changed after insert or update or delete on terminal
    for each row execute function posp_terminal_session_notify();
create trigger posp_terminal_state_session_changed after insert or update or delete on posp_terminal_state
    for each row execute function posp_terminal_session_notify();
create trigger key_record_session_changed after insert or update or delete on key_record
    for each row execute function posp_terminal_session_notify();
