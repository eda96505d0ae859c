package dev.posgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden payShield transcripts of {@code payshield/transcripts.txt} (public layouts and values,
 * see the file's header), read for the client's and the simulator's tests alike. Bytes are
 * ISO-8859-1 text with {@code \xHH} escapes, or {@code hex:} followed by the bytes in hex (binary fields).
 */
public final class PayShieldTranscripts {
    /** The header the transcripts carry before the command code. */
    public static final int HEADER_LENGTH = 4;

    private PayShieldTranscripts() {}

    /** One request and its reply, with the fields a parser must find in each. */
    public record Transcript(String name, Map<String, String> values) {
        public String command() {
            return required("command");
        }

        /** The public request after the length prefix: header, command code, fields. */
        public byte[] request() {
            return bytes(required("request"));
        }

        /** The public request without its header: what the simulator's command processor receives. */
        public byte[] requestPayload() {
            byte[] r = request();
            return java.util.Arrays.copyOfRange(r, HEADER_LENGTH, r.length);
        }

        /** The bytes our encoder writes where its layout deviates from the public one; null when it does not. */
        public byte[] ours() {
            return values.containsKey("ours") ? bytes(values.get("ours")) : null;
        }

        public String deviation() {
            return values.get("deviation");
        }

        public byte[] reply() {
            return bytes(required("reply"));
        }

        /** Any other byte value of the transcript ({@code hex:} or escaped text), e.g. an alternative reply. */
        public byte[] bytesOf(String key) {
            return bytes(required(key));
        }

        /** False for a request-only transcript (a deviation with no public reply to compare). */
        public boolean hasReply() {
            return values.containsKey("reply");
        }

        /** A request field as the public source names it. */
        public String field(String name) {
            return unescape(required("f." + name));
        }

        public boolean hasField(String name) {
            return values.containsKey("f." + name);
        }

        /** A reply field. */
        public String replyField(String name) {
            return unescape(required("r." + name));
        }

        public boolean hasReplyField(String name) {
            return values.containsKey("r." + name);
        }

        private String required(String key) {
            String v = values.get(key);
            if (v == null) throw new IllegalStateException(name + ": no " + key);
            return v;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every transcript, in file order. */
    public static List<Transcript> all() {
        try (InputStream in = PayShieldTranscripts.class.getResourceAsStream("/payshield/transcripts.txt")) {
            if (in == null) throw new IllegalStateException("payshield/transcripts.txt is not on the class path");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transcripts of one command code. */
    public static List<Transcript> of(String command) {
        return all().stream().filter(t -> t.command().equals(command)).toList();
    }

    static List<Transcript> parse(String text) {
        List<Transcript> out = new ArrayList<>();
        String name = null;
        Map<String, String> values = null;
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith("== ")) {
                if (name != null) out.add(new Transcript(name, values));
                name = line.substring(3).strip();
                values = new LinkedHashMap<>();
                continue;
            }
            int colon = line.indexOf(": ");
            if (name == null || colon < 0) throw new IllegalStateException("not a transcript line: " + line);
            values.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
        }
        if (name != null) out.add(new Transcript(name, values));
        return out;
    }

    /** {@code \xHH} escapes to characters. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A value as bytes: {@code hex:} + hex digits (binary data, as the public test data gives it), else escaped text. */
    static byte[] bytes(String escaped) {
        if (escaped.startsWith("hex:")) {
            return java.util.HexFormat.of().parseHex(escaped.substring(4));
        }
        return unescape(escaped).getBytes(StandardCharsets.ISO_8859_1);
    }
}
