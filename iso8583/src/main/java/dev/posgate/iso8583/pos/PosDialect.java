package dev.posgate.iso8583.pos;

/**
 * What sits between the TPDU and the MTI. Terminals send the 6-byte application header
 * (protocol.md section 2); some centres send none at all (protocol.md 2.1), which a listener setting
 * selects. The MAC block starts at the MTI either way.
 */
public enum PosDialect {
    /** {@code TPDU | application header (6) | MTI | bitmap | fields}. */
    APP_HEADER(AppHeader.LENGTH),
    /** {@code TPDU | MTI | bitmap | fields}: the message's header is {@link AppHeader#NONE}. */
    NO_APP_HEADER(0);

    private final int headerLength;

    PosDialect(int headerLength) {
        this.headerLength = headerLength;
    }

    /** Bytes of application header on the wire. */
    public int headerLength() {
        return headerLength;
    }

    /** Offset of the MTI in a frame body: the start of the MAC block. */
    public int mtiOffset() {
        return Tpdu.LENGTH + headerLength;
    }
}
