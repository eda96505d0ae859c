package dev.posgate.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production jar (gateway/target/posgate-gateway.jar and the lib/ it names) carries no
 * simulator: no software HSM, no host simulator, no benchmark server, no development launcher.
 * An integration test (failsafe, after the gateway module was packaged in the same reactor run).
 */
class ProductionJarIT {
    private static final Path GATEWAY = Path.of("../gateway/target");
    private static final List<String> DEV_ONLY_PACKAGES = List.of(
            "dev/posgate/hsm/sim/", "dev/posgate/hostsim/", "dev/posgate/devtools/", "dev/posgate/gateway/bench/",
            "dev/posgate/gateway/upstream/sim/", "dev/posgate/terminal/");
    private static final List<String> DEV_ONLY_ARTIFACTS = List.of("posgate-hsm-sim", "posgate-host-sim", "posgate-pos-terminal", "posgate-dev-tools");

    @Test
    void theGatewayJarHasNoSimulatorClass() throws IOException {
        try (JarFile jar = new JarFile(GATEWAY.resolve("posgate-gateway.jar").toFile())) {
            List<String> found = jar.stream().map(e -> e.getName())
                    .filter(name -> DEV_ONLY_PACKAGES.stream().anyMatch(name::startsWith))
                    .toList();
            assertEquals(List.of(), found);
            assertTrue(jar.stream().anyMatch(e -> e.getName().equals("dev/posgate/gateway/cli/Main.class")),
                    "the jar looked at is the gateway's");
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertTrue(classPath.contains("posgate-hsm-client"), classPath);
            for (String artifact : DEV_ONLY_ARTIFACTS) assertTrue(!classPath.contains(artifact), classPath);
        }
    }

    @Test
    void itsLibDirectoryHasNoSimulatorJar() throws IOException {
        try (Stream<Path> lib = Files.list(GATEWAY.resolve("lib"))) {
            List<String> names = lib.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("posgate-hsm-client")), names.toString());
            assertEquals(List.of(), names.stream()
                    .filter(n -> DEV_ONLY_ARTIFACTS.stream().anyMatch(n::startsWith)).toList());
        }
    }
}
