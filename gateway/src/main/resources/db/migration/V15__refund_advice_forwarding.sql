-- Refund, offline settlement and settlement adjustments (issue 18 item 2, docs/posp.md "Refunds,
-- offline settlement and adjustments"): 0220 advices the gateway accepts durably, answers, and
-- forwards to the host with retries until a 0230 acknowledges them (store and forward).

-- What has been refunded of a purchase or completion so far. The refund cap is this constraint
-- plus the single-row update that raises it (TransactionJournal#accept): never above the amount.
alter table posp_transaction add column refunded bigint not null default 0;
alter table posp_transaction add constraint posp_transaction_refund_cap check (refunded >= 0 and refunded <= amount);

-- The forward state of an accepted advice: the packed upstream 0220 (MAC placeholder, no PAN
-- beyond field 2, no PIN) while QUEUED; DELIVERED with the host's code once a genuine 0230 came.
alter table posp_transaction add column advice bytea;
alter table posp_transaction add column advice_state varchar(10) check (advice_state in ('QUEUED', 'DELIVERED'));
alter table posp_transaction add column advice_attempts integer not null default 0;
alter table posp_transaction add column advice_next_at timestamptz;
alter table posp_transaction add column advice_code varchar(2);
alter table posp_transaction add column advice_error varchar(64);
alter table posp_transaction add column advice_delivered_at timestamptz;
create index posp_transaction_advice_due on posp_transaction (advice_next_at) where advice_state = 'QUEUED';

alter table posp_transaction drop constraint posp_transaction_kind_check;
alter table posp_transaction add constraint posp_transaction_kind_check check (kind in ('PURCHASE', 'BALANCE', 'VOID',
    'REVERSAL', 'PREAUTH', 'PREAUTH_CANCEL', 'COMPLETION', 'COMPLETION_VOID', 'REFUND', 'OFFLINE', 'ADJUSTMENT'));
alter table posp_transaction drop constraint posp_transaction_status_check;
alter table posp_transaction add constraint posp_transaction_status_check check (status in ('PENDING', 'APPROVED', 'DECLINED',
    'TIMED_OUT', 'REVERSED', 'FAILED', 'COMPLETED', 'CANCELLED', 'ADJUSTED'));
