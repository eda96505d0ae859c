package dev.posgate.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server under test in its own JVM, started and stopped by the harness (and by Gatling simulations). */
public final class ServerProcess implements AutoCloseable {
    private final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code java <jvmArgs> -jar jar <args>} and waits for its "posgate ready" line. */
    public static ServerProcess start(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env,
            Path log) throws IOException, InterruptedException {
        return launch(jvmArgs, List.of("-jar", jar.toString()), args, env, log);
    }

    /** Starts {@code java <jvmArgs> -cp classPath mainClass <args>} and waits for its "posgate ready" line. */
    public static ServerProcess startMain(String classPath, String mainClass, List<String> jvmArgs, List<String> args,
            Map<String, String> env, Path log) throws IOException, InterruptedException {
        return launch(jvmArgs, List.of("-cp", classPath, mainClass), args, env, log);
    }

    private static ServerProcess launch(List<String> jvmArgs, List<String> launcher, List<String> args,
            Map<String, String> env, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(launcher);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var w = java.nio.file.Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    if (line.startsWith("posgate ready")) ready.complete(true);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.complete(false);
        }, "server-output");
        pump.setDaemon(true);
        pump.start();
        boolean ok;
        try {
            ok = ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IOException("server did not become ready; see " + log);
        }
        return new ServerProcess(p);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a node crash: no drain, no shutdown hook; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM (the gateway drains and stops), SIGKILL after 60 s; an interrupt kills at once. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
