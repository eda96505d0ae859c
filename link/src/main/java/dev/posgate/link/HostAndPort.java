package dev.posgate.link;

import java.util.Objects;

/**
 * A peer address: {@code host:port}, {@code 10.0.0.5:1500} or, for IPv6, {@code [::1]:1500}. The
 * host is kept without brackets; {@link #toString()} puts them back.
 */
public record HostAndPort(String host, int port) {
    public HostAndPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) throw new IllegalArgumentException("empty host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + port);
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}; a bare IPv6 address without brackets is refused. */
    public static HostAndPort parse(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        String s = hostAndPort.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ipv6]:port, got '" + hostAndPort + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port (IPv6 as [addr]:port), got '" + hostAndPort + "'");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        try {
            return new HostAndPort(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostAndPort + "'", e);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
