package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.amf0.Amf0;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.amf0.Amf0TypedObject;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection after the handshake: protocol control, the NetConnection and NetStream
 * commands, and each message stream's publish or play (RTMP spec 7.2).
 *
 * <p>Runs on the connection's event loop. Every refusal sends the status a client expects
 * (NetConnection.Connect.Rejected, NetStream.Publish.BadName, NetStream.Play.StreamNotFound,
 * ...) with a description naming the reason, then closes; every protocol error closes the
 * connection with one log line. Nothing here touches another connection's state.
 *
 * <p>Deadlines: the {@code connect} command within the connect timeout of the accept (the
 * handshake included), the first {@code publish} or {@code play} within the start timeout of
 * {@code connect}; after that the idle handler closes a publisher that sends no media and a
 * player that takes nothing for the idle timeout. Other messages keep a connection that neither
 * publishes nor plays alive, bytes alone do not. After a protocol error, a refusal or a
 * deadline, the connection acts on nothing more it has read: the chunk decoder stops and the
 * messages already decoded are dropped.
 */
final class RtmpConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpConnectionHandler.class);

    private final Engine engine;
    private final RtmpConfig config;
    private final RtmpChunkDecoder decoder;
    private final long id;
    private final ClientRegistry clients;
    private ClientRegistry.Entry client;
    private ChannelHandlerContext ctx;
    private InetSocketAddress remote;
    private final ClientLog clientLog;
    private IdleTimeoutHandler idle;
    /** The pending deadline: connect, then publish or play; null once one came. */
    private ScheduledFuture<?> deadline;
    /** Set when the connection closes for an error, a refusal or a deadline: nothing more is acted on. */
    private boolean closing;

    private boolean connected;
    private String app;
    private Map<String, String> connectQuery = Map.of();
    /** The tcUrl of the connect command, as the client sent it: auth requests carry it (SRS's hooks send it). */
    private String connectUrl = "";
    private long peerWindow;
    private long lastAck;
    private final Map<Integer, StreamState> streams = new HashMap<>();
    /** What the connect {@code _result} announces: every Enhanced RTMP video codec is taken and forwarded. */
    private static final Map<String, Object> FOURCC_FORWARD_VIDEO = Map.of("avc1", 4.0, "hvc1", 4.0, "av01", 4.0,
            "vp09", 4.0);
    /** And every audio one. */
    private static final Map<String, Object> FOURCC_FORWARD_AUDIO = Map.of("Opus", 4.0, "mp4a", 4.0, ".mp3", 4.0);
    /** Chunk stream blocks of the plays on this connection, bit b for block b ({@link RtmpMediaWriter#BLOCKS}). */
    private int usedBlocks;
    private RtmpPeerCapabilities peer = RtmpPeerCapabilities.LEGACY;
    private int nextStreamId = 1;
    private long droppedBeforeStart;

    RtmpConnectionHandler(Engine engine, RtmpConfig config, RtmpChunkDecoder decoder, ClientRegistry clients,
                          ClientLog clientLog) {
        this.engine = engine;
        this.clientLog = clientLog;
        this.clients = clients;
        this.config = config;
        this.decoder = decoder;
        this.id = engine.newId();
    }

    /** What one message stream (from createStream) is doing. */
    private static final class StreamState {
        int block = -1;
        RtmpIngest ingest;
        RtmpPlayer player;
        Subscription subscription;
        boolean busy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.remote = ConnectionGate.clientAddress(ctx.channel()) instanceof InetSocketAddress a ? a : null;
        this.idle = ctx.pipeline().get(IdleTimeoutHandler.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        client = clients.register(id, "rtmp", remote, () -> ctx.channel().close());
        arm(config.connectTimeout(), "no connect command");
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        for (StreamState st : streams.values()) {
            stop(st, true);   // still publishing when the connection went: its source was lost, not stopped
        }
        streams.clear();
        if (client != null) {
            client.unregister();   // announces the disconnect, after the players' stops
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent event) {
            clientLog.info(log, "rtmp {} #{}: {} for {}; closing", remote, id,
                    event.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE ? "the peer took nothing it was sent"
                            : streams.values().stream().anyMatch(st -> st.ingest != null) ? "no media"
                            : "nothing of use", config.idleTimeout());
            close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;   // one line per connection: what follows the first error is its echo
        }
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RtmpProtocolException || c instanceof MediaFormatException) {
            clientLog.warn(log, "rtmp {} #{}: {}; closing", remote, id, c.getMessage());
        } else if (c instanceof IOException) {
            log.debug("rtmp {} #{}: {}", remote, id, c.toString());
        } else {
            log.warn("rtmp {} #{}: unexpected error; closing", remote, id, c);
        }
        close();
    }

    /** Closes for good: the decoder stops and nothing already read is acted on. */
    private void close() {
        closing = true;
        disarm();
        decoder.stop();
        ctx.close();
    }

    /** Arms the deadline of the next stage. */
    private void arm(java.time.Duration timeout, String missing) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            if (!closing && ctx.channel().isActive()) {
                clientLog.info(log, "rtmp {} #{}: {} within {}; closing", remote, id, missing, timeout);
                close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            m.release();
            return;
        }
        if (idle != null && (m.type() == RtmpMessage.AUDIO || m.type() == RtmpMessage.VIDEO
                || m.type() == RtmpMessage.AGGREGATE || streams.values().stream().noneMatch(st -> st.ingest != null))) {
            idle.progress();   // a publisher shows progress with media; anyone else with any message
        }
        try {
            handle(m);
        } finally {
            m.release();
        }
        acknowledge();
    }

    private void handle(RtmpMessage m) {
        switch (m.type()) {
            case RtmpMessage.AUDIO, RtmpMessage.VIDEO -> media(m);
            case RtmpMessage.COMMAND_AMF0 -> command(m, m.payload().duplicate());
            case RtmpMessage.COMMAND_AMF3 -> command(m, amf3Body(m));
            case RtmpMessage.DATA_AMF0 -> data(m, m.payload().duplicate());
            case RtmpMessage.DATA_AMF3 -> data(m, amf3Body(m));
            case RtmpMessage.WINDOW_ACK_SIZE -> peerWindow = m.payload().readableBytes() >= 4
                    ? m.payload().getUnsignedInt(m.payload().readerIndex()) : 0;
            case RtmpMessage.USER_CONTROL -> userControl(m.payload());
            case RtmpMessage.AGGREGATE -> aggregate(m);
            case RtmpMessage.SET_CHUNK_SIZE, RtmpMessage.ABORT, RtmpMessage.ACKNOWLEDGEMENT,
                    RtmpMessage.SET_PEER_BANDWIDTH,
                    RtmpMessage.SHARED_OBJECT_AMF0, RtmpMessage.SHARED_OBJECT_AMF3 -> {
                // applied by the decoder, or nothing a server needs to act on
            }
            default -> throw new RtmpProtocolException("unknown message type " + m.type() + " on chunk stream "
                    + m.chunkStreamId());
        }
    }

    /**
     * The body of an AMF3 command or data message (type 17 or 15) after its leading format byte,
     * from which on it is AMF0 values (RTMP spec 7.1.1); a message without that byte is refused.
     */
    private static ByteBuf amf3Body(RtmpMessage m) {
        ByteBuf body = m.payload().duplicate();
        if (!body.isReadable()) {
            throw new RtmpProtocolException("AMF3 " + (m.type() == RtmpMessage.COMMAND_AMF3 ? "command" : "data")
                    + " message of 0 bytes on chunk stream " + m.chunkStreamId() + "; it starts with a format byte");
        }
        return body.skipBytes(1);
    }

    /**
     * Handles each sub-message of an aggregate exactly as if it had come alone, on the
     * aggregate's message stream. Their payloads are slices of the aggregate's, which
     * {@link #channelRead} releases after this returns: they are not released here, and
     * whatever keeps one (a frame) retains it.
     */
    private void aggregate(RtmpMessage m) {
        for (RtmpAggregate.SubMessage sub : RtmpAggregate.split(m.payload(), m.timestamp())) {
            handle(new RtmpMessage(m.chunkStreamId(), sub.type(), m.streamId(), sub.timestamp(), sub.payload()));
        }
    }

    private void acknowledge() {
        long read = decoder.bytesRead();
        if (peerWindow > 0 && read - lastAck >= peerWindow) {
            lastAck = read;
            ctx.writeAndFlush(RtmpMessages.acknowledgement(ctx.alloc(), read));
        }
    }

    private void userControl(ByteBuf payload) {
        if (payload.readableBytes() >= 6 && payload.getUnsignedShort(payload.readerIndex()) == RtmpMessages.PING_REQUEST) {
            ctx.writeAndFlush(RtmpMessages.userControl(ctx.alloc(), RtmpMessages.PING_RESPONSE,
                    payload.getInt(payload.readerIndex() + 2)));
        }
    }

    private void media(RtmpMessage m) {
        StreamState st = streams.get(m.streamId());
        if (st == null || st.ingest == null) {
            droppedBeforeStart++;   // sent before NetStream.Publish.Start, or on a stream it does not publish
            return;
        }
        if (m.type() == RtmpMessage.VIDEO) {
            st.ingest.video(m.payload(), m.timestamp());
        } else {
            st.ingest.audio(m.payload(), m.timestamp());
        }
    }

    private void data(RtmpMessage m, ByteBuf body) {
        StreamState st = streams.get(m.streamId());
        if (st != null && st.ingest != null) {
            st.ingest.data(body);
        }
    }

    // ---- commands ----

    private void command(RtmpMessage m, ByteBuf body) {
        List<Object> values;
        try {
            values = Amf0Reader.readAll(body);
        } catch (MediaFormatException e) {
            throw new RtmpProtocolException("malformed command: " + e.getMessage(), e);
        }
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command message without a command name");
        }
        double txid = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        if (!connected && !name.equals("connect")) {
            throw new RtmpProtocolException("command '" + name + "' before connect");
        }
        switch (name) {
            case "connect" -> connect(txid, arg(values, 2));
            case "createStream" -> createStream(txid);
            case "releaseStream", "FCPublish", "FCUnpublish", "_checkbw" ->
                    // What SRS answers; no client reads more than the transaction id (ffmpeg tracks
                    // these calls but reads only connect's, createStream's and getStreamLength's results).
                    ctx.writeAndFlush(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0,
                            "_result", txid, null, Amf0.UNDEFINED));
            case "getStreamLength" -> ctx.writeAndFlush(streamLength(txid));
            case "publish" -> {
                disarm();
                publish(m.streamId(), string(values, 3));
            }
            case "play" -> {
                disarm();
                play(m.streamId(), string(values, 3));
            }
            case "play2" -> {
                disarm();
                play(m.streamId(), play2Name(arg(values, 3)));
            }
            case "deleteStream" -> deleteStream(values.size() > 3 && values.get(3) instanceof Number n ? n.intValue() : m.streamId());
            case "closeStream" -> deleteStream(m.streamId());
            case "receiveAudio", "receiveVideo" -> {
                StreamState st = streams.get(m.streamId());
                boolean on = !(values.size() > 3 && Boolean.FALSE.equals(values.get(3)));
                if (st != null && st.player != null) {
                    if (name.equals("receiveAudio")) {
                        st.player.receiveAudio(on);
                    } else {
                        st.player.receiveVideo(on);
                    }
                }
            }
            case "pause" -> {
                StreamState st = streams.get(m.streamId());
                if (st != null && st.player != null) {
                    st.player.pause(values.size() > 3 && Boolean.TRUE.equals(values.get(3)));
                }
            }
            default -> log.debug("rtmp {} #{}: ignoring command '{}'", remote, id, name);
        }
    }

    /**
     * The answer to {@code getStreamLength}: {@code _result(txid, null, 0)}, the length in
     * seconds of a live stream, which has none.
     *
     * <p>A player asks before {@code play} (ffmpeg does unless told {@code -rtmp_live live}) and
     * reads a number after the null command object; anything else makes ffmpeg warn
     * "Unexpected reply on getStreamLength()". nginx-rtmp and SRS do not answer at all, which
     * ffmpeg tolerates (the call stays pending, silently); answering with 0 tells every client
     * the truth in the form it reads and leaves no call pending. ffmpeg uses a length only when
     * it is above 0 (as a duration in metadata it makes up), so 0 changes nothing in what it plays.
     */
    private RtmpMessage streamLength(double txid) {
        return RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "_result", txid, null, 0.0);
    }

    private void connect(double txid, Object commandObject) {
        if (connected) {
            throw new RtmpProtocolException("connect sent twice");
        }
        Map<?, ?> props = commandObject instanceof Map<?, ?> m ? m
                : commandObject instanceof Amf0TypedObject t ? t.properties() : Map.of();
        Object appValue = props.get("app");
        String tcUrl = props.get("tcUrl") instanceof String s ? s : "";
        RtmpUrls.Split split = RtmpUrls.splitQuery(appValue instanceof String s ? s : "");
        String name = RtmpUrls.trimSlashes(split.path());
        if (name.isEmpty()) {
            name = RtmpUrls.appOf(tcUrl);   // no app of its own (SRS's test client): the tcUrl's path
        }
        if (name.isEmpty()) {
            rejectConnect(txid, (appValue == null ? "connect names no app"
                    : appValue instanceof String ? "connect's app is empty"
                    : "connect's app is " + amfType(appValue) + ", not a string,")
                    + (tcUrl.isEmpty() ? " and has no tcUrl"
                    : " and its tcUrl '" + RtmpUrls.quoted(tcUrl) + "' has no path after the host"));
            return;
        }
        Map<String, String> query = new HashMap<>(RtmpUrls.query(tcUrl));
        query.putAll(split.query());
        app = name;
        connectQuery = Map.copyOf(query);
        connectUrl = tcUrl;
        peer = RtmpPeerCapabilities.of(props);
        connected = true;
        arm(config.startTimeout(), "no publish or play command");
        double objectEncoding = props.get("objectEncoding") instanceof Number n ? n.doubleValue() : 0;

        var alloc = ctx.alloc();
        ctx.write(RtmpMessages.windowAckSize(alloc, config.windowAckSize()));
        ctx.write(RtmpMessages.setPeerBandwidth(alloc, config.windowAckSize()));
        ctx.write(RtmpMessages.setChunkSize(alloc, config.chunkSize()));
        ctx.writeAndFlush(RtmpMessages.command(alloc, RtmpMessages.CSID_COMMAND, 0, "_result", txid,
                RtmpMessages.map("fmsVer", "FMS/3,5,7,7009", "capabilities", 31.0, "mode", 1.0,
                        // Enhanced RTMP: the FourCCs this server takes and forwards (CanForward 0x04),
                        // and multitrack (capsEx 0x02)
                        "videoFourCcInfoMap", FOURCC_FORWARD_VIDEO, "audioFourCcInfoMap", FOURCC_FORWARD_AUDIO,
                        "capsEx", 2.0),
                RtmpMessages.map("level", "status", "code", "NetConnection.Connect.Success",
                        "description", "Connection succeeded.", "objectEncoding", objectEncoding)));
        log.debug("rtmp {} #{}: connected to app '{}'", remote, id, app);
    }

    /** Answers a connect that names no app with NetConnection.Connect.Rejected, then closes. */
    private void rejectConnect(double txid, String reason) {
        clientLog.info(log, "rtmp {} #{}: NetConnection.Connect.Rejected: {}", remote, id, reason);
        closing = true;
        disarm();
        decoder.stop();
        ctx.writeAndFlush(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "_error", txid, null,
                        RtmpMessages.map("level", "error", "code", "NetConnection.Connect.Rejected",
                                "description", reason)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** An AMF value's type as a client's author would name it, for a refusal. */
    private static String amfType(Object value) {
        if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Map<?, ?>) {
            return "an object";
        } else if (value instanceof List<?>) {
            return "an array";
        } else if (value == Amf0.UNDEFINED) {
            return "undefined";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private void createStream(double txid) {
        if (streams.size() >= config.maxStreamsPerConnection()) {
            ctx.writeAndFlush(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "_error", txid, null,
                    RtmpMessages.map("level", "error", "code", "NetConnection.Call.Failed", "description",
                            "streams per connection limited to " + config.maxStreamsPerConnection())));
            return;
        }
        if (nextStreamId > SharedMediaMessages.MAX_STREAM_ID) {
            // Ids are not reused: frames already on their way to a deleted stream must not reach a new one.
            ctx.writeAndFlush(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "_error", txid, null,
                    RtmpMessages.map("level", "error", "code", "NetConnection.Call.Failed", "description",
                            "this connection created " + SharedMediaMessages.MAX_STREAM_ID + " streams; reconnect")));
            return;
        }
        int streamId = nextStreamId++;
        streams.put(streamId, new StreamState());
        ctx.writeAndFlush(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "_result", txid, null,
                (double) streamId));
    }

    private void publish(int streamId, String name) {
        StreamState st = streamFor(streamId, "publish");
        RtmpUrls.Split split = RtmpUrls.splitQuery(name == null ? "" : name);
        StreamKey key;
        try {
            key = RtmpUrls.key(app, split.path());
        } catch (IllegalArgumentException e) {
            refuse(streamId, "NetStream.Publish.BadName", e.getMessage());
            return;
        }
        st.busy = true;
        Map<String, String> query = merged(split.query());
        engine.authorize(AuthRequest.builder(AuthRequest.Action.PUBLISH, key).query(query).remoteAddress(remote).protocol("rtmp").connectionId(id)
                        .url(connectUrl).build())
                .whenComplete((result, error) -> ctx.executor().execute(() -> published(streamId, st, key, query, result)));
    }

    private void published(int streamId, StreamState st, StreamKey key, Map<String, String> query, AuthResult result) {
        if (!ctx.channel().isActive() || streams.get(streamId) != st) {
            return;
        }
        if (result == null || !result.allowed()) {
            refuse(streamId, "NetStream.Publish.Rejected", "publish of " + key + " denied"
                    + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
            return;
        }
        Publisher publisher;
        try {
            publisher = engine.publish(key, PublishOptions.defaults().protocol("rtmp").remoteAddress(remote)
                    .timestampWrap(PublishOptions.RTMP_TIMESTAMP_WRAP).connectionId(id).attributes(result.attributes())
                    .query(query));
        } catch (StreamException e) {
            refuse(streamId, "NetStream.Publish.BadName", e.getMessage());
            return;
        }
        st.ingest = new RtmpIngest(publisher);
        if (client != null) {
            client.role(ClientRegistry.Role.PUBLISH, key);
        }
        publisher.closed().thenAccept(reason -> {
            if (reason == EndReason.TAKEN_OVER || reason == EndReason.KICKED || reason == EndReason.SHUTDOWN) {
                ctx.executor().execute(() -> {
                    log.info("rtmp {} #{}: publish of {} ended ({}); closing", remote, id, key, reason);
                    ctx.close();
                });
            }
        });
        ctx.write(RtmpMessages.userControl(ctx.alloc(), RtmpMessages.STREAM_BEGIN, streamId));
        ctx.writeAndFlush(RtmpMessages.onStatus(ctx.alloc(), streamId, "status", "NetStream.Publish.Start",
                key + " is now published.", RtmpMessages.map("details", key.name())));
        decoder.publishing(ctx);   // attackers that fill the server's budget cannot close it now
        log.info("rtmp {} #{}: publishing {}", remote, id, key);
    }

    private void play(int streamId, String name) {
        StreamState st = streamFor(streamId, "play");
        RtmpUrls.Split split = RtmpUrls.splitQuery(name == null ? "" : name);
        StreamKey key;
        try {
            key = RtmpUrls.key(app, split.path());
        } catch (IllegalArgumentException e) {
            refuse(streamId, "NetStream.Play.StreamNotFound", e.getMessage());
            return;
        }
        st.busy = true;
        Map<String, String> query = merged(split.query());
        engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).query(query).remoteAddress(remote).protocol("rtmp").connectionId(id)
                        .url(connectUrl).build())
                .whenComplete((result, error) -> ctx.executor().execute(() -> authorizedPlay(streamId, st, key, query, result)));
    }

    private void authorizedPlay(int streamId, StreamState st, StreamKey key, Map<String, String> query, AuthResult result) {
        if (!ctx.channel().isActive() || streams.get(streamId) != st) {
            return;
        }
        if (result == null || !result.allowed()) {
            refuse(streamId, "NetStream.Play.Failed", "play of " + key + " denied"
                    + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
            return;
        }
        st.block = takeBlock();
        int block = st.block;
        // The block is free again only once the player has ended: frames already on their way to
        // it would otherwise share chunk streams with the next play's.
        RtmpPlayer player = new RtmpPlayer(ctx, streamId, config.chunkSize(), key,
                WriteBatch.forWindow(ctx.channel().eventLoop(), config.writeBatch()), block, config.absoluteTime(),
                peer, () -> releaseBlock(block));
        st.player = player;
        engine.subscribe(key, player, SubscribeOptions.defaults().executor(ctx.channel().eventLoop())
                        .protocol("rtmp").remoteAddress(remote).connectionId(id).attributes(result.attributes()).query(query))
                .whenComplete((sub, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        refuse(streamId, "NetStream.Play.StreamNotFound", (error.getCause() != null
                                ? error.getCause() : error).getMessage());
                        return;
                    }
                    if (!ctx.channel().isActive() || streams.get(streamId) != st) {
                        sub.close();
                        return;
                    }
                    st.subscription = sub;
                    if (client != null) {
                        client.role(ClientRegistry.Role.PLAY, key);
                    }
                    player.start();
                    log.debug("rtmp {} #{}: playing {}", remote, id, key);   // one line per viewer: the listener reports plays
                }));
    }

    private void deleteStream(int streamId) {
        StreamState st = streams.remove(streamId);
        if (st != null) {
            stop(st, false);
        }
    }

    /** The lowest chunk stream block no play of this connection owns, or -1 when all are taken. */
    private int takeBlock() {
        int free = Integer.numberOfTrailingZeros(~usedBlocks);
        if (free >= RtmpMediaWriter.BLOCKS) {
            return -1;
        }
        usedBlocks |= 1 << free;
        return free;
    }

    private void releaseBlock(int block) {
        if (block >= 0) {
            usedBlocks &= ~(1 << block);
        }
    }

    private void stop(StreamState st, boolean lost) {
        if (st.subscription == null && st.block >= 0) {
            releaseBlock(st.block);   // its player never started: nothing can reach it
            st.block = -1;
        }
        if (st.ingest != null) {
            if (lost) {
                st.ingest.publisher().abort();
            } else {
                st.ingest.publisher().close();
            }
            st.ingest = null;
        }
        if (st.subscription != null) {
            st.subscription.close();
            st.subscription = null;
        }
    }

    private StreamState streamFor(int streamId, String command) {
        StreamState st = streams.get(streamId);
        if (st == null) {
            throw new RtmpProtocolException(command + " on stream " + streamId + ", which createStream did not make");
        }
        if (st.busy) {
            throw new RtmpProtocolException(command + " on stream " + streamId + ", which already publishes or plays");
        }
        return st;
    }

    /** Sends an error status that names the reason, then closes: the client prints the description. */
    private void refuse(int streamId, String code, String description) {
        clientLog.info(log, "rtmp {} #{}: {}: {}", remote, id, code, description);
        closing = true;
        disarm();
        decoder.stop();
        ctx.writeAndFlush(RtmpMessages.onStatus(ctx.alloc(), streamId, "error", code, description, null))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private Map<String, String> merged(Map<String, String> streamQuery) {
        if (streamQuery.isEmpty()) {
            return connectQuery;
        }
        Map<String, String> all = new HashMap<>(connectQuery);
        all.putAll(streamQuery);
        return all;
    }

    private static Object arg(List<Object> values, int i) {
        return i < values.size() ? values.get(i) : null;
    }

    private static String string(List<Object> values, int i) {
        return i < values.size() && values.get(i) instanceof String s ? s : null;
    }

    private static String play2Name(Object params) {
        return params instanceof Map<?, ?> map && map.get("streamName") instanceof String s ? s : null;
    }
}
