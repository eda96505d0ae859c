package dev.posgate.load.gatling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's admin API over loopback HTTP (java.net.http, no Vert.x), for provisioning a fleet
 * before a simulation: terminal registration, the TMK key ceremony, the upstream zone keys, TMS
 * DMK ceremony, package publishing and targeting, KMS TK batches.
 */
public final class AdminClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public AdminClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public void registerTmkTerminal(String tid, String sn) {
        registerTmkTerminal(tid, sn, false);
    }

    /** {@code sm4}: an SM4 terminal (keyAlgorithm SM4), whose TMK the ceremony forms as an SM4 key. */
    public void registerTmkTerminal(String tid, String sn, boolean sm4) {
        post("/api/terminals", "{\"tid\":\"" + tid + "\",\"mid\":\"" + VirtualTerminal.MID + "\",\"sn\":\"" + sn
                + "\",\"vendor\":\"LOAD\",\"model\":\"VIRTUAL\",\"keyScheme\":\"TMK\",\"macAlgorithm\":\"ECB\""
                + algorithm(sm4) + "}");
        post("/api/ceremony/terminals/" + sn + "/tmk", "{\"components\":[\"" + VirtualTerminal.TMK_COMPONENTS[0]
                + "\",\"" + VirtualTerminal.TMK_COMPONENTS[1] + "\"]}");
    }

    /** Registers a TMK terminal of {@code vendor}/{@code model} without forming its TMK (TMS or KMS provisions it). */
    void registerTerminal(String tid, String sn, String vendor, String model) {
        registerTerminal(tid, sn, vendor, model, false);
    }

    /** {@code sm4}: an SM4 terminal (keyAlgorithm SM4). */
    void registerTerminal(String tid, String sn, String vendor, String model, boolean sm4) {
        post("/api/terminals", "{\"tid\":\"" + tid + "\",\"mid\":\"" + VirtualTerminal.MID + "\",\"sn\":\"" + sn
                + "\",\"vendor\":\"" + vendor + "\",\"model\":\"" + model + "\",\"keyScheme\":\"TMK\",\"macAlgorithm\":\"ECB\""
                + algorithm(sm4) + "}");
    }

    private static String algorithm(boolean sm4) {
        return sm4 ? ",\"keyAlgorithm\":\"SM4\"" : "";
    }

    /** The terminal's DMK from clear components (needs tms.dmk.ceremony.enabled). */
    void provisionDmk(String sn, String[] components) {
        post("/api/tms/terminals/" + sn + "/dmk", "{\"components\":[\"" + components[0] + "\",\"" + components[1] + "\"]}");
    }

    /** Publishes a package in the PostgreSQL repository; answers its id. */
    long publishPackage(String vendor, String model, String name, String version, byte[] bytes) {
        String body = send("POST", "/api/tms/packages?vendor=" + vendor + "&model=" + model + "&name=" + name
                + "&version=" + version + "&kind=1", HttpRequest.BodyPublishers.ofByteArray(bytes), "application/octet-stream");
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
        if (!m.find()) throw new IllegalStateException("no package id in " + body);
        return Long.parseLong(m.group(1));
    }

    void addToGroup(String sn, String group) {
        send("PUT", "/api/tms/terminals/" + sn + "/groups/" + group, HttpRequest.BodyPublishers.noBody(), "application/json");
    }

    void target(long packageId, String group) {
        post("/api/tms/packages/" + packageId + "/targets/" + group, "{}");
    }

    /** A signed TK batch (DER CMS SignedData, docs/kms.md). */
    String uploadTkBatch(byte[] cms) {
        return send("POST", "/api/kms/batches", HttpRequest.BodyPublishers.ofByteArray(cms), "application/pkcs7-mime");
    }

    /** New upstream ZPK and ZAK; answers their LMK forms {zpk, zak} for the host simulator. */
    public String[] zoneKeys() {
        String body = post("/api/posp/zone-keys", "{}");
        return new String[] {underLmk(body, "zpk"), underLmk(body, "zak")};
    }

    private static String underLmk(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\{[^}]*\"underLmk\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + key + " in " + json);
        return m.group(1);
    }

    /** The Prometheus text of {@code /metrics} (no token needed). */
    public String metrics() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String post(String path, String json) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + token)
                .header("content-type", contentType)
                .method(method, body)
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
