-- Issue 14 item 7: the acquirer's IC-card parameters (one row per AID) and EMV CA public keys (one
-- row per RID and index), each as the TLV body terminals download over 0800/0810 (60.3 380/370) and
-- its check hash: for a CA key the EMV SHA-1 over RID, index, modulus and exponent (tag DF03), for
-- an AID the SHA-1 of its TLV body. Loaded by an operator as a whole set (docs/posp.md).
create table ic_parameter (
    kind       varchar(4)  not null check (kind in ('AID', 'CAPK')),
    entry_key  varchar(40) not null,
    tlv        bytea       not null,
    check_hash varchar(40) not null,
    position   integer     not null,
    loaded_at  timestamptz not null default now(),
    primary key (kind, entry_key)
);

-- The set each terminal confirmed with download end (60.3 381/371): the set hash it had then. A
-- terminal whose hash differs from the current set's is behind.
create table ic_terminal_status (
    tid          varchar(8)  not null,
    kind         varchar(4)  not null check (kind in ('AID', 'CAPK')),
    set_hash     varchar(40) not null,
    confirmed_at timestamptz not null default now(),
    primary key (tid, kind)
);
