package dev.posgate.hsm.sim;

import dev.posgate.hsm.HsmProfile;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of the software HSM. Build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code host}/{@code port}: listen address (default 127.0.0.1:1500; port 0 = any free port).</li>
 *   <li>{@code headerLength}: characters of message header echoed back (default 4, 0..255).</li>
 *   <li>{@code maxFrameBytes}: largest accepted request frame body (default 65535); a longer
 *       frame closes the connection without being buffered.</li>
 *   <li>LMK source, first match wins: {@code lmk} (in memory, tests); the environment variable
 *       named {@code lmkEnvVar} (default {@code POSGATE_HSM_LMK}); {@code lmkFile}. With
 *       {@code development} a missing file is generated.</li>
 *   <li>{@code allowClearComponents}: enables the key ceremony command ZW; off unless set (also with {@code development}).</li>
 *   <li>{@code mutualTls}: hosts must connect with TLS and a client certificate the given trust
 *       accepts (payShield 10K host TLS); without it anyone who reaches the port is a host.</li>
 *   <li>{@code authorisation}: the authorised state (A6, A8, GI, SV, ST, WO; docs/hsm-protocol.md); none by default.</li>
 *   <li>{@code disabledCommands}: commands answered with error 68.</li>
 *   <li>{@code profile}: {@code POSGATE} (default: posgate's extensions too) or {@code PAYSHIELD}
 *       (standard payShield commands and key types only; {@link PayShieldMode}).</li>
 *   <li>{@code workerPoolSize}: threads for RSA commands (default: available processors).</li>
 *   <li>{@code maxPendingPerConnection}: worker commands in flight per connection before the
 *       simulator stops reading from it (default 1024).</li>
 * </ul>
 */
public final class HsmSimConfig {
    public static final String DEFAULT_LMK_ENV = "POSGATE_HSM_LMK";
    public static final String FIRMWARE = "0010-PGSM";

    private final String host;
    private final int port;
    private final int headerLength;
    private final int maxFrameBytes;
    private final Lmk lmk;
    private final Path lmkFile;
    private final String lmkEnvVar;
    private final boolean development;
    private final boolean allowClearComponents;
    private final Set<String> disabledCommands;
    private final int workerPoolSize;
    private final int maxPendingPerConnection;
    private final MutualTls mutualTls;
    private final Authorisation authorisation;
    private final HsmProfile profile;

    /** The simulator's key and certificate, and the trust that client certificates must chain to. */
    public record MutualTls(KeyCertOptions serverKey, TrustOptions clientTrust) {
        public MutualTls {
            Objects.requireNonNull(serverKey, "serverKey");
            Objects.requireNonNull(clientTrust, "clientTrust");
        }
    }

    private HsmSimConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.headerLength = b.headerLength;
        this.maxFrameBytes = b.maxFrameBytes;
        this.lmk = b.lmk;
        this.lmkFile = b.lmkFile;
        this.lmkEnvVar = b.lmkEnvVar;
        this.development = b.development;
        // clear components recover any key (ZW a known ZMK, then A6/A8): only when asked for, even in development
        this.allowClearComponents = b.allowClearComponents != null && b.allowClearComponents;
        this.disabledCommands = Set.copyOf(b.disabledCommands);
        this.workerPoolSize = b.workerPoolSize;
        this.maxPendingPerConnection = b.maxPendingPerConnection;
        this.mutualTls = b.mutualTls;
        this.authorisation = b.authorisation;
        this.profile = b.profile;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (headerLength < 0 || headerLength > 255) {
            throw new IllegalArgumentException("headerLength must be 0..255");
        }
        if (maxFrameBytes < headerLength + 2 || maxFrameBytes > 65535) {
            throw new IllegalArgumentException("maxFrameBytes must be headerLength+2..65535");
        }
        if (workerPoolSize < 1 || maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("workerPoolSize and maxPendingPerConnection must be positive");
        }
        if (lmk == null && lmkFile == null && lmkEnvVar == null) {
            throw new IllegalArgumentException("no LMK source: set lmk, lmkFile or lmkEnvVar");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int headerLength() {
        return headerLength;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Lmk lmk() {
        return lmk;
    }

    public Path lmkFile() {
        return lmkFile;
    }

    public String lmkEnvVar() {
        return lmkEnvVar;
    }

    public boolean development() {
        return development;
    }

    public boolean allowClearComponents() {
        return allowClearComponents;
    }

    public Set<String> disabledCommands() {
        return disabledCommands;
    }

    public int workerPoolSize() {
        return workerPoolSize;
    }

    public int maxPendingPerConnection() {
        return maxPendingPerConnection;
    }

    /** Mutual TLS required of every host connection, or null (clear TCP, anyone). */
    public MutualTls mutualTls() {
        return mutualTls;
    }

    /** The authorised state (operator-granted, time-limited), {@link Authorisation#NONE} by default. */
    public Authorisation authorisation() {
        return authorisation;
    }

    /** The HSM profile answered: posgate's extensions too, or standard payShield commands only. */
    public HsmProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "HsmSimConfig[" + host + ":" + port + ", header " + headerLength + ", maxFrame " + maxFrameBytes
                + ", lmk " + (lmk != null ? "in memory" : lmkFile != null ? lmkFile : "$" + lmkEnvVar)
                + ", development " + development + ", clear components " + allowClearComponents
                + ", disabled " + disabledCommands + ", workers " + workerPoolSize + ", mutual TLS " + (mutualTls != null)
                + ", " + authorisation + ", profile " + profile.configName() + "]";
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 1500;
        private int headerLength = 4;
        private int maxFrameBytes = 65535;
        private Lmk lmk;
        private Path lmkFile;
        private String lmkEnvVar = DEFAULT_LMK_ENV;
        private boolean development;
        private Boolean allowClearComponents;
        private final Set<String> disabledCommands = new TreeSet<>();
        private int workerPoolSize = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int maxPendingPerConnection = 1024;
        private MutualTls mutualTls;
        private Authorisation authorisation = Authorisation.NONE;
        private HsmProfile profile = HsmProfile.POSGATE;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder headerLength(int n) {
            this.headerLength = n;
            return this;
        }

        public Builder maxFrameBytes(int n) {
            this.maxFrameBytes = n;
            return this;
        }

        /** An in-memory LMK (tests, embedding); takes precedence over the environment and the file. */
        public Builder lmk(Lmk lmk) {
            this.lmk = lmk;
            return this;
        }

        public Builder lmkFile(Path file) {
            this.lmkFile = file;
            return this;
        }

        /** Name of the environment variable holding the LMK; null to ignore the environment. */
        public Builder lmkEnvVar(String name) {
            this.lmkEnvVar = name;
            return this;
        }

        /** Development mode: generate a missing LMK file. */
        public Builder development(boolean dev) {
            this.development = dev;
            return this;
        }

        public Builder allowClearComponents(boolean allow) {
            this.allowClearComponents = allow;
            return this;
        }

        public Builder disableCommand(String code) {
            this.disabledCommands.add(code.toUpperCase(Locale.ROOT));
            return this;
        }

        public Builder workerPoolSize(int n) {
            this.workerPoolSize = n;
            return this;
        }

        public Builder maxPendingPerConnection(int n) {
            this.maxPendingPerConnection = n;
            return this;
        }

        public Builder mutualTls(MutualTls tls) {
            this.mutualTls = tls;
            return this;
        }

        public Builder authorisation(Authorisation a) {
            this.authorisation = Objects.requireNonNull(a, "authorisation");
            return this;
        }

        public Builder profile(HsmProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        public HsmSimConfig build() {
            return new HsmSimConfig(this);
        }
    }
}
