package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.IovArray;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-player cost of RTMP playback: 1, 100 or 1,000 {@link RtmpPlayer}s on one event
 * loop receiving the same frames.
 *
 * <p><b>What one operation is.</b> One frame delivered to every player, the way the engine's
 * fan-out does it on a loop: {@link RtmpPlayer#writable()} and {@link RtmpPlayer#onFrame} for
 * each player, then {@link RtmpPlayer#onFlush()} for each. In {@code onFrame} the first player
 * encodes the frame's chunked message ({@link SharedMediaMessages}) as leaf buffers and every
 * player queues them; at {@code onFlush} the first player writes a retained duplicate of each
 * leaf to its channel, and the next ones, whose queues hold the same frame, a duplicate of
 * the one copy the loop joins for them. (On an epoll socket they would send straight to it;
 * these channels are not sockets, so the benchmark measures the channel path.) Frames cycle through two seconds of a 2.5 Mbps
 * H.264 + AAC stream ({@link SyntheticStream}: 50 video frames, 87 audio frames; an average
 * frame is 4.9 KB), sent with the server's default chunk size of
 * {@value RtmpConfig#DEFAULT_CHUNK_SIZE}. Divide the score by {@code players} for the cost per
 * player per frame; the 1-player score is mostly the per-frame encode. With
 * {@code batchMillis=350} the players share the loop's {@link WriteBatch}: a frame is queued
 * per player and the batch's timer writes each slot's window (one shared buffer for the
 * second and later players of a slot) on the same loop.
 *
 * <p><b>The channel.</b> Each player has its own {@link EmbeddedChannel} with the server's
 * outbound handlers: the player's handler, {@link RtmpChunkEncoder} (which the shared bytes
 * pass through), and, next to the head, a {@link Sink} that stands in for the transport: it
 * takes each written buffer, completes its promise and releases it, and swallows the flush.
 * So the write and flush traverse a real pipeline, but EmbeddedChannel's outbound queue, and
 * a socket's {@code ChannelOutboundBuffer} and system call, are not measured. With
 * {@code sink=gather} the sink also does what NIO's transport does to a buffer before the
 * gathering write: {@code nioBufferCount()} and {@code nioBuffers()} (or
 * {@code internalNioBuffer} for a single buffer), which for a composite message allocates a
 * {@code ByteBuffer} per component, per player. With {@code sink=iov} it does what the native
 * (epoll) transport does instead: adds each buffer's memory address to an {@code IovArray}
 * for {@code writev}, which allocates nothing.
 *
 * <p><b>Threads and buffers.</b> As on a server, the players run on a Netty thread (a
 * {@code FastThreadLocalThread}, where derived buffers are recycled and allocator caches
 * live) and their channels use the server's default allocator, Netty's pooled one. Each
 * operation is handed to that thread and waited for: the hand-off's future (about 100 bytes
 * and a few microseconds per operation, not per player) is in the score.
 *
 * <p><b>Checks.</b> Setup decodes what the first player was sent for the first frame and
 * compares it with the frame, and checks that the second player was sent the same bytes
 * (one encode, shared). Teardown checks that every player was written and flushed every
 * frame, with the same bytes, and that no reference to a payload was left behind. Leak
 * detection is off in the fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Thread)
public class RtmpPlaybackBenchmark {

    /** Message stream id of the play, the first createStream's. */
    static final int STREAM_ID = 1;

