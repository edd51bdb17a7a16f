package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an MPEG transport stream (a TS file, an HLS segment, later an SRT payload)
 * incrementally: feed it buffers as they arrive, take frames out as their PES complete.
 *
 * <pre>{@code
 * demuxer.feed(bytes);                          // takes ownership of bytes
 * for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
 *     try { handle(f); } finally { f.release(); }
 * }
 * demuxer.flush();                              // at the end of the input: the last PES of each PID
 * }</pre>
 *
 * <p><b>What it reads.</b> The first program of the PAT, the PIDs its PMT lists with a
 * stream type of H.264 (0x1B), H.265 (0x24), AAC ADTS (0x0F) or MPEG audio (0x03, 0x04);
 * other PIDs are ignored. One PES becomes one {@link MpegTsFrame} (an AAC PES holding
 * several ADTS frames is returned whole). A PES ends at the next payload_unit_start on its
 * PID, at its PES_packet_length when that is not 0, or at {@link #flush()}.
 *
 * <p><b>Limits and bad input.</b>
 * <table>
 * <caption>What the demuxer bounds and what it does with bad input</caption>
 * <tr><th>what</th><th>limit or rule</th><th>on excess</th></tr>
 * <tr><td>PES size</td><td>the {@code maxPesSize} given, by default {@value #DEFAULT_MAX_PES_SIZE}
 *     bytes</td><td>PES dropped, {@link #malformedPes()}</td></tr>
 * <tr><td>bytes between packets</td><td>a packet is taken only when the byte 188 after its
 *     0x47 is a 0x47 too (at the end of the input, {@link #flush()} takes the last one
 *     unconfirmed); otherwise resync on the next 0x47</td><td>bytes skipped, {@link #skippedBytes()}</td></tr>
 * <tr><td>PSI section</td><td>within one packet, CRC-32 correct</td><td>section ignored,
 *     {@link #malformedSections()}</td></tr>
 * <tr><td>TS packet</td><td>transport_error_indicator clear, adaptation field within the packet</td>
 *     <td>packet ignored, {@link #malformedPackets()}</td></tr>
 * <tr><td>PES</td><td>start code 00 00 01, a PTS, header within the PES</td><td>PES dropped,
 *     {@link #malformedPes()}</td></tr>
 * <tr><td>continuity_counter</td><td>+1 per packet with payload; a repeated value is a duplicate</td>
 *     <td>duplicate ignored; a gap counted in {@link #continuityErrors()}, the PES kept</td></tr>
 * <tr><td>bytes buffered</td><td>one partial packet, plus the PES in progress of each PID</td>
 *     <td>(bounded by the PES limit)</td></tr>
 * </table>
 * Bad input never throws: a live ingest keeps what it can and the counters say what was lost.
 *
 * <p><b>Buffers.</b> PES payloads are gathered into buffers from the allocator (one copy,
 * since a PES is spread over 184-byte pieces); each frame owns one and its caller releases it.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread feeds and reads. {@link #close()} releases
 * what is buffered.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1</a>
 */
public final class MpegTsDemuxer implements AutoCloseable {
    /** Default largest PES: a keyframe of a high-bitrate 4K stream is a few MiB; 8 MiB bounds a hostile one. */
    public static final int DEFAULT_MAX_PES_SIZE = 8 << 20;

    private static final int PACKET = TsPacketWriter.PACKET_SIZE;
    private static final int SYNC = TsPacketWriter.SYNC_BYTE;

    private final ByteBufAllocator alloc;
    private final int maxPesSize;
    private final Map<Integer, Pes> streams = new HashMap<>();
    private final ArrayDeque<MpegTsFrame> ready = new ArrayDeque<>();
    private ByteBuf carry;
    private int pmtPid = -1;
    private boolean closed;
    private long skippedBytes;
    private long malformedPackets;
    private long malformedSections;
    private long malformedPes;
    private long continuityErrors;

    /**
     * Creates a demuxer.
     *
     * @param alloc where PES payloads are gathered
     * @param maxPesSize the largest PES accepted, at least 188 bytes; {@link #DEFAULT_MAX_PES_SIZE} suits live streams
     * @throws IllegalArgumentException when {@code maxPesSize} is below one packet
     */
    public MpegTsDemuxer(ByteBufAllocator alloc, int maxPesSize) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if (maxPesSize < PACKET) {
            throw new IllegalArgumentException("maxPesSize " + maxPesSize + " is below one packet of " + PACKET);
        }
        this.maxPesSize = maxPesSize;
    }

    /**
     * Adds bytes to read; packets whose next sync byte has arrived are processed at once,
     * the rest (at most 188 bytes) is kept for the next feed or {@link #flush()}.
     *
     * @param data the next bytes of the stream; ownership passes to the demuxer, even when it throws
     * @throws IllegalStateException when the demuxer is closed
     */
    public void feed(ByteBuf data) {
        Objects.requireNonNull(data, "data");
        try {
            if (closed) {
                throw new IllegalStateException("MPEG-TS demuxer is closed");
            }
            while (data.isReadable()) {
                if (carry != null && carry.isReadable()) {
                    fromCarry(data);
                    continue;
                }
                int r = data.readerIndex();
                int w = data.writerIndex();
                if (data.getUnsignedByte(r) != SYNC) {
                    skipToSync(data);
                } else if (w - r <= PACKET) {
                    // Not enough to see the next packet's sync byte: wait for it.
                    if (carry == null) {
                        carry = alloc.buffer(PACKET + 1, PACKET + 1);
                    }
                    carry.writeBytes(data);
                } else if (data.getUnsignedByte(r + PACKET) != SYNC) {
                    skipToSync(data); // a 0x47 in garbage, not a packet start
                } else {
                    packet(data, r);
                    data.skipBytes(PACKET);
                }
            }
        } finally {
            data.release();
        }
    }

    /** Completes the packet that started in an earlier feed, with the sync byte after it. */
    private void fromCarry(ByteBuf data) {
        int n = Math.min(PACKET + 1 - carry.readableBytes(), data.readableBytes());
        carry.writeBytes(data, n);
        if (carry.readableBytes() <= PACKET) {
            return; // data is used up
        }
        int r = carry.readerIndex();
        if (carry.getUnsignedByte(r) == SYNC && carry.getUnsignedByte(r + PACKET) == SYNC) {
            packet(carry, r);
            carry.skipBytes(PACKET);
        } else {
            skipToSync(carry);
        }
        int left = carry.readableBytes();
        if (left <= n) {
            // What is left came from data: read it from there, without copying.
            data.readerIndex(data.readerIndex() - left);
            carry.clear();
        } else {
            carry.discardReadBytes();
        }
    }

    private void skipToSync(ByteBuf buf) {
        int r = buf.readerIndex();
        int next = buf.indexOf(r + 1, buf.writerIndex(), (byte) SYNC);
        int skip = (next < 0 ? buf.writerIndex() : next) - r;
        skippedBytes += skip;
        buf.skipBytes(skip);
    }

    /**
     * Returns the next complete frame, or {@code null} when more bytes are needed.
     *
     * @return a frame the caller owns and must release, or {@code null}
     */
    public MpegTsFrame next() {
        return ready.poll();
    }

    /**
     * Ends the input: the last packet is read (a packet is taken only once the sync byte
     * of the next one is seen, so the last one waits for this call), and the PES in progress
     * on each PID becomes a frame (video PES have no length, so the last one of a file ends
     * only here); a partial packet is dropped and counted in {@link #skippedBytes()}.
     */
    public void flush() {
        if (carry != null) {
            if (carry.readableBytes() == PACKET && carry.getUnsignedByte(carry.readerIndex()) == SYNC) {
                packet(carry, carry.readerIndex()); // the last packet, with no sync byte after it to confirm it
            } else {
                skippedBytes += carry.readableBytes();
            }
            carry.clear();
        }
        for (Pes pes : streams.values()) {
            pes.finish();
        }
    }

    /**
     * Returns how many bytes were skipped to find packet boundaries.
     *
     * @return bytes outside any 188-byte packet so far
     */
    public long skippedBytes() {
        return skippedBytes;
    }

    /**
     * Returns how many TS packets were ignored as malformed.
     *
     * @return packets with transport_error_indicator, a reserved adaptation_field_control or an
     *     adaptation field past the packet
     */
    public long malformedPackets() {
        return malformedPackets;
    }

    /**
     * Returns how many PAT or PMT sections were ignored.
     *
     * @return sections past their packet, with a wrong CRC or a wrong table id
     */
    public long malformedSections() {
        return malformedSections;
    }

    /**
     * Returns how many PES were dropped.
     *
     * @return PES with a bad start code, no PTS, a header past their end, over the size
     *     limit, or shorter than their PES_packet_length
     */
    public long malformedPes() {
        return malformedPes;
    }

    /**
     * Returns how many continuity_counter gaps were seen on elementary PIDs.
     *
     * @return gaps, each a sign of lost packets
     */
    public long continuityErrors() {
        return continuityErrors;
    }

    /** Releases what is buffered and the frames not taken; frames already returned stay valid. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pes pes : streams.values()) {
            pes.drop();
        }
        streams.clear();
        for (MpegTsFrame f; (f = ready.poll()) != null; ) {
            f.release();
        }
        if (carry != null) {
            carry.release();
            carry = null;
        }
    }

    private void packet(ByteBuf buf, int i) {
        int b1 = buf.getUnsignedByte(i + 1);
        int pid = (b1 & 0x1f) << 8 | buf.getUnsignedByte(i + 2);
        int b3 = buf.getUnsignedByte(i + 3);
        int afc = b3 >> 4 & 0x3;
        if ((b1 & 0x80) != 0 || afc == 0) {
            malformedPackets++;
            return;
        }
        if (pid == 0x1FFF) {
            return;
        }
        int p = i + 4;
        int end = i + PACKET;
        boolean randomAccess = false;
        if ((afc & 0x2) != 0) {
            int length = buf.getUnsignedByte(p);
            if (length > (afc == 0x3 ? 182 : 183)) {
                malformedPackets++;
                return;
            }
            if (length > 0) {
                randomAccess = (buf.getUnsignedByte(p + 1) & 0x40) != 0;
            }
            p += 1 + length;
        }
        if ((afc & 0x1) == 0) {
            return;
        }
        boolean start = (b1 & 0x40) != 0;
        if (pid == 0) {
            if (start) {
                section(buf, p, end, 0x00);
            }
        } else if (pid == pmtPid) {
            if (start) {
                section(buf, p, end, 0x02);
            }
        } else {
            Pes pes = streams.get(pid);
            if (pes != null) {
                pes.packet(buf, p, end, start, randomAccess, b3 & 0xf);
            }
        }
    }

    private void section(ByteBuf buf, int p, int end, int tableId) {
        p += 1 + buf.getUnsignedByte(p); // pointer_field
        if (end - p < 3 || buf.getUnsignedByte(p) != tableId) {
            malformedSections++;
            return;
        }
        int length = buf.getUnsignedShort(p + 1) & 0x0fff;
        int minimum = tableId == 0 ? 9 : 13;
        if (length < minimum || length > end - p - 3 || Crc32Mpeg2.compute(buf, p, 3 + length) != 0) {
            malformedSections++;
            return;
        }
        int loopEnd = p + 3 + length - 4;
        if (tableId == 0) {
            for (int q = p + 8; q + 4 <= loopEnd; q += 4) {
                if (buf.getUnsignedShort(q) != 0) { // 0 is the network PID
                    pmtPid = buf.getUnsignedShort(q + 2) & 0x1fff;
                    return;
                }
            }
            return;
        }
        int q = p + 12 + (buf.getUnsignedShort(p + 10) & 0x0fff);
        Map<Integer, Integer> listed = new HashMap<>();
        while (q + 5 <= loopEnd) {
            int streamType = buf.getUnsignedByte(q);
            int pid = buf.getUnsignedShort(q + 1) & 0x1fff;
            listed.put(pid, streamType);
            q += 5 + (buf.getUnsignedShort(q + 3) & 0x0fff);
        }
        if (q > loopEnd) {
            malformedSections++;
            return;
        }
        for (Iterator<Map.Entry<Integer, Pes>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Pes> e = it.next();
            Integer type = listed.get(e.getKey());
            if (type == null || type != e.getValue().streamType) {
                e.getValue().drop();
                it.remove();
            }
        }
        listed.forEach((pid, type) -> {
            Codec codec = codecOf(type);
            if (codec != null && !streams.containsKey(pid)) {
                streams.put(pid, new Pes(pid, type, codec));
            }
        });
    }

    private static Codec codecOf(int streamType) {
        return switch (streamType) {
            case MpegTsMuxer.STREAM_TYPE_H264 -> Codec.H264;
            case MpegTsMuxer.STREAM_TYPE_H265 -> Codec.H265;
            case MpegTsMuxer.STREAM_TYPE_AAC_ADTS -> Codec.AAC;
            case MpegTsMuxer.STREAM_TYPE_MPEG1_AUDIO, MpegTsMuxer.STREAM_TYPE_MPEG2_AUDIO -> Codec.MP3;
            default -> null;
        };
    }

    /** The PES being gathered on one elementary PID. */
    private final class Pes {
        final int pid;
        final int streamType;
        final Codec codec;
        ByteBuf data;
        boolean randomAccess;
        int expected;
        int continuity = -1;

        Pes(int pid, int streamType, Codec codec) {
            this.pid = pid;
            this.streamType = streamType;
            this.codec = codec;
        }

        void packet(ByteBuf buf, int p, int end, boolean start, boolean rai, int cc) {
            if (continuity >= 0 && cc == continuity && !start) {
                return; // a duplicate packet (2.4.3.3)
            }
            if (continuity >= 0 && cc != (continuity + 1 & 0xf)) {
                continuityErrors++;
            }
            continuity = cc;
            if (start) {
                finish();
                data = alloc.buffer(Math.min(maxPesSize, 4096));
                randomAccess = rai;
                expected = 0;
            }
            if (data == null) {
                return; // joined mid-PES: wait for the next start
            }
            int n = end - p;
            if (data.readableBytes() + n > maxPesSize) {
                malformedPes++;
                drop();
                return;
            }
            data.writeBytes(buf, p, n);
            if (expected == 0 && data.readableBytes() >= 6) {
                int length = data.getUnsignedShort(4);
                expected = length == 0 ? -1 : 6 + length;
            }
            if (expected > 0 && data.readableBytes() >= expected) {
                finish();
            }
        }

        void finish() {
            ByteBuf pes = data;
            if (pes == null) {
                return;
            }
            data = null;
            int size = pes.readableBytes();
            if (expected > 0) {
                if (size < expected) {
                    malformedPes++;
                    pes.release();
                    return;
                }
                size = expected;
            }
            if (size < 14 || pes.getUnsignedMedium(0) != 1 || (pes.getUnsignedByte(7) & 0x80) == 0) {
                malformedPes++;
                pes.release();
                return;
            }
            int flags = pes.getUnsignedByte(7) >> 6;
            int headerEnd = 9 + pes.getUnsignedByte(8);
            if (headerEnd > size || headerEnd < (flags == 3 ? 19 : 14)) {
                malformedPes++;
                pes.release();
                return;
            }
            long pts = timestamp(pes, 9);
            long dts = flags == 3 ? timestamp(pes, 14) : pts;
            pes.setIndex(headerEnd, size);
            boolean key = codec.type() == MediaType.AUDIO || randomAccess
                    || containsRandomAccessPicture(pes, codec == Codec.H265);
            ready.add(new MpegTsFrame(pid, streamType, codec, pts, dts, key, pes));
        }

        void drop() {
            if (data != null) {
                data.release();
                data = null;
            }
        }
    }

    private static long timestamp(ByteBuf b, int i) {
        return (long) (b.getUnsignedByte(i) >> 1 & 0x7) << 30 | (long) (b.getUnsignedShort(i + 1) >> 1) << 15
                | b.getUnsignedShort(i + 3) >> 1;
    }

    /**
     * Scans Annex B NAL units up to the first slice for an IDR (H.264 type 5) or IRAP (H.265
     * types 16 to 21) picture.
     */
    static boolean containsRandomAccessPicture(ByteBuf b, boolean h265) {
        int end = b.writerIndex();
        for (int i = b.readerIndex(); i + 3 < end; i++) {
            if (b.getByte(i) != 0 || b.getByte(i + 1) != 0 || b.getByte(i + 2) != 1) {
                continue;
            }
            int header = b.getUnsignedByte(i + 3);
            int type = h265 ? header >> 1 & 0x3f : header & 0x1f;
            if (h265 ? type >= 16 && type <= 21 : type == 5) {
                return true;
            }
            if (h265 ? type < 16 : type >= 1 && type <= 4) {
                return false; // a non-random-access slice comes first
            }
            i += 3;
        }
        return false;
    }
}
