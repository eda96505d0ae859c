-- KMS (issue 4, docs/kms.md). Depends on V1 only.

-- RSA identities of the KMS and of each acquirer's remote key loader: the certificate and the
-- private key under the HSM's LMK (generated in the HSM with EI, never clear outside it).
create table kms_identity (
    name            varchar(64) primary key,
    certificate     bytea not null,
    private_key_lmk text  not null,
    created_at      timestamptz not null default now()
);

-- Factory batches accepted from the operator terminal (both signers recorded by serial).
create table kms_batch (
    id                   bigserial primary key,
    production_order     varchar(64) not null,
    operator_serial      varchar(64) not null,
    administrator_serial varchar(64) not null,
    terminals            integer not null,
    received_at          timestamptz not null default now()
);

-- The SN-Key table: SN -> Ctk_Pu (TK block RSA-OAEP encrypted under the KMS public key; the gateway
-- cannot read it, only the HSM can). One TK per SN; a replacement needs a repair authorisation.
create table kms_transmission_key (
    sn               varchar(32) primary key check (length(sn) between 1 and 32),
    sn_pinpad        varchar(32),
    tk_block         bytea not null,
    batch_id         bigint not null references kms_batch (id),
    version          integer not null default 1,
    stored_at        timestamptz not null default now()
);

-- An administrator's permission to replace the TK of one SN (a repaired PIN pad), used once.
create table kms_repair_authorisation (
    id            bigserial primary key,
    sn            varchar(32) not null,
    authorised_by varchar(64) not null,
    reason        varchar(256) not null,
    created_at    timestamptz not null default now(),
    used_at       timestamptz,
    used_by_batch bigint references kms_batch (id)
);
create index kms_repair_open on kms_repair_authorisation (sn) where used_at is null;

-- Revoked certificates of the posgate CA (operator/administrator cards, KMS), by hex serial.
create table kms_revoked_certificate (
    serial     varchar(64) primary key,
    reason     varchar(128) not null,
    revoked_at timestamptz not null default now()
);

-- Rnd1 values already used by a serial in K2: a replayed K2 is a security violation (63).
create table kms_random_seen (
    sn      varchar(32) not null,
    rnd     bytea not null,
    seen_at timestamptz not null default now(),
    primary key (sn, rnd)
);
