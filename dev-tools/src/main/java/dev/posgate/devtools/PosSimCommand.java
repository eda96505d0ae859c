package dev.posgate.devtools;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.cli.CliException;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posgate pos-sim}: one simulated TDES terminal (pos-terminal's PosClient and PIN pad)
 * whose TMK is formed from the same clear components as {@code posgate terminal tmk-ceremony}:
 * it signs on (004) and makes purchases with PIN, printing each response code. A purchase by
 * hand for docs/getting-started.md; exit 1 when an answer is not 00.
 */
@Command(name = "pos-sim", mixinStandardHelpOptions = true,
        description = "A simulated TDES terminal: sign on with the TMK from the ceremony's components, then purchase with PIN.")
final class PosSimCommand implements Callable<Integer> {
    @Option(names = "--gateway", defaultValue = "127.0.0.1:${env:POSGATE_LISTENER_PORT:-8583}",
            description = "Terminal listener host:port (default: ${DEFAULT-VALUE}; port from POSGATE_LISTENER_PORT).")
    String gateway;
    @Option(names = "--tid", required = true, description = "Terminal id (field 41).") String tid;
    @Option(names = "--mid", required = true, description = "Merchant id (field 42).") String mid;
    @Option(names = "--component", required = true,
            description = "TMK clear component, 32 hex, as given to terminal tmk-ceremony (repeat 2 or 3 times).") List<String> components;
    @Option(names = "--amount", defaultValue = "1000", description = "Purchase amount in minor units (default: ${DEFAULT-VALUE}).") long amount;
    @Option(names = "--count", defaultValue = "1", description = "Purchases to make (default: ${DEFAULT-VALUE}).") int count;
    @Option(names = "--pan", defaultValue = "6222021234567890123", description = "Card number (default: ${DEFAULT-VALUE}).") String pan;
    @Option(names = "--pin", defaultValue = "123456",
            description = "PIN entered (default: ${DEFAULT-VALUE}, the host simulator's PIN of every card).") String pin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (components.size() < 2 || components.size() > 3) throw new CliException("pos-sim: give 2 or 3 --component", 2);
        byte[][] parts = new byte[components.size()][];
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = HexFormat.of().parseHex(components.get(i));
            } catch (IllegalArgumentException e) {
                throw new CliException("pos-sim: a component is 32 hex digits", 2);
            }
            if (parts[i].length != 16) throw new CliException("pos-sim: a component is 32 hex digits", 2);
        }
        int colon = gateway.lastIndexOf(':');
        if (colon < 1) throw new CliException("pos-sim: --gateway must be host:port", 2);
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, Parity.adjustOdd(KeyComponents.combine(parts)));
        PrintWriter out = spec.commandLine().getOut();
        Vertx vertx = Vertx.vertx();
        try {
            TerminalLink link;
            try {
                link = DemoWorld.get(TerminalLink.connect(vertx, gateway.substring(0, colon), Integer.parseInt(gateway.substring(colon + 1)),
                        Duration.ofSeconds(10)), 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new CliException("pos-sim: cannot connect to the gateway at " + gateway + " (" + DemoFleet.describe(e)
                        + "): is it running? set --gateway");
            }
            PosClient pos = new PosClient(link, tid, mid, new PinPadKeys(pad, 1), false);
            PosClient.SignOnResult signOn = DemoWorld.get(pos.signOn(SignOnMode.DOUBLE_WITH_TDK), 60, TimeUnit.SECONDS);
            out.println("sign-on " + signOn.code() + ("00".equals(signOn.code())
                    ? (signOn.keysAccepted() ? ": working keys installed (PIK, MAK, TDK under the TMK; KCVs match)" : ": working keys REJECTED (KCV)")
                    : ""));
            if (!"00".equals(signOn.code()) || !signOn.keysAccepted()) return 1;
            boolean allApproved = true;
            for (int i = 0; i < count; i++) {
                PosClient.Reply r = DemoWorld.get(pos.send(pos.purchase(pan, amount, pin)), 60, TimeUnit.SECONDS);
                boolean approved = "00".equals(r.code());
                allApproved &= approved;
                out.println("purchase " + r.code() + (approved ? ": approved, amount " + amount + ", auth code "
                        + (r.message().has(38) ? r.message().field(38) : "-") + ", reply MAC " + (Boolean.TRUE.equals(r.macValid()) ? "ok" : "BAD")
                        : ""));
                out.flush();
            }
            link.close();
            return allApproved ? 0 : 1;
        } finally {
            vertx.close();
        }
    }
}
