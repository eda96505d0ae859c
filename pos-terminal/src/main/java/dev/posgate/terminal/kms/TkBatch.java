package dev.posgate.terminal.kms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The factory TK batch (protocol.md section 4): a CMS SignedData, encapsulated content = UTF-8
 * JSON {@code {"productionOrder": ..., "terminals": [{"sn", "snPinpad"?, "tkBlock": base64}]}},
 * one SHA256withRSA signer per card, each with its certificate. Format: docs/kms.md.
 */
public final class TkBatch {
    private TkBatch() {}

    public static byte[] content(String productionOrder, List<TerminalOutput> terminals) {
        JsonArray list = new JsonArray();
        for (TerminalOutput t : terminals) {
            JsonObject o = new JsonObject().put("sn", t.sn()).put("tkBlock", Base64.getEncoder().encodeToString(t.tkBlock()));
            if (t.snPinpad() != null) o.put("snPinpad", t.snPinpad());
            list.add(o);
        }
        return new JsonObject().put("productionOrder", productionOrder).put("terminals", list).encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs {@code content} with each card (the operator terminal passes exactly operator + administrator). */
    public static byte[] sign(byte[] content, List<Card> cards) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            for (Card c : cards) {
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(c.privateKey()), c.certificate()));
            }
            gen.addCertificates(new JcaCertStore(cards.stream().map(Card::certificate).toList()));
            return gen.generate(new CMSProcessableByteArray(content), true).getEncoded();
        } catch (OperatorCreationException | CMSException | java.security.cert.CertificateEncodingException
                | java.io.IOException e) {
            throw new IllegalStateException("cannot sign the batch: " + e.getMessage(), e);
        }
    }
}
