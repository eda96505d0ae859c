package dev.posgate.gateway.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A terminal as the tests see it: a plain blocking socket that writes raw bytes and reads
 * length-prefixed frames, so that what crosses the wire is exactly what the test wrote.
 */
public final class TerminalConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private TerminalConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TerminalConnection open(String host, int port) throws IOException {
        return new TerminalConnection(new Socket(host, port));
    }

    /** Writes bytes as they are (a test builds length prefixes itself when it wants to). */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one frame: 2-byte big-endian length, then the body. */
    public void send(byte[] body) throws IOException {
        byte[] frame = new byte[body.length + 2];
        frame[0] = (byte) (body.length >>> 8);
        frame[1] = (byte) body.length;
        System.arraycopy(body, 0, frame, 2, body.length);
        writeRaw(frame);
    }

    /** Reads one frame body; fails on timeout or if the gateway closed the connection. */
    public byte[] receive() throws IOException {
        int len = in.readUnsignedShort();
        byte[] body = new byte[len];
        in.readFully(body);
        return body;
    }

    public byte[] exchange(byte[] body) throws IOException {
        send(body);
        return receive();
    }

    /** True when the gateway closes the connection within the timeout, with nothing more to read. */
    public boolean closedByPeer(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    public void setTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
