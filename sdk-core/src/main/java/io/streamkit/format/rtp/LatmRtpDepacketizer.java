package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig;
import io.streamkit.codec.aac.StreamMuxConfig;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Takes AAC frames out of RTP packets of the MP4A-LATM payload format with the configuration out
 * of band ({@code cpresent=0}, RFC 6416 section 6.1), what GStreamer's {@code rtpmp4apay}, ffmpeg
 * and many cameras send. Each AudioMuxElement (ISO/IEC 14496-3 1.7.3) is numSubFrames + 1 frames,
 * each behind its PayloadLengthInfo: bytes of 255 that each add 255, ended by a byte under 255
 * that is added too. An element is in one packet, or fragmented over packets of the same
 * timestamp, the marker bit on its last; the n-th frame of an element has the element's timestamp
 * plus n frame durations.
 *
 * <p>Loss is a fact of RTP over UDP, so nothing here throws on a packet's bytes. A fragmented
 * element is dropped and counted when a packet of another timestamp comes before its end, or a
 * sequence gap: its packets after the gap (same timestamp) are dropped too. An element whose
 * lengths run past its end, or that is followed by bytes other than zero padding, is dropped and
 * counted: senders put exactly one element in a marked run of packets ({@code rtpmp4apay} and
 * ffmpeg's {@code rtpenc_latm} write one frame behind its length and nothing after). A packet
 * after a gap that starts a new timestamp is taken as the start of an element, since the payload
 * cannot say; if the start was lost, the length checks drop what it makes.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>AudioMuxElement size</td><td>the constructor's {@code maxElementSize}, {@value #DEFAULT_MAX_ELEMENT_SIZE} by default</td><td>the element is dropped, counted, with its packets up to its end</td></tr>
 *   <tr><td>frames per element</td><td>the configuration's numSubFrames + 1, at most {@value StreamMuxConfig#MAX_FRAMES_PER_ELEMENT}</td><td>lengths past the element's end: the element is dropped, counted</td></tr>
 *   <tr><td>bytes after the last frame</td><td>zero bytes only</td><td>the element is dropped, counted</td></tr>
 * </table>
 *
 * <p>Zero copy: a frame is a retained slice of its packet, or of a composite buffer of slices of
 * its element's packets when the element was fragmented. Frames of length 0 are skipped. Not
 * thread-safe: one connection's loop feeds it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6416#section-6">RFC 6416 section 6, MPEG-4 Audio over RTP</a>
 */
public final class LatmRtpDepacketizer implements AutoCloseable {
    /**
     * Default largest AudioMuxElement: an AAC frame is at most 6,144 bits a channel (ISO/IEC 14496-3
     * 4.5.3.1), 6,144 bytes for 7.1, so ten 7.1 frames fit; senders put one frame in an element.
     */
    public static final int DEFAULT_MAX_ELEMENT_SIZE = 64 << 10;

    private static final int LENGTH_CONTINUES = 255;

    private final ByteBufAllocator alloc;
    private final int maxElementSize;
    private final long[] frameOffsets;   // timestamp of the n-th frame of an element, from the first
    private final int[] frameStarts;
    private final int[] frameLengths;
    private final ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>();
    private CompositeByteBuf pending;   // the fragments of the element being rebuilt
    private long pendingTimestamp;
    private int pendingPackets;
    private boolean discarding;   // the rest of the element of discardTimestamp goes
    private long discardTimestamp;
    private int lastSequence = -1;
    private long droppedPackets;
    private long droppedElements;

    /**
     * Creates a depacketizer for one stream.
     *
     * <p>A frame lasts 1,024 samples (960 with the configuration's frameLengthFlag) at the core
     * sampling frequency; in ticks of the RTP clock, that is 1,024 for AAC LC with the clock at the
     * sampling frequency, and 2,048 for HE-AAC whose clock runs at the SBR output rate, signalled
     * or not. So the step between the timestamps of an element's frames is
     * {@code frameSamples * clockRate / coreRate}, rounded down for each frame from the element's
     * timestamp.
     *
     * @param alloc where the composite buffers of fragmented elements come from
     * @param maxElementSize the largest AudioMuxElement kept, in bytes, at least 1
     * @param config the stream's configuration, from the {@code config} parameter: its
     *     numSubFrames, core sampling frequency and frame length are used
     * @param clockRate the RTP clock rate, from {@code a=rtpmap}, at least 1
     * @throws IllegalArgumentException if a size or rate is not positive
     */
    public LatmRtpDepacketizer(ByteBufAllocator alloc, int maxElementSize, StreamMuxConfig config, int clockRate) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if (maxElementSize < 1) {
            throw new IllegalArgumentException("maxElementSize must be positive: " + maxElementSize);
        }
        if (clockRate < 1) {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.maxElementSize = maxElementSize;
        AudioSpecificConfig asc = config.audioConfig();
        long frameSamples = asc.frameLengthFlag() ? 960 : 1024;
        int frames = config.numSubFrames() + 1;
        frameOffsets = new long[frames];
        for (int n = 0; n < frames; n++) {
            frameOffsets[n] = n * frameSamples * clockRate / asc.samplingFrequency();
        }
        frameStarts = new int[frames];
        frameLengths = new int[frames];
    }

    /**
     * Takes one whole RTP packet, header included. Ownership passes: the packet is released here,
     * its payload kept only as slices of the frames it carries. Never throws on the packet's
     * bytes: what cannot be taken is dropped and counted.
     *
     * @param packet the packet, from its reader index to its writer index
     */
    public void feed(ByteBuf packet) {
        try {
            RtpPacket header;
            try {
                header = RtpPacket.parse(packet);
            } catch (MediaFormatException e) {
                droppedPackets++;
                return;
            }
            long timestamp = header.timestamp();
            boolean gap = lastSequence >= 0 && header.sequence() != ((lastSequence + 1) & 0xFFFF);
            lastSequence = header.sequence();
            if (discarding && timestamp != discardTimestamp) {
                discarding = false;
            }
            if (pending != null && (gap || timestamp != pendingTimestamp)) {
                if (timestamp == pendingTimestamp) {
                    discard(timestamp);   // a fragment of this element was lost
                }
                dropPending();
            }
            if (discarding) {
                droppedPackets++;
                discarding = !header.marker();
                return;
            }
            ByteBuf payload = header.payload(packet);
            if (pending == null && header.marker()) {
                element(payload, timestamp, 1);   // the common case: a whole element, zero copy
                return;
            }
            if (pending == null) {
                pending = alloc.compositeBuffer(16);
                pendingTimestamp = timestamp;
                pendingPackets = 0;
            }
            pendingPackets++;
            if ((long) pending.readableBytes() + payload.readableBytes() > maxElementSize) {
                dropPending();
                if (!header.marker()) {
                    discard(timestamp);
                }
                return;
            }
            if (payload.isReadable()) {
                pending.addComponent(true, payload.retainedSlice());
            }
            if (header.marker()) {
                CompositeByteBuf whole = pending;
                int packets = pendingPackets;
                pending = null;
                try {
                    element(whole, timestamp, packets);
                } finally {
                    whole.release();
                }
            }
        } finally {
            packet.release();
        }
    }

    private void discard(long timestamp) {
        discarding = true;
        discardTimestamp = timestamp;
    }

    private void dropPending() {
        pending.release();
        pending = null;
        droppedPackets += pendingPackets;
        droppedElements++;
    }

    /**
     * Splits a whole AudioMuxElement into its frames, after checking all of it.
     *
     * @param element the element, borrowed: the frames are retained slices of it
     * @param timestamp the element's RTP timestamp
     * @param packets how many packets carried it, counted as dropped if it is
     */
    private void element(ByteBuf element, long timestamp, int packets) {
        int at = element.readerIndex();
        int end = element.writerIndex();
        boolean valid = end - at <= maxElementSize;
        for (int n = 0; valid && n < frameStarts.length; n++) {
            int length = 0;
            int b = LENGTH_CONTINUES;
            // PayloadLengthInfo; the length never grows past what is left, so it cannot overflow
            while (b == LENGTH_CONTINUES && at < end && length <= end - at) {
                b = element.getUnsignedByte(at++);
                length += b;
            }
            if (b == LENGTH_CONTINUES || length > end - at) {
                valid = false;   // lengths cut off, or running past the element's end
                break;
            }
            frameStarts[n] = at;
            frameLengths[n] = length;
            at += length;
        }
        for (; valid && at < end; at++) {
            valid = element.getByte(at) == 0;   // zero padding is all that may follow
        }
        if (!valid) {
            droppedPackets += packets;
            droppedElements++;
            return;
        }
        for (int n = 0; n < frameStarts.length; n++) {
            if (frameLengths[n] > 0) {
                long ts = (timestamp + frameOffsets[n]) & 0xFFFF_FFFFL;
                ready.add(new RtpAccessUnit(element.retainedSlice(frameStarts[n], frameLengths[n]), ts, true));
            }
        }
    }

    /**
     * Returns the next AAC frame: a raw access unit, without ADTS header, as an FLV or MP4 track
     * carries it beside the configuration's {@link StreamMuxConfig#audioSpecificConfig()}.
     *
     * @return the frame, which the caller releases, or {@code null} when none is ready; its
     *     timestamp is in the RTP clock, and {@link RtpAccessUnit#keyframe()} is always true
     */
    public RtpAccessUnit next() {
        return ready.poll();
    }

    /**
     * Returns the packets dropped: not RTP, or carrying (part of) an element dropped for a loss,
     * a timestamp change before its end, malformed lengths or its size.
     *
     * @return the count
     */
    public long droppedPackets() {
        return droppedPackets;
    }

    /**
     * Returns the AudioMuxElements dropped: unfinished at a loss or a timestamp change, malformed,
     * or over the size limit.
     *
     * @return the count
     */
    public long droppedElements() {
        return droppedElements;
    }

    /** Releases what is held: the fragments of an unfinished element and the frames not taken. */
    @Override
    public void close() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        for (RtpAccessUnit u; (u = ready.poll()) != null; ) {
            u.release();
        }
    }
}
