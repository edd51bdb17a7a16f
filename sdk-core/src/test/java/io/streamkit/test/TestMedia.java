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
     * Returns a pooled H.264 or H.265 access unit in the canonical form (4-byte NAL unit
     * lengths) of {@code size} bytes whose first eight hold {@code seq}, as {@link #payload}'s
     * do, and which holds an IDR slice (H.265: IDR_W_RADL) exactly when {@code key}: what a
     * publisher that flags keyframes truthfully sends, and what RTMP ingest, which takes
     * keyframes from the bitstream, keeps as keyframes.
     *
     * <p>The eight bytes of {@code seq} read as two length prefixes: the high half, 0, is an
     * empty NAL unit; the low half is the length of an SEI NAL unit of {@code seq} bytes
     * (none for 0). A last NAL unit, the slice, takes the rest. H.265's NAL unit header has two
     * bytes, so with {@code seq} 1 its one-byte SEI is malformed and a bitstream check finds no
     * keyframe: only a non-keyframe may have it.
     *
     * @param codec {@link Codec#H264} or {@link Codec#H265}
     * @param seq a number to find again in a subscriber, 0 to 100,000; for an H.265 keyframe not 1
     * @param size at least {@code seq + 14}
     * @param key whether the slice is an IDR slice or a non-IDR (TRAIL_R) one
     * @return a buffer the caller owns
     */
    public static ByteBuf accessUnit(Codec codec, long seq, int size, boolean key) {
        boolean h265 = codec == Codec.H265;
        if (codec != Codec.H264 && !h265 || seq < 0 || seq > 100_000 || h265 && seq == 1 && key || size < seq + 14) {
            throw new IllegalArgumentException(codec + " access unit " + seq + " of " + size + " bytes");
        }
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        buf.writeLong(seq);
        if (h265 && seq > 1) {
            buf.writeByte(39 << 1).writeByte(1).writeZero((int) seq - 2);   // PREFIX_SEI_NUT, temporal id 0
        } else if (seq > 0) {
            buf.writeByte(6).writeZero((int) seq - 1);   // SEI
        }
        buf.writeInt(size - buf.writerIndex() - 4);
        if (h265) {
            buf.writeByte((key ? 19 : 1) << 1).writeByte(1);   // IDR_W_RADL or TRAIL_R, layer 0, temporal id 0
        } else {
            buf.writeByte(key ? 0x65 : 0x41);   // IDR slice, or non-IDR slice with nal_ref_idc 2
        }
        buf.writeZero(size - buf.writerIndex());
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
