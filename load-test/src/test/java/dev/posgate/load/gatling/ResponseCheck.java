package dev.posgate.load.gatling;

import dev.posgate.iso8583.pos.PosMessage;
import java.util.Objects;

/** A check on a parsed response: null when it passes, otherwise what is wrong (the KO message). */
@FunctionalInterface
public interface ResponseCheck {
    String verify(PosMessage response);

    /** Field {@code no} is present and equals {@code expected}, e.g. {@code field(39, "00")}. */
    static ResponseCheck field(int no, String expected) {
        return response -> {
            String actual = response.has(no) ? response.field(no) : null;
            return Objects.equals(actual, expected) ? null : "field " + no + " = " + actual + ", expected " + expected;
        };
    }

    /** The response answers {@code request}: its MTI is the request's + 10 and field 11 (STAN) is echoed. */
    static ResponseCheck answers(PosMessage request) {
        String expectedMti = String.format("%04d", Integer.parseInt(request.mti()) + 10);
        String stan = request.has(11) ? request.field(11) : null;
        return response -> {
            if (!expectedMti.equals(response.mti())) return "MTI " + response.mti() + ", expected " + expectedMti;
            if (stan != null && !stan.equals(response.has(11) ? response.field(11) : null)) {
                return "STAN " + (response.has(11) ? response.field(11) : null) + ", expected " + stan;
            }
            return null;
        };
    }
}
