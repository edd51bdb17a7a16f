package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import java.util.List;

/**
 * Splits an H.264 access unit into RTP payloads (RFC 6184, packetization mode 1): a NAL unit
 * that fits goes whole as a single NAL unit packet; a larger one as FU-A fragments. The RTP
 * header is the caller's: the last payload of the access unit carries the marker bit.
 *
 * <p>Zero copy: a payload is a retained slice of the access unit, behind a two-byte FU header
 * for a fragment. Built once per frame and shared by every RTSP player of a loop (encode once,
 * write many), like RTMP's chunks.
 */
public final class H264RtpPacketizer {
    /** The smallest payload size: an FU-A's two header bytes and at least one byte of the NAL unit. */
    public static final int MIN_PAYLOAD_SIZE = 3;

    private H264RtpPacketizer() {
    }

    /**
     * Packetizes an access unit in AVCC form into payloads of slices.
     *
     * @param alloc where the FU headers and composites come from
     * @param accessUnit NAL units, each after a big-endian length of {@code lengthSize} bytes; borrowed,
     *     its indices untouched
     * @param lengthSize 1, 2 or 4: the decoder configuration record's lengthSizeMinusOne + 1
     * @param maxPayload the largest payload, at least {@value #MIN_PAYLOAD_SIZE}: the path MTU minus
     *     the IP, UDP and RTP headers (1,400 is safe on the internet), or what RTSP's interleaved
     *     frames allow
     * @param out receives the payloads in order; the caller releases them
     * @throws MediaFormatException when a length runs past the access unit
     */
    public static void packetize(ByteBufAllocator alloc, ByteBuf accessUnit, int lengthSize, int maxPayload,
                                 List<ByteBuf> out) {
        packetize(accessUnit, lengthSize, maxPayload, NalUnits.collect(alloc, accessUnit, out));
    }

    /**
     * Packetizes an access unit in AVCC form, handing each payload to a sink as a prefix and a
     * range of the access unit: allocates nothing.
     *
     * @param accessUnit NAL units, each after a big-endian length of {@code lengthSize} bytes; borrowed,
     *     its indices untouched
     * @param lengthSize 1, 2 or 4
     * @param maxPayload the largest payload, prefix included, at least {@value #MIN_PAYLOAD_SIZE}
     * @param sink takes the payloads in order: single NAL units without a prefix, FU-A fragments
     *     behind their two-byte FU indicator and header
     * @throws MediaFormatException when a length runs past the access unit
     */
    public static void packetize(ByteBuf accessUnit, int lengthSize, int maxPayload, RtpPayloadSink sink) {
        NalUnits.packetize(accessUnit, lengthSize, maxPayload, MIN_PAYLOAD_SIZE, sink, H264RtpPacketizer::nal);
    }

    private static void nal(ByteBuf au, int start, int size, int maxPayload, RtpPayloadSink sink) {
        int header = au.getUnsignedByte(start);
        int indicator = (header & 0xE0) | 28;
        NalUnits.singleOrFragments(start, size, 1, indicator << 8 | (header & 0x1F), 2, maxPayload, sink);
    }
}
