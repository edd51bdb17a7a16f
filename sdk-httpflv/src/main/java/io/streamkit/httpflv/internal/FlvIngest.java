package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h264.H264AccessUnits;
import io.streamkit.codec.h265.H265AccessUnits;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the tags of an FLV stream into a publisher's tracks, frames and metadata, with core's
 * tag parsers ({@link FlvVideoTag#parseTracks}, {@link FlvAudioTag#parseTracks}): legacy AVC,
 * AAC and MP3 tags and Enhanced FLV ones (HEVC, AV1, VP9, Opus, multitrack) alike.
 *
 * <p><b>Tracks.</b> A track is added at its sequence header (MP3, which has none, at its first
 * frame), one per media and Enhanced RTMP track id, so each track of a multitrack stream is a
 * track of the publisher. A repeated, identical sequence header changes nothing; a different one
 * updates the track's format. Frames that come before their track's sequence header, and empty
 * ones, are dropped and counted. The engine's track limit is a {@link MediaFormatException} here.
 *
 * <p><b>Frames.</b> Timestamps are the tag's milliseconds (32 bits: Timestamp and
 * TimestampExtended) times 1000, the composition time added for the presentation time; the
 * engine repairs wraps and jumps. Payloads are retained slices of the tag body, never copies.
 * H.264 and H.265 keyframes follow the bitstream (an IDR slice, an IRAP picture), as the
 * publisher's contract asks, whatever the tag's frame type says; other codecs keep the tag's flag.
 *
 * <p><b>Metadata.</b> A script tag {@code onMetaData} (or {@code @setDataFrame, onMetaData})
 * with an object or ECMA array becomes the stream's metadata; other script tags, and malformed
 * AMF, are skipped: metadata is harmless to lose, and a pull is not ended for it.
 *
 * <p>Not thread-safe: the connection's event loop calls it.
 */
final class FlvIngest {
    private static final Logger log = LoggerFactory.getLogger(FlvIngest.class);

    private final Publisher publisher;
    private final Map<Integer, Input> inputs = new HashMap<>(8);
    private final List<FlvVideoTag> videoTags = new ArrayList<>(2);
    private final List<FlvAudioTag> audioTags = new ArrayList<>(2);
    private long framesDropped;
    private long scriptTagsSkipped;

    /** One of the publisher's tracks and what reading its frames needs. */
    private static final class Input {
        final Track track;
        int nalUnitLength;   // of the configuration record; 0 when neither H.264 nor H.265

        Input(Track track) {
            this.track = track;
        }
    }

    FlvIngest(Publisher publisher) {
        this.publisher = publisher;
    }

    Publisher publisher() {
        return publisher;
    }

    /** Whether a track has been added: the stream is playable. */
    boolean hasTracks() {
        return !inputs.isEmpty();
    }

    /** Frames dropped: empty ones, and those that came before their track's sequence header. */
    long framesDropped() {
        return framesDropped;
    }

    /** Script tags that were not {@code onMetaData} or whose AMF was malformed. */
    long scriptTagsSkipped() {
        return scriptTagsSkipped;
    }

    /**
     * Takes one tag; the tag is borrowed, not released. Unknown tag types are skipped, as
     * players skip them.
     *
     * @throws MediaFormatException when an audio or video tag is malformed, names a codec
     *     Streamkit does not carry, changes codec without a sequence header, or adds a track
     *     past the engine's limit
     */
    void tag(FlvTag tag) {
        switch (tag.type()) {
            case FlvTagHeader.TYPE_VIDEO -> video(tag.body(), tag.timestamp());
            case FlvTagHeader.TYPE_AUDIO -> audio(tag.body(), tag.timestamp());
            case FlvTagHeader.TYPE_SCRIPT -> script(tag.body());
            default -> {
                // an unknown TagType: nothing a player reads
            }
        }
    }

    private void video(ByteBuf body, long timestampMs) {
        videoTags.clear();
        FlvVideoTag.parseTracks(body, videoTags);
        for (int i = 0; i < videoTags.size(); i++) {
            FlvVideoTag t = videoTags.get(i);
            if (t.kind() == FlvPacketKind.CONFIG) {
                configure(MediaType.VIDEO, t.trackId(), TrackFormat.of(t.codec(), t.payload(body)));
            } else if (t.kind() == FlvPacketKind.FRAME) {
                Input in = frameInput(MediaType.VIDEO, t.trackId(), t.codec(), t.payloadLength());
                if (in != null) {
                    ByteBuf payload = t.payload(body);
                    boolean keyframe = switch (t.codec()) {
                        case H264 -> H264AccessUnits.isRandomAccessPoint(payload, in.nalUnitLength);
                        case H265 -> H265AccessUnits.isRandomAccessPoint(payload, in.nalUnitLength);
                        default -> t.keyframe();
                    };
                    long dts = timestampMs * 1000;
                    publisher.write(in.track, dts, dts + t.compositionTime() * 1000L, keyframe, t.retainedPayload(body));
                }
            }
            // END_OF_SEQUENCE, IGNORED: nothing for the engine
        }
        videoTags.clear();
    }

    private void audio(ByteBuf body, long timestampMs) {
        audioTags.clear();
        FlvAudioTag.parseTracks(body, audioTags);
        for (int i = 0; i < audioTags.size(); i++) {
            FlvAudioTag t = audioTags.get(i);
            if (t.kind() == FlvPacketKind.CONFIG) {
                configure(MediaType.AUDIO, t.trackId(), TrackFormat.of(t.codec(), t.payload(body)));
            } else if (t.kind() == FlvPacketKind.FRAME) {
                if (!t.codec().requiresConfig() && t.payloadLength() > 0
                        && !inputs.containsKey(key(MediaType.AUDIO, t.trackId()))) {
                    configure(MediaType.AUDIO, t.trackId(), t.formatWithoutConfig());   // MP3, G.711: no sequence header
                }
                Input in = frameInput(MediaType.AUDIO, t.trackId(), t.codec(), t.payloadLength());
                if (in != null) {
                    long dts = timestampMs * 1000;
                    publisher.write(in.track, dts, dts, true, t.retainedPayload(body));
                }
            }
        }
        audioTags.clear();
    }

    /** The track a frame goes to, or {@code null} (counted) when it has none yet or the frame is empty. */
    private Input frameInput(MediaType media, int trackId, Codec codec, int payloadLength) {
        Input in = inputs.get(key(media, trackId));
        if (in == null || payloadLength == 0) {
            framesDropped++;
            return null;
        }
        if (in.track.codec() != codec) {
            throw new MediaFormatException(media.name().toLowerCase(java.util.Locale.ROOT) + " track " + trackId
                    + ": a " + codec + " frame on a " + in.track.codec() + " track without a new sequence header");
        }
        return in;
    }

    private void configure(MediaType media, int trackId, TrackFormat format) {
        int key = key(media, trackId);
        Input in = inputs.get(key);
        if (in == null) {
            try {
                in = new Input(publisher.addTrack(format));
            } catch (IllegalStateException tooMany) {
                throw new MediaFormatException(media.name().toLowerCase(java.util.Locale.ROOT) + " track " + trackId
                        + ": " + tooMany.getMessage(), tooMany);
            }
            inputs.put(key, in);
        } else if (!in.track.format().equals(format)) {
            publisher.updateTrack(in.track, format);
        }
        in.nalUnitLength = switch (format.codec()) {
            case H264 -> AvcDecoderConfigurationRecord.parse(format.config()).nalUnitLength();
            case H265 -> HevcDecoderConfigurationRecord.parse(format.config()).nalUnitLength();
            default -> 0;
        };
    }

    private static int key(MediaType media, int trackId) {
        return media.ordinal() << 8 | trackId;
    }

    private void script(ByteBuf body) {
        List<Object> values;
        try {
            values = Amf0Reader.readAll(body.duplicate());
        } catch (MediaFormatException e) {
            if (scriptTagsSkipped++ == 0) {
                log.debug("stream {}: script tag skipped: {}", publisher.key(), e.getMessage());
            }
            return;
        }
        int i = !values.isEmpty() && "@setDataFrame".equals(values.get(0)) ? 1 : 0;
        if (i + 1 < values.size() && "onMetaData".equals(values.get(i)) && values.get(i + 1) instanceof Map<?, ?> map) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            map.forEach((k, v) -> metadata.put(String.valueOf(k), v));
            publisher.updateMetadata(metadata);
        } else {
            scriptTagsSkipped++;
        }
    }
}
