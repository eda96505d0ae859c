-- Crash recovery of forwarded messages (docs/posp.md): the reversal the gateway owes the host if
-- its process dies after forwarding a message and before the answer or the timeout. Written with
-- the journal row (no extra round trip), cleared when the row is closed; a row still PENDING long
-- after any live node would have closed it gets this reversal queued.
alter table posp_transaction add column reversal bytea;
create index posp_transaction_open on posp_transaction (updated_at) where status = 'PENDING';
