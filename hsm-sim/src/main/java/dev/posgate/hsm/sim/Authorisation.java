package dev.posgate.hsm.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The software HSM's authorised state, as payShield's: commands that move a key under a key the
 * caller may know (A6 import under a ZMK, A8 export under a ZMK/TMK, GI import under an RSA key;
 * for SM4 keys SV, ST and WO, their counterparts)
 * are refused with error 17 unless an operator authorised them, per command and until a deadline.
 * Without it, anyone reaching the host port could EI a key pair, GI a ZMK of their own choosing
 * and A8 every TMK out under it. None of posgate's own online flows use these commands.
 */
public final class Authorisation {
    /** Commands that need the authorised state. */
    public static final Set<String> GATED = Set.of("A6", "A8", "GI", "SV", "ST", "WO");
    public static final Authorisation NONE = new Authorisation(Set.of(), Instant.MIN, Clock.systemUTC());

    private final Set<String> commands;
    private final Instant until;
    private final Clock clock;

    private Authorisation(Set<String> commands, Instant until, Clock clock) {
        this.commands = Set.copyOf(commands);
        this.until = until;
        this.clock = clock;
    }

    /** {@code commands} (a subset of {@link #GATED}) authorised for {@code duration} from now. */
    public static Authorisation of(Set<String> commands, Duration duration) {
        return of(commands, duration, Clock.systemUTC());
    }

    static Authorisation of(Set<String> commands, Duration duration, Clock clock) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("the authorised state lasts 1 s .. 12 h, not " + duration);
        }
        Set<String> codes = new TreeSet<>();
        for (String c : commands) {
            String code = c.trim().toUpperCase(Locale.ROOT);
            if (!GATED.contains(code)) {
                throw new IllegalArgumentException(code + " needs no authorisation (authorisable: " + new TreeSet<>(GATED) + ")");
            }
            codes.add(code);
        }
        return new Authorisation(codes, clock.instant().plus(duration), clock);
    }

    /** True when {@code code} may run now: not gated, or authorised and not expired. */
    public boolean permits(String code) {
        return !GATED.contains(code) || (commands.contains(code) && clock.instant().isBefore(until));
    }

    @Override
    public String toString() {
        return commands.isEmpty() ? "not authorised" : "authorised for " + commands + " until " + until;
    }
}
