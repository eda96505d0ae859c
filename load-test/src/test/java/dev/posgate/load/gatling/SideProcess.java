package dev.posgate.load.gatling;

import dev.posgate.testing.Eventually;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A helper process of a simulation's world that prints no "posgate ready" line (the standalone
 * software HSM, the upstream host simulator): {@code java <jvm> -cp jar <main> <args>}, output to
 * a log file, ready once its loopback port accepts connections.
 */
public final class SideProcess implements AutoCloseable {
    private final Process process;

    private SideProcess(Process process) {
        this.process = process;
    }

    public static SideProcess start(Path jar, String mainClass, List<String> jvm, List<String> args, int port, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", jar.toString(), mainClass));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Eventually.until(mainClass + " listens on " + port, () -> !p.isAlive() || accepts(port));
        } catch (AssertionError never) {
            p.destroyForcibly();
            throw new IOException(mainClass + " did not listen on " + port + "; see " + log, never);
        }
        if (!p.isAlive()) throw new IOException(mainClass + " exited with " + p.exitValue() + "; see " + log);
        return new SideProcess(p);
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGTERM, SIGKILL after 20 s; idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
