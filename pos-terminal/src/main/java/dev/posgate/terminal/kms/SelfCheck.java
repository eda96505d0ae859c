package dev.posgate.terminal.kms;

import java.util.List;

/** The functional self-check before TK generation: UI loaded, network reachable, application download works. */
@FunctionalInterface
public interface SelfCheck {
    /** What failed; empty when the terminal is functional. */
    List<String> failures();

    static SelfCheck passing() {
        return List::of;
    }
}
