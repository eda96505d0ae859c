-- Issue 17 item 3: a terminal's key algorithm (protocol.md section 5). TDES: the installed base;
-- SM4: an SM4 TMK, SM4 working keys in field 62 (003/004 layouts), the UnionPay SM4 POS MAC and
-- the SM4 PIN block. Changed by an operator (PATCH /api/terminals/{tid}, audited); a change retires
-- the terminal's TMK and working keys (docs/posp.md, "SM4 terminals").
alter table terminal add column key_algorithm varchar(4) not null default 'TDES'
    check (key_algorithm in ('TDES', 'SM4'));
