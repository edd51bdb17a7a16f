package io.streamkit.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV fixture of one video and one audio track read into a publisher's tracks and frames
 * (not written to the engine): for tests of muxers, which need real media with real
 * configuration records. {@link #close()} releases the frames.
 *
 * @param video the video track, added to the publisher from the fixture's sequence header
 * @param audio the audio track, likewise
 * @param frames the frames, in file order, each owning its payload
 */
public record FlvFixture(Track video, Track audio, List<MediaFrame> frames) implements AutoCloseable {

    /** The 2 s H.264 + AAC fixture: 160x120, 50 video and 88 audio frames. */
    public static final String H264_AAC = "/format/flv/h264-aac-160x120-2s.flv";

    /**
     * Reads a fixture.
     *
     * @param resource the fixture's class path resource
     * @param publisher where the tracks are added
     * @return the tracks and frames
     */
    public static FlvFixture load(String resource, Publisher publisher) {
        byte[] flv;
        try (InputStream in = FlvFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            flv = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Track video = null;
        Track audio = null;
        List<MediaFrame> frames = new ArrayList<>();
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(flv));
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf body = tag.body();
                    long ms = tag.timestamp();
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        FlvVideoTag v = FlvVideoTag.parse(body);
                        if (v.kind() == FlvPacketKind.CONFIG) {
                            video = publisher.addTrack(TrackFormat.of(v.codec(), v.payload(body)));
                        } else if (v.kind() == FlvPacketKind.FRAME) {
                            frames.add(MediaFrame.of(video, ms * 1000, (ms + v.compositionTime()) * 1000, v.keyframe(),
                                    v.retainedPayload(body)));
                        }
                    } else if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
                        FlvAudioTag a = FlvAudioTag.parse(body);
                        if (a.kind() == FlvPacketKind.CONFIG) {
                            audio = publisher.addTrack(TrackFormat.of(a.codec(), a.payload(body)));
                        } else if (a.kind() == FlvPacketKind.FRAME) {
                            frames.add(MediaFrame.of(audio, ms * 1000, ms * 1000, true, a.retainedPayload(body)));
                        }
                    }
                } finally {
                    tag.release();
                }
            }
        } catch (RuntimeException e) {
            frames.forEach(MediaFrame::release);
            throw e;
        }
        return new FlvFixture(video, audio, frames);
    }

    @Override
    public void close() {
        frames.forEach(MediaFrame::release);
    }
}
