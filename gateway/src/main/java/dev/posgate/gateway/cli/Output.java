package dev.posgate.gateway.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --json} and how every admin-API command prints its answer (docs/cli.md, "Output"): with
 * {@code --json} the API's JSON body unchanged; by default rendered for people by {@link #render}:
 * an object as aligned {@code key  value} lines (nested objects flattened to dotted keys), an
 * array of objects as a table under a header, an empty one as {@code none}. A refusal is
 * {@link AdminTarget#expect}'s one-line {@link CliException}, whatever the format.
 */
public class Output {
    @Option(names = "--json", description = "Print the admin API's JSON answer unchanged instead of a human-readable rendering.")
    boolean json;

    /**
     * Prints the answer of a command that {@code admin} sent when its status is one of {@code ok}
     * (else the one-line failure naming {@code what}); an answer without a body (204) prints
     * {@code done} by default and nothing with {@code --json}. Returns the exit status, 0.
     */
    int print(AdminTarget admin, HttpResponse<String> answer, String what, String done, int... ok) {
        String body = AdminTarget.expect(answer, what, ok);
        if (json) {
            if (body != null && !body.isEmpty()) admin.out().println(body);
        } else {
            admin.out().print(body == null || body.isBlank() ? done + System.lineSeparator() : render(body));
        }
        admin.out().flush(); // print() does not flush (println does): Main.main's System.exit would lose it
        return 0;
    }

    /** As {@link #print(AdminTarget, HttpResponse, String, String, int...)}, for answers that always have a body. */
    int print(AdminTarget admin, HttpResponse<String> answer, String what, int... ok) {
        return print(admin, answer, what, "done", ok);
    }

    /** A JSON body for people, one or more lines each ending in a line separator; a body that is not JSON as it is. */
    static String render(String body) {
        Object value;
        try {
            value = Json.decodeValue(body);
        } catch (DecodeException e) {
            return body.endsWith("\n") ? body : body + System.lineSeparator();
        }
        StringBuilder b = new StringBuilder();
        if (value instanceof JsonObject o) object(b, o);
        else if (value instanceof JsonArray a) array(b, a);
        else line(b, text(value));
        return b.toString();
    }

    /** Scalars and nested objects as aligned key-value lines; then each array of objects as {@code key:} and its table. */
    private static void object(StringBuilder b, JsonObject o) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Map<String, JsonArray> tables = new LinkedHashMap<>();
        flatten("", o, pairs, tables);
        if (pairs.isEmpty() && tables.isEmpty()) {
            line(b, "none");
            return;
        }
        int width = pairs.keySet().stream().mapToInt(String::length).max().orElse(0);
        pairs.forEach((k, v) -> line(b, pad(k, width) + "  " + v));
        tables.forEach((k, rows) -> {
            if (rows.isEmpty()) {
                line(b, k + ": none");
            } else {
                line(b, k + ":");
                table(b, rows);
            }
        });
    }

    private static void flatten(String prefix, JsonObject o, Map<String, String> pairs, Map<String, JsonArray> tables) {
        for (String field : o.fieldNames()) {
            Object v = o.getValue(field);
            String key = prefix + field;
            if (v instanceof JsonObject nested) flatten(key + ".", nested, pairs, tables);
            else if (v instanceof JsonArray a && (a.isEmpty() || a.stream().anyMatch(e -> e instanceof JsonObject))) tables.put(key, a);
            else pairs.put(key, text(v));
        }
    }

    private static void array(StringBuilder b, JsonArray a) {
        if (a.isEmpty()) line(b, "none");
        else if (a.stream().anyMatch(e -> e instanceof JsonObject)) table(b, a);
        else a.forEach(e -> line(b, text(e)));
    }

    /** Rows of objects under a header: the flattened keys, upper case, in order of first appearance. */
    private static void table(StringBuilder b, JsonArray rows) {
        List<Map<String, String>> cells = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        for (Object row : rows) {
            Map<String, String> flat = new LinkedHashMap<>();
            if (row instanceof JsonObject o) cells(flat, "", o);
            else flat.put("value", text(row));
            columns.addAll(flat.keySet());
            cells.add(flat);
        }
        List<String> header = columns.stream().toList();
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (Map<String, String> r : cells) width[i] = Math.max(width[i], r.getOrDefault(header.get(i), "-").length());
        }
        row(b, header.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList(), width);
        for (Map<String, String> r : cells) row(b, header.stream().map(h -> r.getOrDefault(h, "-")).toList(), width);
    }

    private static void cells(Map<String, String> flat, String prefix, JsonObject o) {
        for (String field : o.fieldNames()) {
            Object v = o.getValue(field);
            if (v instanceof JsonObject nested) cells(flat, prefix + field + ".", nested);
            else flat.put(prefix + field, text(v));
        }
    }

    private static void row(StringBuilder b, List<String> values, int[] width) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) r.append("  ");
            r.append(i == values.size() - 1 ? values.get(i) : pad(values.get(i), width[i]));
        }
        line(b, r.toString());
    }

    /** A value in one cell: null as "-", an array of scalars comma-separated ("none" when empty), anything else as JSON. */
    static String text(Object v) {
        if (v == null) return "-";
        if (v instanceof JsonArray a) {
            if (a.isEmpty()) return "none";
            List<String> parts = new ArrayList<>();
            for (Object e : a) parts.add(e instanceof JsonObject o ? o.encode() : text(e));
            return String.join(", ", parts);
        }
        return v.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static void line(StringBuilder b, String s) {
        b.append(s.stripTrailing()).append(System.lineSeparator());
    }
}
