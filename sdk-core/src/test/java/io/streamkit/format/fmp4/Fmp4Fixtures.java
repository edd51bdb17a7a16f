package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;

/**
 * The small files the fMP4 fuzz targets start from: an H.264 and an AAC track from test media,
 * three fragments of six frames each, a keyframe starting each fragment.
 */
final class Fmp4Fixtures {
    private Fmp4Fixtures() {
    }

    /**
     * Writes the fixture's fragments.
     *
     * @param ctsMicros each video frame's composition offset
     * @param audioMicros how far each audio frame comes after its video frame
     * @param out where the init segment and fragments go
     * @return the writer that wrote them
     */
    static Fmp4Writer write(long ctsMicros, long audioMicros, ByteBuf out) {
        Track video = new FixedTrack(1, TestMedia.h264());
        Track audio = new FixedTrack(2, TestMedia.aac());
        Fmp4Writer writer = new Fmp4Writer(List.of(video, audio));
        writer.writeInit(out);
        for (int fragment = 0; fragment < 3; fragment++) {
            List<MediaFrame> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long t = (fragment * 6 + i) * 40_000L;
                frames.add(MediaFrame.of(video, t, t + ctsMicros, i == 0, TestMedia.payload(t, 60 + i)));
                frames.add(MediaFrame.of(audio, t + audioMicros, t + audioMicros, true, TestMedia.payload(t + 1, 20)));
            }
            writer.writeFragment(out, frames);
            frames.forEach(MediaFrame::release);
        }
        return writer;
    }

    /** The fragmented file as bytes. */
    static byte[] fragmented(long ctsMicros, long audioMicros) {
        ByteBuf out = Unpooled.buffer();
        try {
            write(ctsMicros, audioMicros, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    /** A track of a fixed format, for writing the file. */
    record FixedTrack(int id, TrackFormat format) implements Track {
        @Override
        public StreamKey stream() {
            return StreamKey.of("fuzz", "fmp4");
        }

        @Override
        public TrackStats stats() {
            return new TrackStats(0, 0, 0, 0, 0);
        }
    }
}
