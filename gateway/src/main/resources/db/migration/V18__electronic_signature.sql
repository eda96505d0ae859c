-- Electronic signature upload (issue 18 item 5, docs/posp.md "Electronic signature upload"): the
-- cardholder's signature of an approved card transaction, a JBIG image the terminal sends in one or
-- more 0820 (60.1 07, 60.3 800), kept with its journal row for operators (disputes); not forwarded.
create table posp_signature (
    transaction_id  bigint      primary key references posp_transaction (id),
    tid             varchar(8)  not null,
    batch           varchar(6)  not null,
    stan            varchar(6)  not null,
    content_type    varchar(32) not null,
    image           bytea       not null check (octet_length(image) <= 1048576),  -- posp.signature.max.bytes below this
    parts           integer     not null check (parts between 1 and 999),         -- the parts the terminal announced
    received        integer     not null check (received between 1 and parts),    -- the parts received, in order
    state           varchar(10) not null check (state in ('RECEIVING', 'COMPLETE')),
    sha256          bytea,                   -- of the whole image, once COMPLETE
    slip            bytea,                   -- field 55 (slip TLVs FF00..) without FF05 expiry and FF0B mobile number
    characteristic  varchar(16),             -- the characteristic code of 15 and 37, as printed on the slip
    received_at     timestamptz not null default now(),
    completed_at    timestamptz,
    check ((state = 'COMPLETE') = (received = parts and sha256 is not null))
);
create index posp_signature_terminal on posp_signature (tid, stan);
