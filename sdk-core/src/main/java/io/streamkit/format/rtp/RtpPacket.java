package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;

/**
 * The fixed header of an RTP packet (RFC 3550, section 5.1), read from a whole packet without
 * moving its indices: version 2, padding, the header extension, contributing sources, marker,
 * payload type, sequence number, timestamp and SSRC, and where the payload lies.
 *
 * <table>
 *   <caption>Checks</caption>
 *   <tr><th>field</th><th>rule</th><th>on breach</th></tr>
 *   <tr><td>length</td><td>at least {@value #HEADER_SIZE} bytes, and the CSRCs and extension it announces</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>version</td><td>2</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>padding count (the last byte)</td><td>1 to the payload's length</td><td>{@link MediaFormatException}</td></tr>
 * </table>
 *
 * @param payloadType the payload type, 0 to 127
 * @param marker the marker bit: for video, the last packet of an access unit (RFC 6184, 5.1)
 * @param sequence the sequence number, 0 to 65,535
 * @param timestamp the timestamp, 0 to 2^32 - 1, in the payload format's clock (90 kHz for video)
 * @param ssrc the synchronisation source, 0 to 2^32 - 1
 * @param payloadOffset where the payload starts, from the packet's reader index
 * @param payloadLength the payload's length, padding excluded
 */
public record RtpPacket(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, int payloadOffset,
                        int payloadLength) {
    /** The fixed header's size: RFC 3550, 5.1. */
    public static final int HEADER_SIZE = 12;
    /** The only RTP version in use. */
    public static final int VERSION = 2;

    /**
     * Reads the header of a whole packet.
     *
     * @param packet the packet from its reader index to its writer index; not modified
     * @return the header and where the payload lies
     * @throws MediaFormatException when the packet is shorter than its header says, not version
     *     2, or its padding is longer than its payload
     */
    public static RtpPacket parse(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < HEADER_SIZE) {
            throw new MediaFormatException("RTP packet of " + length + " bytes, under the " + HEADER_SIZE + "-byte header");
        }
        int b0 = packet.getUnsignedByte(start);
        int b1 = packet.getUnsignedByte(start + 1);
        if (b0 >>> 6 != VERSION) {
            throw new MediaFormatException("RTP version " + (b0 >>> 6) + ", not " + VERSION);
        }
        int offset = HEADER_SIZE + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (length < offset + 4) {
                throw new MediaFormatException("RTP packet of " + length + " bytes ends inside its header extension");
            }
            offset += 4 + 4 * packet.getUnsignedShort(start + offset + 2);
        }
        if (length < offset) {
            throw new MediaFormatException("RTP packet of " + length + " bytes, under its " + offset + "-byte header");
        }
        int payload = length - offset;
        if ((b0 & 0x20) != 0) {
            int padding = payload == 0 ? 0 : packet.getUnsignedByte(start + length - 1);
            if (padding == 0 || padding > payload) {
                throw new MediaFormatException("RTP padding of " + padding + " bytes in a " + payload + "-byte payload");
            }
            payload -= padding;
        }
        return new RtpPacket(b1 & 0x7F, (b1 & 0x80) != 0, packet.getUnsignedShort(start + 2),
                packet.getUnsignedInt(start + 4), packet.getUnsignedInt(start + 8), offset, payload);
    }

    /**
     * Writes a fixed header with no CSRC, extension or padding.
     *
     * @param out where to write its {@value #HEADER_SIZE} bytes
     * @param payloadType 0 to 127
     * @param marker the marker bit
     * @param sequence the sequence number; its low 16 bits are written
     * @param timestamp the timestamp; its low 32 bits are written
     * @param ssrc the synchronisation source; its low 32 bits are written
     */
    public static void writeHeader(ByteBuf out, int payloadType, boolean marker, int sequence, long timestamp, long ssrc) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0 to 127");
        }
        out.writeByte(VERSION << 6);
        out.writeByte((marker ? 0x80 : 0) | payloadType);
        out.writeShort(sequence);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
    }

    /**
     * Returns the payload of the packet this header was read from, as a slice.
     *
     * @param packet the same packet, its reader index unchanged
     * @return a slice sharing the packet's memory and reference count
     */
    public ByteBuf payload(ByteBuf packet) {
        return packet.slice(packet.readerIndex() + payloadOffset, payloadLength);
    }
}
