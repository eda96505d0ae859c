-- Issue 14: a terminal's profile for the 003/004 sign-on layout, and what it says about itself.
-- mak_length SINGLE: field 62 carries a single-length MAK in the 40/60-byte layout (8 key bytes,
-- 8 zero bytes, KCV; protocol.md 2.1) and its MACs are single-DES UnionPay ECB MACs.
alter table terminal add column mak_length varchar(6) not null default 'DOUBLE'
    check (mak_length in ('DOUBLE', 'SINGLE'));

-- Field 46 (terminal hardware/software information) as last sent, GBK-decoded and bounded for
-- display; written only when it changes (docs/posp.md, "Terminal information").
alter table terminal add column terminal_info varchar(256);
alter table terminal add column terminal_info_at timestamptz;
