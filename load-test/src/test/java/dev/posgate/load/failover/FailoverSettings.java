package dev.posgate.load.failover;

/**
 * One failover run: {@code terminals} terminals purchasing through HAProxy, one gateway killed
 * after {@code secondsBeforeKill}, the fleet going on for {@code secondsAfterKill}; each terminal
 * waits {@code thinkMs} between an answer and its next purchase; the host answers after
 * {@code hostLatencyMs} (so that purchases in flight at the kill are mostly at the host, the case
 * the terminals' reversals must undo); {@code redispatch}: HAProxy's {@code option redispatch}.
 */
record FailoverSettings(int terminals, int secondsBeforeKill, int secondsAfterKill, int thinkMs, int hostLatencyMs,
        boolean redispatch) {

    /** What {@code mvn verify} runs (well under a minute on the 2-core build machine). */
    static FailoverSettings short_() {
        return new FailoverSettings(30, 5, 5, 100, 50, true);
    }

    /** {@code --terminals N --before S --after S --think-ms MS --host-latency-ms MS --no-redispatch}, each optional. */
    static FailoverSettings parse(String[] args) {
        int terminals = 50;
        int before = 10;
        int after = 20;
        int think = 100;
        int latency = 50;
        boolean redispatch = true;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-redispatch")) {
                redispatch = false;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("option without a value: " + option);
            int v = Integer.parseInt(args[++i]);
            switch (option) {
                case "--terminals" -> terminals = v;
                case "--before" -> before = v;
                case "--after" -> after = v;
                case "--think-ms" -> think = v;
                case "--host-latency-ms" -> latency = v;
                default -> throw new IllegalArgumentException("unknown option " + option
                        + " (--terminals N --before S --after S --think-ms MS --host-latency-ms MS --no-redispatch)");
            }
        }
        return new FailoverSettings(terminals, before, after, think, latency, redispatch);
    }
}
