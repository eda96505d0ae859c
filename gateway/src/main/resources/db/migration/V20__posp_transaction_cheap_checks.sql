-- Issue 19: PostgreSQL rebuilds a table's CHECK constraints from their stored expression trees on
-- every INSERT and UPDATE (stringToNode, then constant folding), once per statement. The kind and
-- status lists of posp_transaction (13 and 9 literals, each an array of constants to coerce) cost
-- about a quarter of PostgreSQL's CPU per purchase (docs/benchmarks.md). The same lists move into
-- two functions: each constraint's tree is now one call, and a function's own expression is
-- prepared once per connection. What is allowed is unchanged; a NULL still passes the CHECK (and
-- NOT NULL refuses it), as an IN list does.
create function posp_transaction_kind_valid(kind varchar) returns boolean language plpgsql immutable strict as $$
begin
    return kind in ('PURCHASE', 'BALANCE', 'VOID', 'REVERSAL', 'PREAUTH', 'PREAUTH_CANCEL', 'COMPLETION',
        'COMPLETION_VOID', 'REFUND', 'OFFLINE', 'ADJUSTMENT', 'SCRIPT_RESULT', 'TC_UPLOAD');
end $$;

create function posp_transaction_status_valid(status varchar) returns boolean language plpgsql immutable strict as $$
begin
    return status in ('PENDING', 'APPROVED', 'DECLINED', 'TIMED_OUT', 'REVERSED', 'FAILED', 'COMPLETED', 'CANCELLED',
        'ADJUSTED');
end $$;

alter table posp_transaction drop constraint posp_transaction_kind_check,
    add constraint posp_transaction_kind_check check (posp_transaction_kind_valid(kind)),
    drop constraint posp_transaction_status_check,
    add constraint posp_transaction_status_check check (posp_transaction_status_valid(status));
