package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h264.H264AccessUnits;
import io.streamkit.codec.h265.H265AccessUnits;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one published RTMP stream's messages into tracks, frames and metadata: each audio
 * or video message body is an FLV tag body (legacy or Enhanced RTMP); its payload becomes
 * a frame's payload as a slice, without a copy. Runs on the connection's event loop.
 *
 * <p><b>Tracks.</b> Every track of an Enhanced RTMP multitrack publish becomes an engine
 * track, not only track 0: a plain message is track 0, a multitrack message names its tracks
 * (FFmpeg 8 sends tracks 1 and up as one-track multitrack messages). Tracks are added in the
 * order their sequence headers (or, for MP3, first frames) come, so the first of each media,
 * which players without multitrack get, is the publisher's track 0 when it announces that
 * first, as encoders do. The engine's track limit bounds how many a publisher may add; past
 * it the publish fails with the reason.
 *
 * <p><b>Keyframes.</b> For H.264 and H.265 a frame is a keyframe when its bitstream says a
 * decoder can start there, whatever the FLV frame type says: an H.264 access unit with an
 * IDR slice, an H.265 access unit with an IRAP picture ({@link H264AccessUnits},
 * {@link H265AccessUnits}, over the NAL unit length size of the track's configuration
 * record). Encoders flag non-IDR frames as keyframes (x264 with intra refresh or an open
 * GOP flags its recovery points), and an HLS segment or a GOP cache that starts on one
 * starts players on a picture they cannot decode; a few flag no frame at all. The walk
 * reads NAL unit headers only and allocates nothing. The first disagreement with the FLV
 * flag of a stream is logged once. Other codecs keep the FLV flag.
 */
final class RtmpIngest {
    private static final Logger log = LoggerFactory.getLogger(RtmpIngest.class);

    private final Publisher publisher;
    private final Map<Integer, In> videoTracks = new HashMap<>(4);
    private final Map<Integer, In> audioTracks = new HashMap<>(4);
    private final List<FlvVideoTag> videoTags = new ArrayList<>(2);
    private final List<FlvAudioTag> audioTags = new ArrayList<>(2);
    private long framesBeforeConfig;
    private long keyframeFlagsCorrected;

    /** One of the publisher's tracks, by its Enhanced RTMP track id. */
    private static final class In {
        final Track track;
        int nalUnitLength;   // of the configuration record; 0 when not H.264/H.265

        In(Track track) {
            this.track = track;
        }
    }

    RtmpIngest(Publisher publisher) {
        this.publisher = publisher;
    }

    Publisher publisher() {
        return publisher;
    }

    /** Whether a track has been added: the stream is playable. */
    boolean hasTracks() {
        return !videoTracks.isEmpty() || !audioTracks.isEmpty();
    }

    /** Frames dropped because their track's configuration had not arrived. */
    long framesBeforeConfig() {
        return framesBeforeConfig;
    }

    /** Video frames whose FLV keyframe flag the bitstream contradicted, in either direction. */
    long keyframeFlagsCorrected() {
        return keyframeFlagsCorrected;
    }

    /**
     * Takes a video message body (not released here): every track it carries.
     *
     * @throws MediaFormatException when the body is malformed, its codec unsupported, or it
     *     adds a track past the stream's limit
     */
    void video(ByteBuf body, long timestampMs) {
        videoTags.clear();
        FlvVideoTag.parseTracks(body, videoTags);
        for (int i = 0; i < videoTags.size(); i++) {
            video(body, videoTags.get(i), timestampMs);
        }
        videoTags.clear();
    }

