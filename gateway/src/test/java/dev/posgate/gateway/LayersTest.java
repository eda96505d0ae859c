package dev.posgate.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;

/**
 * The gateway's layers (docs/architecture.md, "Layers"), checked on the compiled main classes of
 * every module on this test's classpath:
 * <pre>
 *   cli, app                         composition: picocli, GatewayApp, the modules wired together
 *   network | posp | tms | kms       feature slices, blind to each other; parts wire / store / admin / upstream
 *   platform.server, platform.routing  host the SPI: listener, sessions, dispatch
 *   spi                              the contract between the host and the features
 *   platform.*                       config, db, metrics, secrets, tls, ca, hsm, admin, logging, time
 * </pre>
 */
@AnalyzeClasses(packages = "dev.posgate", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {
    private static final String GW = "dev.posgate.gateway";
    private static final List<String> FEATURES = List.of("network", "posp", "tms", "kms");
    /** The platform packages that the SPI itself hands out (GatewayContext's config, repositories, metrics). */
    private static final String[] SPI_MAY_USE = {
        GW + ".spi..", GW + ".platform.config..", GW + ".platform.db..", GW + ".platform.metrics.."};
    /** The part of the platform that hosts the SPI: it may use the SPI, the rest of the platform may not. */
    private static final String[] SPI_HOSTS = {GW + ".platform.server..", GW + ".platform.routing.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching(GW + ".(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresDoNotImportEachOther = CompositeArchRule.of(
            FEATURES.stream().map(LayersTest::isolated).toList());

    @ArchTest
    static final ArchRule featurePartsPointInward = CompositeArchRule.of(
            FEATURES.stream().map(LayersTest::partsPointInward).toList());

    @ArchTest
    static final ArchRule spiIsTheBottomContract = noClasses().that().resideInAPackage(GW + ".spi..")
            .should().dependOnClassesThat(resideInAPackage(GW + "..").and(not(resideInAnyPackage(SPI_MAY_USE))))
            .because("the SPI is what features and host share; it may name only the services GatewayContext hands out");

    @ArchTest
    static final ArchRule platformKnowsNoFeature = noClasses().that().resideInAPackage(GW + ".platform..")
            .should().dependOnClassesThat().resideInAnyPackage(packages(FEATURES, GW + ".app..", GW + ".cli.."))
            .because("the platform is generic: features plug into it through the SPI");

    @ArchTest
    static final ArchRule platformFoundationBelowSpi = noClasses().that().resideInAPackage(GW + ".platform..")
            .and().resideOutsideOfPackages(SPI_HOSTS)
            .should().dependOnClassesThat().resideInAnyPackage(concat(SPI_HOSTS, GW + ".spi.."))
            .because("config, db, metrics, secrets, tls, ca, hsm, admin, logging and time sit below the SPI");

    @ArchTest
    static final ArchRule onlyTheTopSeesTheTop = noClasses().that().resideInAPackage(GW + "..")
            .and().resideOutsideOfPackages(GW + ".app..", GW + ".cli..")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".app..", GW + ".cli..");

    @ArchTest
    static final ArchRule appKnowsNoCli = noClasses().that().resideInAPackage(GW + ".app..")
            .should().dependOnClassesThat().resideInAPackage(GW + ".cli..");

    @ArchTest
    static final ArchRule noSimulatorsInMainCode = noClasses().that().resideInAPackage(GW + "..")
            .should().dependOnClassesThat().resideInAnyPackage("..sim..", "dev.posgate.hostsim..", "dev.posgate.devtools..")
            .because("the production jar carries no simulator; dev-tools launches them");

    @ArchTest
    static final ArchRule picocliOnlyInCli = noClasses().that().resideInAPackage(GW + "..")
            .and().resideOutsideOfPackage(GW + ".cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule cryptoIsALeaf = noClasses().that().resideInAPackage("dev.posgate.crypto..")
            .should().dependOnClassesThat(resideInAPackage("dev.posgate..").and(not(resideInAPackage("dev.posgate.crypto.."))));

    @ArchTest
    static final ArchRule iso8583UsesOnlyCrypto = noClasses().that().resideInAPackage("dev.posgate.iso8583..")
            .should().dependOnClassesThat(resideInAPackage("dev.posgate..")
                    .and(not(resideInAnyPackage("dev.posgate.iso8583..", "dev.posgate.crypto.."))));

    @ArchTest
    static final ArchRule protocolsAreIoFree = noClasses().that().resideInAPackage("dev.posgate.protocol..")
            .should().dependOnClassesThat(resideInAnyPackage("io.vertx..", "io.netty..", "java.net..", "java.sql..")
                    .or(resideInAPackage("dev.posgate..")
                            .and(not(resideInAnyPackage("dev.posgate.protocol..", "dev.posgate.iso8583..", "dev.posgate.crypto..")))))
            .because("the patents' protocols are state machines over values: tested without sockets");

    @ArchTest
    static final ArchRule linkKnowsNoClient = noClasses().that().resideInAPackage("dev.posgate.link..")
            .should().dependOnClassesThat(resideInAPackage("dev.posgate..")
                    .and(not(resideInAnyPackage("dev.posgate.link..", "dev.posgate.iso8583.."))))
            .because("the pipelined-client core serves the HSM pool and the upstream link alike");

    @ArchTest
    static final ArchRule hsmClientBelowTheGateway = noClasses().that().resideInAPackage("dev.posgate.hsm..")
            .should().dependOnClassesThat(resideInAnyPackage(GW + "..", "dev.posgate.protocol..", "dev.posgate.hostsim.."));

    private static ArchRule isolated(String feature) {
        List<String> others = FEATURES.stream().filter(f -> !f.equals(feature)).toList();
        return noClasses().that().resideInAPackage(GW + "." + feature + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(others))
                .because("what two features share belongs in the SPI or the platform");
    }

    /**
     * Inside a feature: store and upstream know nothing of wire or admin, wire nothing of admin,
     * and only the feature's root package (its GatewayModule, which wires the parts) sees them all.
     */
    private static ArchRule partsPointInward(String feature) {
        String f = GW + "." + feature;
        return CompositeArchRule.of(noClasses().that().resideInAnyPackage(f + ".store..", f + ".upstream..")
                        .should().dependOnClassesThat().resideInAnyPackage(f + ".wire..", f + ".admin..", f)
                        .allowEmptyShould(true))
                .and(noClasses().that().resideInAnyPackage(f + ".wire..")
                        .should().dependOnClassesThat().resideInAnyPackage(f + ".admin..", f)
                        .allowEmptyShould(true))
                .and(noClasses().that().resideInAnyPackage(f + ".admin..")
                        .should().dependOnClassesThat().resideInAPackage(f)
                        .allowEmptyShould(true));
    }

    private static String[] packages(List<String> features, String... more) {
        return concat(features.stream().map(f -> GW + "." + f + "..").toArray(String[]::new), more);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
