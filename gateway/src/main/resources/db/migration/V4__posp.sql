-- POSP (issue 6): sign-on state, the transaction journal, the persisted reversal queue, and the
-- PSAM card registry with its terminal bindings. Depends only on V1 (key_record holds the keys).

-- One row per terminal id that signed on at least once: the batch in use and when it signed on.
create table posp_terminal_state (
    tid            varchar(8)  primary key,
    sn             varchar(32) not null,
    batch          varchar(6)  not null check (batch ~ '^[0-9]{6}$'),
    signed_on_date date        not null,            -- in posp.timezone, see docs/posp.md
    signed_on_at   timestamptz not null default now(),
    sign_on_mode   varchar(3)  not null check (sign_on_mode in ('001', '003', '004')),
    key_source     varchar(4)  not null check (key_source in ('TMK', 'PSAM')),
    psam_card      varchar(20)
);

-- Every financial message accepted after its MAC verified. (tid, batch, stan, mti) is unique:
-- a repeat is a duplicate transmission (94). No PAN is stored, only its masked form.
create table posp_transaction (
    id            bigserial primary key,
    tid           varchar(8)  not null,
    batch         varchar(6)  not null,
    stan          varchar(6)  not null,
    mti           varchar(4)  not null,
    kind          varchar(12) not null check (kind in ('PURCHASE', 'BALANCE', 'VOID', 'REVERSAL')),
    amount        bigint      not null default 0,
    pan_masked    varchar(19),
    orig_stan     varchar(6),
    status        varchar(10) not null check (status in ('PENDING', 'APPROVED', 'DECLINED', 'TIMED_OUT', 'REVERSED', 'FAILED')),
    response_code varchar(2),
    rrn           varchar(12),
    auth_code     varchar(6),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    unique (tid, batch, stan, mti)
);

-- Reversals the host has not acknowledged yet: the upstream 0400 (packed, MAC placeholder) is
-- MACed and sent again until a 0410 arrives, across restarts.
create table posp_reversal (
    id              bigserial primary key,
    tid             varchar(8)  not null,
    stan            varchar(6)  not null,
    message         bytea       not null,
    state           varchar(10) not null default 'PENDING' check (state in ('PENDING', 'DELIVERED')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      varchar(64),
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    unique (tid, stan)
);
create index posp_reversal_due on posp_reversal (next_attempt_at) where state = 'PENDING';

-- Issued PSAM cards (the key itself is never stored: it is derived in the HSM from the root).
create table psam_card (
    card_number varchar(20) primary key check (card_number ~ '^[0-9]{1,20}$'),
    station     varchar(64) not null,
    kcv         varchar(16) not null,
    issued_at   timestamptz not null default now()
);

-- The monitoring unit's registry: which card sits in which terminal. History is kept (a binding
-- ends by setting unbound_at); at most one open binding per terminal and per card.
create table psam_binding (
    id          bigserial primary key,
    card_number varchar(20) not null references psam_card (card_number),
    tid         varchar(8)  not null,
    bound_at    timestamptz not null default now(),
    unbound_at  timestamptz,
    actor       varchar(64) not null
);
create unique index psam_binding_open_per_terminal on psam_binding (tid) where unbound_at is null;
create unique index psam_binding_open_per_card on psam_binding (card_number) where unbound_at is null;

-- Every node keeps the open bindings in memory and learns changes by LISTEN posp_psam_binding;
-- the payload is "tid:card" for a new binding and "tid:" for an ended one (sent on commit).
create function psam_binding_notify() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' and new.unbound_at is null then
        perform pg_notify('posp_psam_binding', new.tid || ':' || new.card_number);
    elsif tg_op = 'UPDATE' and old.unbound_at is null and new.unbound_at is not null then
        perform pg_notify('posp_psam_binding', new.tid || ':');
    end if;
    return null;
end $$;
create trigger psam_binding_changed after insert or update on psam_binding
    for each row execute function psam_binding_notify();
