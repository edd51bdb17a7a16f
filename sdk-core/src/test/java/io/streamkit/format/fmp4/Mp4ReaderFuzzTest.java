package io.streamkit.format.fmp4;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

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
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Writer writer = Fmp4Fixtures.write(80_000, 20_000, out);
            out.clear();
            writer.writeProgressiveHead(out);
            int ftyp = out.getInt(0);
            byte[] bytes = new byte[out.getInt(ftyp)];
            out.getBytes(ftyp, bytes);
            return bytes;
        } finally {
            out.release();
        }
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
}
