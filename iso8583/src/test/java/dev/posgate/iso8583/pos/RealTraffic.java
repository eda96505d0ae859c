package dev.posgate.iso8583.pos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The corpus of published real terminal/centre messages under {@code src/test/resources/real-traffic}
 * (see its README): one {@link Sample} per {@code *.hex} file.
 */
final class RealTraffic {

    /** One published message. */
    record Sample(String name, String source, String what, String framing, Map<String, String> expect,
                  String broken, byte[] body) {

        PosDialect dialect() {
            return framing.endsWith("no-header") ? PosDialect.NO_APP_HEADER : PosDialect.APP_HEADER;
        }

        /** For a broken sample, the reason and field after {@code expect-error}. */
        String[] expectedError() {
            int i = broken.indexOf("expect-error ");
            return broken.substring(i + "expect-error ".length()).trim().split("\\s+");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private RealTraffic() {
    }

    static List<Sample> load() {
        URL dir = RealTraffic.class.getResource("/real-traffic");
        if (dir == null) {
            throw new IllegalStateException("real-traffic corpus not on the test class path");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            List<Sample> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".hex")).sorted().toList()) {
                out.add(read(p));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Sample read(Path p) throws IOException {
        String source = null;
        String what = null;
        String framing = null;
        String broken = null;
        Map<String, String> expect = new LinkedHashMap<>();
        StringBuilder hex = new StringBuilder();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.startsWith("# source:")) {
                source = line.substring(9).trim();
            } else if (line.startsWith("# what:")) {
                what = line.substring(7).trim();
            } else if (line.startsWith("# framing:")) {
                framing = line.substring(10).trim();
            } else if (line.startsWith("# broken:")) {
                broken = line.substring(9).trim();
            } else if (line.startsWith("# expect:")) {
                for (String kv : line.substring(9).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    expect.put(kv.substring(0, eq), kv.substring(eq + 1).replace('_', ' '));
                }
            } else if (!line.startsWith("#")) {
                hex.append(line.replaceAll("\\s", ""));
            }
        }
        String name = p.getFileName().toString();
        if (source == null || source.isBlank() || what == null || framing == null) {
            throw new IllegalStateException(name + ": source, what and framing are required");
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        if (framing.startsWith("frame")) {
            int len = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
            if (len != bytes.length - 2) {
                throw new IllegalStateException(name + ": frame length " + len + ", body of " + (bytes.length - 2));
            }
            bytes = Arrays.copyOfRange(bytes, 2, bytes.length);
        }
        return new Sample(name, source, what, framing, expect, broken, bytes);
    }
}
