package dev.posgate.gateway.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultCodeTest {

    @Test
    void everyCodeIsTwoCharactersAndNamesOneConstant() {
        Set<String> seen = new HashSet<>();
        for (ResultCode c : ResultCode.values()) {
            assertEquals(2, c.code().length(), c.name());
            assertTrue(seen.add(c.code()), c.code() + " twice");
            assertSame(c, ResultCode.of(c.code()));
        }
        assertNull(ResultCode.of("X9"), "a host's own code is not one of ours");
        assertNull(ResultCode.of(null));
    }
}
