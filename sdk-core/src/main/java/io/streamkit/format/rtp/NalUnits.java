package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.util.List;

/**
 * What {@link H264RtpPacketizer} and {@link H265RtpPacketizer} share: the walk over an access unit
 * of NAL units each behind a big-endian length (AVCC and HVCC form, ISO/IEC 14496-15 5.3.2 and
 * 8.3.2), and the adapter that turns a sink's payloads into buffers. Each packetizer keeps how it
 * cuts one NAL unit into payloads.
 */
final class NalUnits {

    private NalUnits() {
    }

    /** Cuts one NAL unit into payloads: a packetizer's own part. */
    @FunctionalInterface
    interface Packetizer {
        /**
         * Hands one NAL unit's payloads to a sink, in order.
         *
         * @param accessUnit the access unit, borrowed, its indices untouched
         * @param start where the NAL unit starts (an absolute index)
         * @param size the NAL unit's size, at least 1
         * @param maxPayload the largest payload, prefix included
         * @param sink takes the payloads
         */
        void nal(ByteBuf accessUnit, int start, int size, int maxPayload, RtpPayloadSink sink);
    }

    /**
     * Checks the arguments, then hands each NAL unit of the access unit, empty ones left out, to a
     * packetizer. Allocates nothing when {@code packetizer} captures nothing.
     *
     * @param accessUnit NAL units, each after a big-endian length of {@code lengthSize} bytes;
     *     borrowed, its indices untouched
     * @param lengthSize 1, 2 or 4
     * @param maxPayload the largest payload, prefix included
     * @param minPayload the smallest {@code maxPayload} the packetizer can cut a NAL unit for
     * @param sink takes the payloads in order
     * @param packetizer cuts each NAL unit
     * @throws IllegalArgumentException when {@code lengthSize} is not 1, 2 or 4, or
     *     {@code maxPayload} is under {@code minPayload}
     * @throws MediaFormatException when a length runs past the access unit
     */
    static void packetize(ByteBuf accessUnit, int lengthSize, int maxPayload, int minPayload, RtpPayloadSink sink,
                          Packetizer packetizer) {
        if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
            throw new IllegalArgumentException("NAL length size " + lengthSize + " is not 1, 2 or 4");
        }
        if (maxPayload < minPayload) {
            throw new IllegalArgumentException("maxPayload " + maxPayload + " is under " + minPayload);
        }
        int at = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        while (at < end) {
            if (end - at < lengthSize) {
                throw new MediaFormatException("access unit ends inside a NAL unit's length");
            }
            long size = switch (lengthSize) {
                case 1 -> accessUnit.getUnsignedByte(at);
                case 2 -> accessUnit.getUnsignedShort(at);
                default -> accessUnit.getUnsignedInt(at);
            };
            at += lengthSize;
            if (size > end - at) {
                throw new MediaFormatException("NAL unit of " + size + " bytes runs past the access unit's " + (end - at));
            }
            if (size > 0) {
                packetizer.nal(accessUnit, at, (int) size, maxPayload, sink);
            }
            at += (int) size;
        }
    }

    /**
     * Hands one NAL unit to a sink: whole as a single NAL unit packet when it fits in
     * {@code maxPayload}, else the rest of it after its header in fragments behind the FU prefix,
     * with S (0x80) set in the prefix's last byte on the first fragment and E (0x40) on the last:
     * FU-A (RFC 6184, 5.8) and the Fragmentation Unit (RFC 7798, 4.4.3) alike.
     *
     * @param start where the NAL unit starts (an absolute index)
     * @param size the NAL unit's size, over {@code headerSize}
     * @param headerSize the size of its header, which the fragments leave out: the FU prefix says it
     * @param fuPrefix the fragments' prefix, big-endian in the low {@code fuPrefixLength} bytes: the
     *     payload header, then the FU header with S and E clear
     * @param fuPrefixLength 2 or 3, under {@code maxPayload}
     * @param maxPayload the largest payload, prefix included
     * @param sink takes the payloads in order
     */
    static void singleOrFragments(int start, int size, int headerSize, int fuPrefix, int fuPrefixLength, int maxPayload,
                                  RtpPayloadSink sink) {
        if (size <= maxPayload) {
            sink.payload(0, 0, start, size);
            return;
        }
        int end = start + size;
        boolean first = true;
        for (int at = start + headerSize; at < end; ) {
            int chunk = Math.min(maxPayload - fuPrefixLength, end - at);
            boolean last = at + chunk == end;
            sink.payload(fuPrefix | (first ? 0x80 : 0) | (last ? 0x40 : 0), fuPrefixLength, at, chunk);
            at += chunk;
            first = false;
        }
    }

    /**
     * Returns a sink that makes each payload a buffer: a retained slice of the access unit, behind
     * its prefix in a composite when it has one.
     *
     * @param alloc where the prefixes and composites come from
     * @param accessUnit the access unit the payloads' ranges are of; borrowed
     * @param out receives the payloads in order; the caller releases them
     * @return the sink
     */
    static RtpPayloadSink collect(ByteBufAllocator alloc, ByteBuf accessUnit, List<ByteBuf> out) {
        return (prefix, prefixLength, offset, length) -> {
            if (prefixLength == 0) {
                out.add(accessUnit.retainedSlice(offset, length));
                return;
            }
            CompositeByteBuf payload = alloc.compositeBuffer(2);
            payload.addComponent(true, RtpPayloadSink.writePrefix(alloc.buffer(prefixLength), prefix, prefixLength));
            payload.addComponent(true, accessUnit.retainedSlice(offset, length));
            out.add(payload);
        };
    }
}
