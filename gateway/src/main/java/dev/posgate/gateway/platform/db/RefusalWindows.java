package dev.posgate.gateway.platform.db;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refusal audits per kind (actor, action, subject, result, reason) and window: the first refusal
 * of a kind in a window is written at once, later ones are only counted, and the count becomes one
 * summary row when the window closes. A stranger repeating a refused request writes one row a
 * window, not one each (the table grew without bound). Memory is bounded: at most {@code maxKinds}
 * windows are open; beyond that refusals are counted per action and result only (the subject and
 * actor, which a stranger chooses, dropped). Synchronized: refusals come from every event loop.
 */
final class RefusalWindows {
    /** What makes two refusals the same. */
    record Kind(String actor, String action, String subject, String result, String reason) {}

    /** A closed window with refusals that were counted but not written. */
    record Summary(Kind kind, long suppressed, JsonObject firstDetail) {}

    private static final class Tally {
        final long openedAt;
        final JsonObject firstDetail;
        long suppressed;

        Tally(long openedAt, JsonObject firstDetail) {
            this.openedAt = openedAt;
            this.firstDetail = firstDetail;
        }
    }

    static final String OVERFLOW = "*";

    private final long windowNanos;
    private final int maxKinds;
    /** Open windows in the order they opened, so the due ones are at the head. */
    private final LinkedHashMap<Kind, Tally> open = new LinkedHashMap<>();

    RefusalWindows(long windowNanos, int maxKinds) {
        this.windowNanos = windowNanos;
        this.maxKinds = maxKinds;
    }

    /**
     * The kind whose window this refusal opens, to be written now: {@code kind} itself, or the
     * overflow kind (actor and subject {@value #OVERFLOW}) when the maximum is reached; null when
     * the refusal was counted into an open window.
     */
    synchronized Kind admit(Kind kind, JsonObject detail, long now) {
        Tally t = open.get(kind);
        if (t == null && open.size() >= maxKinds) {
            kind = overflow(kind);
            t = open.get(kind);
        }
        if (t == null) {
            open.put(kind, new Tally(now, detail));
            return kind;
        }
        t.suppressed++;
        return null;
    }

    static Kind overflow(Kind kind) {
        return new Kind(OVERFLOW, kind.action(), OVERFLOW, kind.result(), OVERFLOW);
    }

    /** Closes the windows open for at least the window length at {@code now}; the summaries to write. */
    synchronized List<Summary> closeDue(long now) {
        return close(now, false);
    }

    /** Closes every window (shutdown). */
    synchronized List<Summary> closeAll() {
        return close(0, true);
    }

    synchronized int openWindows() {
        return open.size();
    }

    private List<Summary> close(long now, boolean all) {
        List<Summary> out = new ArrayList<>();
        Iterator<Map.Entry<Kind, Tally>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Kind, Tally> e = it.next();
            Tally t = e.getValue();
            if (!all && now - t.openedAt < windowNanos) break; // opened in order: the rest are younger
            it.remove();
            if (t.suppressed > 0) out.add(new Summary(e.getKey(), t.suppressed, t.firstDetail));
        }
        return out;
    }
}
