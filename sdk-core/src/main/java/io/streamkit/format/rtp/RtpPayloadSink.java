package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Takes an access unit's RTP payloads as a packetizer cuts them, without buffers: each is a
 * prefix of up to four bytes (an FU indicator and header, AAC's AU header section) followed by
 * a range of the access unit. A server that writes one access unit to many players builds the
 * RTP headers and the prefixes into one buffer of its own and sends the ranges as slices of the
 * frame, so nothing is copied and nothing is allocated per payload.
 */
@FunctionalInterface
public interface RtpPayloadSink {

    /**
     * Takes one payload, in wire order. The last payload of the access unit is the one before the
     * packetizer returns; its packet carries the marker bit.
     *
     * @param prefix the prefix's bytes, big-endian in the low {@code prefixLength} bytes
     * @param prefixLength 0 to 4
     * @param offset where the rest of the payload starts in the access unit's buffer (an absolute index)
     * @param length how many bytes of the access unit follow the prefix
     */
    void payload(int prefix, int prefixLength, int offset, int length);

    /**
     * Writes a prefix's bytes.
     *
     * @param out where to write
     * @param prefix the bytes, big-endian in the low {@code length} bytes
     * @param length 0 to 4
     * @return {@code out}
     */
    static ByteBuf writePrefix(ByteBuf out, int prefix, int length) {
        for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
            out.writeByte(prefix >>> shift);
        }
        return out;
    }
}
