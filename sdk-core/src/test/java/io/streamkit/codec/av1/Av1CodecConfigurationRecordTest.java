package io.streamkit.codec.av1;

import static io.streamkit.codec.Fixtures.assertBytes;
import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static io.streamkit.codec.Fixtures.read;
import static io.streamkit.codec.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real libaom and SVT-AV1 configurations from make-fixtures.sh, and hand-made sequence headers. */
class Av1CodecConfigurationRecordTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,                     width, height, fps, level, depth
        "av1-aom-320x240-25.av1C,         320,  240,   25, 2.0,   8",
        // SVT-AV1 leaves timing info out, so no frame rate.
        "av1-svt10-642x362-30.av1C,       642,  362,    0, 2.1,  10",
    })
    void parsesRealConfigurations(String fixture, int width, int height, double fps, String level, int bitDepth) {
        Av1CodecConfigurationRecord av1c = parse(read(fixture), Av1CodecConfigurationRecord::parse);
        assertEquals(new VideoParameters(width, height, fps, "Main", level, bitDepth), av1c.videoParameters());
        assertEquals(0, av1c.seqProfile());
        assertEquals(bitDepth, av1c.bitDepth());
        assertTrue(av1c.chromaSubsamplingX());
        assertTrue(av1c.chromaSubsamplingY());
        assertFalse(av1c.monochrome());
        Av1SequenceHeader sh = av1c.sequenceHeader();
        assertEquals(av1c.seqLevelIdx0(), sh.seqLevelIdx());
        assertEquals(av1c.bitDepth(), sh.bitDepth());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"av1-aom-320x240-25.av1C", "av1-svt10-642x362-30.av1C"})
    void roundTripsByteForByte(String fixture) {
        byte[] original = read(fixture);
        Av1CodecConfigurationRecord av1c = parse(original, Av1CodecConfigurationRecord::parse);
        assertBytes(original, write(av1c::writeTo));
        // Rebuilt from the sequence header OBU alone, the fixed part is what the muxer wrote.
        Av1CodecConfigurationRecord rebuilt = Av1CodecConfigurationRecord.of(av1c.configObus());
        assertBytes(original, write(rebuilt::writeTo));
        assertEquals(av1c, rebuilt);
    }

    @Test
    void withoutConfigObusReportsFixedPartOnly() {
        Av1CodecConfigurationRecord av1c = parse(hex("81 4d 60 00"), Av1CodecConfigurationRecord::parse);
        assertNull(av1c.sequenceHeader());
        assertEquals(new VideoParameters(0, 0, 0, "Professional", "5.1", 12), av1c.videoParameters());
        assertBytes(hex("81 4d 60 00"), write(av1c::writeTo));
    }

    @Test
    void keepsInitialPresentationDelay() {
        byte[] bytes = Arrays.copyOf(read("av1-aom-320x240-25.av1C"), 26);
        bytes[3] = 0x1a;
        Av1CodecConfigurationRecord av1c = parse(bytes, Av1CodecConfigurationRecord::parse);
        assertEquals(11, av1c.initialPresentationDelay());
        assertBytes(bytes, write(av1c::writeTo));
    }

    @Test
    void parsesProfessionalTwelveBitWithDecoderModelAndOperatingPoints() {
        BitWriter w = new BitWriter();
        w.writeBits(2, 3).writeFlag(false).writeFlag(false); // profile 2, not still, full header
        w.writeFlag(true).writeBits(1001, 32).writeBits(60000, 32).writeFlag(true); // timing, equal interval
        w.writeBits(0b010, 3); // uvlc 1: two ticks per picture
        w.writeFlag(true).writeBits(9, 5).writeBits(90000, 32).writeBits(4, 5).writeBits(4, 5); // decoder model
        w.writeFlag(true); // initial_display_delay_present_flag
        w.writeBits(1, 5); // two operating points
        w.writeBits(0x101, 12).writeBits(13, 5).writeFlag(true); // level 5.1, High tier
        w.writeFlag(true).writeBits(0, 10).writeBits(0, 10).writeFlag(false); // operating parameters
        w.writeFlag(true).writeBits(3, 4);
        w.writeBits(0x103, 12).writeBits(4, 5); // level 3.0, no tier bit
        w.writeFlag(false).writeFlag(false);
        w.writeBits(11, 4).writeBits(11, 4).writeBits(4095, 12).writeBits(2159, 12); // 4096x2160
        w.writeFlag(true).writeBits(0, 7); // frame id numbers
        w.writeBits(0, 3).writeBits(0, 4).writeFlag(true).writeBits(0, 2); // order hint
        w.writeFlag(false).writeBits(1, 1).writeFlag(true); // screen content forced, integer mv chosen
        w.writeBits(6, 3).writeBits(0, 3);
        w.writeFlag(true).writeFlag(true); // high_bitdepth, twelve_bit
        w.writeFlag(false).writeFlag(false); // not mono, no colour description
        w.writeFlag(false).writeFlag(true).writeFlag(false); // range, subsampling 1 0: 4:2:2
        w.writeBits(0, 8);
        Av1SequenceHeader sh = Av1SequenceHeader.parsePayload(w.toByteArray());
        assertEquals(new VideoParameters(4096, 2160, 30000 / 1001.0, "Professional", "5.1", 12),
                sh.videoParameters());
        assertTrue(sh.seqTier());
        assertTrue(sh.subsamplingX());
        assertFalse(sh.subsamplingY());
    }

    @Test
    void parsesReducedStillPictureHeaderMonochrome() {
        BitWriter w = new BitWriter();
        w.writeBits(0, 3).writeFlag(true).writeFlag(true).writeBits(8, 5); // still, reduced, level 4.0
        w.writeBits(9, 4).writeBits(9, 4).writeBits(639, 10).writeBits(479, 10);
        w.writeBits(0, 3).writeBits(0, 3); // superblock flags, superres/cdef/restoration
        w.writeFlag(true).writeFlag(true).writeFlag(false).writeFlag(false); // 10-bit, mono
        w.writeBits(0, 8);
        byte[] payload = w.toByteArray();
        byte[] obu = new byte[payload.length + 2];
        obu[0] = 0x0a;
        obu[1] = (byte) payload.length;
        System.arraycopy(payload, 0, obu, 2, payload.length);
        Av1CodecConfigurationRecord av1c = Av1CodecConfigurationRecord.of(obu);
        assertEquals(new VideoParameters(640, 480, 0, "Main", "4.0", 10), av1c.videoParameters());
        assertTrue(av1c.monochrome());
        assertTrue(av1c.sequenceHeader().stillPicture());
    }

    @ParameterizedTest
    @CsvSource({"0, 2.0", "1, 2.1", "5, 3.1", "13, 5.1", "23, 7.3", "31, Max"})
    void namesLevels(int idx, String name) {
        assertEquals(name, Av1SequenceHeader.levelName(idx));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "too short,                 '81 00 0c'",
        "marker 0,                  '01 00 0c 00'",
        "version 2,                 '82 00 0c 00'",
        "OBU forbidden bit,         '81 00 0c 00 8a 01 00'",
        "OBU size past end,         '81 00 0c 00 0a 14 00 00'",
        "OBU size leb128 cut,       '81 00 0c 00 0a 80'",
        "OBU size leb128 9 bytes,   '81 00 0c 00 0a 80 80 80 80 80 80 80 80 01'",
        "OBU extension cut,         '81 00 0c 00 0e'",
        "sequence header cut,       '81 00 0c 00 0a 02 00 00'",
        "seq_profile 3,             '81 00 0c 00 0a 01 60'",
        "uvlc overrun,              '81 00 0c 00 0a 0e 04 00 00 00 04 00 00 00 66 00 00 00 00 00'",
    })
    void rejectsMalformedRecords(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> parse(hex(bytes), Av1CodecConfigurationRecord::parse), name);
    }

    @Test
    void rejectsObuWithoutSequenceHeader() {
        // A metadata OBU (type 5) only.
        assertThrows(MediaFormatException.class, () -> Av1CodecConfigurationRecord.of(hex("2a 01 00")));
    }
}
