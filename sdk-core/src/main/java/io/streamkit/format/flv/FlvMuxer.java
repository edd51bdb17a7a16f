package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.AudioParameters;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a stream as an FLV file (Adobe FLV 10.1 annex E, with Enhanced RTMP's forms for H.265,
 * AV1, VP9 and Opus): the header, an {@code onMetaData} tag, each track's sequence header, then a
 * tag per frame, on a timeline that starts at 0 at the first frame. What a recording, a pusher of
 * files or any FLV output of a whole stream writes.
 *
 * <p>FLV holds one video and one audio track: the first of each in the list given are written,
 * frames of other tracks are skipped ({@link #writeFrame} returns 0). H.264 and AAC (and MP3) take
 * the legacy tag forms every FLV reader knows, the other codecs the enhanced ones.
 *
 * <p>Not thread-safe; frames are lent to {@link #writeFrame} and nothing is retained. Payloads are
 * copied into the output: this muxer is for files and bulk output, not for the players' shared
 * path, which sends slices of the payload.
 */
public final class FlvMuxer {
    private final Track video;
    private final Track audio;
    private long origin = Long.MIN_VALUE;

    /**
     * Creates a muxer for a stream's tracks.
     *
     * @param tracks the stream's tracks; the first video and the first audio one are written
     * @throws IllegalArgumentException when there is neither
     */
    public FlvMuxer(List<Track> tracks) {
        this.video = tracks.stream().filter(t -> t.format().type() == MediaType.VIDEO).findFirst().orElse(null);
        this.audio = tracks.stream().filter(t -> t.format().type() == MediaType.AUDIO).findFirst().orElse(null);
        if (video == null && audio == null) {
            throw new IllegalArgumentException("no video or audio track to write");
        }
    }

    /**
     * Writes what comes before the first frame: the FLV header with PreviousTagSize0, the
     * {@code onMetaData} tag (picture size, frame rate, codec ids, sample rate, channels) and the
     * tracks' sequence headers, all at time 0.
     *
     * @param out where to write
     */
    public void writeHeader(ByteBuf out) {
        FlvHeader.writeTo(out, audio != null, video != null);
        Amf0EcmaArray metadata = new Amf0EcmaArray();
        if (video != null) {
            TrackFormat format = video.format();
            format.video().ifPresent(v -> {
                metadata.put("width", (double) v.width());
                metadata.put("height", (double) v.height());
                if (v.frameRate() > 0) {
                    metadata.put("framerate", v.frameRate());
                }
            });
            metadata.put("videocodecid", codecId(format.codec()));
        }
        if (audio != null) {
            TrackFormat format = audio.format();
            AudioParameters a = audioParameters(format);
            metadata.put("audiocodecid", codecId(format.codec()));
            metadata.put("audiosamplerate", (double) a.sampleRate());
            // as the audio tags' sound type says: always stereo for AAC (FLV 10.1 E.4.2.1)
            metadata.put("stereo", format.codec() == Codec.AAC || a.channels() > 1);
        }
        int start = beginTag(out, FlvTagHeader.TYPE_SCRIPT, 0);
        Amf0Writer.writeAll(out, "onMetaData", metadata);
        endTag(out, start);
        for (Track track : new Track[] {video, audio}) {
            if (track == null || !track.format().hasConfig()) {
                continue;
            }
            TrackFormat format = track.format();
            boolean isVideo = track == video;
            start = beginTag(out, isVideo ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, 0);
            if (isVideo) {
                FlvTags.writeVideoSequenceStart(out, format.codec(), enhanced(format.codec()));
            } else {
                AudioParameters a = audioParameters(format);
                FlvTags.writeAudioHeader(out, format.codec(), a.sampleRate(), a.channels(), true);
            }
            format.writeConfig(out);
            endTag(out, start);
        }
    }

    /**
     * Writes a frame as one tag at its time from the first frame, in milliseconds.
     *
     * @param out where to write
     * @param frame the frame, lent
     * @return the tag's bytes with its PreviousTagSize; 0 for a frame of a track not written
     */
    public int writeFrame(ByteBuf out, MediaFrame frame) {
        Track track = frame.track();
        if (track != video && track != audio) {
            return 0;
        }
        if (origin == Long.MIN_VALUE) {
            origin = frame.dts();
        }
        long ms = Math.max(0, (frame.dts() - origin) / 1000);
        int at = out.writerIndex();
        int start = beginTag(out, track == video ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, ms);
        Codec codec = track.format().codec();
        if (track == video) {
            boolean enhanced = enhanced(codec);
            int cts = (int) Math.max(FlvTags.MIN_COMPOSITION_TIME, Math.min(FlvTags.MAX_COMPOSITION_TIME,
                    frame.compositionOffset() / 1000));
            FlvTags.writeVideoHeader(out, codec, frame.keyframe(),
                    enhanced && codec != Codec.H264 && codec != Codec.H265 ? 0 : cts, enhanced);
        } else {
            AudioParameters a = audioParameters(track.format());
            FlvTags.writeAudioHeader(out, codec, a.sampleRate(), a.channels(), false);
        }
        ByteBuf payload = frame.payload();
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        endTag(out, start);
        return out.writerIndex() - at;
    }

    private static boolean enhanced(Codec codec) {
        return !FlvTags.hasLegacyForm(codec, false);
    }

    private static AudioParameters audioParameters(TrackFormat format) {
        return format.audio().orElse(new AudioParameters(44_100, 2, ""));
    }

    /** The metadata's codec id: the legacy number (7 AVC, 10 AAC, 2 MP3, 7 and 8 G.711), else the FourCC as a number (Enhanced RTMP). */
    private static double codecId(Codec codec) {
        return switch (codec) {
            case H264 -> 7;
            case AAC -> 10;
            case MP3 -> 2;
            case PCMA -> 7;
            case PCMU -> 8;
            default -> {
                byte[] fourCc = codec.fourCc().getBytes(StandardCharsets.US_ASCII);
                yield (double) ((fourCc[0] & 0xFFL) << 24 | (fourCc[1] & 0xFF) << 16 | (fourCc[2] & 0xFF) << 8 | fourCc[3] & 0xFF);
            }
        };
    }

    private static int beginTag(ByteBuf out, int type, long ms) {
        int start = out.writerIndex();
        FlvTagHeader.write(out, type, 0, ms);
        return start;
    }

    /** Sets the tag's DataSize from what followed its header and appends its PreviousTagSize. */
    private static void endTag(ByteBuf out, int start) {
        int dataSize = out.writerIndex() - start - FlvTagHeader.SIZE;
        out.setMedium(start + FlvTagHeader.DATA_SIZE_OFFSET, dataSize);
        FlvTagHeader.writePreviousTagSize(out, dataSize);
    }
}
