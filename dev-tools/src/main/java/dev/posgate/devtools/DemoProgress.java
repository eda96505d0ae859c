package dev.posgate.devtools;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's counters, one pair (ok, failed) per flow, and how they are shown: on a terminal one
 * line rewritten in place ({@code \r}) as they change; otherwise (a pipe, a test) a plain line
 * whenever a flow has run for every terminal; then the summary table.
 */
final class DemoProgress {

    /** The flows of a terminal's life, in order; {@code expected} of each is set by the fleet. */
    enum Flow {
        REGISTER("register", "reg"), TK_UPLOAD("tk-upload", "tk"), TMK_DOWNLOAD("tmk-download", "tmk"),
        TMS_DOWNLOAD("tms-download", "tms"), SIGN_ON("sign-on", "sign-on"), PURCHASE("purchase", "buy"),
        REVERSAL("reversal", "rev"), SETTLEMENT("settlement", "settle");

        final String label;
        /** In the line rewritten in place, which must fit an 80-column terminal (a wrapped line is not rewritten). */
        final String shortLabel;

        Flow(String label, String shortLabel) {
            this.label = label;
            this.shortLabel = shortLabel;
        }
    }

    private final PrintWriter out;
    private final boolean inPlace;
    private final Map<Flow, AtomicInteger> ok = new EnumMap<>(Flow.class);
    private final Map<Flow, AtomicInteger> failed = new EnumMap<>(Flow.class);
    private final Map<Flow, Integer> expected = new EnumMap<>(Flow.class);
    private String lastLine = "";

    DemoProgress(PrintWriter out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
        for (Flow f : Flow.values()) {
            ok.put(f, new AtomicInteger());
            failed.put(f, new AtomicInteger());
            expected.put(f, 0);
        }
    }

    synchronized void expect(Flow flow, int count) {
        expected.put(flow, count);
    }

    void ok(Flow flow) {
        ok.get(flow).incrementAndGet();
        changed(flow);
    }

    void failed(Flow flow, int count) {
        failed.get(flow).addAndGet(count);
        changed(flow);
    }

    int okCount(Flow flow) {
        return ok.get(flow).get();
    }

    int failedCount(Flow flow) {
        return failed.get(flow).get();
    }

    boolean allOk() {
        for (Flow f : Flow.values()) if (failed.get(f).get() > 0 || ok.get(f).get() < expected.get(f)) return false;
        return true;
    }

    /** A message of its own (a failure's reason): on its own line, the counter line redrawn below it. */
    synchronized void note(String message) {
        if (inPlace && !lastLine.isEmpty()) out.print("\r" + " ".repeat(lastLine.length()) + "\r");
        out.println(message);
        if (inPlace && !lastLine.isEmpty()) out.print(lastLine);
        out.flush();
    }

    private synchronized void changed(Flow flow) {
        String line = line();
        if (line.equals(lastLine)) return;
        if (inPlace) {
            out.print("\r" + line + (line.length() < lastLine.length() ? " ".repeat(lastLine.length() - line.length()) : ""));
            out.flush();
        } else if (ok.get(flow).get() + failed.get(flow).get() == expected.get(flow)) {
            out.println(line);
            out.flush();
        }
        lastLine = line;
    }

    /**
     * Plain: {@code register 2/2  tk-upload 2/2  tmk-download 1/2 ...}, failures as {@code (1 failed)};
     * in place: {@code reg 2/2 tk 2/2 tmk 1/2 ...}, failures as {@code !1}, at most 79 characters.
     */
    synchronized String line() {
        StringBuilder b = new StringBuilder();
        for (Flow f : Flow.values()) {
            if (b.length() > 0) b.append(inPlace ? " " : "  ");
            b.append(inPlace ? f.shortLabel : f.label).append(' ').append(ok.get(f).get()).append('/').append(expected.get(f));
            if (failed.get(f).get() > 0) b.append(inPlace ? " !" + failed.get(f).get() : " (" + failed.get(f).get() + " failed)");
        }
        return inPlace && b.length() > 79 ? b.substring(0, 79) : b.toString();
    }

    /** Ends the in-place line. */
    synchronized void finish() {
        if (inPlace && !lastLine.isEmpty()) out.println();
        out.flush();
    }

    /** The table: one row per flow, ok and failed counts; then {@code all flows ok} or what failed. */
    synchronized String summary(int terminals, long millis) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("demo summary: %d terminals in %.1f s%n", terminals, millis / 1000.0));
        b.append(String.format("  %-14s %6s %7s%n", "FLOW", "OK", "FAILED"));
        for (Flow f : Flow.values()) {
            b.append(String.format("  %-14s %6d %7d%n", f.label, ok.get(f).get(), failed.get(f).get()));
        }
        if (allOk()) {
            b.append("all flows ok").append(System.lineSeparator());
        } else {
            StringBuilder which = new StringBuilder();
            for (Flow f : Flow.values()) {
                if (failed.get(f).get() > 0 || ok.get(f).get() < expected.get(f)) which.append(which.length() > 0 ? ", " : "").append(f.label);
            }
            b.append("FAILED flows: ").append(which).append(System.lineSeparator());
        }
        return b.toString();
    }
}
