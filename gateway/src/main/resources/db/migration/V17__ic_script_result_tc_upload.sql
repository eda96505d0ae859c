-- Issue 18 item 4: IC-card script result notifications (0620) and TC uploads (0320, 60.3 203) are
-- journalled and stored and forwarded like the 0220 advices (docs/posp.md, "IC cards").
alter table posp_transaction drop constraint posp_transaction_kind_check;
alter table posp_transaction add constraint posp_transaction_kind_check check (kind in ('PURCHASE', 'BALANCE', 'VOID',
    'REVERSAL', 'PREAUTH', 'PREAUTH_CANCEL', 'COMPLETION', 'COMPLETION_VOID', 'REFUND', 'OFFLINE', 'ADJUSTMENT',
    'SCRIPT_RESULT', 'TC_UPLOAD'));
