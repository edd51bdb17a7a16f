package io.streamkit.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.hook.AuthRequest;
import io.streamkit.server.MediaServer;
import io.streamkit.server.spi.Connections;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.server.spi.PlayerOutputs;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.WireFormat;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's own protocol plugged into the server as a module, touching no Streamkit
 * code: "line FLV", a TCP protocol of one command line followed by raw FLV.
 *
 * <pre>
 * PUBLISH live/cam1\n  then an FLV stream (header and tags): published as live/cam1
 * PLAY live/cam1\n     answered with an FLV stream of live/cam1 from its last keyframe on
 * </pre>
 *
 * <p>Whatever protocol publishes a stream, the others play it: ffmpeg can publish over RTMP and
 * a line-FLV client play, or the other way round. Publish and play requests go through the
 * application's auth checks with the protocol {@code "line-flv"}. A command line longer than
 * {@value #MAX_LINE} bytes, one that does not come within {@link #COMMAND_TIMEOUT}, an unknown
 * command or a refused request is answered {@code ERR reason} and the connection closed.
 *
 * <pre>{@code
 * MediaServer server = MediaServer.builder().rtmp(1935).module(new LineFlvModule(9000)).start();
 * }</pre>
 *
 * <p>Run it: {@code ./mvnw -q -pl sdk-examples exec:java -Ddemo.main=io.streamkit.examples.LineFlvModule},
 * then {@code (printf 'PUBLISH live/x\n'; ffmpeg -re -i in.flv -c copy -f flv -) | nc 127.0.0.1 9000}
 * and {@code ffplay rtmp://127.0.0.1:1935/live/x}.
 */
public final class LineFlvModule implements ProtocolModule {
    /** The longest command line: a verb and a stream key, with room. */
    public static final int MAX_LINE = 256;
    /** How long a client may take to send its command line. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** The protocol name in auth requests, events and the client list. */
    public static final String PROTOCOL = "line-flv";

    private static final Logger log = LoggerFactory.getLogger(LineFlvModule.class);

    private final int port;

    /**
     * Creates the module.
     *
     * @param port the TCP port; 0 picks a free one, reported by {@code server.port("line-flv")}
     */
    public LineFlvModule(int port) {
        this.port = port;
    }

    @Override
    public String name() {
        return PROTOCOL;
    }

    @Override
    public void start(ModuleContext context) {
        StreamEngine engine = context.engine();
        Connections connections = context.connections();
        PlayerOutputs outputs = context.playerOutputs();
        context.listen(PROTOCOL, new InetSocketAddress(port), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // One line per read, the command: what follows it in the same read is the FLV
                // stream, which must stay in the decoder (handed on when it is removed) rather than
                // be cut at its 0x0A bytes into more "lines" or refused as a line over MAX_LINE.
                LineBasedFrameDecoder line = new LineBasedFrameDecoder(MAX_LINE, true, true);
                line.setSingleDecode(true);
                ch.pipeline().addLast("line", line)
                        .addLast("command", new CommandHandler(engine, connections, outputs));
            }
        });
    }

    /** Reads the command line, asks the application's auth, and hands the connection to the publisher or the player. */
    private static final class CommandHandler extends ChannelInboundHandlerAdapter {
        private final StreamEngine engine;
        private final Connections connections;
        private final PlayerOutputs outputs;
        private Connections.Connection connection;
        private ScheduledFuture<?> deadline;
        private boolean done;

        CommandHandler(StreamEngine engine, Connections connections, PlayerOutputs outputs) {
            this.engine = engine;
            this.connections = connections;
            this.outputs = outputs;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // listed in server.clients() and /api/clients, kickable, announced to the application's listeners
            Channel ch = ctx.channel();
            connection = connections.register(PROTOCOL, (InetSocketAddress) ch.remoteAddress(), ch::close);
            ch.closeFuture().addListener(f -> connection.close());
            deadline = ctx.executor().schedule(() -> refuse(ctx, "no command within " + COMMAND_TIMEOUT.toSeconds() + " s"),
                    COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            deadline.cancel(false);
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String line;
            try {
                line = ((ByteBuf) msg).toString(StandardCharsets.UTF_8).trim();
            } finally {
                ((ByteBuf) msg).release();
            }
            if (done) {
                return;
            }
            done = true;
            deadline.cancel(false);
            ctx.channel().config().setAutoRead(false);   // nothing more until the auth check answers
            String[] words = line.split(" ", 2);
            AuthRequest.Action action = words[0].equals("PUBLISH") ? AuthRequest.Action.PUBLISH
                    : words[0].equals("PLAY") ? AuthRequest.Action.PLAY : null;
            StreamKey key;
            try {
                if (action == null || words.length < 2) {
                    throw new IllegalArgumentException("expected PUBLISH app/name or PLAY app/name");
                }
                key = StreamKey.parse(words[1]);
            } catch (IllegalArgumentException e) {
                refuse(ctx, e.getMessage());
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            engine.authorize(AuthRequest.builder(action, key).remoteAddress(remote).protocol(PROTOCOL).connectionId(connection.id()).build())
                    .whenComplete((result, error) -> ctx.executor().execute(() -> {
                        if (!ctx.channel().isActive()) {
                            return;
                        }
                        if (result == null || !result.allowed()) {
                            refuse(ctx, action.name().toLowerCase() + " of " + key + " denied"
                                    + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
                        } else if (action == AuthRequest.Action.PUBLISH) {
                            publish(ctx, key, remote, result.attributes());
                        } else {
                            play(ctx, key, remote, result.attributes());
                        }
                    }));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done) {
                done = true;
                deadline.cancel(false);
                refuse(ctx, cause instanceof io.netty.handler.codec.TooLongFrameException
                        ? "command line over " + MAX_LINE + " bytes" : cause.toString());
            } else {
                ctx.close();
            }
        }

        private void publish(ChannelHandlerContext ctx, StreamKey key, InetSocketAddress remote,
                             Map<String, String> attributes) {
            Publisher publisher;
            try {
                publisher = engine.publish(key, PublishOptions.defaults().protocol(PROTOCOL).remoteAddress(remote)
                        .connectionId(connection.id()).attributes(attributes));
            } catch (RuntimeException e) {
                refuse(ctx, e.getMessage());
                return;
            }
            connection.publishing(key);
            // the publisher takes the bytes the line decoder read past the command, then everything after
            ctx.pipeline().replace(this, "publish", new PublishHandler(publisher));
            ctx.pipeline().remove("line");
            ctx.channel().config().setAutoRead(true);
        }

        private void play(ChannelHandlerContext ctx, StreamKey key, InetSocketAddress remote,
                          Map<String, String> attributes) {
            Channel ch = ctx.channel();
            ctx.pipeline().remove("line");
            ctx.pipeline().remove(this);
            FlvWriter writer = new FlvWriter(ch, outputs.open(ch, ch, FlvWriter.TAGS, Duration.ZERO));
            connection.playing(key);
            engine.subscribe(key, writer, SubscribeOptions.defaults().executor(ch.eventLoop()).protocol(PROTOCOL)
                    .connectionId(connection.id()).attributes(attributes)
                    .remoteAddress(remote)).whenComplete((subscription, error) -> ch.eventLoop().execute(() -> {
                        if (error != null) {
                            refuse(ch, "play of " + key + " failed: " + error.getMessage());
                        } else if (!ch.isActive()) {
                            subscription.close();
                        } else {
                            ch.closeFuture().addListener(f -> subscription.close());
                            ch.config().setAutoRead(true);   // reads are dropped; a close is noticed
                        }
                    }));
        }

        private static void refuse(ChannelHandlerContext ctx, String reason) {
            refuse(ctx.channel(), reason);
        }

        private static void refuse(Channel ch, String reason) {
            log.info("line-flv {}: {}", ch.remoteAddress(), reason);
            ch.writeAndFlush(ch.alloc().buffer().writeBytes(("ERR " + reason.replace('\n', ' ') + "\n")
                    .getBytes(StandardCharsets.UTF_8))).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Turns the FLV a publisher sends into tracks and frames of its stream. */
    private static final class PublishHandler extends ChannelInboundHandlerAdapter {
        private final Publisher publisher;
        private FlvReader reader;
        private final Map<MediaType, Track> tracks = new HashMap<>();

        PublishHandler(Publisher publisher) {
            this.publisher = publisher;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            reader = new FlvReader(ctx.alloc(), FlvReader.DEFAULT_MAX_TAG_SIZE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!publisher.isOpen()) {
                ((ByteBuf) msg).release();
                return;
            }
            try {
                reader.feed((ByteBuf) msg);
                for (FlvTag tag; (tag = reader.next()) != null; ) {
                    try {
                        handle(tag);
                    } finally {
                        tag.release();
                    }
                }
            } catch (RuntimeException e) {   // a MediaFormatException from the stream, or a refused track
                log.info("line-flv {}: {}; closing", ctx.channel().remoteAddress(), e.getMessage());
                publisher.close();
                ctx.close();
            }
        }

        private void handle(FlvTag tag) {
            ByteBuf body = tag.body();
            long dts = tag.timestamp() * 1000;
            if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                FlvVideoTag video = FlvVideoTag.parse(body);
                if (video.kind() == FlvPacketKind.CONFIG) {
                    track(MediaType.VIDEO, TrackFormat.of(video.codec(), video.payload(body)));
                } else if (video.kind() == FlvPacketKind.FRAME && tracks.containsKey(MediaType.VIDEO)) {
                    publisher.write(tracks.get(MediaType.VIDEO), dts, dts + video.compositionTime() * 1000L,
                            video.keyframe(), video.retainedPayload(body));
                }
            } else if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
                FlvAudioTag audio = FlvAudioTag.parse(body);
                if (audio.kind() == FlvPacketKind.CONFIG) {
                    track(MediaType.AUDIO, TrackFormat.of(audio.codec(), audio.payload(body)));
                } else if (audio.kind() == FlvPacketKind.FRAME) {
                    if (audio.codec() == Codec.MP3 && !tracks.containsKey(MediaType.AUDIO)) {
                        track(MediaType.AUDIO, TrackFormat.of(Codec.MP3));   // MP3 has no configuration
                    }
                    if (tracks.containsKey(MediaType.AUDIO)) {
                        publisher.write(tracks.get(MediaType.AUDIO), dts, dts, false, audio.retainedPayload(body));
                    }
                }
            }
        }

        private void track(MediaType type, TrackFormat format) {
            Track track = tracks.get(type);
            if (track == null) {
                tracks.put(type, publisher.addTrack(format));
            } else if (!track.format().equals(format)) {
                publisher.updateTrack(track, format);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            publisher.close();
            reader.close();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("line-flv {}: {}; closing", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Writes a stream to a player as FLV, on the player's event loop: the header, each track's
     * configuration, then every frame from the keyframe the player starts at, its timeline
     * starting at 0. It writes through the server's player write path ({@link PlayerOutput}),
     * as Streamkit's own players do: a frame's tag is built once per event loop and shared by
     * every line-FLV player there, frames are flushed once per engine batch, and the header and
     * configuration tags, written as control messages, never overtake a frame. A player that
     * does not keep up is skipped to the next keyframe by the engine.
     */
    private static final class FlvWriter implements Subscriber {
        /** The wire form of a frame: an FLV tag at a time in milliseconds, as three leaves. */
        static final WireFormat TAGS = FlvWriter::tag;

        private final Channel ch;
        private final PlayerOutput output;
        private boolean headerWritten;
        private long start = Long.MIN_VALUE;
        private long lastMs;

        FlvWriter(Channel ch, PlayerOutput output) {
            this.ch = ch;
            this.output = output;
        }

        @Override
        public void onTrack(Track track) {
            if (!headerWritten) {
                ByteBuf header = ch.alloc().buffer(FlvHeader.SIZE_WITH_FIRST_TAG_SIZE);
                FlvHeader.writeTo(header, true, true);   // with PreviousTagSize0
                output.control(header);
                headerWritten = true;
            }
            TrackFormat format = track.format();
            if (!format.hasConfig()) {
                return;
            }
            ByteBuf tag = ch.alloc().buffer();
            int type = format.type() == MediaType.VIDEO ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO;
            FlvTagHeader.write(tag, type, 0, lastMs);
            int bodyStart = tag.writerIndex();
            if (type == FlvTagHeader.TYPE_VIDEO) {
                FlvTags.writeVideoSequenceStart(tag, format.codec(), !FlvTags.hasLegacyForm(format.codec(), false));
            } else {
                FlvTags.writeAudioHeader(tag, format.codec(), rate(format), channels(format), true);
            }
            format.writeConfig(tag);
            finish(tag, bodyStart);
            output.control(tag);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (start == Long.MIN_VALUE) {
                start = frame.dts();
            }
            lastMs = Math.max(0, (frame.dts() - start) / 1000);
            output.frame(frame, 0, lastMs);
        }

        /** Builds a frame's tag at {@code ms}: header and codec header, the payload (shared, not copied), PreviousTagSize. */
        private static void tag(ByteBufAllocator alloc, MediaFrame frame, long form, long ms, Consumer<ByteBuf> leaves) {
            Codec codec = frame.track().codec();
            ByteBuf head = alloc.buffer(FlvTagHeader.SIZE + FlvTags.MAX_VIDEO_HEADER_LENGTH);
            boolean video = frame.track().format().type() == MediaType.VIDEO;
            FlvTagHeader.write(head, video ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, 0, ms);
            int bodyStart = head.writerIndex();
            if (video) {
                int cts = (int) Math.max(FlvTags.MIN_COMPOSITION_TIME, Math.min(FlvTags.MAX_COMPOSITION_TIME,
                        frame.compositionOffset() / 1000));
                boolean enhanced = !FlvTags.hasLegacyForm(codec, false);
                FlvTags.writeVideoHeader(head, codec, frame.keyframe(), enhanced && codec != Codec.H264
                        && codec != Codec.H265 ? 0 : cts, enhanced);
            } else {
                TrackFormat format = frame.track().format();
                FlvTags.writeAudioHeader(head, codec, rate(format), channels(format), false);
            }
            int headerBytes = head.writerIndex() - bodyStart;
            int dataSize = headerBytes + frame.payload().readableBytes();
            head.setMedium(FlvTagHeader.DATA_SIZE_OFFSET, dataSize);
            ByteBuf trailer = alloc.buffer(FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH);
            FlvTagHeader.writePreviousTagSize(trailer, dataSize);
            leaves.accept(head);
            leaves.accept(frame.payload().retainedSlice());
            leaves.accept(trailer);
        }

        /** Sets the tag's DataSize from what was written after its header, and appends its PreviousTagSize. */
        private static void finish(ByteBuf tag, int bodyStart) {
            int dataSize = tag.writerIndex() - bodyStart;
            tag.setMedium(FlvTagHeader.DATA_SIZE_OFFSET, dataSize);
            FlvTagHeader.writePreviousTagSize(tag, dataSize);
        }

        private static int rate(TrackFormat format) {
            return format.audio().map(a -> a.sampleRate()).orElse(44_100);
        }

        private static int channels(TrackFormat format) {
            return format.audio().map(a -> a.channels()).orElse(2);
        }

        @Override
        public void onFlush() {
            output.endOfBatch();
        }

        @Override
        public boolean writable() {
            return output.writable();
        }

        @Override
        public void onEnd(EndReason reason) {
            if (!ch.isActive() || reason == EndReason.CANCELLED) {
                output.abandon();
                return;
            }
            output.finish();
            output.controlAndFlush(ch.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Runs a server with RTMP on 1935, HTTP (HTTP-FLV, HLS) on 8080 and line FLV on 9000.
     *
     * @param args unused
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        try (MediaServer server = MediaServer.builder().rtmp(1935).http(8080).hls()
                .module(new LineFlvModule(9000)).start()) {
            log.info("line FLV on port {}: send 'PUBLISH app/name' or 'PLAY app/name' and a newline",
                    server.port(PROTOCOL).orElseThrow());
            Thread.currentThread().join();
        }
    }
}
