-- Terminals known to the gateway. TID/MID identify the terminal on the POS (ISO8583) side,
-- SN on the TMS/KMS side; both are unique.
create table terminal (
    id          bigserial primary key,
    tid         varchar(8)  not null unique check (length(tid) = 8),
    mid         varchar(15) not null check (length(mid) = 15),
    sn          varchar(32) not null unique check (length(sn) between 1 and 32),
    sn_pinpad   varchar(32),
    vendor      varchar(16) not null,
    model       varchar(16) not null,
    key_scheme  varchar(4)  not null check (key_scheme in ('TMK', 'PSAM')),
    mac_algorithm varchar(8) not null default 'ECB' check (mac_algorithm in ('ECB', 'X919')),
    status      varchar(12) not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED', 'RETIRED')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- Every key the gateway holds, always encrypted under the HSM's LMK (lmk_value is the
-- HSM's scheme-prefixed hex form). Versions are kept; at most one ACTIVE per slot.
-- PENDING: issued but not yet confirmed by the terminal (e.g. a TMK before K4/L3).
create table key_record (
    id           bigserial primary key,
    owner_type   varchar(16) not null check (owner_type in ('TERMINAL', 'PSAM', 'ZONE', 'SYSTEM')),
    owner_id     varchar(64) not null,
    key_type     varchar(8)  not null,
    key_index    smallint    not null default 0,
    version      integer     not null check (version > 0),
    lmk_value    varchar(4096) not null,
    kcv          varchar(16) not null,
    state        varchar(10) not null check (state in ('PENDING', 'ACTIVE', 'RETIRED')),
    created_at   timestamptz not null default now(),
    activated_at timestamptz,
    retired_at   timestamptz,
    unique (owner_type, owner_id, key_type, key_index, version)
);
create unique index key_record_one_active
    on key_record (owner_type, owner_id, key_type, key_index) where state = 'ACTIVE';

-- Append-only audit trail: who did what to which subject, and the result.
create table audit_log (
    id       bigserial primary key,
    at       timestamptz not null default now(),
    actor    varchar(64) not null,
    action   varchar(64) not null,
    subject  varchar(64),
    result   varchar(16) not null,
    detail   jsonb
);
create index audit_log_subject on audit_log (subject, at);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only (% refused)', tg_op;
end $$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
