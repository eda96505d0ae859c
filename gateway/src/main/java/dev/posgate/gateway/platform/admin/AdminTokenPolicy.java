package dev.posgate.gateway.platform.admin;

import java.util.List;
import java.util.Locale;

/**
 * What a configured admin token must be: not a placeholder copied from an example (the compose
 * file's {@code change-me-in-production} was accepted, so anyone who read the repository could
 * use the API) and at least {@value #MIN_LENGTH} characters. The generated token (48 hex digits)
 * always passes.
 */
public final class AdminTokenPolicy {
    public static final int MIN_LENGTH = 24;
    /** Phrases of example values; short words (secret, admin) fail the length check anyway. */
    private static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "replace-me",
            "replaceme", "replace_me", "placeholder", "your-token", "your_token", "yourtoken", "insecure", "do-not-use");

    private AdminTokenPolicy() {}

    /** {@code token} when acceptable; otherwise an exception whose message says what to do. */
    public static String check(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        for (String p : PLACEHOLDERS) {
            if (lower.contains(p)) {
                throw new IllegalArgumentException("admin.token contains the placeholder '" + p + "': set a random token of at least "
                        + MIN_LENGTH + " characters (e.g. openssl rand -hex 24), or leave admin.token empty to have one generated into data.dir/admin.token");
            }
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("admin.token has " + token.length() + " characters, fewer than " + MIN_LENGTH
                    + ": set a random token (e.g. openssl rand -hex 24), or leave admin.token empty to have one generated into data.dir/admin.token");
        }
        if (token.chars().distinct().count() < 8) {
            throw new IllegalArgumentException("admin.token uses fewer than 8 distinct characters: set a random token (e.g. openssl rand -hex 24)");
        }
        return token;
    }
}
