package dev.posgate.gateway.tms;

/** TMS response codes (SRC) beyond the shared {@code ResponseCodes}. */
final class TmsStatus {
    /** Package (or the vendor's repository) not found. */
    static final String PACKAGE_NOT_FOUND = "B3";

    private TmsStatus() {}
}
