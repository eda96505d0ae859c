package dev.posgate.load.gatling;

import dev.posgate.load.gatling.CpuSampler.ThreadKind;
import dev.posgate.load.gatling.CpuSampler.Usage;
import java.util.List;
import java.util.Map;

/**
 * The closing tables of a simulation on {@link PurchaseRig}'s world, per operation over each
 * phase's window (first to last passing answer, {@link PhaseMeter}) from {@link CpuSampler}; the
 * machine's other load counts too:
 * <ol>
 *   <li>CPU µs of every process;</li>
 *   <li>the gateway JVM's CPU µs by kind of thread (application, JIT compilers, GC) and of the
 *       threads that exited within the window (mostly compiler threads HotSpot stops when idle);</li>
 *   <li>read and write system calls of the gateway JVM, its HSM process when apart, and PostgreSQL.</li>
 * </ol>
 */
final class CpuReport {
    private static final List<String> SYSCALL_ROLES =
            List.of(PurchaseRig.ROLE_GATEWAY, PurchaseRig.ROLE_GATEWAY_HSM, PurchaseRig.ROLE_POSTGRESQL);

    private CpuReport() {
    }

    /** {@code op}: what one operation is called in the headers ("op", "sign-on"); {@code names}: the phases, by request name. */
    static void print(CpuSampler cpu, PhaseMeter meter, String op, String... names) {
        String header = "%-24s";
        List<String> roles = cpu.roles();
        List<String> syscallRoles = SYSCALL_ROLES.stream().filter(roles::contains).toList();

        System.out.printf(header, "CPU µs per " + op);
        roles.forEach(role -> System.out.printf(" %12s", role));
        System.out.println();
        forEachPhase(cpu, meter, names, (usage, n) -> usage.values()
                .forEach(u -> System.out.printf(" %12.0f", micros(u.cpuMillis(), n))));

        System.out.printf("%n" + header + " %8s", PurchaseRig.ROLE_GATEWAY + " µs per " + op, "all");
        for (ThreadKind kind : ThreadKind.values()) System.out.printf(" %8s", kind.label);
        System.out.printf(" %8s%n", "exited");
        forEachPhase(cpu, meter, names, (usage, n) -> {
            Usage u = usage.get(PurchaseRig.ROLE_GATEWAY);
            System.out.printf(" %8.0f", micros(u.cpuMillis(), n));
            u.threadMillis().values().forEach(ms -> System.out.printf(" %8.0f", micros(ms, n)));
            System.out.printf(" %8.0f", micros(u.exitedMillis(), n));
        });

        System.out.printf("%n" + header, "syscalls per " + op);
        syscallRoles.forEach(role -> System.out.printf(" %17s", role));
        System.out.printf("%n" + header, "");
        syscallRoles.forEach(role -> System.out.printf(" %8s %8s", "read", "write"));
        System.out.println();
        forEachPhase(cpu, meter, names, (usage, n) -> syscallRoles.forEach(role -> System.out.printf(" %8.2f %8.2f",
                (double) usage.get(role).reads() / n, (double) usage.get(role).writes() / n)));
        System.out.println();
    }

    private interface Row {
        void print(Map<String, Usage> usage, long operations);
    }

    /** One line per phase that has a window: its name, then {@code row}'s figures. */
    private static void forEachPhase(CpuSampler cpu, PhaseMeter meter, String[] names, Row row) {
        for (String name : names) {
            long[] window = meter.window(name);
            if (window == null) continue;
            Map<String, Usage> usage = cpu.usage(window[0], window[1]);
            if (usage.isEmpty()) continue; // no sample (not Linux)
            System.out.printf("%-24s", name);
            row.print(usage, meter.count(name));
            System.out.println();
        }
    }

    private static double micros(double millis, long operations) {
        return 1000 * millis / operations;
    }
}
