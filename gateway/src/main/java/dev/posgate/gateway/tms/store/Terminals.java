package dev.posgate.gateway.tms;

import dev.posgate.gateway.db.Terminal;
import dev.posgate.gateway.tms.repository.TerminalProfile;

final class Terminals {
    private Terminals() {}

    static TerminalProfile profile(Terminal t) {
        return new TerminalProfile(t.sn(), t.vendor(), t.model());
    }
}
