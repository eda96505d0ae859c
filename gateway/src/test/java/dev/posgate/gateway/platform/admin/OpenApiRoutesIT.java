package dev.posgate.gateway.platform.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.TestGateway;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * /api/openapi.json against the admin port's real router (every module installed): each route
 * (path and method, sub-routers included) is in the description and each described operation is
 * a route, so there is no undocumented route and no stale one; and the document is well-formed
 * OpenAPI 3.1, checked by hand (no validator library is available offline): version, paths,
 * operations, path parameters, responses, and every $ref resolving (and every schema used).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiRoutesIT {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "options", "head", "trace");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestGateway gateway;
    private JsonObject doc;

    @BeforeAll
    void start() throws Exception {
        gateway = TestGateway.start();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/api/openapi.json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "served without a token");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        doc = new JsonObject(r.body());
        assertEquals(new JsonObject(AdminApi.openApiDocument()), doc);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void everyRouteIsDescribedAndEveryDescribedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        collect(gateway.app().adminRouter(), "", routes);
        Set<String> described = new TreeSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                if (METHODS.contains(method)) described.add(method.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        assertTrue(routes.size() > 30, "the router's endpoints, all modules installed: " + routes);
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(described);
        Set<String> stale = new TreeSet<>(described);
        stale.removeAll(routes);
        assertTrue(undocumented.isEmpty(), "routes missing from openapi.json: " + undocumented);
        assertTrue(stale.isEmpty(), "operations in openapi.json with no route: " + stale);
    }

    /** Endpoints (a path and methods) of a router and its sub-routers; handler-only routes (body handlers, the token check, 404) are not endpoints. */
    private static void collect(Router router, String prefix, Set<String> out) {
        for (Route r : router.getRoutes()) {
            String path = r.getPath();
            if (r.getSubRouter() != null) {
                String mount = path == null ? "" : path.replaceAll("\\*$", "").replaceAll("/$", "");
                collect(r.getSubRouter(), prefix + mount, out);
                continue;
            }
            if (path == null || path.endsWith("*") || r.methods() == null || r.methods().isEmpty()) continue;
            String template = prefix + path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            for (HttpMethod m : r.methods()) out.add(m.name() + " " + template);
        }
    }

    @Test
    void documentIsStructurallyOpenApi31() {
        assertEquals("3.1.0", doc.getString("openapi"));
        JsonObject info = doc.getJsonObject("info");
        assertNotNull(info.getString("title"));
        assertNotNull(info.getString("version"));
        JsonObject components = doc.getJsonObject("components");
        JsonObject schemas = components.getJsonObject("schemas");
        JsonObject bearer = components.getJsonObject("securitySchemes").getJsonObject("bearer");
        assertEquals("http", bearer.getString("type"));
        assertEquals("bearer", bearer.getString("scheme"));
        assertEquals(new JsonArray().add(new JsonObject().put("bearer", new JsonArray())), doc.getJsonArray("security"));

        Set<String> operationIds = new HashSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        assertFalse(paths.isEmpty());
        for (String path : paths.fieldNames()) {
            assertTrue(path.startsWith("/"), path);
            Set<String> templated = new HashSet<>();
            Matcher m = TEMPLATE.matcher(path);
            while (m.find()) templated.add(m.group(1));
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                String where = method + " " + path;
                assertTrue(METHODS.contains(method), "not an HTTP method: " + where);
                JsonObject op = item.getJsonObject(method);
                assertTrue(operationIds.add(op.getString("operationId")), "operationId missing or repeated: " + where);
                assertNotNull(op.getString("summary"), where);
                Set<String> declared = new HashSet<>();
                for (Object p : op.getJsonArray("parameters", new JsonArray())) {
                    JsonObject param = (JsonObject) p;
                    assertTrue(Set.of("path", "query", "header", "cookie").contains(param.getString("in")), where);
                    assertNotNull(param.getJsonObject("schema"), where + " " + param.getString("name"));
                    if (param.getString("in").equals("path")) {
                        assertEquals(Boolean.TRUE, param.getBoolean("required"), "path parameters are required: " + where);
                        declared.add(param.getString("name"));
                    }
                }
                assertEquals(templated, declared, "path parameters of " + where);
                if (op.containsKey("requestBody")) {
                    JsonObject content = op.getJsonObject("requestBody").getJsonObject("content");
                    assertFalse(content.isEmpty(), where);
                    content.forEach(e -> assertNotNull(((JsonObject) e.getValue()).getJsonObject("schema"), where + " " + e.getKey()));
                }
                JsonObject responses = op.getJsonObject("responses");
                assertFalse(responses.isEmpty(), where);
                for (String status : responses.fieldNames()) {
                    assertTrue(status.matches("[1-5][0-9]{2}|default"), where + " " + status);
                    JsonObject resp = responses.getJsonObject(status);
                    assertNotNull(resp.getString("description"), where + " " + status);
                    if (resp.containsKey("content")) {
                        resp.getJsonObject("content").forEach(e -> assertNotNull(((JsonObject) e.getValue()).getJsonObject("schema"),
                                where + " " + status));
                    }
                }
                boolean open = op.getJsonArray("security") != null && op.getJsonArray("security").isEmpty();
                boolean underApi = path.startsWith("/api/") && !path.equals("/api/openapi.json");
                assertEquals(!underApi, open, "only the probes and this document are open: " + where);
                if (underApi) assertTrue(responses.containsKey("401"), "a token-protected operation documents 401: " + where);
                if (!method.equals("delete") && underApi) {
                    assertTrue(responses.fieldNames().stream().anyMatch(s -> s.startsWith("2")), where);
                }
            }
        }

        // every $ref resolves, and every schema is used
        List<String> refs = new ArrayList<>();
        refs(doc, refs);
        Set<String> used = new HashSet<>();
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/components/schemas/"), ref);
            String name = ref.substring("#/components/schemas/".length());
            assertTrue(schemas.containsKey(name), "unresolved " + ref);
            used.add(name);
        }
        assertEquals(schemas.fieldNames(), used, "schemas no operation uses");
        for (Map.Entry<String, Object> s : schemas) {
            JsonObject schema = assertInstanceOf(JsonObject.class, s.getValue());
            assertTrue(schema.containsKey("type") || schema.containsKey("oneOf") || schema.containsKey("$ref"), s.getKey());
        }
    }

    /**
     * Real answers against their documented schemas (a small hand validator: $ref, type, required,
     * properties, items, enum, const, oneOf): the GET operations a fresh gateway can answer, and a
     * terminal's registration.
     */
    @Test
    void realAnswersMatchTheirSchemas() throws Exception {
        String token = gateway.app().adminToken();
        HttpResponse<String> registered = call("POST", "/api/terminals", token, new JsonObject().put("tid", "OAPI0001")
                .put("mid", "898310048990001").put("sn", "SN-OAPI-1").put("vendor", "ACME").put("model", "P100").encode());
        check("post", "/api/terminals", registered);
        String[][] gets = {{"/health", "/health"}, {"/ready", "/ready"}, {"/api/terminals", "/api/terminals?limit=5"},
                {"/api/terminals/{tid}", "/api/terminals/OAPI0001"}, {"/api/terminals/{tid}/keys", "/api/terminals/OAPI0001/keys"},
                {"/api/terminals/{tid}", "/api/terminals/NOBODY01"}, {"/api/posp/ic/aids", "/api/posp/ic/aids"},
                {"/api/posp/ic/terminals", "/api/posp/ic/terminals"}, {"/api/kms/loading-authorisations", "/api/kms/loading-authorisations"},
                {"/api/psam/bindings/{tid}", "/api/psam/bindings/OAPI0001"},
                {"/api/tms/rollout", "/api/tms/rollout?vendor=ACME&name=app&version=1"}, {"/api/terminals/{tid}/keys", "/api/terminals/NOBODY01/keys"},
                {"/api/posp/signatures/{journalId}", "/api/posp/signatures/1"}, {"/api/posp/signatures/{journalId}", "/api/posp/signatures/x"},
                {"/api/posp/signatures", "/api/posp/signatures?tid=OAPI0001&stan=000001"}, {"/api/posp/signatures", "/api/posp/signatures?tid=OAPI0001"}};
        for (String[] g : gets) check("get", g[0], call("GET", g[1], token, null));
        check("patch", "/api/terminals/{tid}", call("PATCH", "/api/terminals/OAPI0001", token, new JsonObject().put("makLength", "SINGLE").encode()));
        check("patch", "/api/terminals/{tid}", call("PATCH", "/api/terminals/OAPI0001", token, new JsonObject().put("makLength", "NEITHER").encode()));
        check("get", "/api/terminals", call("GET", "/api/terminals", "wrong", null));
    }

    private HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void check(String method, String path, HttpResponse<String> r) {
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + r.statusCode();
        JsonObject response = doc.getJsonObject("paths").getJsonObject(path).getJsonObject(method).getJsonObject("responses")
                .getJsonObject(String.valueOf(r.statusCode()));
        assertNotNull(response, "status not documented: " + where + " " + r.body());
        JsonObject content = response.getJsonObject("content");
        if (content == null) {
            assertTrue(r.body().isEmpty(), where);
            return;
        }
        JsonObject schema = content.getJsonObject("application/json").getJsonObject("schema");
        List<String> problems = new ArrayList<>();
        validate(new JsonObject("{\"v\":" + r.body() + "}").getValue("v"), schema, "$", problems);
        assertTrue(problems.isEmpty(), where + ": " + problems + " in " + r.body());
    }

    private void validate(Object value, JsonObject schema, String at, List<String> problems) {
        if (schema.containsKey("$ref")) {
            String name = schema.getString("$ref").substring("#/components/schemas/".length());
            validate(value, doc.getJsonObject("components").getJsonObject("schemas").getJsonObject(name), at, problems);
            return;
        }
        if (schema.containsKey("oneOf")) {
            int matching = 0;
            for (Object alternative : schema.getJsonArray("oneOf")) {
                List<String> p = new ArrayList<>();
                validate(value, (JsonObject) alternative, at, p);
                if (p.isEmpty()) matching++;
            }
            if (matching != 1) problems.add(at + ": " + matching + " oneOf alternatives match");
            return;
        }
        if (schema.containsKey("const") && !schema.getValue("const").equals(value)) problems.add(at + ": not " + schema.getValue("const"));
        if (schema.containsKey("enum") && !schema.getJsonArray("enum").contains(value)) problems.add(at + ": " + value + " not in " + schema.getJsonArray("enum"));
        Object type = schema.getValue("type");
        if (type != null) {
            List<Object> types = type instanceof JsonArray a ? a.getList() : List.of(type);
            if (types.stream().noneMatch(t -> hasType(value, (String) t))) {
                problems.add(at + ": " + value + " is not " + types);
                return;
            }
        }
        if (value instanceof JsonObject o) {
            for (Object req : schema.getJsonArray("required", new JsonArray())) {
                if (!o.containsKey((String) req)) problems.add(at + ": missing " + req);
            }
            JsonObject props = schema.getJsonObject("properties", new JsonObject());
            for (String field : o.fieldNames()) {
                if (props.containsKey(field)) validate(o.getValue(field), props.getJsonObject(field), at + "." + field, problems);
                else if (schema.getValue("additionalProperties") instanceof JsonObject extra) validate(o.getValue(field), extra, at + "." + field, problems);
                else problems.add(at + ": undocumented field " + field);
            }
        }
        if (value instanceof JsonArray a && schema.containsKey("items")) {
            for (int i = 0; i < a.size(); i++) validate(a.getValue(i), schema.getJsonObject("items"), at + "[" + i + "]", problems);
        }
    }

    private static boolean hasType(Object v, String type) {
        return switch (type) {
            case "null" -> v == null;
            case "string" -> v instanceof String;
            case "integer" -> v instanceof Integer || v instanceof Long;
            case "number" -> v instanceof Number;
            case "boolean" -> v instanceof Boolean;
            case "object" -> v instanceof JsonObject;
            case "array" -> v instanceof JsonArray;
            default -> false;
        };
    }

    @Test
    void everythingElseUnderApiNeedsTheToken() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/api/terminals"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
    }

    private static void refs(Object node, List<String> out) {
        if (node instanceof JsonObject o) {
            for (Map.Entry<String, Object> e : o) {
                if (e.getKey().equals("$ref")) out.add((String) e.getValue());
                else refs(e.getValue(), out);
            }
        } else if (node instanceof JsonArray a) {
            for (Object v : a) refs(v, out);
        }
    }
}
