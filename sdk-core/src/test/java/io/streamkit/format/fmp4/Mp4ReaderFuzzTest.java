package io.streamkit.format.fmp4;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link Mp4Reader} on a progressive file's {@code moov} (H.264 with composition offsets
 * and AAC starting later, so with an edit list; written by {@link Fmp4Writer}) cut where the
 * input picks and with bytes the input picks overwritten: what a damaged or foreign recording
 * hands the stitcher.
 *
 * <p>Properties: the reader returns or throws {@link MediaFormatException}, nothing else; a
 * track never has more samples than its {@code stsz} box has four-byte entries for, and every
 * sample's offset is not negative. Input: an int for the cut, then (position, byte) pairs.
 */
class Mp4ReaderFuzzTest {
    private static final byte[] MOOV = moov();

    private static byte[] moov() {
        Track video = new FixedTrack(1, TestMedia.h264());
        Track audio = new FixedTrack(2, TestMedia.aac());
        Fmp4Writer writer = new Fmp4Writer(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        writer.writeInit(out);
        for (int fragment = 0; fragment < 3; fragment++) {
            List<MediaFrame> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long t = (fragment * 6 + i) * 40_000L;
                frames.add(MediaFrame.of(video, t, t + 80_000, i == 0, TestMedia.payload(t, 60 + i)));
                frames.add(MediaFrame.of(audio, t + 20_000, t + 20_000, true, TestMedia.payload(t + 1, 20)));
            }
            writer.writeFragment(out, frames);
            frames.forEach(MediaFrame::release);
        }
        out.clear();
        writer.writeProgressiveHead(out);
        int ftyp = out.getInt(0);
        int moov = out.getInt(ftyp);
        byte[] bytes = new byte[moov];
        out.getBytes(ftyp, bytes);
        out.release();
        return bytes;
    }

    @FuzzTest
    void read(FuzzedDataProvider data) {
        byte[] moov = MOOV.clone();
        int length = data.consumeInt(0, moov.length);
        while (data.remainingBytes() >= 5) {
            moov[data.consumeInt(0, moov.length - 1)] = data.consumeByte();
        }
        Mp4Reader reader;
        try {
            reader = Mp4Reader.read(Unpooled.wrappedBuffer(moov, 0, length));
        } catch (MediaFormatException e) {
            return;
        }
        for (int t = 0; t < reader.tracks().size(); t++) {
            assertTrue(reader.samples(t) * 4L <= length, reader.samples(t) + " samples from " + length + " bytes");
            for (int i = 0; i < reader.samples(t); i++) {
                assertTrue(reader.offset(t, i) >= 0, "offset " + reader.offset(t, i));
            }
        }
    }

    /** A track of a fixed format, for writing the file. */
    private record FixedTrack(int id, TrackFormat format) implements Track {
        @Override
        public StreamKey stream() {
            return StreamKey.of("fuzz", "mp4");
        }

        @Override
        public TrackStats stats() {
            return new TrackStats(0, 0, 0, 0, 0);
        }
    }
}
