package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.format.rtp.AacRtpPacketizer;
import io.streamkit.format.rtp.H264RtpPacketizer;
import io.streamkit.format.rtp.H265RtpPacketizer;
import io.streamkit.format.rtp.RtpPacket;
import io.streamkit.format.rtp.RtpPayloadSink;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A frame's RTP packets, built once per frame and event loop and shared by every RTSP player of
 * the loop (encode once, write many): for a player over TCP each packet behind its interleaved
 * frame header (the variant is the player's RTP channel), for one over UDP without it
 * ({@link #UDP}). The packets' headers and payload prefixes (FU headers, AAC's AU header) are
 * written into one buffer per frame; payloads are slices of the frame. So the leaves come in
 * pairs, a header and a slice, one pair per packet.
 *
 * <p><b>Sequence numbers</b> are per track and event loop, and a frame keeps the numbers it
 * was first given on the loop: every player of the loop sees the same packets, and a player that
 * starts from the GOP cache sees its frames' numbers, then the live ones after them, without a
 * step back. A loop remembers the numbers of a track's last {@value #REMEMBERED} frames, more
 * than a GOP cache holds at common frame rates and GOP lengths; a player starting on an older
 * frame sees a jump in the numbers, which RTP receivers take as loss. The SSRC is random per
 * track and loop; the timestamp is the frame's presentation time on the track's clock, the same
 * on every loop.
 *
 * <p>Confined to event loops: its state is a {@link FastThreadLocal}. A player {@link #use}s a
 * track's state while it plays and {@link #release}s it at its end, so a loop forgets the tracks
 * it no longer serves. Players ask for a frame's form with their state's SSRC as its time
 * ({@link SharedEncoding}'s key), so a player that comes after a track's state was dropped and
 * made anew never gets the old state's cached packets of the GOP cache's frames.
 */
final class RtpEncoding {
    /** The largest RTP payload: a packet fits an Ethernet MTU with IP and UDP headers, on every transport. */
    static final int MAX_PAYLOAD = 1_400;
    /** The variant of UDP players: packets without the interleaved frame header. */
    static final long UDP = 1 << 8;
    /** The dynamic payload type of video tracks, in the SDP and every packet. */
    static final int VIDEO_PAYLOAD_TYPE = 96;
    /** The dynamic payload type of audio tracks. */
    static final int AUDIO_PAYLOAD_TYPE = 97;
    /** Frames whose sequence numbers a loop remembers per track. */
    static final int REMEMBERED = 1_024;

    static final SharedEncoding CACHE = new SharedEncoding(RtpEncoding::encode);

    private static final FastThreadLocal<Loop> LOOP = new FastThreadLocal<>() {
        @Override
        protected Loop initialValue() {
            return new Loop();
        }
    };

    private RtpEncoding() {
    }

    /** Whether RTP here carries a codec. */
    static boolean carries(Codec codec) {
        return codec == Codec.H264 || codec == Codec.H265 || codec == Codec.AAC || codec == Codec.OPUS
                || codec == Codec.PCMA || codec == Codec.PCMU;
    }

    /** The payload type of a track's packets: G.711's static one at 8 kHz mono, else a dynamic one per media. */
    static int payloadType(Track track) {
        return payloadType(track.format());
    }

    private static int payloadType(TrackFormat format) {
        return RtpFormats.payloadType(format, format.type() == MediaType.VIDEO ? VIDEO_PAYLOAD_TYPE : AUDIO_PAYLOAD_TYPE);
    }

    /** Whether a codec's frames are runs of samples, cut anywhere, each packet timed by its first sample. */
    private static boolean isSamples(Codec codec) {
        return codec == Codec.PCMA || codec == Codec.PCMU;
    }

    /** A time in microseconds on a clock of {@code clockRate} ticks per second, as RTP's 32 bits. */
    static long rtpTime(long micros, int clockRate) {
        return Math.floorDiv(micros * clockRate, 1_000_000L) & 0xFFFF_FFFFL;
    }

    /**
     * Takes a track's state on this loop for a player, creating it for the first.
     *
     * @param track the track
     * @return its state: SSRC and clock, for the player's RTCP
     */
    static TrackState use(Track track) {
        TrackState state = LOOP.get().tracks.computeIfAbsent(track, t -> new TrackState());
        state.users++;
        state.format(track.format());
        return state;
    }

    /** Gives back a player's use of a track's state on this loop. */
    static void release(Track track) {
        Map<Track, TrackState> tracks = LOOP.get().tracks;
        TrackState state = tracks.get(track);
        if (state != null && --state.users <= 0) {
            tracks.remove(track);
            state.free();
        }
    }

    private static void encode(ByteBufAllocator alloc, MediaFrame frame, long variant, long time,
                               Consumer<ByteBuf> leaves) {
        Loop loop = LOOP.get();
        Track track = frame.track();
        TrackState state = loop.tracks.computeIfAbsent(track, t -> new TrackState());
        state.format(track.format());
        Cuts cuts = loop.cuts;
        cuts.count = 0;
        ByteBuf payload = frame.payload();
        ByteBuf sets = null;
        if (frame.keyframe() && !state.sets.isEmpty() && !state.hasParameterSets(payload, track.codec())) {
            // decoders and parsers that join here (ffmpeg's, GStreamer's) find them in band, as from a camera
            sets = state.parameterSets(alloc);
            int at = sets.readerIndex();
            while (at < sets.writerIndex()) {
                int size = sets.getInt(at);
                cuts.payload(0, 0, at + 4, size);
                at += 4 + size;
            }
            cuts.fromSets = cuts.count;
        } else {
            cuts.fromSets = 0;
        }
        switch (track.codec()) {
            case H264 -> H264RtpPacketizer.packetize(payload, state.lengthSize, MAX_PAYLOAD, cuts);
            case H265 -> H265RtpPacketizer.packetize(payload, state.lengthSize, MAX_PAYLOAD, cuts);
            case AAC -> cuts.payload(AacRtpPacketizer.prefix(payload.readableBytes()), AacRtpPacketizer.PREFIX_LENGTH,
                    payload.readerIndex(), payload.readableBytes());
            case PCMA, PCMU -> {
                // G.711 (RFC 3551 4.5.14): any number of whole samples (a byte per channel) per packet
                int step = MAX_PAYLOAD - MAX_PAYLOAD % state.channels;
                for (int at = payload.readerIndex(); at < payload.writerIndex(); at += step) {
                    cuts.payload(0, 0, at, Math.min(step, payload.writerIndex() - at));
                }
            }
            default -> cuts.payload(0, 0, payload.readerIndex(), payload.readableBytes());
        }
        if (cuts.count == 0) {
            return;
        }
        int first = state.sequence(frame, cuts.count);
        boolean tcp = (variant & UDP) == 0;
        int headerSize = (tcp ? InterleavedFrame.HEADER_SIZE : 0) + RtpPacket.HEADER_SIZE;
        int bytes = cuts.count * headerSize;
        for (int i = 0; i < cuts.count; i++) {
            bytes += cuts.prefixLength[i];
        }
        long timestamp = rtpTime(frame.pts(), state.clockRate);
        boolean samples = isSamples(track.codec());
        ByteBuf headers = alloc.directBuffer(bytes);
        try {
            for (int i = 0; i < cuts.count; i++) {
                int start = headers.writerIndex();
                if (tcp) {
                    InterleavedFrame.writeHeader(headers, (int) variant & 0xFF,
                            RtpPacket.HEADER_SIZE + cuts.prefixLength[i] + cuts.length[i]);
                }
                // G.711's packets are timed by their first sample, and unmarked: the stream has no talkspurts
                long at = samples
                        ? (timestamp + (cuts.offset[i] - payload.readerIndex()) / state.channels) & 0xFFFF_FFFFL : timestamp;
                RtpPacket.writeHeader(headers, state.payloadType, !samples && i == cuts.count - 1, (first + i) & 0xFFFF,
                        at, state.ssrc);
                RtpPayloadSink.writePrefix(headers, cuts.prefix[i], cuts.prefixLength[i]);
                leaves.accept(headers.retainedSlice(start, headers.writerIndex() - start));
                leaves.accept((i < cuts.fromSets ? sets : payload).retainedSlice(cuts.offset[i], cuts.length[i]));
            }
        } finally {
            headers.release();
        }
    }

    /** One track's RTP state on one loop. */
    static final class TrackState {
        final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
        private int next = ThreadLocalRandom.current().nextInt(1 << 16);
        private MediaFrame[] frames = new MediaFrame[16];   // a ring, grown to REMEMBERED as frames come
        private int[] firsts = new int[16];
        private int newest = -1;
        private int count;
        private TrackFormat format;
        int clockRate = 90_000;
        int payloadType = VIDEO_PAYLOAD_TYPE;
        int lengthSize = 4;
        int channels = 1;
        int users;
        /** The configuration's parameter sets, sent before keyframes that lack them; empty for other codecs. */
        private java.util.List<byte[]> sets = java.util.List.of();
        /** The same, each behind a 4-byte length, made from the loop's allocator at the first keyframe that needs them. */
        private ByteBuf parameterSets;

        void format(TrackFormat current) {
            if (current == format) {
                return;
            }
            format = current;
            clockRate = RtpFormats.clockRate(current.codec(), current);
            payloadType = payloadType(current);
            channels = current.audio().map(a -> Math.max(1, a.channels())).orElse(1);
            lengthSize = 4;
            java.util.List<byte[]> sets = new java.util.ArrayList<>(3);
            if (current.hasConfig() && current.codec() == Codec.H264) {
                AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(current.config());
                lengthSize = record.nalUnitLength();
                sets.addAll(record.sps());
                sets.addAll(record.pps());
            } else if (current.hasConfig() && current.codec() == Codec.H265) {
                HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(current.config());
                lengthSize = record.nalUnitLength();
                sets.addAll(record.vps());
                sets.addAll(record.sps());
                sets.addAll(record.pps());
            }
            free();
            this.sets = sets;
        }

        /** The parameter sets as one buffer, made at the first call after a change of format; or null. */
        ByteBuf parameterSets(ByteBufAllocator alloc) {
            if (parameterSets == null && !sets.isEmpty()) {
                int size = 0;
                for (byte[] nal : sets) {
                    size += 4 + nal.length;
                }
                parameterSets = alloc.directBuffer(size);
                for (byte[] nal : sets) {
                    parameterSets.writeInt(nal.length).writeBytes(nal);
                }
            }
            return parameterSets;
        }

        /** Whether an access unit (NAL lengths of {@code lengthSize}) holds a parameter set already. */
        boolean hasParameterSets(ByteBuf au, Codec codec) {
            int at = au.readerIndex();
            int end = au.writerIndex();
            while (end - at > lengthSize) {
                long size = lengthSize == 4 ? au.getUnsignedInt(at) : lengthSize == 2 ? au.getUnsignedShort(at)
                        : au.getUnsignedByte(at);
                int header = au.getUnsignedByte(at + lengthSize);
                int type = codec == Codec.H264 ? header & 0x1F : header >> 1 & 0x3F;
                if (codec == Codec.H264 ? type == 7 : type == 33) {
                    return true;
                }
                at += lengthSize + (int) Math.min(size, end);
            }
            return false;
        }

        /** Releases the parameter sets; the state is gone from its loop. */
        void free() {
            if (parameterSets != null) {
                parameterSets.release();
                parameterSets = null;
            }
        }

        /** The first sequence number of a frame's packets: the one it was given, or the next ones. */
        int sequence(MediaFrame frame, int packets) {
            int size = frames.length;
            // A live frame is newer than every frame numbered so far: no search.
            boolean live = count == 0 || frame.dts() > frames[newest].dts();
            for (int k = 0, i = newest; !live && k < count; k++, i = (i - 1 + size) % size) {
                if (frames[i] == frame) {
                    return firsts[i];
                }
            }
            if (count == size && size < REMEMBERED) {
                MediaFrame[] f = new MediaFrame[size * 2];
                int[] s = new int[size * 2];
                for (int k = 0; k < count; k++) {
                    int i = (newest + 1 + k) % size;   // oldest first
                    f[k] = frames[i];
                    s[k] = firsts[i];
                }
                frames = f;
                firsts = s;
                newest = count - 1;
                size *= 2;
            }
            int first = next;
            next = (next + packets) & 0xFFFF;
            newest = (newest + 1) % size;
            frames[newest] = frame;
            firsts[newest] = first;
            count = Math.min(count + 1, size);
            return first;
        }
    }

    /** What the packetizers cut from the frame being encoded. */
    private static final class Cuts implements RtpPayloadSink {
        int count;
        int fromSets;   // the first cuts are of the parameter sets' buffer
        int[] prefix = new int[64];
        int[] prefixLength = new int[64];
        int[] offset = new int[64];
        int[] length = new int[64];

        @Override
        public void payload(int prefixBytes, int prefixBytesLength, int from, int bytes) {
            if (count == prefix.length) {
                prefix = java.util.Arrays.copyOf(prefix, count * 2);
                prefixLength = java.util.Arrays.copyOf(prefixLength, count * 2);
                offset = java.util.Arrays.copyOf(offset, count * 2);
                length = java.util.Arrays.copyOf(length, count * 2);
            }
            prefix[count] = prefixBytes;
            prefixLength[count] = prefixBytesLength;
            offset[count] = from;
            length[count] = bytes;
            count++;
        }
    }

    /** A loop's tracks and scratch. */
    private static final class Loop {
        final Map<Track, TrackState> tracks = new IdentityHashMap<>();
        final Cuts cuts = new Cuts();
    }
}
