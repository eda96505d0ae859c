package dev.posgate.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (embedded, started on first use), with a fresh
 * database per caller so test classes never see each other's rows.
 */
public final class TestPostgres {
    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private TestPostgres() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(Path.of("target", "test-pg-" + ProcessHandle.current().pid()))
                        .setCleanDataDirectory(true)
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** Creates an empty database and returns its URL in the form the gateway's db.url takes. */
    public static String newDatabaseUrl() {
        String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (Exception e) {
            throw new IllegalStateException("could not create test database", e);
        }
        return "postgresql://postgres@localhost:" + server().getPort() + "/" + name;
    }
}