    /** An AVCDecoderConfigurationRecord from a real encoder: Main profile, level 1.3, 320x240. */
    private static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "014d400dffe10018674d400deca0a0fd80880000030008000003019078a14cb001000568ebe3cb20");

    /** AudioSpecificConfig: AAC-LC, 44.1 kHz, stereo. */
    private static final byte[] AAC_CONFIG = {0x12, 0x10};

    @Param({"1", "100", "1000"})
    int players;

    /**
     * {@code release}: the sink releases each buffer; {@code gather}: it first takes its NIO
     * buffers (the NIO transport); {@code iov}: it first adds it to an iovec array (epoll).
     */
    @Param({"release", "gather", "iov"})
    String sink;

    /**
     * The write batch window in milliseconds: {@code 0} flushes every frame at once;
     * {@code 350}, the server's default, queues each player's frames and flushes them from the
     * batch's timer, which runs on the same loop between operations (its allocation counts in
     * {@code -prof gc}, its time only where an operation waits for it).
     */
    @Param({"0", "350"})
    int batchMillis;

    private DefaultEventLoop loop;
    private final Runnable deliver = this::deliver;

    private ScheduledExecutorService timers;
    private StreamEngine engine;
    private Publisher publisher;
    private MediaFrame[] frames;
    private byte[][] bodies;
    private EmbeddedChannel[] channels;
    private Sink[] sinks;
    private RtmpPlayer[] rtmpPlayers;
    private int next;
    private long delivered;

    /** Makes the tracks, the frames and the players, and checks the first frame's bytes. */
    @Setup(Level.Trial)
    public void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtmp-playback-bench-timers");
            t.setDaemon(true);
            return t;
        });
        engine = Engine.builder().executor(timers).build();
        StreamKey key = StreamKey.of("bench", "playback");
        publisher = engine.publish(key);
        Track video = publisher.addTrack(TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(AVC_CONFIG)));
        Track audio = publisher.addTrack(TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(AAC_CONFIG)));

        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        loop = new DefaultEventLoop(new DefaultThreadFactory("rtmp-playback-bench-loop", true));
        List<SyntheticStream.Unit> units = SyntheticStream.oneGop();
        frames = new MediaFrame[units.size()];
        bodies = new byte[units.size()][];
        for (int i = 0; i < frames.length; i++) {
            SyntheticStream.Unit u = units.get(i);
            ByteBuf payload = alloc.directBuffer(u.payload().length).writeBytes(u.payload());
            long dts = u.dtsMillis() * 1000;
            frames[i] = MediaFrame.of(u.video() ? video : audio, dts, dts + u.ctsMillis() * 1000L, u.keyframe(), payload);
            bodies[i] = SyntheticStream.flvBody(u);
        }

        loop.submit(() -> makePlayers(key, video, audio)).syncUninterruptibly();
        next = 0;
        delivered = 0;
        frame();
        try {
            checkFirstFrame();
        } finally {
            sinks[0].releaseCaptured();
            if (players > 1) {
                sinks[1].releaseCaptured();
            }
        }
    }

    private void makePlayers(StreamKey key, Track video, Track audio) {
        channels = new EmbeddedChannel[players];
        sinks = new Sink[players];
        rtmpPlayers = new RtmpPlayer[players];
        WriteBatch batch = batchMillis == 0 ? null : WriteBatch.of(loop, TimeUnit.MILLISECONDS.toNanos(batchMillis));
        for (int i = 0; i < players; i++) {
            Anchor anchor = new Anchor();
            sinks[i] = new Sink(sink);
            channels[i] = new EmbeddedChannel(sinks[i], new RtmpChunkEncoder(), anchor);
            channels[i].config().setAllocator(PooledByteBufAllocator.DEFAULT);
            rtmpPlayers[i] = new RtmpPlayer(anchor.ctx, STREAM_ID, RtmpConfig.DEFAULT_CHUNK_SIZE, key, batch,
                    0, false, RtmpPeerCapabilities.LEGACY, () -> { });
            rtmpPlayers[i].onTrack(video);
            rtmpPlayers[i].onTrack(audio);
            rtmpPlayers[i].onFlush();
            if (sinks[i].writes != 5) {   // from start(); the sequence headers go with the first frame
                throw new IllegalStateException("player " + i + " wrote " + sinks[i].writes + " messages to start");
            }
            sinks[i].reset();
        }
        sinks[0].capture = new ArrayList<>();
        if (players > 1) {
            sinks[1].capture = new ArrayList<>();
        }
    }

    private void checkFirstFrame() {
        List<ByteBuf> leaves = sinks[0].capture;
        CompositeByteBuf sent = Unpooled.compositeBuffer(leaves.size());
        ByteBuf bytes = Unpooled.buffer();
        for (ByteBuf leaf : leaves) {
            if (leaf instanceof CompositeByteBuf) {
                throw new IllegalStateException("a player was written a composite, not leaf buffers");
            }
            sent.addComponent(true, leaf.retainedDuplicate());
            bytes.writeBytes(leaf, leaf.readerIndex(), leaf.readableBytes());
        }
        EmbeddedChannel decoding = new EmbeddedChannel(new RtmpChunkDecoder());
        ByteBuf announce = RtmpChunkWriter.encode(decoding.alloc(), RtmpMessages.CSID_CONTROL, RtmpMessage.SET_CHUNK_SIZE,
                0, 0, Unpooled.buffer(4).writeInt(RtmpConfig.DEFAULT_CHUNK_SIZE), RtmpChunkDecoder.INITIAL_CHUNK_SIZE);
        decoding.writeInbound(announce, sent);
        RtmpMessage setChunkSize = decoding.readInbound();
        setChunkSize.release();
        for (int header = 0; header < 2; header++) {   // the two sequence headers, at the first frame's time: 0
            RtmpMessage config = decoding.readInbound();
            try {
                if (config == null || config.timestamp() != 0 || config.payload().getByte(1) != 0) {
                    throw new IllegalStateException("sequence header " + header + " sent as " + config);
                }
            } finally {
                ReferenceCountUtil.release(config);
            }
        }
        RtmpMessage message = decoding.readInbound();
        try {
            int type = frames[0].track().type() == MediaType.VIDEO ? RtmpMessage.VIDEO : RtmpMessage.AUDIO;
            if (message == null || message.type() != type || message.streamId() != STREAM_ID
                    || message.timestamp() != 0
                    || !ByteBufUtil.equals(message.payload(), Unpooled.wrappedBuffer(bodies[0]))) {
                throw new IllegalStateException("first frame sent as " + message + ", not as the publisher sent it"
                        + " at the player's time 0");
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
        if (decoding.finish()) {
            throw new IllegalStateException("more than one message sent for the first frame");
        }
        if (players > 1) {   // the next player: its two sequence headers, then the frame as the copy joined for the loop
            List<ByteBuf> second = sinks[1].capture;
            ByteBuf all = Unpooled.buffer();
            second.forEach(b -> all.writeBytes(b, b.readerIndex(), b.readableBytes()));
            boolean same = ByteBufUtil.equals(all, bytes);
            all.release();
            if (second.size() != 3 || !same) {
                throw new IllegalStateException("player 1 was not sent two headers and one buffer with player 0's bytes: "
                        + second);
            }
        }
    }

    /** Delivers the next frame to every player, then flushes each, as a fan-out batch of one frame does. */
    @Benchmark
    public void frame() {
        loop.submit(deliver).syncUninterruptibly();
    }

    private void deliver() {
        MediaFrame f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        RtmpPlayer[] ps = rtmpPlayers;
        for (RtmpPlayer p : ps) {
            if (p.writable()) {
                p.onFrame(f);
            }
        }
        for (RtmpPlayer p : ps) {
            p.onFlush();
        }
        delivered++;
    }

    /**
     * Checks that every player got every frame with the same bytes, then releases everything.
     * With batching, a pause first writes what each player still queues (and one status
     * message, the same for all); players of a slot then differ in how many buffers carried
     * the bytes, and flush once per window rather than per frame.
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (batchMillis > 0) {
                loop.submit(() -> {
                    for (RtmpPlayer p : rtmpPlayers) {
                        p.pause(true);
                    }
                }).syncUninterruptibly();
            }
            Sink first = sinks[0];
            for (int i = 0; i < players; i++) {
                Sink s = sinks[i];
                boolean flushedAsExpected = batchMillis == 0 ? s.flushes == delivered : s.flushes > 0 && s.flushes <= delivered + 1;
                // without batching, player 0 writes the leaves and the others the copy joined for them
                boolean sameWrites = batchMillis > 0 || i == 0 || s.writes == sinks[1].writes;
                if (!sameWrites || !flushedAsExpected || s.bytes != first.bytes) {
                    throw new IllegalStateException("player " + i + " was written " + s.writes + " buffers of "
                            + s.bytes + " bytes and flushed " + s.flushes + " times for " + delivered
                            + " frames; player 0 got " + first.bytes + " bytes");
                }
                if (channels[i].finish()) {
                    throw new IllegalStateException("player " + i + "'s channel kept messages");
                }
            }
            System.out.printf("%n%d frames, %.0f bytes and %.2f buffers a frame on the wire%n", delivered,
                    (double) first.bytes / delivered, (double) first.writes / delivered);
            publisher.close();
            engine.close();
        } finally {
            loop.submit(() -> SharedMediaMessages.forThisLoop().forget()).syncUninterruptibly();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            timers.shutdownNow();
            for (MediaFrame f : frames) {
                int refCnt = f.refCnt();
                if (refCnt > 0) {
                    f.release(refCnt);
                }
                if (refCnt != 1) {
                    throw new IllegalStateException("a frame had " + refCnt + " references at the end, expected 1");
                }
            }
        }
    }

    /** Gives the player a context behind the encoder, where the server's connection handler sits. */
    static final class Anchor extends ChannelHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    /**
     * Stands in for the transport, next to the head: counts each written buffer, optionally
     * takes its NIO buffers as a gathering write would, completes the promise and releases
     * the buffer; counts and swallows flushes.
     */
    static final class Sink extends ChannelDuplexHandler {
        private final String mode;
        private final IovArray iov;
        long writes;
        long bytes;
        long flushes;
        long nioBytes;
        List<ByteBuf> capture;

        Sink(String mode) {
            this.mode = mode;
            if (mode.equals("iov")) {
                Epoll.ensureAvailability();   // loads the native library IovArray's limits come from
            }
            this.iov = mode.equals("iov") ? new IovArray() : null;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                promise.tryFailure(new IllegalStateException("unexpected " + msg));
                return;
            }
            writes++;
            bytes += buf.readableBytes();
            if (iov != null) {
                iov.clear();
                if (!iov.add(buf, buf.readerIndex(), buf.readableBytes())) {
                    throw new IllegalStateException("iovec array refused a buffer");
                }
                nioBytes += iov.size();
            } else if (mode.equals("gather")) {
                int count = buf.nioBufferCount();
                if (count == 1) {
                    nioBytes += buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes()).remaining();
                } else {
                    for (ByteBuffer b : buf.nioBuffers()) {
                        nioBytes += b.remaining();
                    }
                }
            }
            if (!promise.isVoid()) {
                promise.trySuccess();
            }
            if (capture != null) {
                capture.add(buf);
            } else {
                buf.release();
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
        }

        void reset() {
            writes = 0;
            bytes = 0;
            flushes = 0;
            nioBytes = 0;
        }

        void releaseCaptured() {
            capture.forEach(ByteBuf::release);
            capture = null;
        }
    }
}
