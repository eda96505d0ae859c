package dev.posgate.gateway.spi;

/**
 * What a handler gives back: the frame body to send (null for none), the result code recorded
 * in metrics, and whether the session ends once it is written (a failed authentication ends
 * the session, per protocol.md section 3).
 */
public record Response(byte[] body, String result, boolean closeAfter) {

    public static Response reply(byte[] body, String result) {
        return new Response(body, result, false);
    }

    public static Response replyAndClose(byte[] body, String result) {
        return new Response(body, result, true);
    }

    /** Nothing can be answered (the message did not parse): close the connection. */
    public static Response close(String reason) {
        return new Response(null, reason, true);
    }
}
