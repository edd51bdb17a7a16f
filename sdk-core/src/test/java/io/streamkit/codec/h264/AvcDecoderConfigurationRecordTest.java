package io.streamkit.codec.h264;

import static io.streamkit.codec.Fixtures.assertBytes;
import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static io.streamkit.codec.Fixtures.read;
import static io.streamkit.codec.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real libx264 configurations from make-fixtures.sh, checked against what ffprobe reports. */
class AvcDecoderConfigurationRecordTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,                       width, height, fps, profile,                level, depth, chroma
        "h264-baseline-320x240-25.avcC,     320,  240, 25, Constrained Baseline,    1.3,  8, 1",
        "h264-main-1280x720-30.avcC,       1280,  720, 30, Main,                    3.1,  8, 1",
        "h264-high-642x362-25.avcC,         642,  362, 25, High,                    3,    8, 1",
        "h264-high10-320x240-30.avcC,       320,  240, 30, High 10,                 1.3, 10, 1",
        "h264-high422-322x242-25.avcC,      322,  242, 25, High 4:2:2,              1.3,  8, 2",
        "h264-high444-320x240-25.avcC,      320,  240, 25, High 4:4:4 Predictive,   1.3,  8, 3",
        "h264-gray-322x242-25.avcC,         322,  242, 25, High,                    1.3,  8, 0",
        "h264-interlaced-720x576-25.avcC,   720,  576, 25, High,                    3,    8, 1",
    })
    void parsesRealConfigurations(String fixture, int width, int height, double fps, String profile, String level,
            int bitDepth, int chroma) {
        AvcDecoderConfigurationRecord avcc = parse(read(fixture), AvcDecoderConfigurationRecord::parse);
        assertEquals(new VideoParameters(width, height, fps, profile, level, bitDepth), avcc.videoParameters());
        assertEquals(chroma, avcc.firstSps().chromaFormatIdc());
        assertEquals(4, avcc.nalUnitLength());
        assertEquals(1, avcc.sps().size());
        assertEquals(1, avcc.pps().size());
        assertEquals(avcc.firstSps().profileIdc(), avcc.profile());
        assertEquals(avcc.firstSps().levelIdc(), avcc.level());
        assertEquals(avcc.firstSps().constraintFlags(), avcc.compatibility());
        assertEquals(fixture.contains("interlaced"), !avcc.firstSps().frameMbsOnly());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "h264-baseline-320x240-25.avcC", "h264-main-1280x720-30.avcC", "h264-high-642x362-25.avcC",
        "h264-high10-320x240-30.avcC", "h264-high422-322x242-25.avcC", "h264-high444-320x240-25.avcC",
        "h264-gray-322x242-25.avcC", "h264-interlaced-720x576-25.avcC",
    })
    void roundTripsByteForByte(String fixture) {
        byte[] original = read(fixture);
        AvcDecoderConfigurationRecord avcc = parse(original, AvcDecoderConfigurationRecord::parse);
        assertBytes(original, write(avcc::writeTo));
        assertEquals(original.length, avcc.encodedLength());

        // Rebuilt from its parameter sets, it is what ffmpeg wrote.
        AvcDecoderConfigurationRecord rebuilt = AvcDecoderConfigurationRecord.of(avcc.sps(), avcc.pps(), 4);
        assertBytes(original, write(rebuilt::writeTo));
        assertEquals(avcc, rebuilt);
    }

    @Test
    void highProfileWithoutExtensionTailStillParses() {
        byte[] high = read("h264-high-642x362-25.avcC");
        byte[] withoutTail = Arrays.copyOf(high, high.length - 4);
        AvcDecoderConfigurationRecord avcc = parse(withoutTail, AvcDecoderConfigurationRecord::parse);
        assertFalse(avcc.hasExtension());
        assertEquals(642, avcc.videoParameters().width());
        assertBytes(withoutTail, write(avcc::writeTo));
        assertTrue(parse(high, AvcDecoderConfigurationRecord::parse).hasExtension());
    }

    @Test
    void keepsTwoByteNalUnitLength() {
        AvcDecoderConfigurationRecord base = parse(read("h264-baseline-320x240-25.avcC"),
                AvcDecoderConfigurationRecord::parse);
        AvcDecoderConfigurationRecord two = AvcDecoderConfigurationRecord.of(base.sps(), List.of(), 2);
        byte[] bytes = write(two::writeTo);
        assertEquals(0xfd, bytes[4] & 0xff);
        AvcDecoderConfigurationRecord back = parse(bytes, AvcDecoderConfigurationRecord::parse);
        assertEquals(2, back.nalUnitLength());
        assertEquals(0, back.pps().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                ''",
        "version 0,            '00 42 c0 0d ff e1 00 04 67 42 c0 0d 01 00 01 68'",
        "nalUnitLength 3,      '01 42 c0 0d fe e1 00 04 67 42 c0 0d 01 00 01 68'",
        "zero SPS,             '01 42 c0 0d ff e0 01 00 01 68'",
        "SPS length past end,  '01 42 c0 0d ff e1 00 40 67 42 c0 0d'",
        "SPS length cut,       '01 42 c0 0d ff e1 00'",
        "SPS count past end,   '01 42 c0 0d ff e3 00 04 67 42 c0 0d'",
        "PPS count missing,    '01 42 c0 0d ff e1 00 04 67 42 c0 0d'",
        "PPS count past end,   '01 42 c0 0d ff e1 00 04 67 42 c0 0d 05 00 01 68'",
        "zero-length SPS,      '01 42 c0 0d ff e1 00 00 01 00 01 68'",
        "SPS that is a PPS,    '01 42 c0 0d ff e1 00 04 68 42 c0 0d 00'",
        "SPS truncated,        '01 42 c0 0d ff e1 00 04 67 42 c0 0d 00'",
    })
    void rejectsMalformedRecords(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> parse(hex(bytes), AvcDecoderConfigurationRecord::parse),
                name);
    }

    @Test
    void factoryRejectsBadArguments() {
        byte[] sps = parse(read("h264-baseline-320x240-25.avcC"), AvcDecoderConfigurationRecord::parse).sps().get(0);
        assertThrows(MediaFormatException.class, () -> AvcDecoderConfigurationRecord.of(List.of(), List.of(), 4));
        assertThrows(MediaFormatException.class, () -> AvcDecoderConfigurationRecord.of(List.of(sps), List.of(), 3));
        assertThrows(MediaFormatException.class,
                () -> AvcDecoderConfigurationRecord.of(List.of(hex("67 42")), List.of(), 4));
    }
}
