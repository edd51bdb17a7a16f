package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What muxing one frame into TS costs in steady state: a 25 fps H.264 stream (a keyframe of
 * 40 KB every 50 frames, 6 KB of four NAL units otherwise) interleaved with AAC frames of
 * 300 bytes, two audio frames per video frame. One operation is one video frame and its two
 * audio frames written into a reused pooled buffer; bytes muxed per operation are printed
 * at setup, so MB/s = ops/s x that. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MpegTsMuxerBenchmark {
    private static final byte[] AVC = ByteBufUtil.decodeHexDump(
            "014d400dffe10018674d400deca0a0fd80880000030008000003019078a14cb001000568ebe3cb20");
    private static final int GOP = 50;

    private MpegTsMuxer muxer;
    private ByteBuf out;
    private MediaFrame keyframe;
    private MediaFrame inter;
    private MediaFrame audioFrame;
    private Track video;
    private Track audio;
    private long n;

    @Setup
    public void setup() {
        video = track(0, TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(AVC)));
        audio = track(1, TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(new byte[] {0x12, 0x08})));
        muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        out = PooledByteBufAllocator.DEFAULT.directBuffer(128 * 1024);
        keyframe = MediaFrame.of(video, 0, 0, true, nals(40_000, 1));
        inter = MediaFrame.of(video, 0, 0, false, nals(1_500, 4));
        audioFrame = MediaFrame.of(audio, 0, 0, true, payload(300));
        long payload = keyframe.content().readableBytes() + (GOP - 1L) * inter.content().readableBytes()
                + 2L * GOP * audioFrame.content().readableBytes();
        System.out.printf("%n[MpegTsMuxerBenchmark] average payload in per operation: %.1f bytes%n",
                payload / (double) GOP);
    }

    @TearDown
    public void tearDown() {
        keyframe.release();
        inter.release();
        audioFrame.release();
        out.release();
    }

    @Benchmark
    public int muxFrame() {
        out.clear();
        long i = n++;
        if (i % GOP == 0) {
            muxer.writeTables(out);
        }
        muxer.writeFrame(out, i % GOP == 0 ? keyframe : inter);
        muxer.writeFrame(out, audioFrame);
        muxer.writeFrame(out, audioFrame);
        return out.writerIndex();
    }

    private static ByteBuf nals(int size, int count) {
        ByteBuf b = Unpooled.directBuffer(count * (size + 4));
        for (int k = 0; k < count; k++) {
            b.writeInt(size).writeByte(k == 0 ? 0x65 : 0x41);
            for (int j = 1; j < size; j++) {
                b.writeByte(0x80 | j & 0x7f);
            }
        }
        return b;
    }

    private static ByteBuf payload(int size) {
        return Unpooled.directBuffer(size).writeZero(size);
    }

    private static Track track(int id, TrackFormat format) {
        return new Track() {
            @Override
            public int id() {
                return id;
            }

            @Override
            public StreamKey stream() {
                return StreamKey.of("bench", "ts");
            }

            @Override
            public TrackFormat format() {
                return format;
            }

            @Override
            public TrackStats stats() {
                return new TrackStats(0, 0, 0, 0, 0);
            }
        };
    }
}
