package dev.posgate.protocol.posp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchUploadTest {
    @Test
    void detailRoundTripsWithTheLayoutOfDocsPosp() {
        List<BatchUpload.Item> items = List.of(new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, "000012", "6222021234567890123", 10_000),
                new BatchUpload.Item(BatchUpload.FOREIGN_CARD, "000013", "4000001234567890", 2_500));
        String f48 = BatchUpload.detail(items);
        assertEquals(2 + 2 * 40, f48.length());
        assertEquals("02" + "00" + "000012" + "06222021234567890123" + "000000010000", f48.substring(0, 42));
        assertEquals("01" + "000013" + "00004000001234567890" + "000000002500", f48.substring(42), "right-aligned, zeros in front");
        assertEquals(items, BatchUpload.parseDetail(f48));
        assertEquals("0017", BatchUpload.end(17));
        assertEquals(17, BatchUpload.parseEnd("0017"));
    }

    @Test
    void anAcceptedEndOfUploadClosesTheTerminalsBatch() {
        TerminalBatch t = new TerminalBatch(1);
        String first = t.batch();
        t.onSettlement("00", "0".repeat(30) + "2");
        assertEquals(first, t.batch(), "out of balance: the batch stays open for the upload");
        t.onUploadEnd("12");
        assertEquals(first, t.batch());
        t.onUploadEnd("00");
        assertEquals(String.format("%06d", Integer.parseInt(first) + 1), t.batch());
    }

    @Test
    void malformedFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BatchUpload.parseDetail("01" + "22"));
        assertThrows(IllegalArgumentException.class, () -> BatchUpload.parseDetail("09" + "0".repeat(360)));
        assertThrows(IllegalArgumentException.class, () -> BatchUpload.parseDetail("0A"));
        assertThrows(IllegalArgumentException.class, () -> BatchUpload.parseEnd("17"));
    }
}
