package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TmsRequestActionTest {
    private final TmsMessage request = TmsMessage.of(TmsHeader.request(TmsCode.K2, 7, false), List.of());

    @Test
    void anAnswerPassesOnlyWithTheRequestsCodeAndSeqAndStatus00() {
        assertNull(TmsRequestAction.mismatchOf(request, request.respond("00", List.of())));
        assertEquals("status 96", TmsRequestAction.mismatchOf(request, request.respond("96", List.of())));
        assertEquals("seq 8, expected 7", TmsRequestAction.mismatchOf(request,
                TmsMessage.of(TmsHeader.request(TmsCode.K2, 8, false), List.of()).respond("00", List.of())));
        assertEquals("code K3, expected K2", TmsRequestAction.mismatchOf(request,
                TmsMessage.of(TmsHeader.request(TmsCode.K3, 7, false), List.of()).respond("00", List.of())));
        assertEquals("not a response", TmsRequestAction.mismatchOf(request, request));
    }
}
