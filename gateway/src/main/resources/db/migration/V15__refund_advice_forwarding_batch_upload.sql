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

-- Batch settlement with batch upload (issue 18 item 3, docs/posp.md "Batch upload"): the result
-- of each terminal's settlement per batch and, after an out-of-balance one, the transactions the
-- terminal uploads (0320) and the reconciliation made at the end of the upload.
create table posp_batch_settlement (
    tid             varchar(8)  not null,
    batch           varchar(6)  not null,
    terminal_totals varchar(30) not null,   -- field 48 of the 0500 (BatchTotals digits)
    gateway_totals  varchar(30) not null,   -- the journal's
    in_balance      boolean     not null,
    host_code       varchar(2),
    state           varchar(10) not null check (state in ('BALANCED', 'UPLOADING', 'RECONCILED')),
    declared        integer,                -- the end of upload's count
    uploaded        integer,
    matched         integer,                -- same STAN and amount in the upload and the journal
    amount_differs  integer,                -- same STAN, other amount
    only_terminal   integer,                -- uploaded, not an approved journal row
    only_gateway    integer,                -- approved in the journal, not uploaded
    settled_at      timestamptz not null default now(),
    reconciled_at   timestamptz,
    primary key (tid, batch)
);

create table posp_batch_upload (
    tid         varchar(8)  not null,
    batch       varchar(6)  not null,
    stan        varchar(6)  not null,        -- the uploaded transaction's STAN
    type_code   varchar(2)  not null,        -- its 60.1
    pan_masked  varchar(19),
    amount      bigint      not null,
    upload_stan varchar(6)  not null,        -- the 0320 that carried it
    received_at timestamptz not null default now(),
    primary key (tid, batch, stan)
);
