package dev.posgate.hsm.sim;

import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.command.DataCipherRequest;
import dev.posgate.hsm.command.ExportKeyRequest;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.GenerateKeyRequest;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.RsaKeyPairReply;
import dev.posgate.hsm.command.RsaPublicKeys;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.ImportKeyRequest;
import dev.posgate.hsm.command.KeyCheckValueRequest;
import dev.posgate.hsm.command.VerifyMacRequest;

/**
 * The software HSM in the {@code payshield} profile (issue 16 item 5, docs/hsm-protocol.md "HSM
 * profiles"): what a payShield without posgate's firmware would refuse, refused before the
 * command runs, so that a gateway that works against it works with standard commands only.
 * <ul>
 *   <li>a command outside {@link HsmProfile#standardCommands()} (every {@code Z*} extension, the SM
 *       commands, GI in posgate's layout): <b>68</b>, "command disabled", as payShield answers a host
 *       command its security settings disable. The unknown-command reply (15, section 1) stays for
 *       codes the software HSM does not know at all.</li>
 *   <li>posgate's key type codes {@code 00E}..{@code 40E} in A0, A6, A8, BU: <b>04</b> (invalid key
 *       type code; on payShield these codes are LMK pair 38-39 variants, not posgate's keys); in
 *       M0, M2, M6, M8: <b>05</b> (invalid key type, that family's code).</li>
 *   <li>ZMK/TMK flags {@code 2} (DMK) and {@code 3} (DWK) in A0 and A8: <b>15</b>.</li>
 *   <li>an SM4 key (scheme {@code P}) in BU: <b>26</b>.</li>
 * </ul>
 * A request that does not parse is left to its handler, which answers as in the posgate profile.
 * Replies are posgate's, except EJ: its public key is payShield's PKCS#1 {@code RSAPublicKey}
 * (encoding {@code 01}, unsigned integers) instead of an X.509 SubjectPublicKeyInfo.
 */
final class PayShieldMode {
    private PayShieldMode() {}

    /** The error a payShield gives {@code command} (code and fields), or null when it runs as usual. */
    static String refusal(String code, byte[] command) {
        if (!HsmProfile.PAYSHIELD.serves(code)) return HsmErrors.COMMAND_DISABLED;
        try {
            FieldReader r = new FieldReader(command, 2);
            switch (code) {
                case "A0": {
                    GenerateKeyRequest a0 = GenerateKeyRequest.read(r);
                    if (a0.keyType().isExtension()) return "04";
                    if (a0.exports() && !standard(a0.wrapping())) return HsmErrors.INVALID_INPUT;
                    return null;
                }
                case "A6":
                    return ImportKeyRequest.read(r).keyType().isExtension() ? "04" : null;
                case "A8": {
                    ExportKeyRequest a8 = ExportKeyRequest.read(r);
                    if (a8.keyType().isExtension()) return "04";
                    return standard(a8.wrapping()) ? null : HsmErrors.INVALID_INPUT;
                }
                case "BU": {
                    KeyCheckValueRequest bu = KeyCheckValueRequest.read(r);
                    if (bu.keyType().isExtension()) return "04";
                    return bu.key().algorithm() == KeyAlgorithm.TDES ? null : HsmErrors.INVALID_KEY_SCHEME;
                }
                case "M6":
                    return macKeyType(GenerateMacRequest.read(r).keyType());
                case "M8":
                    return macKeyType(VerifyMacRequest.read(r).data().keyType());
                case "M0":
                    return macKeyType(DataCipherRequest.read(r, true).keyType());
                case "M2":
                    return macKeyType(DataCipherRequest.read(r, false).keyType());
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            // FieldException, IllegalArgumentException or worse: the handler answers the malformed
            // request, and nothing escapes HsmCommandProcessor#process
            return null;
        }
    }

    /**
     * The reply as a payShield words it: EJ's public key a PKCS#1 {@code RSAPublicKey} in public key
     * encoding {@code 01}, the only one EI takes here, whose integers are unsigned (no sign byte: a
     * 2048-bit key is the 269 bytes of ut-codec-payshield's EJ pattern, {@code 3082010902820100...}).
     */
    static HsmReply reply(HsmReply reply) {
        if (reply instanceof RsaKeyPairReply ej) {
            return new RsaKeyPairReply(RsaPublicKeys.rsaPublicKey(RsaPublicKeys.asRsaPublicKey(ej.publicKeyDer()), true),
                    ej.privateKey());
        }
        return reply;
    }

    private static boolean standard(Wrapping w) {
        return w == Wrapping.ZMK || w == Wrapping.TMK;
    }

    private static String macKeyType(KeyType t) {
        return t.isExtension() ? "05" : null;
    }
}
