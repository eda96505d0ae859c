-- Stored advices encrypted at rest (docs/posp.md, "Stored advices at rest"): the packed upstream
-- 0220 in posp_transaction.advice (an offline settlement's carries the full PAN) is written only
-- TDES-CBC encrypted by the HSM under the advice DEK, a key_record key (SYSTEM / posp / ADVDEK)
-- held under the LMK. Each row names the key version it was sealed under, so the DEK can be rotated
-- while older rows still open, and its random IV.
alter table posp_transaction add column advice_key_id bigint references key_record (id);
alter table posp_transaction add column advice_iv bytea;

-- A stored advice always names its key: nothing written from now on can be clear. NOT VALID: rows
-- a gateway before V16 stored in clear are sealed at start-up (AdviceVault#sealStoredInClear).
alter table posp_transaction add constraint posp_transaction_advice_sealed
    check (advice is null or (advice_key_id is not null and advice_iv is not null)) not valid;
