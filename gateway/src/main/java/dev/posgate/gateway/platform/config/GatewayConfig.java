package dev.posgate.gateway.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The resolved configuration: defaults, then the properties file, then the environment.
 *
 * <p>Unknown keys in the file are an error rather than silently ignored, because a misspelt
 * limit in production is worse than a gateway that refuses to start.
 */
public final class GatewayConfig {
    private final Map<Setting, String> values;

    private GatewayConfig(Map<Setting, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static GatewayConfig defaults() {
        return resolve(new Properties(), Map.of());
    }

    /** Loads {@code file} (may be null) and applies {@code env} overrides. */
    public static GatewayConfig load(Path file, Map<String, String> env) throws IOException {
        Properties props = new Properties();
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                props.load(r);
            }
        }
        return resolve(props, env);
    }

    public static GatewayConfig resolve(Properties props, Map<String, String> env) {
        Set<String> known = new HashSet<>();
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            known.add(s.key());
            String v = s.defaultValue();
            if (props.containsKey(s.key())) v = props.getProperty(s.key()).trim();
            if (env.containsKey(s.envName())) v = env.get(s.envName()).trim();
            values.put(s, v);
        }
        for (String k : props.stringPropertyNames()) {
            if (!known.contains(k)) throw new IllegalArgumentException("unknown configuration key: " + k);
        }
        GatewayConfig config = new GatewayConfig(values);
        config.validate();
        return config;
    }

    /** A copy with some settings replaced; used by tests and the CLI's flags. */
    public GatewayConfig with(Setting setting, Object value) {
        Map<Setting, String> copy = new EnumMap<>(values);
        copy.put(setting, String.valueOf(value));
        GatewayConfig config = new GatewayConfig(copy);
        config.validate();
        return config;
    }

    public String string(Setting s) {
        return values.get(s);
    }

    public int integer(Setting s) {
        String v = values.get(s);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.key() + " must be an integer, got '" + v + "'");
        }
    }

    public boolean bool(Setting s) {
        String v = values.get(s);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(s.key() + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public Path dataDir() {
        return Path.of(string(Setting.DATA_DIR));
    }

    private void validate() {
        for (Setting s : Setting.values()) s.check(values.get(s));
        int iso = integer(Setting.FRAME_MAX_ISO);
        int tms = integer(Setting.FRAME_MAX_TMS);
        if (iso < 16 || iso > 65535 || tms < 16 || tms > 65535) {
            throw new IllegalArgumentException("frame maxima must be between 16 and 65535");
        }
    }
}
