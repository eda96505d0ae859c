-- Key-loading authorisations (issue 13, docs/kms.md "Loading authorisations"). Depends on V1 only.

-- Permission for one L2 for one serial: opened by one card holder, approved by another (dual
-- control), valid until expires_at, consumed by the L2 that issues the TMK in the same
-- transaction. Signers are recorded by certificate serial and subject; the signed statements are
-- kept as evidence.
create table loading_authorisation (
    id                 uuid primary key,
    sn                 varchar(32) not null check (length(sn) between 1 and 32),
    state              varchar(10) not null check (state in ('OPEN', 'APPROVED', 'CONSUMED', 'REVOKED')),
    opened_by_serial   varchar(64) not null,
    opened_by_subject  text not null,
    opened_statement   bytea not null,
    opened_at          timestamptz not null default now(),
    expires_at         timestamptz not null,
    approved_by_serial varchar(64),
    approved_by_subject text,
    approved_statement bytea,
    approved_at        timestamptz,
    consumed_at        timestamptz,
    revoked_at         timestamptz,
    check (state = 'OPEN' or state = 'REVOKED' or approved_by_serial is not null)
);
create index loading_authorisation_usable on loading_authorisation (sn, expires_at) where state = 'APPROVED';
