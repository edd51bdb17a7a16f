package io.streamkit.codec.h265;

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

/** Real libx265 configurations from make-fixtures.sh, checked against what ffprobe reports. */
class HevcDecoderConfigurationRecordTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,                      width, height, fps, profile,          level, depth, chroma
        "hevc-main-320x240-25.hvcC,        320,  240, 25, Main,              2,     8, 1",
        "hevc-main10-1280x720-30.hvcC,    1280,  720, 30, Main 10,           3.1,  10, 1",
        "hevc-main-642x362-25.hvcC,        642,  362, 25, Main,              2.1,   8, 1",
        "hevc-main444-320x240-30.hvcC,     320,  240, 30, Range Extensions,  2,     8, 3",
    })
    void parsesRealConfigurations(String fixture, int width, int height, double fps, String profile, String level,
            int bitDepth, int chroma) {
        HevcDecoderConfigurationRecord hvcc = parse(read(fixture), HevcDecoderConfigurationRecord::parse);
        VideoParameters expected = new VideoParameters(width, height, fps, profile, level, bitDepth);
        assertEquals(expected, hvcc.videoParameters());
        assertEquals(expected, hvcc.firstSps().videoParameters());
        assertEquals(chroma, hvcc.chromaFormat());
        assertEquals(chroma, hvcc.firstSps().chromaFormatIdc());
        assertEquals(bitDepth, hvcc.bitDepthLuma());
        assertEquals(4, hvcc.nalUnitLength());
        assertEquals(3, hvcc.lengthSizeMinusOne());
        assertEquals(1, hvcc.vps().size());
        assertEquals(1, hvcc.sps().size());
        assertEquals(1, hvcc.pps().size());
        assertEquals(0, hvcc.sei().size());
        assertFalse(hvcc.tierFlag());
        assertEquals(hvcc.firstSps().levelIdc(), hvcc.levelIdc());
        assertEquals(hvcc.firstSps().profileIdc(), hvcc.profileIdc());
        assertEquals(hvcc.firstSps().constraintIndicatorFlags(), hvcc.constraintIndicatorFlags());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hevc-main-320x240-25.hvcC", "hevc-main10-1280x720-30.hvcC", "hevc-main-642x362-25.hvcC",
        "hevc-main444-320x240-30.hvcC",
    })
    void roundTripsByteForByte(String fixture) {
        byte[] original = read(fixture);
        HevcDecoderConfigurationRecord hvcc = parse(original, HevcDecoderConfigurationRecord::parse);
        assertBytes(original, write(hvcc::writeTo));
    }

    @Test
    void buildsFromParameterSets() {
        HevcDecoderConfigurationRecord parsed = parse(read("hevc-main10-1280x720-30.hvcC"),
                HevcDecoderConfigurationRecord::parse);
        HevcDecoderConfigurationRecord built = HevcDecoderConfigurationRecord.of(parsed.vps(), parsed.sps(),
                parsed.pps(), 2);
        assertEquals(parsed.videoParameters(), built.videoParameters());
        assertEquals(2, built.nalUnitLength());
        assertEquals(parsed.profileCompatibilityFlags(), built.profileCompatibilityFlags());
        assertEquals(parsed.constraintIndicatorFlags(), built.constraintIndicatorFlags());
        assertEquals(parsed.numTemporalLayers(), built.numTemporalLayers());
        assertTrue(built.arrays().stream().allMatch(HevcDecoderConfigurationRecord.NalArray::complete));

        byte[] bytes = write(built::writeTo);
        HevcDecoderConfigurationRecord back = parse(bytes, HevcDecoderConfigurationRecord::parse);
        assertEquals(built.arrays(), back.arrays());
        assertBytes(bytes, write(back::writeTo));
        // Only the array_completeness bits and lengthSizeMinusOne differ from what ffmpeg wrote.
        byte[] original = read("hevc-main10-1280x720-30.hvcC");
        assertEquals(original.length, bytes.length);
        assertBytes(Arrays.copyOf(original, 21), Arrays.copyOf(bytes, 21));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                  ''",
        "fixed part cut,         '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f'",
        "version 2,              '02 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 00'",
        "nalUnitLength 3,        '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0e 00'",
        "no arrays so no SPS,    '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 00'",
        "array count past end,   '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 02 21 00 00'",
        "NAL count past end,     '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 01 21 00 02 00 01 42'",
        "NAL length past end,    '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 01 21 00 01 ff ff 42'",
        "SPS that is not an SPS, '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 01 21 00 01 00 02 44 01'",
        "empty SPS array,        '01 01 60 00 00 00 90 00 00 00 00 00 3c f0 00 fc fd f8 f8 00 00 0f 01 21 00 00'",
    })
    void rejectsMalformedRecords(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> parse(hex(bytes), HevcDecoderConfigurationRecord::parse),
                name);
    }

    @Test
    void rejectsTruncatedRealSps() {
        byte[] sps = parse(read("hevc-main-642x362-25.hvcC"), HevcDecoderConfigurationRecord::parse).sps().get(0);
        for (int length = 0; length < sps.length - 12; length++) {
            byte[] cut = Arrays.copyOf(sps, length);
            assertThrows(MediaFormatException.class, () -> H265Sps.parse(cut), "SPS cut to " + length);
        }
        assertThrows(MediaFormatException.class,
                () -> HevcDecoderConfigurationRecord.of(List.of(), List.of(), List.of(), 4));
        assertThrows(MediaFormatException.class,
                () -> HevcDecoderConfigurationRecord.of(List.of(), List.of(sps), List.of(), 3));
    }
}
