package dev.posgate.gateway.posp;

import dev.posgate.iso8583.pos.PosDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The published real-terminal messages of the iso8583 module's tests
 * ({@code iso8583/src/test/resources/real-traffic/*.hex}, format in its README), read as frame
 * bodies for the gateway.
 */
public record RealTrafficCorpus(String name, PosDialect dialect, byte[] body) {
    public static final Path DIR = Path.of("..", "iso8583", "src", "test", "resources", "real-traffic");

    /** Every message of the corpus, by file name. */
    static List<RealTrafficCorpus> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hex")).sorted().map(RealTrafficCorpus::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RealTrafficCorpus read(Path file) {
        String framing = "body";
        StringBuilder hex = new StringBuilder();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("# framing:")) framing = line.substring("# framing:".length()).trim();
                else if (!line.startsWith("#")) hex.append(line.replaceAll("\\s", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        boolean framed = framing.startsWith("frame");
        byte[] body = framed ? Arrays.copyOfRange(bytes, 2, bytes.length) : bytes;
        if (framed && ((bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF) != body.length) {
            throw new IllegalStateException(file + ": frame length differs from the body");
        }
        PosDialect dialect = framing.equals("frame-no-header") ? PosDialect.NO_APP_HEADER : PosDialect.APP_HEADER;
        return new RealTrafficCorpus(file.getFileName().toString(), dialect, body);
    }

    /** The MTI's 4 digits, read off the bytes (the corpus holds no message with a bad MTI). */
    String mti() {
        return HexFormat.of().formatHex(body, dialect.mtiOffset(), dialect.mtiOffset() + 2);
    }

    /** A request: the MTI's third digit is even (0200, 0800, 0920 ...). */
    boolean isRequest() {
        return (mti().charAt(2) - '0') % 2 == 0;
    }

    /** The response MTI the gateway must answer a request with. */
    String responseMti() {
        return mti().substring(0, 2) + (char) (mti().charAt(2) + 1) + mti().charAt(3);
    }
}
