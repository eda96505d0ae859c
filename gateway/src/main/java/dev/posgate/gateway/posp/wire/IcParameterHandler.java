package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.posgate.gateway.posp.store.IcEntry;
import dev.posgate.gateway.posp.store.IcParameters;

/**
 * IC-card parameters and EMV CA public keys over 0800/0820 (issue 14 item 7; codes and layouts from
 * mposSDK's 0810/0830 answers, docs/protocol-choices.md):
 * <ul>
 *   <li>status upload, 0820 with 60.3 382 (AIDs) or 372 (CA keys): 62, when present, names what the
 *       terminal has (9F06, and 9F22 for keys); answered 0830 with 62 = {@code '1'} and the entries
 *       it lacks (9F06; or 9F06, 9F22, DF05), {@code '0'} alone when it lacks none, {@code '2'} when
 *       more are lacking than fit (it uploads its status again after downloading these);</li>
 *   <li>download, 0800 with 380 or 370: 62 names one entry; answered 0810 with 62 = {@code '1'} and
 *       the entry's TLV body as loaded, or 39 = 25 for an entry the gateway does not have;</li>
 *   <li>download end, 0800 with 381 or 371: the terminal has the current set, recorded for it.</li>
 * </ul>
 * Unregistered TIDs get 97. These messages carry no MAC (none in the published answers).
 */
public final class IcParameterHandler implements PosHandler {
    public enum Step { STATUS, DOWNLOAD, END }

    /** What field 62 (LLLVAR, at most 512 bytes in PosPackager) leaves for the list after the status byte. */
    public static final int LIST_LIMIT = 511;

    private final IcEntry.Kind kind;
    private final Step step;
    private final TerminalRepository terminals;
    private final IcParameters parameters;

    public IcParameterHandler(IcEntry.Kind kind, Step step, TerminalRepository terminals, IcParameters parameters) {
        this.kind = kind;
        this.step = step;
        this.terminals = terminals;
        this.parameters = parameters;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        String tid = request.field(41);
        if (tid == null) return Future.succeededFuture(PosReplies.code(request, ResultCode.FORMAT_ERROR));
        List<String> named = request.has(62) ? named(request.binary(62)) : List.of();
        if (named == null) {
            // a status upload whose 62 names nothing we can read (a start position, say) gets the whole list
            if (step == Step.STATUS) named = List.of();
            else if (step == Step.DOWNLOAD) return Future.succeededFuture(PosReplies.code(request, ResultCode.FORMAT_ERROR));
        }
        List<String> entries = named == null ? List.of() : named;
        return terminals.findByTid(tid).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(PosReplies.code(request, ResultCode.NOT_REGISTERED));
            return switch (step) {
                case STATUS -> parameters.list(kind).map(loaded -> status(request, loaded, new HashSet<>(entries)));
                case DOWNLOAD -> parameters.list(kind).map(loaded -> download(request, loaded, entries));
                case END -> parameters.confirm(tid, kind).map(v -> PosReplies.code(request, ResultCode.APPROVED));
            };
        });
    }

    /** The entries field 62 names: TLV, optionally after one ASCII status digit as in the answers; null when it is neither. */
    private List<String> named(byte[] f62) {
        try {
            return IcEntry.keysIn(kind, f62);
        } catch (RuntimeException e) {
            if (f62.length == 0 || f62[0] < '0' || f62[0] > '9') return null;
            try {
                return IcEntry.keysIn(kind, java.util.Arrays.copyOfRange(f62, 1, f62.length));
            } catch (RuntimeException again) {
                return null;
            }
        }
    }

    private static Response status(PosMessage request, List<IcEntry> entries, Set<String> has) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        boolean more = false;
        for (IcEntry e : entries) {
            if (has.contains(e.key())) continue;
            byte[] s = e.summary();
            if (list.size() + s.length > LIST_LIMIT) {
                more = true;
                break;
            }
            list.writeBytes(s);
        }
        ByteArrayOutputStream f62 = new ByteArrayOutputStream();
        f62.write(more ? '2' : list.size() == 0 ? '0' : '1');
        f62.writeBytes(list.toByteArray());
        return PosReplies.send(request.reply(ProcessingRequirement.NONE, 60).set(39, ResultCode.APPROVED.code()).set(62, f62.toByteArray()));
    }

    private static Response download(PosMessage request, List<IcEntry> entries, List<String> named) {
        if (named.size() != 1) return PosReplies.code(request, ResultCode.FORMAT_ERROR);
        for (IcEntry e : entries) {
            if (!e.key().equals(named.get(0))) continue;
            byte[] f62 = new byte[1 + e.tlv().length];
            f62[0] = '1';
            System.arraycopy(e.tlv(), 0, f62, 1, e.tlv().length);
            return PosReplies.send(request.reply(ProcessingRequirement.NONE, 60).set(39, ResultCode.APPROVED.code()).set(62, f62));
        }
        return PosReplies.code(request, ResultCode.NO_SUCH_RECORD);
    }
}
