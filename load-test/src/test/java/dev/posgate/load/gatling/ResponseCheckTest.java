package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.iso8583.pos.PosMessage;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {
    @Test
    void echoRequestsCarryFreshStans() {
        PosMessage a = PosMessage.unpack(PosFrames.echo());
        PosMessage b = PosMessage.unpack(PosFrames.echo());
        assertEquals("0820", a.mti());
        assertEquals("301", a.field60().networkMgmtCode());
        assertNotEquals(a.field(11), b.field(11));
    }

    @Test
    void aResponseMustAnswerItsRequest() {
        PosMessage request = PosMessage.unpack(PosFrames.echo());
        PosMessage answer = PosMessage.replyTo(request, 0).set(39, "00");
        assertNull(ResponseCheck.answers(request).verify(answer));
        assertNull(ResponseCheck.field(39, "00").verify(answer));

        PosMessage otherStan = PosMessage.unpack(PosFrames.echo()).mti("0830").set(39, "00");
        assertEquals("STAN " + otherStan.field(11) + ", expected " + request.field(11),
                ResponseCheck.answers(request).verify(otherStan));
        assertEquals("MTI 0820, expected 0830", ResponseCheck.answers(request).verify(request));
        assertEquals("field 39 = 05, expected 00", ResponseCheck.field(39, "00").verify(answer.set(39, "05")));
    }
}
