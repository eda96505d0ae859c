package dev.posgate.gateway.fault;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server of its own for a fault test (the shared TestPostgres serves the other test
 * classes of the JVM and must stay up): stopped and started again on the same port and data
 * directory, as an operator restarting the database would.
 */
final class StoppablePostgres implements AutoCloseable {
    private final Path dataDir;
    private int port;
    private EmbeddedPostgres server;

    private StoppablePostgres(Path dataDir) {
        this.dataDir = dataDir;
    }

    static StoppablePostgres start() throws IOException {
        StoppablePostgres pg = new StoppablePostgres(Files.createTempDirectory(Path.of("target"), "fault-pg-"));
        pg.server = pg.builder().start();
        pg.port = pg.server.getPort();
        return pg;
    }

    private EmbeddedPostgres.Builder builder() {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false) // the data must survive the restart
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off");
        return port == 0 ? b : b.setPort(port);
    }

    int port() {
        return port;
    }

    /** The URL in the form the gateway's db.url takes. */
    String url() {
        return "postgresql://postgres@localhost:" + port + "/postgres";
    }

    /** Stops the server (fast shutdown: open sessions are terminated). */
    void stop() throws IOException {
        server.close();
        server = null;
    }

    /** Starts it again on the same port and data; returns once it accepts connections. */
    void restart() throws IOException {
        server = builder().start();
    }

    @Override
    public void close() throws IOException {
        if (server != null) server.close();
    }
}
