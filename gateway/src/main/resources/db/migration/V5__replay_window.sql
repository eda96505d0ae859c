-- Randoms terminals have used, per flow, shared by every gateway node, so a replay sent to
-- another node behind the load balancer is still refused (docs/security.md, "Replay").
--   kms: K2 Rnd1 per serial, kept (TMK downloads are rare; a Rnd1 is never valid twice);
--   tms: H1 T_DATA random per serial, dropped once a T_DATA carrying it could no longer pass
--        the clock-skew check (2 x tms.clock.skew.seconds after it was seen).
create table replay_window (
    flow    varchar(8)  not null,
    owner   varchar(32) not null,
    rnd     bytea       not null,
    seen_at timestamptz not null default now(),
    primary key (flow, owner, rnd)
);
create index replay_window_age on replay_window (flow, seen_at);

insert into replay_window (flow, owner, rnd, seen_at) select 'kms', sn, rnd, seen_at from kms_random_seen;
drop table kms_random_seen;
