package dev.posgate.hsm.sim;

import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.Replies;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software HSM's brain: a pure function of (LMK, request) → reply, no I/O. A request is the
 * 2-character command code and its fields (no length prefix, no header); the reply is the reply
 * code, the 2-character error code and the reply fields. Every malformed or refused request gets
 * an error reply; no exception escapes {@link #process}. Thread-safe.
 */
public final class HsmCommandProcessor {
    private static final Logger log = LoggerFactory.getLogger(HsmCommandProcessor.class);
    /** Commands that cost milliseconds (RSA, SM2) and belong on a worker thread. */
    private static final Set<String> SLOW = Set.of("EI", "GI", "ZI", "ZQ", "K1", "K3", "WO", "ZY", "WQ");

    private final Map<String, CommandHandler> handlers = new HashMap<>();
    private final Set<String> disabled;
    private final HsmProfile profile;
    private final Lmk lmk;
    private volatile Authorisation authorisation;
    /** The key-block and TR-31 forms of A0/A6/A8 (docs/key-blocks.md), ahead of the variant handlers. */
    private volatile KeyBlockCommands keyBlocks;

    public HsmCommandProcessor(Lmk lmk, boolean allowClearComponents, Set<String> disabledCommands) {
        this(lmk, allowClearComponents, disabledCommands, Authorisation.NONE);
    }

    public HsmCommandProcessor(Lmk lmk, boolean allowClearComponents, Set<String> disabledCommands,
            Authorisation authorisation) {
        this(lmk, allowClearComponents, disabledCommands, authorisation, HsmProfile.POSGATE);
    }

    /**
     * A processor of {@code profile}: {@link HsmProfile#PAYSHIELD} answers only payShield's
     * standard commands and key types, as {@link PayShieldMode} says.
     */
    public HsmCommandProcessor(Lmk lmk, boolean allowClearComponents, Set<String> disabledCommands,
            Authorisation authorisation, HsmProfile profile) {
        this(lmk, allowClearComponents, disabledCommands, RandomSource.secure(), new SecureRandom(), profile);
        this.authorisation = authorisation;
    }

    HsmCommandProcessor(Lmk lmk, boolean allowClearComponents, Set<String> disabledCommands,
            RandomSource random, SecureRandom secureRandom) {
        this(lmk, allowClearComponents, disabledCommands, random, secureRandom, HsmProfile.POSGATE);
    }

    HsmCommandProcessor(Lmk lmk, boolean allowClearComponents, Set<String> disabledCommands,
            RandomSource random, SecureRandom secureRandom, HsmProfile profile) {
        this.lmk = lmk;
        this.profile = java.util.Objects.requireNonNull(profile, "profile");
        this.authorisation = Authorisation.NONE;
        this.disabled = Set.copyOf(disabledCommands);
        SimContext ctx = new SimContext(lmk, random, secureRandom, allowClearComponents);
        new KeyManagementCommands(ctx).register(handlers);
        new PinCommands(ctx).register(handlers);
        new MacCommands(ctx).register(handlers);
        new DataCommands(ctx).register(handlers);
        new RsaCommands(ctx).register(handlers);
        new TerminalKeyCommands(ctx).register(handlers);
        new SmCommands(ctx).register(handlers);
        this.keyBlocks = new KeyBlockCommands(ctx, KeyBlockLmk.derivedFrom(lmk));
    }

    /**
     * Replaces the key-block LMK (derived from the variant LMK by default; tests load a payShield
     * test key-block LMK). Call before serving.
     */
    public HsmCommandProcessor useKeyBlockLmk(KeyBlockLmk keyBlockLmk) {
        this.keyBlocks = keyBlocks.with(java.util.Objects.requireNonNull(keyBlockLmk, "keyBlockLmk"));
        return this;
    }

    /** A processor for {@code config}: loads (or, in development, generates) the LMK. */
    public static HsmCommandProcessor create(HsmSimConfig config) {
        return new HsmCommandProcessor(LmkLoader.load(config), config.allowClearComponents(), config.disabledCommands(),
                config.authorisation(), config.profile());
    }

    /** Enters (or, with {@link Authorisation#NONE}, leaves) the authorised state: an operator action. */
    public void authorise(Authorisation a) {
        this.authorisation = java.util.Objects.requireNonNull(a, "authorisation");
        log.info("HSM {}", a);
    }

    /** The LMK check value (NC), safe to log. */
    public String lmkCheckValue() {
        return lmk.checkValue();
    }

    /** The HSM profile it answers as. */
    public HsmProfile profile() {
        return profile;
    }

    /** The command codes this processor knows. */
    public Set<String> commands() {
        return Set.copyOf(handlers.keySet());
    }

    /** True for a command that should run on a worker thread (RSA). */
    public static boolean isSlow(byte[] command) {
        return command != null && command.length >= 2 && SLOW.contains(code(command));
    }

    private static String code(byte[] command) {
        return new String(new char[] {(char) (command[0] & 0xFF), (char) (command[1] & 0xFF)});
    }

    /** Executes one command; always returns a reply. */
    public byte[] process(byte[] command) {
        if (command == null || command.length < 2) {
            return Replies.error("ZZ", HsmErrors.INVALID_INPUT);
        }
        String code = code(command);
        String replyCode = Replies.replyCode(code);
        CommandHandler kb = keyBlocks.route(code, command);
        CommandHandler h = kb != null ? kb : handlers.get(code);
        if (h == null) {
            log.debug("unknown command code {}", code.replaceAll("[^\\x20-\\x7E]", "?"));
            return Replies.error(replyCode, HsmErrors.INVALID_INPUT);
        }
        if (disabled.contains(code.toUpperCase(Locale.ROOT))) {
            return Replies.error(replyCode, HsmErrors.COMMAND_DISABLED);
        }
        if (profile == HsmProfile.PAYSHIELD) {
            String refused = PayShieldMode.refusal(code, command);
            if (refused != null) {
                log.debug("{} refused in the payshield profile: error {}", code, refused);
                return Replies.error(replyCode, refused);
            }
        }
        if (!authorisation.permits(code)) {
            log.warn("{} refused: the HSM is not in the authorised state for it", code);
            return Replies.error(replyCode, HsmErrors.NOT_AUTHORISED);
        }
        try {
            HsmReply reply = h.handle(new FieldReader(command, 2));
            if (profile == HsmProfile.PAYSHIELD) {
                reply = PayShieldMode.reply(reply);
            }
            return Replies.ok(replyCode, reply);
        } catch (FieldException e) {
            log.debug("{}: error {}: {}", code, e.errorCode(), e.getMessage());
            return Replies.error(replyCode, e.errorCode());
        } catch (HsmCommandException e) {
            log.debug("{}: error {}: {}", code, e.errorCode(), e.getMessage());
            if (profile == HsmProfile.PAYSHIELD && e.warnedReply() != null) {
                // payShield's advice-only code: the result comes with it (A6 01, the imported key's parity)
                return Replies.warned(replyCode, e.errorCode(), PayShieldMode.reply(e.warnedReply()));
            }
            return Replies.error(replyCode, e.errorCode());
        } catch (IllegalArgumentException e) {
            // a value the codec accepted but a primitive refused (lengths, digits): the input's fault
            log.debug("{}: invalid input: {}", code, e.getMessage());
            return Replies.error(replyCode, HsmErrors.INVALID_INPUT);
        } catch (RuntimeException e) {
            log.warn("{}: internal error {}", code, e.getClass().getName());
            return Replies.error(replyCode, HsmErrors.INTERNAL_ERROR);
        }
    }
}
