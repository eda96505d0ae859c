package dev.posgate.gateway.platform.config;

import java.util.List;

/**
 * What a {@link Setting}'s value must look like, checked at start-up with a message naming the
 * key: before, a setting's type was guessed from its default, so an 11-digit acquirer id (a valid
 * n..11) was refused as "not an integer". Ranges particular to one setting (frame sizes, the
 * authorised minutes) are checked where the setting is used.
 */
public enum SettingType {
    /** A whole number ≥ 0 that fits an int (counts, sizes, rates). */
    INT,
    /** A TCP port, 0..65535 (0: a free port, or off where the setting says so). */
    PORT,
    /** Decimal digits only, kept as text: leading zeros and lengths beyond an int are preserved (ISO n fields). */
    DIGITS,
    /** A whole number ≥ 0 in the unit the key ends with ({@code .ms}, {@code .seconds}, {@code .minutes}). */
    DURATION,
    /** One of a fixed set of words, case-insensitive; the setting lists them. */
    ENUM,
    /** Comma-separated {@code host:port} entries (IPv6 in brackets), or empty. */
    HOST_LIST,
    /** One {@code host:port} (IPv6 in brackets), or empty. */
    HOST_PORT,
    BOOLEAN,
    /** Free text; its use checks it. */
    STRING,
    /** A file or directory path; empty means the default the setting describes. */
    PATH;

    /**
     * Checks {@code value} for {@code setting}; throws {@link IllegalArgumentException} naming the
     * key, the expected form and the value found.
     */
    void check(Setting setting, String value) {
        String problem = problem(setting, value);
        if (problem != null) {
            throw new IllegalArgumentException(setting.key() + " must be " + problem + ", got '" + value + "'");
        }
    }

    /** What is wrong with {@code value}, as "must be ..." completes it; null when it is fine. */
    private String problem(Setting setting, String value) {
        return switch (this) {
            case INT -> nonNegativeInt(value) ? null : "a whole number from 0 to " + Integer.MAX_VALUE;
            case PORT -> nonNegativeInt(value) && Integer.parseInt(value) <= 65535 ? null : "a port from 0 to 65535";
            case DIGITS -> !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') ? null : "digits only (0-9)";
            case DURATION -> nonNegativeInt(value) ? null
                    : "a duration in " + unit(setting.key()) + " (a whole number from 0 to " + Integer.MAX_VALUE + ")";
            case ENUM -> setting.allowed().stream().anyMatch(a -> a.equalsIgnoreCase(value.trim())) ? null
                    : "one of " + String.join(", ", setting.allowed());
            case HOST_LIST -> hostList(value) ? null : "a comma-separated list of host:port (IPv6 as [addr]:port), or empty";
            case HOST_PORT -> value.isEmpty() || hostPort(value.trim()) ? null : "host:port (IPv6 as [addr]:port), or empty";
            case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "true or false";
            case STRING -> null;
            case PATH -> value.indexOf('\0') < 0 ? null : "a file system path";
        };
    }

    /** The unit a duration key ends with. */
    static String unit(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        return switch (last) {
            case "ms" -> "milliseconds";
            case "seconds", "minutes" -> last;
            default -> throw new IllegalStateException("duration setting " + key + " names no unit (.ms, .seconds, .minutes)");
        };
    }

    private static boolean nonNegativeInt(String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
        try {
            Integer.parseInt(value);
            return true;
        } catch (NumberFormatException e) {
            return false; // beyond an int
        }
    }

    private static boolean hostList(String value) {
        if (value.isBlank()) return true;
        List<String> entries = List.of(value.split(","));
        return entries.stream().map(String::trim).allMatch(SettingType::hostPort);
    }

    private static boolean hostPort(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0) return false;
        String host = entry.substring(0, colon);
        String port = entry.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) return false;
        } else if (host.contains(":") || host.isBlank()) {
            return false; // an IPv6 address without brackets: its port cannot be told apart
        }
        return nonNegativeInt(port) && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    }
}
