package dev.posgate.protocol.pki;

/**
 * What a certificate of the posgate CA is for, carried as an extended key usage OID (one per
 * role, under a UUID-derived arc, ITU-T X.667, so no registration is needed). A certificate is
 * accepted for a role only if it carries that role's OID; docs/kms.md lists the OIDs.
 */
public enum CertificateRole {
    /** KMS/HSM working certificate (HsmWCRT): its public key wraps terminals' TK blocks. */
    KMS("1"),
    /** Acquirer key-loader working certificate (AcquireWCRT). */
    KEY_LOADER("2"),
    /** Operator card: signs the factory TK batch; opens or approves key-loading authorisations. */
    OPERATOR("3"),
    /** Administrator card: co-signs the factory TK batch; opens or approves key-loading authorisations. */
    ADMINISTRATOR("4"),
    /**
     * Terminal device certificate (DF2A), issued by a manufacturer CA to one serial (CN = SN): the
     * terminal signs DF27 ‖ SN with its key in L2.
     */
    DEVICE("5");

    /** The arc of the posgate roles: 2.25 + a UUID as an integer. */
    public static final String ARC = "2.25.258479017416592470238645063617325930874";

    private final String oid;

    CertificateRole(String leaf) {
        this.oid = ARC + "." + leaf;
    }

    public String oid() {
        return oid;
    }

    /** The role of {@code oid}, or null when it is not one of ours. */
    public static CertificateRole ofOid(String oid) {
        for (CertificateRole r : values()) {
            if (r.oid.equals(oid)) return r;
        }
        return null;
    }
}
