package dev.posgate.protocol.posp;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The POSP's admission rule for a financial message (0200, 0400, 0500), before its MAC is
 * checked: I/O-free, so the order of the checks is pinned by unit tests. The gateway gathers the
 * facts (registry, sign-on state, PSAM binding) and acts on the verdict.
 */
public final class Admission {
    /** What to do with the message; {@link #responseCode()} is null for {@link #VERIFY_MAC}. */
    public enum Verdict {
        NOT_REGISTERED("97"),
        NOT_PERMITTED("58"),
        /** Answered with processing requirement 3 and no MAC: no working key is trusted. */
        SIGN_ON_AGAIN("77"),
        /** No field 64: answered as a MAC error, without a MAC. */
        MAC_MISSING("A0"),
        VERIFY_MAC(null);

        private final String responseCode;

        Verdict(String responseCode) {
            this.responseCode = responseCode;
        }

        public String responseCode() {
            return responseCode;
        }
    }

    /** The facts about the sending terminal; {@code registered == false} makes the rest irrelevant. */
    public record Facts(boolean registered, boolean active, LocalDate signedOnDate, boolean hasWorkingKeys,
            boolean psam, String cardAtSignOn, String cardBoundNow, boolean hasMac) {}

    private Admission() {}

    /**
     * Registered → active → signed on during {@code today} with working keys → (PSAM) the card
     * bound at sign-on is still the card bound now → a MAC is present.
     */
    public static Verdict decide(Facts f, LocalDate today) {
        if (!f.registered()) return Verdict.NOT_REGISTERED;
        if (!f.active()) return Verdict.NOT_PERMITTED;
        if (!today.equals(f.signedOnDate()) || !f.hasWorkingKeys()) return Verdict.SIGN_ON_AGAIN;
        if (f.psam() && (f.cardAtSignOn() == null || !Objects.equals(f.cardAtSignOn(), f.cardBoundNow()))) {
            return Verdict.SIGN_ON_AGAIN;
        }
        return f.hasMac() ? Verdict.VERIFY_MAC : Verdict.MAC_MISSING;
    }
}
