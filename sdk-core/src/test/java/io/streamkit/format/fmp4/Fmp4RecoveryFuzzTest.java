package io.streamkit.format.fmp4;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import io.streamkit.test.TestMedia;

/**
 * Fuzzes {@link Fmp4Recovery} on what a crash, a full disk or a stranger leaves in a recording's
 * place: a real fragmented file (H.264 and AAC, three fragments, written by {@link Fmp4Writer}
 * from test media) cut at a point the input picks and with bytes the input picks overwritten.
 *
 * <p>Properties: recovery returns a writer or throws {@link MediaFormatException}, nothing else;
 * what it returns describes media inside the input (every range within it, whole fragments
 * only, ending at or before {@link Fmp4Writer#writtenBytes()}), and its progressive head is
 * written without an exception. Input: an int for the cut, then (position, byte) pairs.
 */
class Fmp4RecoveryFuzzTest {
    private static final byte[] FILE = Fmp4Fixtures.fragmented(40_000, 0);

    @FuzzTest
    void recover(FuzzedDataProvider data) {
        byte[] file = FILE.clone();
        int length = data.consumeInt(0, file.length);
        while (data.remainingBytes() >= 5) {
            file[data.consumeInt(0, file.length - 1)] = data.consumeByte();
        }
        ByteBuf input = Unpooled.wrappedBuffer(file, 0, length);
        Fmp4Writer writer;
        try {
            writer = Fmp4Recovery.recover(input);
        } catch (MediaFormatException e) {
            return;
        }
        assertTrue(writer.writtenBytes() <= length, "recovered " + writer.writtenBytes() + " of " + length + " bytes");
        for (long[] range : writer.mediaRanges()) {
            assertTrue(range[0] >= 0 && range[1] >= 0 && range[0] + range[1] <= writer.writtenBytes(),
                    "media at " + range[0] + " + " + range[1] + " past " + writer.writtenBytes());
        }
        ByteBuf head = Unpooled.buffer();
        try {
            writer.writeProgressiveHead(head);
        } finally {
            head.release();
        }
    }

    static {
        // the recovered tracks' formats must parse: keep the fixture's codecs in step with the writer's table
        assertTrue(TestMedia.h264().codec() == Codec.H264 && TestMedia.aac().codec() == Codec.AAC);
    }
}
