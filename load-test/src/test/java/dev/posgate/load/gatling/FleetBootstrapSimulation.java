package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static dev.posgate.load.gatling.PosTcpDsl.tmsRequest;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.posgate.crypto.RandomSource;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Fleet bootstrap (docs/kms.md, docs/posp.md): {@code users} new terminals (default 20) that the
 * KMS knows only by the TK of their factory batch get their first TMK remotely and go live. Before
 * the run, off the event loop, {@link PurchaseRig} starts the world with the terminals registered
 * but no TMK, and {@link KmsFactory} does the factory's part (K1 for the KMS certificate, cards,
 * one TK per terminal sealed for the KMS key, the signed batch uploaded). In the run, all terminals
 * at once (or over {@code ramp} seconds) connect and run K1 (certificate verified against the
 * root), K2, K3 (TMK installed after its KCV check), K4, then on the same connection sign on with
 * the new TMK (003, working keys checked against their KCVs) and send {@code purchases} purchases
 * (default 3, PIN and MAC, answer MAC verified), each followed by {@code thinkMillis} (default 0).
 * Every step is its own request name, so the report gives per-step latency. With
 * {@code -Dsm4.share} that share of the terminals are SM4 terminals: the SM2 K-flow (K1 for the
 * SM2 KMS certificate, checked against the SM2 root; SM2 TK block; SM4 TMK), then SM4 sign-on
 * and purchases; the closing table adds each step per key algorithm.
 */
public final class FleetBootstrapSimulation extends Simulation {
    private static final String[] STEPS = {"K1 certificate", "K2", "K3", "K4", "sign-on 0800/003", "purchase 0200"};

    private final int users = LoadSettings.users(20);
    private final Duration ramp = LoadSettings.seconds("ramp", 0);
    private final int purchases = Integer.getInteger("purchases", 3);
    private final Duration think = Duration.ofMillis(Integer.getInteger("thinkMillis", 0));
    private final PurchaseRig rig = PurchaseRig.start(users, false, false);
    private final List<KmsDevice> devices = KmsFactory.bootstrap(rig.gatewayJar(), rig.caDir(), rig.work(), rig.port(),
            rig.admin(), IntStream.rangeClosed(1, users).mapToObj(VirtualTerminal::sn).toList());
    private final CertificateVerifier root = rootVerifier(rig, "root.crt");
    /** SM4 terminals (-Dsm4.share) burn in the SM2 root and run the SM2 K-flow. */
    private final CertificateVerifier sm2Root = LoadSettings.sm4Share() > 0 ? rootVerifier(rig, KmsFactory.SM2_ROOT_FILE) : null;
    private final RandomSource random = RandomSource.secure();
    private final AtomicInteger handedOut = new AtomicInteger();
    private final PhaseMeter meter = new PhaseMeter();

    private final ScenarioBuilder bootstrap = scenario("fleet bootstrap")
            .exec(session -> session.set("boot", nextTerminal()))
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(tmsRequest("K1 certificate", s -> boot(s).k1()).onResponse((s, r) -> {
                boot(s).onK1(r);
                return s;
            }))
            .exitHereIfFailed()
            .exec(tmsRequest("K2", s -> boot(s).k2()).onResponse((s, r) -> s.set("next", boot(s).onK2(r))))
            .exitHereIfFailed()
            .exec(tmsRequest("K3", s -> s.get("next")).onResponse((s, r) -> s.set("next", boot(s).onK3(r))))
            .exitHereIfFailed()
            .exec(tmsRequest("K4", s -> s.get("next")).onResponse((s, r) -> {
                boot(s).onK4(r);
                return grouped(counted(s.remove("next"), "K4"), "K4");
            }))
            .exitHereIfFailed()
            .exec(request("sign-on 0800/003", s -> pos(s).signOn()).check(field(39, "00")).onResponse((s, r) -> {
                pos(s).acceptSignOn(r);
                return grouped(counted(s, "sign-on"), "sign-on");
            }))
            .exitHereIfFailed()
            .exec(repeat(purchases).on(purchase()))
            .exec(disconnect());

    {
        OpenInjectionStep injection = ramp.isZero() ? atOnceUsers(users) : rampUsers(users).during(ramp);
        setUp(bootstrap.injectOpen(injection))
                .protocols(posTcp().address("127.0.0.1", rig.port()))
                .assertions(assertions())
                .maxDuration(ramp.plusSeconds(300));
    }

    private ChainBuilder purchase() {
        ChainBuilder send = exec(request("purchase 0200", s -> pos(s).purchase(100)).check(field(39, "00"))
                .onResponse((s, r) -> {
                    pos(s).verifyMac(r);
                    return grouped(counted(s, "purchase"), "purchase");
                })).exitHereIfFailed();
        return think.isZero() ? send : send.pause(think);
    }

    private static List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>(PosGatewaySimulation.assertions(2000));
        for (String step : STEPS) {
            all.add(details(step).failedRequests().percent().lte(LoadSettings.maxErrorPercent()));
            all.add(details(step).successfulRequests().count().gt(0L));
            all.add(details(step).responseTime().percentile(99.0).lte(LoadSettings.p99Millis(2000)));
        }
        return all;
    }

    private BootstrapTerminal nextTerminal() {
        int n = handedOut.incrementAndGet();
        KmsDevice device = devices.get(n - 1);
        return new BootstrapTerminal(n, device, device.sm() ? sm2Root : root, random);
    }

    private static BootstrapTerminal boot(Session session) {
        return session.get("boot");
    }

    private static VirtualTerminal pos(Session session) {
        return boot(session).pos();
    }

    private Session counted(Session session, String name) {
        meter.record(name);
        return session;
    }

    /** Also counts {@code name} under the terminal's key algorithm ("K4 SM4"), for the per-group lines. */
    private Session grouped(Session session, String name) {
        meter.record(name + " " + pos(session).algorithm());
        return session;
    }

    private static CertificateVerifier rootVerifier(PurchaseRig rig, String file) {
        try {
            return CertificateVerifier.trusting(KmsFactory.certificate(rig.caDir().resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void after() {
        System.out.printf("%nfleet bootstrap: %d terminals%n%-12s %8s %12s%n", users, "step", "passed", "per second");
        for (String name : new String[] {"K4", "sign-on", "purchase"}) {
            System.out.printf("%-12s %8d %12.1f%n", name, meter.count(name), meter.perSecond(name));
            for (String algorithm : new String[] {"TDES", "SM4"}) {
                String group = name + " " + algorithm;
                if (meter.count(group) > 0 && LoadSettings.sm4Share() > 0) {
                    System.out.printf("%-12s %8d %12.1f%n", group, meter.count(group), meter.perSecond(group));
                }
            }
        }
        long[] k4 = meter.window("K4");
        long[] last = meter.window("purchase");
        if (k4 != null && last != null) {
            System.out.printf("first K4 to last purchase: %.2f s%n", (last[1] - k4[0]) / 1e9);
        }
        System.out.println();
        rig.close();
    }
}
