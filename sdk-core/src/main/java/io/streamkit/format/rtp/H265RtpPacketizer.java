package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import java.util.List;

/**
 * Splits an H.265 access unit into RTP payloads (RFC 7798, one RTP stream, sprop-max-don-diff 0,
 * so no DONL or DOND field): a NAL unit that fits goes whole as a single NAL unit packet (4.4.1);
 * a larger one as Fragmentation Units (4.4.3). The RTP header is the caller's: the last payload
 * of the access unit carries the marker bit (4.1).
 *
 * <p>A Fragmentation Unit is a two-byte PayloadHdr of type 49 carrying the fragmented
 * NAL unit's F, LayerId and TID (1.1.4), a one-byte FU header (S, E, FuType: the NAL unit's
 * type), then a piece of the NAL unit after its two-byte header. No Aggregation Packets are made.
 *
 * <p>Zero copy: a payload is a retained slice of the access unit, behind a three-byte header for
 * a fragment. Built once per frame and shared by every RTSP player of a loop (encode once, write
 * many), like {@link H264RtpPacketizer}'s.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7798">RFC 7798, 4.4.1 and 4.4.3</a>
 */
public final class H265RtpPacketizer {
    /**
     * The smallest payload size: a Fragmentation Unit's two-byte PayloadHdr and one-byte FU header,
     * and at least one byte of the NAL unit (RFC 7798, 4.4.3).
     */
    public static final int MIN_PAYLOAD_SIZE = 4;

    /** The payload type of an Aggregation Packet (RFC 7798, 4.4.2): never made here. */
    private static final int AP = 48;
    /** The payload type of a Fragmentation Unit (RFC 7798, 4.4.3). */
    private static final int FU = 49;
    /** The payload type of a PACI packet (RFC 7798, 4.4.4): never made here. */
    private static final int PACI = 50;

    /** The size of an H.265 NAL unit header, and so of the PayloadHdr (RFC 7798, 1.1.4 and 4.4). */
    private static final int NAL_HEADER_SIZE = 2;
    /** A Fragmentation Unit's PayloadHdr and FU header. */
    private static final int FU_HEADER_SIZE = 3;

    private H265RtpPacketizer() {
    }

    /**
     * Packetizes an access unit in HVCC form.
     *
     * <p>A NAL unit of type 48 to 50 (unspecified in H.265, the payload types of RFC 7798's
     * Aggregation Packets, Fragmentation Units and PACI packets) cannot be told from those
     * packets by a receiver and is left out; every other NAL unit is sent, its header as it is.
     * On an exception, the payloads already added to {@code out} stay there for the caller to
     * release.
     *
     * @param alloc where the FU headers and composites come from
     * @param accessUnit NAL units, each after a big-endian length of {@code lengthSize} bytes (ISO/IEC
     *     14496-15 8.3.2); borrowed, its indices untouched
     * @param lengthSize 1, 2 or 4: the decoder configuration record's lengthSizeMinusOne + 1
     * @param maxPayload the largest payload, at least {@value #MIN_PAYLOAD_SIZE}: the path MTU minus
     *     the IP, UDP and RTP headers (1,400 is safe on the internet), or what RTSP's interleaved
     *     frames allow
     * @param out receives the payloads in order; the caller releases them
     * @throws MediaFormatException when a length runs past the access unit, or a NAL unit is
     *     shorter than its two-byte header
     * @throws IllegalArgumentException when {@code lengthSize} is not 1, 2 or 4, or
     *     {@code maxPayload} is under {@value #MIN_PAYLOAD_SIZE}
     */
    public static void packetize(ByteBufAllocator alloc, ByteBuf accessUnit, int lengthSize, int maxPayload,
                                 List<ByteBuf> out) {
        packetize(accessUnit, lengthSize, maxPayload, NalUnits.collect(alloc, accessUnit, out));
    }

    /**
     * Packetizes an access unit in HVCC form, handing each payload to a sink as a prefix and a
     * range of the access unit: allocates nothing.
     *
     * @param accessUnit NAL units, each after a big-endian length of {@code lengthSize} bytes; borrowed,
     *     its indices untouched
     * @param lengthSize 1, 2 or 4
     * @param maxPayload the largest payload, prefix included, at least {@value #MIN_PAYLOAD_SIZE}
     * @param sink takes the payloads in order: single NAL units without a prefix, fragmentation
     *     units behind their three-byte payload and FU headers
     * @throws MediaFormatException when a length runs past the access unit, or a NAL unit is
     *     shorter than its two-byte header
     * @throws IllegalArgumentException when {@code lengthSize} is not 1, 2 or 4, or
     *     {@code maxPayload} is under {@value #MIN_PAYLOAD_SIZE}
     */
    public static void packetize(ByteBuf accessUnit, int lengthSize, int maxPayload, RtpPayloadSink sink) {
        NalUnits.packetize(accessUnit, lengthSize, maxPayload, MIN_PAYLOAD_SIZE, sink, H265RtpPacketizer::nal);
    }

    private static void nal(ByteBuf au, int start, int size, int maxPayload, RtpPayloadSink sink) {
        if (size < NAL_HEADER_SIZE) {
            throw new MediaFormatException("NAL unit of 1 byte, under its " + NAL_HEADER_SIZE + "-byte header");
        }
        int header = au.getUnsignedShort(start);
        int type = header >> 9 & 0x3F;
        if (type >= AP && type <= PACI) {
            return;
        }
        int payloadHeader = (header & 0x81FF) | FU << 9;   // F, LayerId and TID of the NAL unit
        NalUnits.singleOrFragments(start, size, NAL_HEADER_SIZE, payloadHeader << 8 | type, FU_HEADER_SIZE, maxPayload, sink);
    }
}
