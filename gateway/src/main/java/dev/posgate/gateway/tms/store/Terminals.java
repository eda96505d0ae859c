package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.platform.db.Terminal;

public final class Terminals {
    private Terminals() {}

    public static TerminalProfile profile(Terminal t) {
        return new TerminalProfile(t.sn(), t.vendor(), t.model());
    }
}
