package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Muxes one stream's frames into an MPEG transport stream (ISO/IEC 13818-1), the container
 * of HLS segments; one muxer per stream, shared by every player of it.
 *
 * <pre>{@code
 * muxer.setTracks(tracks);                  // again whenever a track's format changes
 * muxer.writeTables(segment);               // PAT + PMT at the start of every segment
 * muxer.writeFrame(segment, frame);         // each frame, in dts order across tracks
 * }</pre>
 *
 * <p><b>Program.</b> One program (number 1), PMT on PID {@value #PMT_PID}. The first video
 * track the muxer supports goes on PID {@value #VIDEO_PID}, the first audio track it supports
 * on PID {@value #AUDIO_PID}; any other track is left out of the PMT and its frames are
 * skipped. Supported, with their stream_type (Table 2-34): H.264 {@code 0x1B}, H.265
 * {@code 0x24}, AAC in ADTS {@code 0x0F}, MP3 {@code 0x03} (MPEG-1 audio) or {@code 0x04}
 * (MPEG-2 audio, below 32 kHz). Left out: AV1, VP9 and Opus, whose TS mappings (a draft
 * for AV1, private streams with descriptors for Opus) HLS players do not read.
 *
 * <p><b>Elementary streams.</b> Video payloads are rewritten from length-prefixed NAL
 * units to Annex B with 4-byte start codes; every access unit starts with an access unit
 * delimiter (H.264 {@code 09 f0}, H.265 {@code 46 01 50}) unless its first NAL unit is
 * one, and every keyframe gets the parameter sets of the track's configuration record
 * (VPS/SPS/PPS) after the delimiter unless it carries an SPS itself. AAC frames get a
 * 7-byte ADTS header built from the AudioSpecificConfig; MP3 frames pass unchanged. This
 * is the one copy of the payload on the way to HLS (architecture rule 1): it runs once
 * per stream, and the bytes go straight into {@code out}.
 *
 * <p><b>PES.</b> One access unit per PES. PTS, and DTS when it differs, are the frame's
 * microseconds times 9/100 (90 kHz) modulo 2<sup>33</sup>. Video PES have
 * PES_packet_length 0 (unbounded, allowed for video in TS); audio PES have their exact
 * length. The last TS packet of a PES is padded with adaptation-field stuffing.
 *
 * <p><b>PCR.</b> Carried in the adaptation field of the first packet of every PES on the
 * PCR PID: the video PID, or the audio PID when there is no video (6 bytes per frame, so
 * every keyframe has one and a stream of 10 frames per second or more meets the 100 ms
 * of 2.7.2). When video frames are further apart, an audio frame whose PCR (below) would be
 * {@value #PCR_REFRESH_90K} ticks (50 ms) or more after the last PCR first writes a
 * payload-less packet with a PCR on the video PID, so with audio frames up to 50 ms long
 * (AAC at 22.05 kHz and above) PCRs stay within {@value #PCR_INTERVAL_90K} ticks (100 ms).
 * The PCR base runs a fixed {@value #MUX_DELAY_90K} ticks (700 ms) behind the DTS of the
 * frame it goes with, modulo 2<sup>33</sup>, and never moves back; PCR-only packets use the
 * same basis. That is the mux delay broadcast muxers keep (ffmpeg's default
 * {@code -muxdelay 0.7}): frames of the two tracks arrive interleaved but not in strict DTS
 * order, and without the delay an audio PES written after a video PES may have a DTS before
 * the PCR already sent, so it would arrive after its decode time on the PCR clock (the
 * T-STD model of 2.4.2; TR 101 290 analysers flag it). Up to 700 ms of skew between the
 * tracks now stays within the model. PTS and DTS are written unchanged: the delay moves the
 * clock reference, not the timestamps. random_access_indicator is set on the first packet of
 * every keyframe and every audio PES.
 *
 * <p><b>Continuity.</b> Continuity counters are kept per PID for the muxer's life: they
 * continue across segments, across {@link #writeTables} calls and across
 * {@link #setTracks} calls. The PMT version_number goes up when the PMT changes.
 *
 * <p><b>Threads and buffers.</b> Not thread-safe: one thread (the stream's segmenter) calls
 * every method. {@code out} is the caller's; frames are borrowed and not released.
 * A track without a configuration record yet: video is muxed without parameter sets
 * (frames that carry theirs in band still play), AAC is left out (ADTS needs the
 * AudioSpecificConfig).
 * Steady state allocates nothing per frame: parameter sets are converted once per format,
 * headers go through a reused scratch buffer.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1</a>
 */
public final class MpegTsMuxer {
    /** PID of the PAT (Table 2-3). */
    public static final int PAT_PID = 0x0000;
    /** PID of the PMT, the value ffmpeg and most HLS packagers use. */
    public static final int PMT_PID = 0x1000;
    /** PID of the video elementary stream. */
    public static final int VIDEO_PID = 0x0100;
    /** PID of the audio elementary stream. */
    public static final int AUDIO_PID = 0x0101;
    /** The program number of the single program. */
    public static final int PROGRAM_NUMBER = 1;
    /** stream_type of H.264 video (Table 2-34). */
    public static final int STREAM_TYPE_H264 = 0x1B;
    /** stream_type of H.265 video. */
    public static final int STREAM_TYPE_H265 = 0x24;
    /** stream_type of AAC with ADTS transport syntax (ISO/IEC 13818-7). */
    public static final int STREAM_TYPE_AAC_ADTS = 0x0F;
    /** stream_type of MPEG-1 audio (MP3 at 32 kHz and above). */
    public static final int STREAM_TYPE_MPEG1_AUDIO = 0x03;
    /** stream_type of MPEG-2 audio (MP3 below 32 kHz). */
    public static final int STREAM_TYPE_MPEG2_AUDIO = 0x04;
    /** Largest PCR interval in 90 kHz ticks: 100 ms, the maximum of ISO/IEC 13818-1 2.7.2. */
    public static final int PCR_INTERVAL_90K = 9_000;
    /**
     * Age of the last PCR, in 90 kHz ticks, at which an audio frame writes a PCR-only packet on
     * the video PID: half of {@link #PCR_INTERVAL_90K}, leaving room for one audio frame of 50 ms.
     */
    public static final int PCR_REFRESH_90K = 4_500;
    /**
     * How far the PCR base runs behind the DTS of the frame it goes with, in 90 kHz ticks:
     * 700 ms, ffmpeg's default {@code -muxdelay}, the decoder buffer time broadcast muxers
     * allow, so a frame whose DTS is up to this much before one written earlier still arrives
     * before its decode time.
     */
    public static final int MUX_DELAY_90K = 63_000;

    private static final long MASK_33 = (1L << 33) - 1;
    private static final byte[] AUD_H264 = {0, 0, 0, 1, 0x09, (byte) 0xf0};
    private static final byte[] AUD_H265 = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final int STREAM_ID_VIDEO = 0xE0;
    private static final int STREAM_ID_AUDIO = 0xC0;
    /** Largest audio PES payload: PES_packet_length is 16 bits and counts 3 + 10 header bytes. */
    private static final int MAX_AUDIO_PES_PAYLOAD = 0xFFFF - 13;

    private final TsPacketWriter packets = new TsPacketWriter();
    private final ByteBuf scratch = Unpooled.wrappedBuffer(new byte[64]);
    private Elementary video;
    private Elementary audio;
    private int patContinuity = 15;
    private int pmtContinuity = 15;
    private int videoContinuity = 15;
    private int audioContinuity = 15;
    private int pmtVersion;
    private boolean pmtWritten;
    private long lastPcr = -1;
    private long skippedFrames;

    /** Creates a muxer with no tracks; call {@link #setTracks} before writing frames. */
    public MpegTsMuxer() {
    }

    /**
     * Returns whether this muxer can carry a codec.
     *
     * @param codec a codec
     * @return {@code true} for H.264, H.265, AAC and MP3
     */
    public boolean supports(Codec codec) {
        return switch (Objects.requireNonNull(codec, "codec")) {
            case H264, H265, AAC, MP3 -> true;
            // G.711 has no stream type in ISO/IEC 13818-1 (nor in HLS): an HLS stream plays without it.
            case AV1, VP9, OPUS, PCMA, PCMU -> false;
        };
    }

    /**
     * Configures the program from the stream's tracks: the first supported video track and
     * the first supported audio track; the others are left out.
     *
     * <p>Call again when a track's format changes (a new SPS): the parameter sets are
     * converted again, continuity counters continue, and when a stream type changes the
     * PMT version goes up. {@link #writeFrame} also picks up a format change of a track
     * already configured by itself.
     *
     * @param tracks the stream's tracks, in any order
     * @throws MediaFormatException when a supported track's configuration record cannot be used
     */
    public void setTracks(List<Track> tracks) {
        Elementary v = null;
        Elementary a = null;
        for (Track track : tracks) {
            TrackFormat format = track.format();
            if (!usable(format)) {
                continue;
            }
            if (format.type() == MediaType.VIDEO && v == null) {
                v = Elementary.of(track.id(), format);
            } else if (format.type() == MediaType.AUDIO && a == null) {
                a = Elementary.of(track.id(), format);
            }
        }
        boolean changed = streamType(video) != streamType(v) || streamType(audio) != streamType(a);
        video = v;
        audio = a;
        if (changed && pmtWritten) {
            pmtVersion = pmtVersion + 1 & 0x1f;
        }
    }

    private boolean usable(TrackFormat format) {
        return supports(format.codec()) && (format.codec() != Codec.AAC || format.hasConfig());
    }

    /**
     * Returns how many frames {@link #writeFrame} skipped because their track is not in the PMT.
     *
     * @return frames skipped since the muxer was created
     */
    public long skippedFrames() {
        return skippedFrames;
    }

    /**
     * Writes the PAT and the PMT, one TS packet each; HLS writes them at the start of every segment.
     *
     * @param out where to append the 376 bytes
     */
    public void writeTables(ByteBuf out) {
        patContinuity = patContinuity + 1 & 0xf;
        int start = startSection(out, PAT_PID, patContinuity);
        out.writeByte(0x00); // table_id: program_association_section
        out.writeShort(0xB000 | 13); // section_syntax_indicator, '0', reserved, section_length
        out.writeShort(1); // transport_stream_id
        out.writeByte(0xC1); // reserved, version 0, current_next_indicator
        out.writeShort(0); // section_number, last_section_number
        out.writeShort(PROGRAM_NUMBER);
        out.writeShort(0xE000 | PMT_PID);
        endSection(out, start);

        pmtContinuity = pmtContinuity + 1 & 0xf;
        start = startSection(out, PMT_PID, pmtContinuity);
        int streams = (video != null ? 1 : 0) + (audio != null ? 1 : 0);
        int pcrPid = video != null ? VIDEO_PID : audio != null ? AUDIO_PID : 0x1FFF;
        out.writeByte(0x02); // table_id: TS_program_map_section
        out.writeShort(0xB000 | 13 + 5 * streams);
        out.writeShort(PROGRAM_NUMBER);
        out.writeByte(0xC1 | pmtVersion << 1);
        out.writeShort(0);
        out.writeShort(0xE000 | pcrPid);
        out.writeShort(0xF000); // program_info_length 0
        if (video != null) {
            writeStream(out, video.streamType, VIDEO_PID);
        }
        if (audio != null) {
            writeStream(out, audio.streamType, AUDIO_PID);
        }
        endSection(out, start);
        pmtWritten = true;
    }

    private static int startSection(ByteBuf out, int pid, int continuity) {
        out.writeByte(TsPacketWriter.SYNC_BYTE);
        out.writeShort(0x4000 | pid);
        out.writeByte(0x10 | continuity);
        out.writeByte(0); // pointer_field
        return out.writerIndex();
    }

    private static void endSection(ByteBuf out, int start) {
        out.writeInt(Crc32Mpeg2.compute(out, start, out.writerIndex() - start));
        int packetStart = start - 5;
        out.writeBytes(STUFFING, 0, TsPacketWriter.PACKET_SIZE - (out.writerIndex() - packetStart));
    }

    private static final byte[] STUFFING = TsPacketWriter.filled(TsPacketWriter.PACKET_SIZE);

    private static void writeStream(ByteBuf out, int streamType, int pid) {
        out.writeByte(streamType);
        out.writeShort(0xE000 | pid);
        out.writeShort(0xF000); // ES_info_length 0
    }

    /**
     * Writes one access unit as a PES in TS packets.
     *
     * @param out where to append the packets
     * @param frame the frame, borrowed: neither retained nor released, its indexes untouched
     * @return {@code true} if written, {@code false} if skipped because its track is not in
     *     the PMT (counted in {@link #skippedFrames()})
     * @throws MediaFormatException when the payload is malformed (a NAL unit length past the
     *     end) or does not fit its PES; nothing is written then
     */
    public boolean writeFrame(ByteBuf out, MediaFrame frame) {
        Track track = frame.track();
        Elementary es = video != null && video.trackId == track.id() ? video
                : audio != null && audio.trackId == track.id() ? audio : null;
        if (es == null) {
            skippedFrames++;
            return false;
        }
        TrackFormat format = track.format();
        if (format != es.format && !format.equals(es.format)) {
            if (!usable(format) || format.type() != es.format.type()) {
                skippedFrames++;
                return false;
            }
            Elementary fresh = Elementary.of(track.id(), format);
            if (fresh.streamType != es.streamType && pmtWritten) {
                pmtVersion = pmtVersion + 1 & 0x1f;
            }
            if (es == video) {
                video = fresh;
            } else {
                audio = fresh;
            }
            es = fresh;
        }
        long dts = to90k(frame.dts());
        long pts = to90k(frame.pts());
        boolean isVideo = es == video;
        boolean pcrPid = isVideo || video == null;
        ByteBuf payload = frame.content();
        int start = out.writerIndex();
        long pcr = -1;
        long pcrBefore = lastPcr;
        try {
            long clock = dts - MUX_DELAY_90K & MASK_33;
            if (pcrPid) {
                pcr = nextPcr(clock);
            } else if (lastPcr < 0 || after(clock, lastPcr) && (clock - lastPcr & MASK_33) >= PCR_REFRESH_90K) {
                writePcrPacket(out, nextPcr(clock));
            }
            if (isVideo) {
                writeVideo(out, es, payload, frame.keyframe(), pts, dts, pcr);
            } else {
                writeAudio(out, es, payload, pts, dts, pcr);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            lastPcr = pcrBefore;
            throw e;
        }
        return true;
    }

    /**
     * Returns the PCR base for a frame whose DTS minus the mux delay is {@code clock}, never
     * before the last one, and makes it the last.
     */
    private long nextPcr(long clock) {
        if (lastPcr < 0 || after(clock, lastPcr)) {
            lastPcr = clock;
        }
        return lastPcr;
    }

    /** Whether {@code a} is at or after {@code b} on the 33-bit clock, allowing for one wrap. */
    private static boolean after(long a, long b) {
        long d = a - b & MASK_33;
        return d < 1L << 32;
    }

    /** A packet on the video PID with only an adaptation field and a PCR; continuity does not advance (2.4.3.3). */
    private void writePcrPacket(ByteBuf out, long base) {
        out.writeByte(TsPacketWriter.SYNC_BYTE);
        out.writeShort(VIDEO_PID);
        out.writeByte(0x20 | videoContinuity);
        out.writeByte(183);
        out.writeByte(0x10);
        TsPacketWriter.writePcr(out, base);
        out.writeBytes(STUFFING, 0, 176);
    }

    private void writeVideo(ByteBuf out, Elementary es, ByteBuf payload, boolean keyframe, long pts, long dts,
            long pcr) {
        int lengthSize = es.nalUnitLength;
        boolean h265 = es.streamType == STREAM_TYPE_H265;
        // First pass: check the NAL unit lengths, size the Annex B form, see what the frame carries.
        int from = payload.readerIndex();
        int end = payload.writerIndex();
        int annexB = 0;
        boolean firstIsAud = false;
        boolean hasSps = false;
        int units = 0;
        for (int i = from; i < end; ) {
            if (end - i < lengthSize) {
                throw new MediaFormatException("NAL unit length prefix of " + lengthSize + " bytes at offset "
                        + (i - from) + " runs past the " + (end - from) + "-byte access unit");
            }
            long n = readLength(payload, i, lengthSize);
            i += lengthSize;
            if (n > end - i) {
                throw new MediaFormatException("NAL unit of " + n + " bytes at offset " + (i - from)
                        + " runs past the " + (end - from) + "-byte access unit");
            }
            if (n > 0) {
                int type = nalType(payload.getByte(i), h265);
                if (units == 0) {
                    firstIsAud = type == (h265 ? 35 : 9);
                }
                hasSps |= type == (h265 ? 33 : 7);
                annexB += 4 + (int) n;
                units++;
            }
            i += (int) n;
        }
        byte[] aud = h265 ? AUD_H265 : AUD_H264;
        boolean addParams = keyframe && !hasSps;
        int length = annexB + (firstIsAud ? 0 : aud.length) + (addParams ? es.parameterSets.length : 0);
        int header = pesHeader(STREAM_ID_VIDEO, 0, pts, dts);
        packets.begin(out, VIDEO_PID, videoContinuity, header + length, pcr, keyframe);
        packets.write(scratch, 0, header);
        if (!firstIsAud) {
            packets.write(aud, 0, aud.length);
            if (addParams) {
                packets.write(es.parameterSets, 0, es.parameterSets.length);
            }
        }
        int written = 0;
        for (int i = from; i < end; ) {
            int n = (int) readLength(payload, i, lengthSize);
            i += lengthSize;
            if (n > 0) {
                packets.writeStartCode();
                packets.write(payload, i, n);
                if (written++ == 0 && firstIsAud && addParams) {
                    packets.write(es.parameterSets, 0, es.parameterSets.length);
                }
            }
            i += n;
        }
        videoContinuity = packets.end();
    }

    private void writeAudio(ByteBuf out, Elementary es, ByteBuf payload, long pts, long dts, long pcr) {
        int size = payload.readableBytes();
        int adts = es.asc != null ? AudioSpecificConfig.ADTS_HEADER_LENGTH : 0;
        if (size + adts > MAX_AUDIO_PES_PAYLOAD) {
            throw new MediaFormatException("audio frame of " + size + " bytes exceeds the " + MAX_AUDIO_PES_PAYLOAD
                    + " a PES carries");
        }
        if (adts > 0) {
            scratch.clear().writerIndex(48);
            es.asc.writeAdtsHeader(scratch, size);
        }
        int header = pesHeader(STREAM_ID_AUDIO, size + adts, pts, dts);
        packets.begin(out, AUDIO_PID, audioContinuity, header + adts + size, pcr, true);
        packets.write(scratch, 0, header);
        if (adts > 0) {
            packets.write(scratch, 48, adts);
        }
        packets.write(payload, payload.readerIndex(), size);
        audioContinuity = packets.end();
    }

    /** Writes a PES header into the scratch buffer from index 0 and returns its length (2.4.3.6). */
    private int pesHeader(int streamId, int payloadLength, long pts, long dts) {
        boolean withDts = dts != pts;
        int optional = withDts ? 10 : 5;
        ByteBuf h = scratch.clear();
        h.writeMedium(1); // packet_start_code_prefix
        h.writeByte(streamId);
        h.writeShort(payloadLength == 0 ? 0 : 3 + optional + payloadLength);
        h.writeByte(0x84); // '10', not scrambled, data_alignment_indicator
        h.writeByte(withDts ? 0xC0 : 0x80); // PTS_DTS_flags
        h.writeByte(optional);
        writeTimestamp(h, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(h, 0x1, dts);
        }
        return h.writerIndex();
    }

    /** Writes a 33-bit timestamp in the 5-byte form with marker bits (2.4.3.7). */
    static void writeTimestamp(ByteBuf out, int prefix, long ts) {
        out.writeByte(prefix << 4 | (int) (ts >>> 29) & 0x0e | 1);
        out.writeShort((int) (ts >>> 14) & 0xfffe | 1);
        out.writeShort((int) (ts << 1) & 0xfffe | 1);
    }

    /**
     * Converts microseconds to the 90 kHz clock of PTS, DTS and PCR base, modulo 2<sup>33</sup>.
     *
     * @param micros a time in microseconds, possibly negative
     * @return {@code micros * 9 / 100} rounded down, wrapped into 0 to 2<sup>33</sup> - 1
     */
    public static long to90k(long micros) {
        return Math.floorDiv(micros * 9, 100) & MASK_33;
    }

    private static long readLength(ByteBuf buf, int index, int size) {
        return switch (size) {
            case 1 -> buf.getUnsignedByte(index);
            case 2 -> buf.getUnsignedShort(index);
            case 3 -> buf.getUnsignedMedium(index);
            default -> buf.getUnsignedInt(index);
        };
    }

    private static int nalType(byte header, boolean h265) {
        return h265 ? header >> 1 & 0x3f : header & 0x1f;
    }

    private static int streamType(Elementary es) {
        return es == null ? -1 : es.streamType;
    }

    /** One configured elementary stream: its track, stream type and what was converted once from its format. */
    private static final class Elementary {
        final int trackId;
        final TrackFormat format;
        final int streamType;
        final int nalUnitLength;
        final byte[] parameterSets;
        final AudioSpecificConfig asc;

        private Elementary(int trackId, TrackFormat format, int streamType, int nalUnitLength, byte[] parameterSets,
                AudioSpecificConfig asc) {
            this.trackId = trackId;
            this.format = format;
            this.streamType = streamType;
            this.nalUnitLength = nalUnitLength;
            this.parameterSets = parameterSets;
            this.asc = asc;
        }

        static Elementary of(int trackId, TrackFormat format) {
            ByteBuf config = format.config();
            if (!format.hasConfig() && format.type() == MediaType.VIDEO) {
                return new Elementary(trackId, format, format.codec() == Codec.H265 ? STREAM_TYPE_H265
                        : STREAM_TYPE_H264, 4, new byte[0], null);
            }
            return switch (format.codec()) {
                case H264 -> {
                    AvcDecoderConfigurationRecord avc = AvcDecoderConfigurationRecord.parse(config);
                    yield new Elementary(trackId, format, STREAM_TYPE_H264, avc.nalUnitLength(),
                            annexB(avc.sps(), avc.pps(), List.of()), null);
                }
                case H265 -> {
                    HevcDecoderConfigurationRecord hevc = HevcDecoderConfigurationRecord.parse(config);
                    yield new Elementary(trackId, format, STREAM_TYPE_H265, hevc.nalUnitLength(),
                            annexB(hevc.vps(), hevc.sps(), hevc.pps()), null);
                }
                case AAC -> {
                    yield new Elementary(trackId, format, STREAM_TYPE_AAC_ADTS, 0, null,
                            AudioSpecificConfig.parse(config));
                }
                case MP3 -> {
                    int rate = format.audio().map(p -> p.sampleRate()).orElse(44_100);
                    yield new Elementary(trackId, format,
                            rate < 32_000 ? STREAM_TYPE_MPEG2_AUDIO : STREAM_TYPE_MPEG1_AUDIO, 0, null, null);
                }
                default -> throw new IllegalArgumentException(format.codec() + " is not carried in MPEG-TS");
            };
        }

        private static byte[] annexB(List<byte[]> first, List<byte[]> second, List<byte[]> third) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (List<byte[]> units : List.of(first, second, third)) {
                for (byte[] unit : units) {
                    b.writeBytes(new byte[] {0, 0, 0, 1});
                    b.writeBytes(unit);
                }
            }
            return b.toByteArray();
        }
    }
}
