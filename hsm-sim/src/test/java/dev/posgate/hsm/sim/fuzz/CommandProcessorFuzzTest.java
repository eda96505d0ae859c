package dev.posgate.hsm.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.sim.Authorisation;
import dev.posgate.hsm.sim.HsmCommandProcessor;
import dev.posgate.hsm.sim.Lmk;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Whatever a host sends, the software HSM answers with a reply code and a two-digit error
 * code; no request may make it throw (an exception would drop the connection's other work).
 */
class CommandProcessorFuzzTest {
    private static final HsmCommandProcessor PROCESSOR =
            new HsmCommandProcessor(Lmk.generate(RandomSource.secure()), true, Set.of());

    /** The same processor in the payshield profile, whose refusals parse the request first (issue 16). */
    private static final HsmCommandProcessor PAYSHIELD = new HsmCommandProcessor(Lmk.generate(RandomSource.secure()), true,
            Set.of(), Authorisation.NONE, HsmProfile.PAYSHIELD);

    @FuzzTest(maxDuration = "10s")
    void anyRequestGetsAReply(byte[] request) {
        assertReply(PROCESSOR.process(request));
    }

    @FuzzTest(maxDuration = "10s")
    void anyRequestGetsAReplyInThePayShieldProfile(byte[] request) {
        assertReply(PAYSHIELD.process(request));
    }

    private static void assertReply(byte[] reply) {
        assertTrue(reply.length >= 4, "reply code + error code");
        String head = new String(reply, 0, 4, StandardCharsets.US_ASCII);
        assertTrue(head.matches("[ -~]{2}[0-9A-F]{2}"), head);
    }
}
