package dev.posgate.gateway.kms.admin;

import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;
import dev.posgate.gateway.kms.store.BatchEntry;

/**
 * Checks a factory batch (protocol.md section 4, docs/kms.md): a CMS SignedData with its content
 * encapsulated, exactly one signature by an operator card and one by an administrator card, each
 * certificate chaining to the posgate CA with that role, valid now and not revoked. Blocking
 * (RSA, parsing): run on a worker thread.
 */
public final class BatchVerifier {
    private static final int MAX_TERMINALS = 1000;

    private final CertificateVerifier ca;

    public BatchVerifier(CertificateVerifier ca) {
        this.ca = ca;
    }

    public SignedBatch verify(byte[] der, Instant now) {
        try {
            return verifyParsed(der, now);
        } catch (BatchRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            // BouncyCastle parses the ASN.1 lazily: a malformed structure can surface while the
            // signers and certificates are walked, not only in the constructor (found by fuzzing)
            throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "malformed CMS SignedData");
        }
    }

    private SignedBatch verifyParsed(byte[] der, Instant now) {
        CMSSignedData cms;
        byte[] content;
        try {
            cms = new CMSSignedData(der);
            if (cms.getSignedContent() == null) throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "detached content");
            content = (byte[]) cms.getSignedContent().getContent();
        } catch (BatchRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "not a CMS SignedData");
        }
        String operator = null;
        String administrator = null;
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = cms.getCertificates();
        for (SignerInformation signer : cms.getSignerInfos().getSigners()) {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
            if (matches.isEmpty()) throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(), "signer certificate missing");
            X509Certificate cert;
            try {
                cert = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
                // by key: validity is judged by CertificateVerifier (now), not by BouncyCastle at signing time
                if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert.getPublicKey()))) {
                    throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(), "signature does not verify");
                }
            } catch (BatchRejectedException e) {
                throw e;
            } catch (Exception e) {
                throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(), "signature does not verify");
            }
            CertificateRole role = roleOf(cert);
            try {
                ca.verify(cert, role, now);
            } catch (CertificateRejectedException e) {
                throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(), role + " card refused: " + e.reason());
            }
            String serial = CertificateVerifier.serial(cert);
            if (role == CertificateRole.OPERATOR && operator == null) operator = serial;
            else if (role == CertificateRole.ADMINISTRATOR && administrator == null) administrator = serial;
            else throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(), "more than one " + role + " signature");
        }
        if (operator == null || administrator == null) {
            throw new BatchRejectedException(ResultCode.SECURITY_VIOLATION.code(),
                    "batch needs both an operator and an administrator signature");
        }
        return parseContent(content, operator, administrator);
    }

    /** The card role a certificate claims (checked by {@link CertificateVerifier} afterwards). */
    private static CertificateRole roleOf(X509Certificate cert) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && eku.contains(CertificateRole.ADMINISTRATOR.oid())) return CertificateRole.ADMINISTRATOR;
        } catch (Exception ignored) {
            // falls through: verified as an operator card, which then fails
        }
        return CertificateRole.OPERATOR;
    }

    private static SignedBatch parseContent(byte[] content, String operator, String administrator) {
        try {
            JsonObject json = new JsonObject(new String(content, StandardCharsets.UTF_8));
            String order = json.getString("productionOrder");
            JsonArray terminals = json.getJsonArray("terminals");
            if (order == null || order.isBlank() || order.length() > 64 || terminals == null || terminals.isEmpty()
                    || terminals.size() > MAX_TERMINALS) {
                throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "production order and 1.." + MAX_TERMINALS + " terminals required");
            }
            List<BatchEntry> entries = new ArrayList<>();
            Set<String> sns = new HashSet<>();
            for (int i = 0; i < terminals.size(); i++) {
                JsonObject t = terminals.getJsonObject(i);
                String sn = t.getString("sn");
                String pinpad = t.getString("snPinpad");
                byte[] block = Base64.getDecoder().decode(t.getString("tkBlock"));
                if (sn == null || sn.isEmpty() || sn.length() > 32 || (pinpad != null && pinpad.length() > 32)
                        || block.length < 128 || block.length > 512) {
                    throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "terminal entry " + i + " malformed");
                }
                if (!sns.add(sn)) throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "serial twice in the batch");
                entries.add(new BatchEntry(sn, pinpad, block));
            }
            return new SignedBatch(order, entries, operator, administrator);
        } catch (BatchRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BatchRejectedException(ResultCode.FORMAT_ERROR.code(), "batch content is not the documented JSON");
        }
    }
}
