-- The pre-authorisation family (issue 18, docs/posp.md "Pre-authorisation"): pre-auth (0100,
-- 60.1 10), pre-auth cancel (0100, 11), completion (0200, 20) and completion void (0200, 21).
-- Each row names the row it acts on (orig_id: a cancel and a completion their pre-auth, a
-- completion void its completion); a pre-auth moves APPROVED -> COMPLETED / CANCELLED and back.
alter table posp_transaction add column orig_id bigint references posp_transaction (id);
create index posp_transaction_orig on posp_transaction (orig_id) where orig_id is not null;

alter table posp_transaction alter column kind type varchar(16);
alter table posp_transaction drop constraint posp_transaction_kind_check;
alter table posp_transaction add constraint posp_transaction_kind_check check (kind in ('PURCHASE', 'BALANCE', 'VOID',
    'REVERSAL', 'PREAUTH', 'PREAUTH_CANCEL', 'COMPLETION', 'COMPLETION_VOID'));
alter table posp_transaction drop constraint posp_transaction_status_check;
alter table posp_transaction add constraint posp_transaction_status_check check (status in ('PENDING', 'APPROVED', 'DECLINED',
    'TIMED_OUT', 'REVERSED', 'FAILED', 'COMPLETED', 'CANCELLED'));
