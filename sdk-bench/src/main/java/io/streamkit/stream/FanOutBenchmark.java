package io.streamkit.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import java.util.concurrent.Executor;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of fanning one video frame out to 1, 100 and 1,000 subscribers of one stream,
 * in steady state, through the public API only.
 *
 * <p><b>What one operation is.</b> One {@link Publisher#write}: timestamp normalisation,
 * the GOP cache append, the hand-off of the frame to the stream's one executor, and there
 * {@link Subscriber#writable()}, {@link Subscriber#onFrame} for every subscriber and
 * {@link Subscriber#onFlush()} for each at the end of the batch. Divide the score by the
 * number of subscribers for the cost per subscriber per frame; the 1-subscriber score is
 * mostly the per-frame part.
 *
 * <p><b>Threads.</b> Every subscriber is attached with the same direct executor
 * ({@code Runnable::run}), so the engine keeps one fan-out for all of them and runs its
 * drain inline in {@code write}, on the benchmark thread, under the stream's lock. The
 * measurement is therefore the fan-out itself, with no thread hand-off, and a frame has
 * reached every subscriber when {@code write} returns; {@link #tearDown} checks that each
 * subscriber received every frame written, none skipped. A real server drains on each
 * connection's event loop instead; that hand-off is not measured here.
 *
 * <p><b>Memory.</b> The payload is one pooled direct buffer of {@value #PAYLOAD_BYTES} bytes,
 * allocated once; each write passes a retained slice of it, which the pooled allocator
 * recycles, so {@code -prof gc} shows what the engine allocates per frame (the
 * {@link MediaFrame}, its share of queue chunks). Compare {@code gc.alloc.rate.norm} across
 * subscriber counts: any growth with the count is allocation per subscriber per frame,
 * which should be zero. Leak detection is off in the fork so that sampling cannot wrap the
 * payload in a tracking buffer that allocates on every slice.
 *
 * <p><b>Stream shape.</b> One H.264 track, a keyframe every {@value #GOP_FRAMES} frames,
 * dts advancing {@value #FRAME_MICROS} µs per frame (25 fps); with the default policy the
 * GOP cache holds the frames since the last keyframe and releases them at the next.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Thread)
public class FanOutBenchmark {

    /** Payload size: a small P-frame of a 1 to 2 Mbps stream at 25 fps. */
    static final int PAYLOAD_BYTES = 4096;

    /** Frames per GOP: a keyframe every 2 s at 25 fps, what encoders for live streaming are told to do. */
    static final int GOP_FRAMES = 50;

    /** Frame interval: 25 fps. */
    static final long FRAME_MICROS = 40_000;

    /** An AVCDecoderConfigurationRecord from a real encoder: Main profile, level 1.3, 320x240. */
    private static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "014d400dffe10018674d400deca0a0fd80880000030008000003019078a14cb001000568ebe3cb20");

    /**
     * Runs every subscriber method inline. One instance for all subscribers: the engine
     * keeps one fan-out per executor, compared by identity.
     */
    private static final Executor DIRECT = Runnable::run;

    @Param({"1", "100", "1000"})
    int subscribers;

    private ScheduledExecutorService timers;
    private StreamEngine engine;
    private Publisher publisher;
    private Track video;
    private ByteBuf payload;
    private SinkSubscriber[] sinks;
    private Subscription[] subscriptions;
    private long frames;
    private long dts;

    /** Builds the engine, publishes the stream and attaches the subscribers. */
    @Setup(Level.Trial)
    public void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fanout-bench-timers");
            t.setDaemon(true);
            return t;
        });
        engine = Engine.builder().executor(timers).build();
        StreamKey key = StreamKey.of("bench", "fanout");
        publisher = engine.publish(key);
        video = publisher.addTrack(TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(AVC_CONFIG)));

        payload = PooledByteBufAllocator.DEFAULT.directBuffer(PAYLOAD_BYTES, PAYLOAD_BYTES);
        payload.writeInt(PAYLOAD_BYTES - 4);   // one length-prefixed NAL unit, as AVCC frames carry
        payload.writeByte(0x41);               // nal_ref_idc 2, type 1: a non-IDR slice
        for (int i = payload.writerIndex(); i < PAYLOAD_BYTES; i++) {
            payload.writeByte(i * 31);
        }

        sinks = new SinkSubscriber[subscribers];
        subscriptions = new Subscription[subscribers];
        SubscribeOptions options = SubscribeOptions.defaults().executor(DIRECT).protocol("bench");
        for (int i = 0; i < subscribers; i++) {
            sinks[i] = new SinkSubscriber();
            subscriptions[i] = engine.subscribe(key, sinks[i], options).toCompletableFuture().join();
            if (sinks[i].tracks != 1) {
                throw new IllegalStateException("subscriber " + i + " saw " + sinks[i].tracks
                        + " tracks on attach; the direct executor did not run inline");
            }
        }
        frames = 0;
        dts = 0;
    }

    /**
     * Writes one frame: a keyframe every {@value #GOP_FRAMES}, the first one included, so
     * every subscriber starts at once.
     *
     * @return whether the publisher accepted it
     */
    @Benchmark
    public boolean writeFrame() {
        long n = frames++;
        long t = dts;
        dts = t + FRAME_MICROS;
        return publisher.write(video, t, t, n % GOP_FRAMES == 0, payload.retainedSlice());
    }

    /**
     * Checks that delivery was complete and synchronous, then closes the publisher and the
     * engine and releases the payload, failing on any reference left behind.
     *
     * @param blackhole consumes what the subscribers computed
     */
    @TearDown(Level.Trial)
    public void tearDown(Blackhole blackhole) {
        try {
            for (int i = 0; i < subscribers; i++) {
                SinkSubscriber sink = sinks[i];
                SubscriberStats stats = subscriptions[i].stats();
                if (sink.frames != frames || stats.framesSkipped() != 0) {
                    throw new IllegalStateException("subscriber " + i + " received " + sink.frames + " of "
                            + frames + " frames, skipped " + stats.framesSkipped());
                }
                if (sink.flushes == 0) {
                    throw new IllegalStateException("subscriber " + i + " was never flushed");
                }
                blackhole.consume(sink.sum);
            }
            publisher.close();
            engine.close();
            for (int i = 0; i < subscribers; i++) {
                if (sinks[i].end == null) {
                    throw new IllegalStateException("subscriber " + i + " did not end with the engine");
                }
            }
        } finally {
            timers.shutdownNow();
            int refCnt = payload.refCnt();
            if (refCnt > 0) {
                payload.release(refCnt);
            }
            if (refCnt != 1) {
                throw new IllegalStateException("payload had " + refCnt + " references after close, expected 1");
            }
        }
    }

    /**
     * Does the least a real sink does with a frame: reads its size and a timestamp.
     * Confined to the benchmark thread, like every subscriber method here.
     */
    static final class SinkSubscriber implements Subscriber {
        int tracks;
        long frames;
        long flushes;
        long sum;
        EndReason end;

        @Override
        public void onTrack(Track track) {
            tracks++;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frames++;
            sum += frame.payload().readableBytes() + frame.dts();
        }

        @Override
        public void onFlush() {
            flushes++;
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void onEnd(EndReason reason) {
            end = reason;
        }
    }
}
