package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns one published RTMP stream's messages into tracks, frames and metadata: each audio
 * or video message body is an FLV tag body (legacy or Enhanced RTMP); its payload becomes
 * a frame's payload as a slice, without a copy. Runs on the connection's event loop.
 */
final class RtmpIngest {
    private final Publisher publisher;
    private Track video;
    private Track audio;
    private long framesBeforeConfig;

    RtmpIngest(Publisher publisher) {
        this.publisher = publisher;
    }

    Publisher publisher() {
        return publisher;
    }

    /** Whether a track has been added: the stream is playable. */
    boolean hasTracks() {
        return video != null || audio != null;
    }

    /** Frames dropped because their track's configuration had not arrived. */
    long framesBeforeConfig() {
        return framesBeforeConfig;
    }

    /**
     * Takes a video message body (not released here).
     *
     * @throws MediaFormatException when the body is malformed or its codec unsupported
     */
    void video(ByteBuf body, long timestampMs) {
        FlvVideoTag tag = FlvVideoTag.parse(body);
        switch (tag.kind()) {
            case CONFIG -> {
                TrackFormat format = TrackFormat.of(tag.codec(), tag.payload(body));
                if (video == null) {
                    video = publisher.addTrack(format);
                } else {
                    publisher.updateTrack(video, format);
                }
            }
            case FRAME -> {
                if (video == null || tag.payloadLength() == 0) {
                    framesBeforeConfig++;
                    return;
                }
                if (video.codec() != tag.codec()) {
                    throw new MediaFormatException("video frame of codec " + tag.codec() + " on a " + video.codec()
                            + " track without a new sequence header");
                }
                long dts = timestampMs * 1000;
                publisher.write(video, dts, dts + tag.compositionTime() * 1000L, tag.keyframe(), tag.retainedPayload(body));
            }
            default -> {
                // end of sequence, metadata, ignored: nothing for the engine
            }
        }
    }

    /**
     * Takes an audio message body (not released here).
     *
     * @throws MediaFormatException when the body is malformed or its codec unsupported
     */
    void audio(ByteBuf body, long timestampMs) {
        FlvAudioTag tag = FlvAudioTag.parse(body);
        if (tag.kind() == FlvPacketKind.CONFIG) {
            TrackFormat format = TrackFormat.of(tag.codec(), tag.payload(body));
            if (audio == null) {
                audio = publisher.addTrack(format);
            } else {
                publisher.updateTrack(audio, format);
            }
            return;
        }
        if (tag.kind() != FlvPacketKind.FRAME || tag.payloadLength() == 0) {
            return;
        }
        if (audio == null) {
            if (tag.codec().requiresConfig()) {
                framesBeforeConfig++;
                return;
            }
            audio = publisher.addTrack(TrackFormat.of(tag.codec()));   // MP3: every frame carries its own header
        }
        long dts = timestampMs * 1000;
        publisher.write(audio, dts, dts, true, tag.retainedPayload(body));
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
