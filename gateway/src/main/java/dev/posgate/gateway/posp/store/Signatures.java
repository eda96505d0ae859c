package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Electronic signatures kept with their journal rows (posp_signature, docs/posp.md "Electronic
 * signature upload"). A part is taken in one database transaction that locks the signature's row:
 * parts in order (a repeat of one received already changes nothing), the image bounded in size,
 * the whole image's SHA-256 recorded when the last part arrives. The image never leaves the
 * database but through {@link #find}.
 */
public final class Signatures {
    /** What became of one part. */
    public enum Outcome {
        /** Kept; more parts to come. */
        PART_KEPT,
        /** The last part: the image is complete. */
        COMPLETE,
        /** A part received already, or the same whole image again: nothing changed. */
        REPEAT,
        /** A whole image other than the one kept (the first one stays). */
        DIFFERENT,
        /** No approved card transaction of the terminal with that batch and STAN (and amount and reference, when sent). */
        NO_ORIGINAL,
        /** A part out of order (a gap), or a part count other than the first part announced. */
        OUT_OF_ORDER,
        /** The image would exceed the configured maximum; the partial upload is dropped. */
        TOO_LARGE
    }

    /** A stored signature, with the journal row it belongs to. */
    public record Stored(long journalId, String tid, String batch, String stan, String mti, String kind, long amount, String panMasked,
            String rrn, String authCode, String contentType, int parts, byte[] sha256, byte[] slip, String characteristic,
            OffsetDateTime receivedAt, OffsetDateTime completedAt, byte[] image) {}

    /** What the terminal said of the original and the part it sends. */
    public record Upload(String tid, String batch, String stan, Long amount, String rrn, int part, int parts, byte[] bytes,
            String contentType, byte[] slip, String characteristic) {}

    /** Journal kinds a cardholder signs for (not balance inquiries, reversals or IC notices). */
    private static final String SIGNED_KINDS = "('PURCHASE', 'VOID', 'PREAUTH', 'PREAUTH_CANCEL', 'COMPLETION', 'COMPLETION_VOID',"
            + " 'REFUND', 'OFFLINE', 'ADJUSTMENT')";
    /** Statuses of a row the host (or the gateway, for an advice) approved; later moves keep them signed for. */
    private static final String APPROVED_STATES = "('APPROVED', 'COMPLETED', 'CANCELLED', 'ADJUSTED')";

    private final Pool pool;

    public Signatures(Pool pool) {
        this.pool = pool;
    }

    /** Takes one part of {@code u}; {@code maxBytes} bounds the whole image. */
    public Future<Outcome> receive(Upload u, int maxBytes) {
        return pool.withTransaction(c -> original(c, u).compose(id -> {
            if (id == null) return Future.succeededFuture(Outcome.NO_ORIGINAL);
            return c.preparedQuery("select state, received, parts, octet_length(image), sha256, sha256($2) = sha256"
                            + " from posp_signature where transaction_id = $1 for update")
                    .execute(Tuple.of(id, Buffer.buffer(u.bytes())))
                    .compose(rows -> rows.size() == 0 ? first(c, id, u, maxBytes) : next(c, id, rows.iterator().next(), u, maxBytes));
        }));
    }

    /** The journal id of the approved card transaction {@code u} names, or null. */
    private static Future<Long> original(SqlConnection c, Upload u) {
        return c.preparedQuery("select id, amount, rrn from posp_transaction where tid = $1 and batch = $2 and stan = $3"
                        + " and mti in ('0100', '0200', '0220') and kind in " + SIGNED_KINDS + " and status in " + APPROVED_STATES)
                .execute(Tuple.of(u.tid(), u.batch(), u.stan()))
                .map(rows -> {
                    for (Row r : rows) {
                        if (u.amount() != null && u.amount().longValue() != r.getLong("amount").longValue()) continue;
                        if (u.rrn() != null && r.getString("rrn") != null && !u.rrn().equals(r.getString("rrn"))) continue;
                        return r.getLong("id");
                    }
                    return null;
                });
    }

    private static Future<Outcome> first(SqlConnection c, long id, Upload u, int maxBytes) {
        if (u.part() != 1) return Future.succeededFuture(Outcome.OUT_OF_ORDER);
        if (u.bytes().length > maxBytes) return Future.succeededFuture(Outcome.TOO_LARGE);
        boolean whole = u.parts() == 1;
        return c.preparedQuery("insert into posp_signature (transaction_id, tid, batch, stan, content_type, image, parts, received,"
                        + " state, sha256, slip, characteristic, completed_at) values ($1, $2, $3, $4, $5, $6, $7, 1, $8,"
                        + " case when $9 then sha256($6) end, $10, $11, case when $9 then now() end)"
                        + " on conflict (transaction_id) do nothing returning transaction_id")
                .execute(Tuple.tuple().addLong(id).addString(u.tid()).addString(u.batch()).addString(u.stan())
                        .addString(u.contentType()).addBuffer(Buffer.buffer(u.bytes())).addInteger(u.parts())
                        .addString(whole ? "COMPLETE" : "RECEIVING").addBoolean(whole)
                        .addBuffer(u.slip() == null ? null : Buffer.buffer(u.slip())).addString(u.characteristic()))
                // a first part racing another on a second connection: the row is the other's, this one a repeat
                .map(rows -> rows.size() == 0 ? Outcome.REPEAT : whole ? Outcome.COMPLETE : Outcome.PART_KEPT);
    }

    private static Future<Outcome> next(SqlConnection c, long id, Row s, Upload u, int maxBytes) {
        int received = s.getInteger(1);
        int parts = s.getInteger(2);
        int size = s.getInteger(3);
        if ("COMPLETE".equals(s.getString(0))) {
            // a whole image sent again: the same one is a repeat; parts of a split one are answered as received
            if (u.parts() == 1 && parts == 1) return Future.succeededFuture(Boolean.TRUE.equals(s.getBoolean(5)) ? Outcome.REPEAT : Outcome.DIFFERENT);
            return Future.succeededFuture(Outcome.REPEAT);
        }
        if (u.parts() != parts) return Future.succeededFuture(Outcome.OUT_OF_ORDER);
        if (u.part() <= received) return Future.succeededFuture(Outcome.REPEAT);
        if (u.part() > received + 1) return Future.succeededFuture(Outcome.OUT_OF_ORDER);
        if ((long) size + u.bytes().length > maxBytes) {
            return c.preparedQuery("delete from posp_signature where transaction_id = $1").execute(Tuple.of(id)).map(Outcome.TOO_LARGE);
        }
        boolean last = u.part() == parts;
        return c.preparedQuery("update posp_signature set image = image || $2, received = received + 1,"
                        + " state = case when $3 then 'COMPLETE' else state end,"
                        + " sha256 = case when $3 then sha256(image || $2) end, completed_at = case when $3 then now() end"
                        + " where transaction_id = $1")
                .execute(Tuple.of(id, Buffer.buffer(u.bytes()), last))
                .map(last ? Outcome.COMPLETE : Outcome.PART_KEPT);
    }

    /** The complete signature of journal row {@code journalId}. */
    public Future<Optional<Stored>> find(long journalId) {
        return pool.preparedQuery(SELECT + " where s.transaction_id = $1 and s.state = 'COMPLETE'")
                .execute(Tuple.of(journalId)).map(Signatures::one);
    }

    /** The complete signature of the terminal's transaction {@code stan} in {@code batch} (null: the latest of that STAN). */
    public Future<Optional<Stored>> find(String tid, String stan, String batch) {
        return pool.preparedQuery(SELECT + " where s.tid = $1 and s.stan = $2 and ($3::varchar is null or s.batch = $3)"
                        + " and s.state = 'COMPLETE' order by s.completed_at desc limit 1")
                .execute(Tuple.of(tid, stan, batch)).map(Signatures::one);
    }

    private static final String SELECT = "select s.transaction_id, s.tid, s.batch, s.stan, t.mti, t.kind, t.amount, t.pan_masked,"
            + " t.rrn, t.auth_code, s.content_type, s.parts, s.sha256, s.slip, s.characteristic, s.received_at, s.completed_at, s.image"
            + " from posp_signature s join posp_transaction t on t.id = s.transaction_id";

    private static Optional<Stored> one(RowSet<Row> rows) {
        if (rows.size() == 0) return Optional.empty();
        Row r = rows.iterator().next();
        return Optional.of(new Stored(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                r.getLong(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getInteger(11), bytes(r, 12),
                bytes(r, 13), r.getString(14), r.getOffsetDateTime(15), r.getOffsetDateTime(16), bytes(r, 17)));
    }

    private static byte[] bytes(Row r, int i) {
        Buffer b = r.getBuffer(i);
        return b == null ? null : b.getBytes();
    }
}
