package dev.posgate.hostsim;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The host simulator's rule engine (docs/posp.md, "Host simulator"): pure and I/O-free, so that
 * {@code HostRulesTest} pins every rule without a socket.
 * <ul>
 *   <li><b>PIN</b>: every card's PIN is {@code defaultPin} unless {@code pins} says otherwise.</li>
 *   <li><b>Approve, or decline by amount</b> (authorisations: purchase, IC purchase, pre-auth,
 *       completion): 0 is {@code 13}; an amount above a threshold of {@code amountDeclines} gets
 *       that threshold's code, the highest threshold crossed deciding ({@code limit} is the
 *       threshold of {@code 51}); otherwise approved {@code 00}.</li>
 *   <li><b>Decline per processing code</b>: {@code processingDeclines} maps field 3 (e.g.
 *       {@code 310000}, balance inquiries) or field 3 and 60.1 ({@code 200000/25}, refunds only) to
 *       a response code given to every 0100, 0200 and 0220 of it before any other rule.</li>
 *   <li><b>Never answered</b>: an authorisation whose amount ends in {@code 999} (minor units), so
 *       tests and demos can provoke an upstream timeout at will.</li>
 *   <li><b>Issuer script</b> ({@link IssuerScript}): which approved IC authorisations get a script
 *       template (71 or 72) after the ARPC (91).</li>
 *   <li><b>Delays</b>: {@code delays} per request MTI ({@code 0200}, {@code 0100}, {@code 0220},
 *       {@code 0400}, {@code 0500}, {@code 0620}, {@code 0320}), else {@code defaultDelayMs}
 *       (negative: the simulator's {@code latencyMs}); the simulator waits on a timer, never blocking.</li>
 * </ul>
 * The same rules come from a properties file or the CLI's options ({@link #from(Properties)}).
 */
public record HostRules(String defaultPin, Map<String, String> pins, boolean pinRequired,
        NavigableMap<Long, String> amountDeclines, Map<String, String> processingDeclines, IssuerScript issuerScript,
        long defaultDelayMs, Map<String, Long> delays) {

    /** The default limit: amounts above 10 000 000 minor units are declined {@code 51}. */
    public static final long DEFAULT_LIMIT = 10_000_000L;

    public HostRules {
        pins = Map.copyOf(pins);
        amountDeclines = Collections.unmodifiableNavigableMap(new TreeMap<>(amountDeclines));
        processingDeclines = Map.copyOf(processingDeclines);
        delays = Map.copyOf(delays);
        if (issuerScript == null) issuerScript = IssuerScript.NONE;
        for (String code : amountDeclines.values()) checkCode(code);
        for (String code : processingDeclines.values()) checkCode(code);
        for (long ms : delays.values()) if (ms < 0) throw new IllegalArgumentException("a delay must not be negative: " + ms);
    }

    /** PINs, a single limit above which amounts are {@code 51}, no other rule. */
    public HostRules(String defaultPin, Map<String, String> pins, long limit, boolean pinRequired) {
        this(defaultPin, pins, pinRequired, new TreeMap<>(Map.of(limit, "51")), Map.of(), IssuerScript.NONE, -1, Map.of());
    }

    public static HostRules defaults() {
        return new HostRules("123456", Map.of(), DEFAULT_LIMIT, false);
    }

    /**
     * Which approved IC authorisations (0100/0200 carrying 55) get an issuer script: every one
     * ({@code all}), or those of {@code pan} (null: no condition) or of {@code amount} (negative: no
     * condition); {@code template} {@code 0x71} (before the final GENERATE AC) or {@code 0x72} (after).
     */
    public record IssuerScript(boolean all, String pan, long amount, int template) {
        public static final IssuerScript NONE = new IssuerScript(false, null, -1, 0x72);

        public IssuerScript {
            if (template != 0x71 && template != 0x72) throw new IllegalArgumentException("script template 71 or 72: " + template);
        }

        boolean applies(String requestPan, long requestAmount) {
            return all || (pan != null && pan.equals(requestPan)) || (amount >= 0 && amount == requestAmount);
        }
    }

    public HostRules withIssuerScript(IssuerScript script) {
        return new HostRules(defaultPin, pins, pinRequired, amountDeclines, processingDeclines, script, defaultDelayMs, delays);
    }

    public HostRules withAmountDeclines(Map<Long, String> thresholds) {
        return new HostRules(defaultPin, pins, pinRequired, new TreeMap<>(thresholds), processingDeclines, issuerScript,
                defaultDelayMs, delays);
    }

    public HostRules withProcessingDeclines(Map<String, String> declines) {
        return new HostRules(defaultPin, pins, pinRequired, amountDeclines, declines, issuerScript, defaultDelayMs, delays);
    }

    public HostRules withDelays(long defaultMs, Map<String, Long> byMti) {
        return new HostRules(defaultPin, pins, pinRequired, amountDeclines, processingDeclines, issuerScript, defaultMs, byMti);
    }

    boolean pinMatches(String pan, String pin) {
        return pins.getOrDefault(pan, defaultPin).equals(pin);
    }

    boolean silent(long amount) {
        return amount % 1000 == 999;
    }

    /** An authorisation's code by amount: 0 is {@code 13}; above the highest threshold crossed, its code; else {@code 00}. */
    String purchase(long amount) {
        if (amount <= 0) return "13";
        Map.Entry<Long, String> crossed = amountDeclines.lowerEntry(amount);
        return crossed == null ? "00" : crossed.getValue();
    }

    /** The code every request of field 3 {@code processing} and 60.1 {@code type} gets, or null when no rule names it. */
    String declineFor(String processing, String type) {
        if (processing == null) return null;
        String code = processingDeclines.get(processing + "/" + type);
        return code != null ? code : processingDeclines.get(processing);
    }

    /** Whether an approved IC authorisation of {@code pan} and {@code amount} gets an issuer script. */
    boolean issuerScript(String pan, long amount) {
        return issuerScript.applies(pan, amount);
    }

    /** The delay before answering a request of {@code mti}: its own, else the default, else {@code fallbackMs}. */
    long delayMs(String mti, long fallbackMs) {
        Long own = delays.get(mti);
        if (own != null) return own;
        return defaultDelayMs >= 0 ? defaultDelayMs : fallbackMs;
    }

    /** Reads the rules of a properties file (UTF-8; keys as {@link #from(Properties)}). */
    public static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /**
     * The rules of {@code p} (docs/posp.md, "Host simulator"); keys not given keep the defaults:
     * <pre>
     * pin = 123456                       PIN of every card
     * pin.&lt;PAN&gt; = 4321                    PIN of one card
     * pin.required = false               a request without 52 is 55
     * limit = 10000000                   above: 51 ("none": no limit)
     * decline.above.&lt;amount&gt; = &lt;code&gt;     above that amount: that code (highest crossed wins)
     * decline.processing.&lt;f3&gt;[/&lt;60.1&gt;] = &lt;code&gt;   every 0100/0200/0220 of it
     * issuer.script = none | all         approved IC authorisations with a script
     * issuer.script.pan = &lt;PAN&gt;, issuer.script.amount = &lt;amount&gt;
     * issuer.script.template = 72 | 71
     * delay.ms = &lt;ms&gt;                     before every answer
     * delay.&lt;MTI&gt; = &lt;ms&gt;                  before answers to that request MTI
     * </pre>
     */
    public static HostRules from(Properties p) {
        Map<String, String> pins = new HashMap<>();
        TreeMap<Long, String> amounts = new TreeMap<>();
        Map<String, String> processing = new HashMap<>();
        Map<String, Long> delays = new HashMap<>();
        String limit = p.getProperty("limit", String.valueOf(DEFAULT_LIMIT)).trim();
        if (!limit.equalsIgnoreCase("none")) amounts.put(amount("limit", limit), "51");
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (key.startsWith("pin.") && !key.equals("pin.required")) {
                pins.put(key.substring(4), value);
            } else if (key.startsWith("decline.above.")) {
                amounts.put(amount(key, key.substring("decline.above.".length())), value);
            } else if (key.startsWith("decline.processing.")) {
                String what = key.substring("decline.processing.".length());
                if (!what.matches("\\d{6}(/\\d{2})?")) throw new IllegalArgumentException(key + ": field 3 (6 digits), optionally /60.1");
                processing.put(what, value);
            } else if (key.startsWith("delay.") && !key.equals("delay.ms")) {
                String mti = key.substring("delay.".length());
                if (!mti.matches("\\d{4}")) throw new IllegalArgumentException(key + ": delay.<MTI> (4 digits)");
                delays.put(mti, amount(key, value));
            } else if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown host rule: " + key);
            }
        }
        String script = p.getProperty("issuer.script", "none").trim();
        if (!script.equals("none") && !script.equals("all")) throw new IllegalArgumentException("issuer.script: none or all");
        String scriptPan = p.getProperty("issuer.script.pan");
        long scriptAmount = p.containsKey("issuer.script.amount") ? amount("issuer.script.amount", p.getProperty("issuer.script.amount").trim()) : -1;
        int template = Integer.parseInt(p.getProperty("issuer.script.template", "72").trim(), 16);
        long defaultDelay = p.containsKey("delay.ms") ? amount("delay.ms", p.getProperty("delay.ms").trim()) : -1;
        return new HostRules(p.getProperty("pin", "123456").trim(), pins,
                Boolean.parseBoolean(p.getProperty("pin.required", "false").trim()), amounts, processing,
                new IssuerScript(script.equals("all"), scriptPan == null || scriptPan.isBlank() ? null : scriptPan.trim(),
                        scriptAmount, template),
                defaultDelay, delays);
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("pin", "pin.required", "limit", "issuer.script",
            "issuer.script.pan", "issuer.script.amount", "issuer.script.template", "delay.ms");

    private static long amount(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": a non-negative number expected, got " + value);
        }
    }

    private static void checkCode(String code) {
        if (code == null || !code.matches("[0-9A-Z]{2}")) throw new IllegalArgumentException("a response code is 2 characters: " + code);
    }
}
