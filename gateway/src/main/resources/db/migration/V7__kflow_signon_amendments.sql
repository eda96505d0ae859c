-- Issue 13, K-flow and sign-on amendments (docs/kms.md, docs/posp.md, docs/security.md).

-- The TK block is opened once (ZI, an RSA private-key operation): TEK and AUK are then kept here
-- under the LMK (never clear), so a later K2 for the serial costs no RSA operation. A replaced TK
-- (repair authorisation) clears them with the block they came from.
alter table kms_transmission_key
    add column tek_lmk text,
    add column auk_lmk text;

-- Sign-on grace: a sign-on (unauthenticated by design) keeps the working keys the terminal last
-- proved it holds as the grace set, valid for MAC verification and PIN translation until
-- grace_until or until a request verifies under the new keys (keys_used). keys_used is true once
-- the current ACTIVE set verified a request; rows that exist now are taken as used.
alter table posp_terminal_state
    add column grace_pik   text,
    add column grace_mak   text,
    add column grace_until timestamptz,
    add column keys_used   boolean not null default true;
