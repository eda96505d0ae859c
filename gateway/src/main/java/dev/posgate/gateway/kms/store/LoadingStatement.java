package dev.posgate.gateway.kms.store;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What a card holder signs to open or approve a key-loading authorisation (docs/kms.md): a CMS
 * SignedData (RFC 5652) with encapsulated UTF-8 JSON content
 * {@code {"action": "open"|"approve", "id": uuid, "sn": ..., "time": ISO-8601, "ttlSeconds"?: n}},
 * one SHA256withRSA signer (the card) with its certificate. The opener chooses the id, so the
 * approver signs exactly the authorisation it saw.
 */
public record LoadingStatement(String action, UUID id, String sn, Instant time, Integer ttlSeconds) {
    public static final String OPEN = "open";
    public static final String APPROVE = "approve";

    public static LoadingStatement open(String sn, Integer ttlSeconds, Instant now) {
        return new LoadingStatement(OPEN, UUID.randomUUID(), sn, now, ttlSeconds);
    }

    public static LoadingStatement approve(UUID id, String sn, Instant now) {
        return new LoadingStatement(APPROVE, id, sn, now, null);
    }

    public byte[] content() {
        JsonObject o = new JsonObject().put("action", action).put("id", id.toString()).put("sn", sn).put("time", time.toString());
        if (ttlSeconds != null) o.put("ttlSeconds", ttlSeconds);
        return o.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the content; {@link IllegalArgumentException} when it is not the documented JSON. */
    static LoadingStatement parse(byte[] content) {
        try {
            JsonObject o = new JsonObject(new String(content, StandardCharsets.UTF_8));
            String action = o.getString("action");
            String sn = o.getString("sn");
            if (!OPEN.equals(action) && !APPROVE.equals(action)) throw new IllegalArgumentException("action must be open or approve");
            // DF03 is ans..32: printable ASCII only, so no NUL reaches SQL and no CR/LF reaches a log line
            if (sn == null || !sn.matches("[\\x20-\\x7E]{1,32}")) throw new IllegalArgumentException("sn must be 1-32 printable ASCII characters");
            return new LoadingStatement(action, UUID.fromString(o.getString("id")), sn, Instant.parse(o.getString("time")),
                    o.getInteger("ttlSeconds"));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("statement is not the documented JSON");
        }
    }

    /** The statement signed by one card (its private key and certificate). Blocking (RSA). */
    public byte[] sign(PrivateKey cardKey, X509Certificate cardCertificate) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(cardKey), cardCertificate));
            gen.addCertificates(new JcaCertStore(List.of(cardCertificate)));
            return gen.generate(new CMSProcessableByteArray(content()), true).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the statement: " + e.getMessage(), e);
        }
    }
}
