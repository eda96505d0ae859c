package dev.posgate.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/getting-started.md, run as written (issue 20, item 6): every block fenced {@code ```sh test}
 * runs in order in one scratch directory (its own {@code var/}), through {@code bash -e} with
 * {@code bin/posgate} being the development launcher's jar; it must exit 0 and print each line of
 * the {@code ```text output} block that follows it ("you should see"). A {@code ```sh test
 * background} block (serve, demo) is started as in a second terminal, its output lines awaited,
 * and stopped (SIGTERM, as Ctrl-C) before the next one or at the end. The gateway gets free ports
 * through POSGATE_ADMIN_PORT / POSGATE_LISTENER_PORT / POSGATE_ADMIN_URL, and the page's
 * {@code 127.0.0.1:8080} is rewritten to its admin port.
 */
class GettingStartedIT {
    private static final Path PAGE = Path.of("..", "docs", "getting-started.md");
    /** The hang guard of one block: a command, or the whole job a background block starts. */
    private static final Duration BLOCK_GUARD = Duration.ofMinutes(5);

    record Block(String commands, boolean background, List<String> expected, int line) {}

    /** The page's test blocks and their expected lines, in order. */
    static List<Block> blocks(List<String> page) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            String fence = page.get(i).strip();
            if (fence.equals("```sh test") || fence.equals("```sh test background")) {
                int start = i + 1;
                StringBuilder commands = new StringBuilder();
                for (i = start; !page.get(i).strip().equals("```"); i++) commands.append(page.get(i)).append('\n');
                blocks.add(new Block(commands.toString(), fence.endsWith("background"), new ArrayList<>(), start));
            } else if (fence.equals("```text output")) {
                if (blocks.isEmpty()) throw new AssertionError("an output block before any test block, line " + (i + 1));
                for (i = i + 1; !page.get(i).strip().equals("```"); i++) {
                    if (!page.get(i).isBlank()) blocks.get(blocks.size() - 1).expected().add(page.get(i).strip());
                }
            }
        }
        return blocks;
    }

    @Test
    void everyStepOfThePageWorksAsItSays() throws Exception {
        List<Block> blocks = blocks(Files.readAllLines(PAGE));
        assertEquals(0, new ProcessBuilder("bash", "-c", "command -v curl").start().waitFor(),
                "the page's curl commands need curl on the PATH (apt-get install curl)");
        assertTrue(blocks.size() >= 8, "the page's test blocks: " + blocks.size());
        Path work = Files.createTempDirectory(Path.of("target"), "getting-started-").toAbsolutePath();
        Files.createDirectories(work.resolve("bin"));
        Path launcher = work.resolve("bin/posgate");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "\" -Xmx512m -jar \"" + Path.of("target", "posgate-dev.jar").toAbsolutePath() + "\" \"$@\"\n");
        assertTrue(launcher.toFile().setExecutable(true));
        int admin = freePort();
        int listener = freePort();
        Process background = null;
        try {
            int n = 0;
            for (Block b : blocks) {
                n++;
                String script = b.commands().replace("127.0.0.1:8080", "127.0.0.1:" + admin);
                String where = "getting-started.md block at line " + b.line();
                if (b.background()) {
                    stop(background);
                    Path log = work.resolve("background-" + n + ".log");
                    background = process(work, admin, listener, "exec " + script.strip()).redirectErrorStream(true)
                            .redirectOutput(log.toFile()).start();
                    Process p = background;
                    for (String line : b.expected()) {
                        // A background block is a whole job (the demo runs a fleet's life): it gets the
                        // same hang guard as a foreground block, not the 60 s for a single event.
                        Eventually.until(where + " prints '" + line + "'", BLOCK_GUARD, () -> {
                            String out = Files.readString(log, StandardCharsets.UTF_8);
                            if (!p.isAlive()) assertTrue(out.contains(line), where + " ended (exit " + p.exitValue() + "): " + out);
                            return out.contains(line);
                        });
                    }
                } else {
                    Process p = process(work, admin, listener, script).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(BLOCK_GUARD.toMinutes(), TimeUnit.MINUTES), where);
                    assertEquals(0, p.exitValue(), where + ":\n" + script + "\n" + out);
                    for (String line : b.expected()) assertTrue(out.contains(line), where + ": no '" + line + "' in:\n" + out);
                }
            }
        } finally {
            stop(background);
        }
        assertFalse(Files.readString(PAGE).contains("```sh test\n```"), "no empty test block");
    }

    /** {@code bash -e -c script} in {@code work}, the gateway's ports and the CLI's admin URL in its environment, no other POSGATE_*. */
    private static ProcessBuilder process(Path work, int admin, int listener, String script) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", script).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("POSGATE_"));
        env.put("POSGATE_ADMIN_PORT", String.valueOf(admin));
        env.put("POSGATE_LISTENER_PORT", String.valueOf(listener));
        env.put("POSGATE_ADMIN_URL", "http://127.0.0.1:" + admin);
        env.put(BusinessDayZone.ENV, BusinessDayZone.farFromMidnight());
        return pb;
    }

    /** SIGTERM, as Ctrl-C: the gateway drains and stops its PostgreSQL before the next one starts on the same var/. */
    private static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(2, TimeUnit.MINUTES)) p.destroyForcibly().waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
