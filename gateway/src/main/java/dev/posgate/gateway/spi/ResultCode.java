package dev.posgate.gateway.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * The response codes the gateway answers with (protocol.md): ISO8583 field 39 toward terminals
 * and the status of a TMS/KMS header share these values. A host's field 39 is passed to the
 * terminal as the host sent it, so a code from outside this list still travels as text.
 */
public enum ResultCode {
    APPROVED("00"),
    INVALID_MERCHANT("03"),
    DO_NOT_HONOUR("05"),
    INVALID_TRANSACTION("12"),
    /** A host's: the amount is not one it accepts. */
    INVALID_AMOUNT("13"),
    /** The original a void, a reversal or a download names is not on file (or not approved). */
    NO_SUCH_RECORD("25"),
    FORMAT_ERROR("30"),
    /** A host's: not enough funds. */
    INSUFFICIENT_FUNDS("51"),
    /** A pre-auth completion above the authorised amount plus the tolerance (UnionPay "exceeds amount limit"). */
    EXCEEDS_AMOUNT_LIMIT("61"),
    INCORRECT_PIN("55"),
    /** The terminal is registered but not ACTIVE. */
    NOT_PERMITTED_TO_TERMINAL("58"),
    SECURITY_VIOLATION("63"),
    /** The host did not answer in time; the gateway reverses what it sent. */
    RESPONSE_TOO_LATE("68"),
    SIGN_ON_AGAIN("77"),
    /**
     * The switch cannot serve the request now and did nothing with it (retry later): no connection
     * to the host, nothing sent; or a sign-on over the node's admission (docs/posp.md).
     */
    ISSUER_UNAVAILABLE("91"),
    DUPLICATE("94"),
    SYSTEM_MALFUNCTION("96"),
    NOT_REGISTERED("97"),
    /** Field 39 of a reversal request: no answer was received to the original. */
    NO_ANSWER_RECEIVED("98"),
    MAC_ERROR("A0"),
    /** KMS: no transmission key on file for the serial. */
    NO_TK_ON_FILE("B1"),
    /** KMS: the batch carries a transmission key already on file. */
    TK_ALREADY_ON_FILE("B2"),
    /** TMS: the package (or the vendor's repository) is not found. */
    PACKAGE_NOT_FOUND("B3"),
    /** KMS: no loading authorisation open for the serial. */
    NO_AUTHORISATION("B4");

    private static final Map<String, ResultCode> BY_CODE = new HashMap<>();

    static {
        for (ResultCode c : values()) BY_CODE.put(c.code, c);
    }

    private final String code;

    ResultCode(String code) {
        this.code = code;
    }

    /** The two characters on the wire. */
    public String code() {
        return code;
    }

    /** True when {@code wire} is this code. */
    public boolean is(String wire) {
        return code.equals(wire);
    }

    /** The code for {@code wire}, or null when it is not one of the gateway's (a host's own code). */
    public static ResultCode of(String wire) {
        return wire == null ? null : BY_CODE.get(wire);
    }
}
