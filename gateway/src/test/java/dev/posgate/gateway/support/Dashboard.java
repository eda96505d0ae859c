package dev.posgate.gateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The PromQL expressions of the Grafana dashboard in deploy/, as the deploy tests run them. */
public final class Dashboard {
    public static final Path FILE = Path.of("..", "deploy", "grafana", "dashboards", "posgate.json");

    private Dashboard() {}

    /** Every {@code expr} of every panel, in file order. */
    public static List<String> expressions() throws IOException {
        List<String> exprs = new ArrayList<>();
        collect(new JsonObject(Files.readString(FILE)), exprs);
        return exprs;
    }

    /** {@code expr} with Grafana's interval variables replaced by {@code range} (a PromQL duration such as 1m). */
    public static String withRange(String expr, String range) {
        return expr.replace("$__rate_interval", range).replace("$__interval", range);
    }

    private static void collect(Object node, List<String> into) {
        if (node instanceof JsonObject o) {
            if (o.getValue("expr") instanceof String e) into.add(e);
            o.forEach(entry -> collect(entry.getValue(), into));
        } else if (node instanceof JsonArray a) {
            a.forEach(v -> collect(v, into));
        }
    }
}
