package dev.posgate.gateway.support;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scans captured output (logs, metrics, audit rows) for secrets the test knows: clear keys and PIN
 * blocks as hex in either case, full PANs and track-2 data. Masked PANs (first 6, last 4) pass.
 */
public final class SecretScan {
    /** A track-2 equivalent: PAN, separator (D or =), expiry YYMM and service code. */
    private static final Pattern TRACK2 = Pattern.compile("\\d{13,19}[D=]\\d{7}", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> needles = new LinkedHashMap<>();

    /** A binary secret (clear key, PIN block, encrypted PIN block): found as hex, either case. Names must differ. */
    public SecretScan secret(String name, byte[] value) {
        if (needles.put(name, HexFormat.of().formatHex(value)) != null) throw new IllegalArgumentException("two secrets named " + name);
        return this;
    }

    /** A full PAN: the digits in a row. */
    public SecretScan pan(String pan) {
        needles.put("PAN", pan);
        return this;
    }

    /** Every finding in {@code text} from {@code source}, each with where it was found (secret cut out). */
    public List<String> findings(String source, String text) {
        List<String> found = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> n : needles.entrySet()) {
            // hex is lower case here, so one case-insensitive search covers both cases (PANs are digits)
            int at = lower.indexOf(n.getValue());
            if (at >= 0) found.add(n.getKey() + " in " + source + ": " + context(text, at, n.getValue().length()));
        }
        Matcher m = TRACK2.matcher(text);
        if (m.find()) found.add("track 2 in " + source + ": " + context(text, m.start(), m.end() - m.start()));
        return found;
    }

    public List<String> findings(String source, List<String> texts) {
        List<String> found = new ArrayList<>();
        for (String t : texts) found.addAll(findings(source, t));
        return found;
    }

    private static String context(String text, int at, int length) {
        int from = Math.max(0, at - 60);
        int to = Math.min(text.length(), at + length + 20);
        return text.substring(from, at) + "<secret>" + text.substring(at + length, to);
    }
}
