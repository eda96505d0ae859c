-- TMS (issue 5): the PostgreSQL package repository, targeting by terminal group and per-terminal
-- rollout status. Self-contained: depends only on V1 (DMKs live in key_record, type DMK).

-- One published package: versions per vendor and model ('*' = every model of the vendor).
create table tms_package (
    id          bigserial primary key,
    vendor      varchar(16) not null,
    model       varchar(16) not null default '*',
    name        varchar(32) not null,
    version     varchar(16) not null,
    kind        smallint    not null check (kind between 1 and 3),
    size        bigint      not null check (size between 0 and 4294967295),
    sha256      varchar(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
    chunk_size  integer     not null check (chunk_size > 0),
    created_at  timestamptz not null default now(),
    unique (vendor, model, name, version)
);

-- The package bytes in fixed-size chunks (the last one may be shorter).
create table tms_package_chunk (
    package_id  bigint  not null references tms_package (id) on delete cascade,
    seq         integer not null check (seq >= 0),
    data        bytea   not null,
    primary key (package_id, seq)
);

-- Terminal groups by serial; every terminal is implicitly in group '*'.
create table tms_terminal_group (
    sn          varchar(32) not null,
    group_name  varchar(32) not null,
    primary key (sn, group_name)
);

-- Which groups a package is offered to.
create table tms_target (
    package_id  bigint      not null references tms_package (id) on delete cascade,
    group_name  varchar(32) not null,
    created_at  timestamptz not null default now(),
    primary key (package_id, group_name)
);

-- Rollout status per terminal and package version, whatever repository served it.
create table tms_rollout (
    sn          varchar(32) not null,
    vendor      varchar(16) not null,
    name        varchar(32) not null,
    version     varchar(16) not null,
    status      varchar(12) not null check (status in ('OFFERED', 'DOWNLOADING', 'DOWNLOADED', 'INSTALLED', 'FAILED')),
    result      smallint,
    updated_at  timestamptz not null default now(),
    primary key (sn, vendor, name, version)
);
create index tms_rollout_package on tms_rollout (vendor, name, version);
