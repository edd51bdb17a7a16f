package io.streamkit.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;

/**
 * Real decoder configurations and numbered payloads for engine tests.
 *
 * <p>The records come from {@code ffmpeg -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi
 * -i sine=sample_rate=44100 -pix_fmt yuv420p -c:v libx264 -profile:v main -c:a aac fx.mp4}:
 * its {@code avcC} box and the AudioSpecificConfig in its {@code esds}.
 */
public final class TestMedia {
    /** H.264 Main 1.3, 320x240. */
    public static final byte[] AVC_320x240 = ByteBufUtil.decodeHexDump(
            "014d400dffe10018674d400deca0a0fd80880000030008000003019078a14cb001000568ebe3cb20");
    /** AAC LC, 44.1 kHz, mono. */
    public static final byte[] AAC_LC_44100_MONO = ByteBufUtil.decodeHexDump("1208");

    private TestMedia() {
    }

    /** Returns an H.264 320x240 format. */
    public static TrackFormat h264() {
        return TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(AVC_320x240));
    }

    /** Returns an AAC-LC format. */
    public static TrackFormat aac() {
        return TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(AAC_LC_44100_MONO));
    }

    /**
     * Returns a pooled payload of {@code size} bytes whose first eight hold {@code seq}.
     *
     * @param seq a number to find again in a subscriber
     * @param size at least 8
     * @return a buffer the caller owns
     */
    public static ByteBuf payload(long seq, int size) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        buf.writeLong(seq);
        buf.writeZero(size - 8);
        return buf;
    }

    /**
     * Reads back the number {@link #payload} wrote.
     *
     * @param payload a payload
     * @return its number
     */
    public static long seq(ByteBuf payload) {
        return payload.getLong(payload.readerIndex());
    }
}
