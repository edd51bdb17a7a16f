package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one RTMP connection after the handshake: {@code connect},
 * {@code createStream}, then a subclass's {@code play} or {@code publish} (RTMP spec 7.2),
 * with the protocol control a client owes the server: acknowledgements of its window, a Window
 * Acknowledgement Size answering Set Peer Bandwidth, and ping responses.
 *
 * <p>Runs on the connection's event loop. The first failure wins: an {@code _error} reply, an
 * {@code onStatus} of level {@code error}, a protocol error, the start timeout or the idle
 * timeout closes the connection, and {@link #closed(Throwable)} receives it (with the
 * server's description in its message); {@code closed} is called exactly once.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>time from TCP connect to {@link #started()}</td><td>the configured start timeout</td><td>failure</td></tr>
 *   <tr><td>commands awaiting a reply</td><td>{@value #MAX_PENDING_CALLS}</td><td>failure (never reached by this client's own flow)</td></tr>
 * </table>
 */
abstract class RtmpClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpClientHandler.class);

    /** Commands sent and not yet answered: this client sends at most four before a reply. */
    static final int MAX_PENDING_CALLS = 8;
    /** Chunk stream for commands on a message stream, as ffmpeg uses. */
    static final int CSID_STREAM_COMMAND = 8;
    /** The acknowledgement window this client announces to the server (RTMP spec 5.4.4). */
    static final int WINDOW_ACK_SIZE = 2_500_000;

    protected final RtmpClientConfig config;
    protected final RtmpUrls.Target target;
    private final RtmpChunkDecoder decoder;
    protected ChannelHandlerContext ctx;
    private final Map<Integer, String> calls = new HashMap<>();
    private int nextTransaction = 1;
    private int streamId = -1;
    private long peerWindow;
    private long lastAck;
    private ScheduledFuture<?> startTimer;
    private boolean started;
    private Throwable failure;
    private boolean closedCalled;
    private boolean endedHere;

    RtmpClientHandler(RtmpClientConfig config, RtmpUrls.Target target, RtmpChunkDecoder decoder) {
        this.config = config;
        this.target = target;
        this.decoder = decoder;
    }

    // ---- what a role adds ----

    /** The FourCCs announced in {@code connect}: every Enhanced RTMP codec the ingest reads. */
    static final java.util.List<String> ENHANCED_FOURCCS = java.util.List.of("avc1", "hvc1", "av01", "vp09", "Opus", "mp4a");

    /** The flash version string sent in {@code connect}. */
    abstract String flashVer();

    /** Called after {@code connect} succeeded, before {@code createStream}: a publisher's preparation. */
    void connected() {
    }

    /** Called with the message stream {@code createStream} returned: send {@code play} or {@code publish}. */
    abstract void streamCreated(int streamId);

    /** Called with each {@code onStatus} of level {@code status} or {@code warning} on the stream. */
    abstract void status(String code, String description);

    /** Called with each audio, video or data message on the stream; the message stays the caller's. */
    void media(RtmpMessage m) {
    }

    /** Called with a Stream EOF user control event for the stream. */
    void streamEof() {
    }

    /**
     * Called once when the connection has closed.
     *
     * @param cause why, or {@code null} when this side ended it without an error
     */
    abstract void closed(Throwable cause);

    // ---- for roles ----

    /** The message stream from {@code createStream}, or -1 before it. */
    final int streamId() {
        return streamId;
    }

    /** Marks the play or publish as started: the start timeout no longer applies. */
    final void started() {
        started = true;
        if (startTimer != null) {
            startTimer.cancel(false);
        }
    }

    final boolean isStarted() {
        return started;
    }

    /** Closes the connection with a failure, unless one was recorded already. */
    final void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    /** Sends a command on the connection (stream 0) and remembers it until its reply. */
    final void call(String name, Object... args) {
        if (calls.size() >= MAX_PENDING_CALLS) {
            throw new RtmpProtocolException(calls.size() + " commands unanswered; limit " + MAX_PENDING_CALLS);
        }
        int tx = nextTransaction++;
        calls.put(tx, name);
        Object[] values = new Object[args.length + 2];
        values[0] = name;
        values[1] = (double) tx;
        System.arraycopy(args, 0, values, 2, args.length);
        ctx.write(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, values));
    }

    /** Sends a command on the message stream, which the server answers with {@code onStatus}. */
    final void streamCommand(String name, Object... args) {
        Object[] values = new Object[args.length + 3];
        values[0] = name;
        values[1] = 0.0;
        values[2] = null;
        System.arraycopy(args, 0, values, 3, args.length);
        ctx.write(RtmpMessages.command(ctx.alloc(), CSID_STREAM_COMMAND, streamId, values));
    }

    final String remote() {
        return target.host() + ":" + target.port() + "/" + target.app();
    }

    // ---- the pipeline ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long millis = config.startTimeout().toMillis();
        startTimer = ctx.executor().schedule(() -> fail(new RtmpProtocolException(
                "rtmp://" + remote() + "/" + target.name() + " did not start within " + millis + " ms")),
                millis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        if (!closedCalled) {
            closedCalled = true;
            closed(failure != null ? failure : endedHere ? null
                    : new RtmpProtocolException("rtmp://" + remote() + " closed the connection"));
        }
        super.channelInactive(ctx);
    }

    /** Closes the connection without an error: the stream ended, or the relay was closed. */
    final void end() {
        endedHere = true;
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RtmpHandshakeHandler.COMPLETE) {
            sendConnect();
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            fail(new RtmpProtocolException((idle.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE
                    ? "rtmp://" + remote() + " took nothing it was sent" : "no traffic from rtmp://" + remote())
                    + " for " + config.idleTimeout()));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof IOException) {
            log.debug("rtmp client {}: {}", remote(), c.toString());
        } else if (!(c instanceof RtmpProtocolException || c instanceof MediaFormatException)) {
            log.warn("rtmp client {}: unexpected error; closing", remote(), c);
        }
        fail(c);
    }

    private void sendConnect() {
        var alloc = ctx.alloc();
        ctx.write(RtmpMessages.setChunkSize(alloc, config.chunkSize()));
        ctx.write(RtmpMessages.windowAckSize(alloc, WINDOW_ACK_SIZE));
        call("connect", RtmpMessages.map(
                "app", target.app(),
                "type", "nonprivate",
                "flashVer", flashVer(),
                "tcUrl", target.tcUrl(),
                "fpad", false,
                "capabilities", 15.0,
                "audioCodecs", 4071.0,
                "videoCodecs", 252.0,
                "videoFunction", 1.0,
                "objectEncoding", 0.0,
                // Enhanced RTMP: the codecs this side reads and writes in FourCC form, so a server
                // sends a pull H.265 as hvc1 and knows a push may carry them.
                "fourCcList", ENHANCED_FOURCCS));
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failure == null) {
                handle(m);
            }
        } catch (RuntimeException e) {
            fail(e);   // a protocol or media format error, or the local publish refused (StreamException)
        } finally {
            m.release();
        }
        acknowledge();
    }

    private void handle(RtmpMessage m) {
        switch (m.type()) {
            case RtmpMessage.AUDIO, RtmpMessage.VIDEO, RtmpMessage.DATA_AMF0 -> {
                if (m.streamId() == streamId) {
                    media(m);
                }
            }
            case RtmpMessage.DATA_AMF3 -> {
                if (m.streamId() == streamId && m.payload().isReadable()) {
                    media(m.replace(m.payload().duplicate().skipBytes(1)));
                }
            }
            case RtmpMessage.COMMAND_AMF0 -> command(m.payload().duplicate());
            case RtmpMessage.COMMAND_AMF3 -> command(m.payload().duplicate().skipBytes(Math.min(1, m.payload().readableBytes())));
            case RtmpMessage.WINDOW_ACK_SIZE -> peerWindow = m.payload().readableBytes() >= 4
                    ? m.payload().getUnsignedInt(m.payload().readerIndex()) : 0;
            case RtmpMessage.SET_PEER_BANDWIDTH -> {
                // RTMP spec 5.4.5: answer with a Window Acknowledgement Size when the window changes.
                ctx.writeAndFlush(RtmpMessages.windowAckSize(ctx.alloc(), WINDOW_ACK_SIZE));
            }
            case RtmpMessage.USER_CONTROL -> userControl(m.payload());
            default -> {
                // Set Chunk Size and Abort are applied by the decoder; acknowledgements,
                // aggregates and shared objects are nothing this client acts on
            }
        }
    }

    private void acknowledge() {
        long read = decoder.bytesRead();
        if (peerWindow > 0 && read - lastAck >= peerWindow && ctx.channel().isActive()) {
            lastAck = read;
            ctx.writeAndFlush(RtmpMessages.acknowledgement(ctx.alloc(), read));
        }
    }

    private void userControl(ByteBuf payload) {
        if (payload.readableBytes() < 6) {
            return;
        }
        int event = payload.getUnsignedShort(payload.readerIndex());
        int value = payload.getInt(payload.readerIndex() + 2);
        if (event == RtmpMessages.PING_REQUEST) {
            ctx.writeAndFlush(RtmpMessages.userControl(ctx.alloc(), RtmpMessages.PING_RESPONSE, value));
        } else if (event == RtmpMessages.STREAM_EOF && value == streamId) {
            streamEof();
        }
    }

    private void command(ByteBuf body) {
        List<Object> values;
        try {
            values = Amf0Reader.readAll(body);
        } catch (MediaFormatException e) {
            throw new RtmpProtocolException("malformed command from the server: " + e.getMessage(), e);
        }
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command message from the server without a command name");
        }
        int tx = values.size() > 1 && values.get(1) instanceof Number n ? n.intValue() : 0;
        switch (name) {
            case "_result", "_error" -> reply(name.equals("_result"), calls.remove(tx), values);
            case "onStatus" -> {
                Map<?, ?> info = values.size() > 3 && values.get(3) instanceof Map<?, ?> map ? map : Map.of();
                String level = String.valueOf(info.get("level"));
                String code = String.valueOf(info.get("code"));
                String description = info.get("description") instanceof String s ? s : "";
                if ("error".equals(level)) {
                    throw new RtmpProtocolException("rtmp://" + remote() + "/" + target.name() + ": " + code
                            + (description.isEmpty() ? "" : ": " + description));
                }
                status(code, description);
            }
            default -> log.debug("rtmp client {}: ignoring command '{}'", remote(), name);
        }
    }

    private void reply(boolean ok, String call, List<Object> values) {
        if (call == null) {
            return;   // a reply to nothing this client sent: ignored, as servers answer calls of their own
        }
        Object info = values.size() > 3 ? values.get(3) : null;
        if (call.equals("connect")) {
            Map<?, ?> map = info instanceof Map<?, ?> m ? m : Map.of();
            if (!ok || "error".equals(map.get("level"))) {
                throw new RtmpProtocolException("rtmp://" + remote() + " refused connect: " + map.get("code")
                        + (map.get("description") instanceof String s && !s.isEmpty() ? ": " + s : ""));
            }
            connected();
            call("createStream", (Object) null);
            ctx.flush();
        } else if (call.equals("createStream")) {
            if (!ok || !(info instanceof Number id) || id.intValue() < 0) {
                throw new RtmpProtocolException("rtmp://" + remote() + " refused createStream: " + describe(info));
            }
            streamId = id.intValue();
            streamCreated(streamId);
            ctx.flush();
        }
        // releaseStream and FCPublish: servers answer _result or _error; neither changes anything
    }

    private static String describe(Object info) {
        if (info instanceof Map<?, ?> map) {
            return map.get("code") + (map.get("description") instanceof String s ? ": " + s : "");
        }
        return String.valueOf(info);
    }
}