    private void video(ByteBuf body, FlvVideoTag tag, long timestampMs) {
        switch (tag.kind()) {
            case CONFIG -> {
                TrackFormat format = TrackFormat.of(tag.codec(), tag.payload(body));
                int lengthSize = nalUnitLength(format);
                In in = videoTracks.get(tag.trackId());
                if (in == null) {
                    in = new In(addTrack(format, "video", tag.trackId()));
                    videoTracks.put(tag.trackId(), in);
                } else {
                    publisher.updateTrack(in.track, format);
                }
                in.nalUnitLength = lengthSize;
            }
            case FRAME -> {
                In in = videoTracks.get(tag.trackId());
                if (in == null || tag.payloadLength() == 0) {
                    framesBeforeConfig++;
                    return;
                }
                if (in.track.codec() != tag.codec()) {
                    throw new MediaFormatException("video frame of codec " + tag.codec() + " on a " + in.track.codec()
                            + " track without a new sequence header");
                }
                long dts = timestampMs * 1000;
                ByteBuf payload = tag.retainedPayload(body);
                boolean keyframe = switch (tag.codec()) {
                    case H264 -> H264AccessUnits.isRandomAccessPoint(payload, in.nalUnitLength);
                    case H265 -> H265AccessUnits.isRandomAccessPoint(payload, in.nalUnitLength);
                    default -> tag.keyframe();
                };
                if (keyframe != tag.keyframe() && keyframeFlagsCorrected++ == 0) {
                    String point = tag.codec() == Codec.H264 ? "IDR" : "IRAP picture";
                    log.info("stream {}: the {} frame at {} ms is flagged as {}; keyframes follow the bitstream "
                            + "from now on", publisher.key(), tag.codec(), timestampMs, keyframe
                            ? "an inter frame but holds an " + point : "a keyframe but holds no " + point);
                }
                publisher.write(in.track, dts, dts + tag.compositionTime() * 1000L, keyframe, payload);
            }
            default -> {
                // end of sequence, metadata, ignored: nothing for the engine
            }
        }
    }

    /** The NAL unit length size of an H.264 or H.265 configuration record; 0 for other codecs. */
    private static int nalUnitLength(TrackFormat format) {
        return switch (format.codec()) {
            case H264 -> AvcDecoderConfigurationRecord.parse(format.config()).nalUnitLength();
            case H265 -> HevcDecoderConfigurationRecord.parse(format.config()).nalUnitLength();
            default -> 0;
        };
    }

    /**
     * Takes an audio message body (not released here): every track it carries.
     *
     * @throws MediaFormatException when the body is malformed, its codec unsupported, or it
     *     adds a track past the stream's limit
     */
    void audio(ByteBuf body, long timestampMs) {
        audioTags.clear();
        FlvAudioTag.parseTracks(body, audioTags);
        for (int i = 0; i < audioTags.size(); i++) {
            audio(body, audioTags.get(i), timestampMs);
        }
        audioTags.clear();
    }

    private void audio(ByteBuf body, FlvAudioTag tag, long timestampMs) {
        if (tag.kind() == FlvPacketKind.CONFIG) {
            TrackFormat format = TrackFormat.of(tag.codec(), tag.payload(body));
            In in = audioTracks.get(tag.trackId());
            if (in == null) {
                audioTracks.put(tag.trackId(), new In(addTrack(format, "audio", tag.trackId())));
            } else {
                publisher.updateTrack(in.track, format);
            }
            return;
        }
        if (tag.kind() != FlvPacketKind.FRAME || tag.payloadLength() == 0) {
            return;
        }
        In in = audioTracks.get(tag.trackId());
        if (in == null) {
            if (tag.codec().requiresConfig()) {
                framesBeforeConfig++;
                return;
            }
            // MP3: every frame carries its own header; G.711: FLV's is 8 kHz
            in = new In(addTrack(tag.formatWithoutConfig(), "audio", tag.trackId()));
            audioTracks.put(tag.trackId(), in);
        }
        long dts = timestampMs * 1000;
        publisher.write(in.track, dts, dts, true, tag.retainedPayload(body));
    }

    /** Adds a track, turning the engine's track limit into the publisher's format error. */
    private Track addTrack(TrackFormat format, String media, int trackId) {
        try {
            return publisher.addTrack(format);
        } catch (IllegalStateException tooMany) {
            throw new MediaFormatException(media + " track " + trackId + ": " + tooMany.getMessage());
        }
    }

    /**
     * Takes a data message's values: {@code @setDataFrame, onMetaData, {...}} or {@code onMetaData, {...}}.
     *
     * @throws MediaFormatException when the AMF is malformed
     */
    void data(ByteBuf body) {
        List<Object> values = Amf0Reader.readAll(body.duplicate());
        int i = 0;
        if (i < values.size() && "@setDataFrame".equals(values.get(i))) {
            i++;
        }
        if (i + 1 < values.size() && "onMetaData".equals(values.get(i)) && values.get(i + 1) instanceof Map<?, ?> map) {
            Map<String, Object> meta = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> meta.put(String.valueOf(k), v));
            publisher.updateMetadata(meta);
        }
    }
}
