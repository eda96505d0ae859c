package dev.posgate.gateway.routing;

/** Response codes of protocol.md: ISO8583 field 39 and the TMS header status share these values. */
public final class ResponseCodes {
    public static final String APPROVED = "00";
    public static final String INVALID_MERCHANT = "03";
    public static final String DO_NOT_HONOUR = "05";
    public static final String INVALID_TRANSACTION = "12";
    public static final String FORMAT_ERROR = "30";
    public static final String SECURITY_VIOLATION = "63";
    public static final String SIGN_ON_AGAIN = "77";
    public static final String DUPLICATE = "94";
    public static final String SYSTEM_MALFUNCTION = "96";
    public static final String NOT_REGISTERED = "97";
    public static final String MAC_ERROR = "A0";

    private ResponseCodes() {}
}
