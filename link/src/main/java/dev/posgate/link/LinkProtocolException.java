package dev.posgate.link;

/** A reply frame the protocol cannot trust: the stream is out of step and the connection is recycled. */
public class LinkProtocolException extends RuntimeException {
    public LinkProtocolException(String message) {
        super(message, null, false, false);
    }
}
