package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.SessionKey;
import dev.posgate.hsm.LmkKey;
import dev.posgate.protocol.tms.handshake.HostSession;

/** The TMS state of a connection, kept in its {@link SessionContext}. */
final class TmsSessions {
    private static final SessionKey<HostSession<LmkKey, Terminal>> KEY = SessionKey.named("tms handshake");

    private TmsSessions() {}

    static HostSession<LmkKey, Terminal> of(SessionContext session) {
        return session.getOrCreate(KEY, HostSession::new);
    }

    /** The answer refusing {@code request} for its order ({@code 12}) or a repeated seq ({@code 94}); null when admitted. */
    static Response refusal(HostSession<LmkKey, Terminal> state, TmsMessage request) {
        return switch (state.admit(request.header().tmsCode(), request.header().seq())) {
            case ADMITTED -> null;
            case OUT_OF_ORDER -> TmsReplies.status(request.header(), ResultCode.INVALID_TRANSACTION);
            case DUPLICATE_SEQ -> TmsReplies.status(request.header(), ResultCode.DUPLICATE);
        };
    }
}
