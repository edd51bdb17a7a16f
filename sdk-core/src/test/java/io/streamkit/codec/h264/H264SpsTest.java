package io.streamkit.codec.h264;

import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264SpsTest {

    /** The SPS libx264 wrote for 1280x720 Main at 30 fps, with emulation prevention inside. */
    private static final String MAIN_720P = "67 4d 40 1f ec a0 28 02 dd 80 88 00 00 03 00 08 00 00 03 01 e0 78"
            + " c1 8c b0";

    @Test
    void parsesFromByteBufWithoutMovingReaderIndex() {
        H264Sps sps = parse(hex(MAIN_720P), H264Sps::parse);
        assertEquals(new VideoParameters(1280, 720, 30, "Main", "3.1", 8), sps.videoParameters());
        assertEquals(60, sps.timeScale());
        assertEquals(1, sps.numUnitsInTick());
    }

    // Profile names from Annex A and the constraint flags that refine them.
    @ParameterizedTest
    @CsvSource({
        "66,  0x00, 30, Baseline,               3",
        "66,  0x40, 30, Constrained Baseline,   3",
        "66,  0x10, 11, Baseline,               1b",
        "77,  0x00, 9,  Main,                   1b",
        "88,  0x00, 51, Extended,               5.1",
        "100, 0x00, 40, High,                   4",
        "100, 0x08, 40, Progressive High,       4",
        "100, 0x0c, 40, Constrained High,       4",
        "110, 0x00, 41, High 10,                4.1",
        "110, 0x10, 41, High 10 Intra,          4.1",
        "122, 0x00, 42, High 4:2:2,             4.2",
        "244, 0x00, 62, High 4:4:4 Predictive,  6.2",
        "244, 0x10, 62, High 4:4:4 Intra,       6.2",
        "44,  0x00, 10, CAVLC 4:4:4 Intra,      1",
        "118, 0x00, 31, Multiview High,         3.1",
        "128, 0x00, 31, Stereo High,            3.1",
        "7,   0x00, 31, Unknown (7),            3.1",
    })
    void namesProfilesAndLevels(int profileIdc, int flags, int levelIdc, String profile, String level) {
        H264Sps sps = new H264Sps(profileIdc, flags, levelIdc, 0, 1, false, 8, 8, true, 16, 16, 0, 0);
        assertEquals(profile, sps.profileName());
        assertEquals(level, sps.levelName());
    }

    @Test
    void appliesCroppingForEveryChromaFormat() {
        // 4:2:2 crops in units of 2 horizontally and 1 vertically (Table 6-1).
        H264Sps sps = H264Sps.parse(new SpsBuilder(122).chroma(2).size(21, 16).crop(1, 0, 0, 2).build());
        assertEquals(334, sps.width());
        assertEquals(254, sps.height());
        // 4:4:4 crops in units of 1.
        sps = H264Sps.parse(new SpsBuilder(244).chroma(3).size(21, 16).crop(1, 0, 0, 2).build());
        assertEquals(335, sps.width());
        assertEquals(254, sps.height());
        // Monochrome crops in units of 1, doubled vertically for field coding.
        sps = H264Sps.parse(new SpsBuilder(100).chroma(0).size(21, 32).fields().crop(1, 0, 0, 2).build());
        assertEquals(335, sps.width());
        assertEquals(508, sps.height());
        // 4:2:0 with fields: units of 2 and 4.
        sps = H264Sps.parse(new SpsBuilder(77).size(45, 36).fields().crop(0, 0, 0, 2).build());
        assertEquals(720, sps.width());
        assertEquals(568, sps.height());
    }

    @Test
    void readsPicOrderCountType1AndNoVui() {
        H264Sps sps = H264Sps.parse(new SpsBuilder(66).pocType1(3).size(20, 15).build());
        assertEquals(new VideoParameters(320, 240, 0, "Baseline", "3", 8), sps.videoParameters());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "width over the level 6.2 limit, 1056, 10",
        "frame size over the level 6.2 limit, 1000, 1000",
    })
    void rejectsAbsurdSizes(String name, int widthMbs, int heightMbs) {
        byte[] nal = new SpsBuilder(100).size(widthMbs, heightMbs).build();
        assertThrows(MediaFormatException.class, () -> H264Sps.parse(nal), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "not an SPS,             '68 42 c0 1e 00'",
        "forbidden bit,          'e7 42 c0 1e 00'",
        "header only,            '67 42 c0'",
        "sps id over 31,         '67 42 c0 1e 04 20'",
        "Exp-Golomb overrun,     '67 42 c0 1e 00 00 00 00 00 00 00 00'",
        "cut after the sps id,   '67 42 c0 1e 80'",
        "chroma_format_idc 4,    '67 64 00 1e 94'",
        "bit depth 15,           '67 64 00 1e a2 00'",
    })
    void rejectsMalformedSps(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> H264Sps.parse(hex(bytes)), name);
    }

    /** Issue 15, item 7: a corrupt header was reported as "NAL unit type 7 is not an SPS (7)". */
    @Test
    void aSetForbiddenBitIsNamedAsSuch() {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> H264Sps.parse(hex("e7 42 c0 1e 00")));
        assertEquals("SPS NAL unit header 0xe7 has forbidden_zero_bit set", e.getMessage());
        MediaFormatException other = assertThrows(MediaFormatException.class, () -> H264Sps.parse(hex("68 42 c0 1e 00")));
        assertEquals("NAL unit type 8 is not an SPS (7)", other.getMessage());
    }

    @Test
    void rejectsCroppingEverything() {
        byte[] nal = new SpsBuilder(66).size(2, 2).crop(0, 16, 0, 0).build();
        assertThrows(MediaFormatException.class, () -> H264Sps.parse(nal));
    }

    /** Writes SPS syntax elements (7.3.2.1.1) so tests can reach corners encoders avoid. */
    static final class SpsBuilder {
        private final int profile;
        private int chroma = 1;
        private int widthMbs = 20;
        private int heightMbs = 15;
        private boolean frameMbsOnly = true;
        private int[] crop;
        private int pocCycle = -1;

        SpsBuilder(int profile) {
            this.profile = profile;
        }

        SpsBuilder chroma(int chroma) {
            this.chroma = chroma;
            return this;
        }

        SpsBuilder size(int widthMbs, int heightMbs) {
            this.widthMbs = widthMbs;
            this.heightMbs = heightMbs;
            return this;
        }

        SpsBuilder fields() {
            frameMbsOnly = false;
            return this;
        }

        SpsBuilder crop(int left, int right, int top, int bottom) {
            crop = new int[] {left, right, top, bottom};
            return this;
        }

        SpsBuilder pocType1(int cycle) {
            pocCycle = cycle;
            return this;
        }

        byte[] build() {
            BitWriter w = new BitWriter().writeBits(0x67, 8).writeBits(profile, 8).writeBits(0, 8).writeBits(30, 8);
            ue(w, 0);
            if (H264Sps.hasChromaInfo(profile)) {
                ue(w, chroma);
                if (chroma == 3) {
                    w.writeFlag(false);
                }
                ue(w, 0);
                ue(w, 0);
                w.writeFlag(false).writeFlag(true); // scaling matrix present
                for (int i = 0; i < (chroma == 3 ? 12 : 8); i++) {
                    w.writeFlag(i == 0 || i == 6); // lists 0 (4x4) and 6 (8x8) present
                    if (i == 0) {
                        for (int j = 0; j < 16; j++) {
                            se(w, j == 0 ? 8 : 1);
                        }
                    } else if (i == 6) {
                        se(w, -8); // nextScale 0 at once: use the default list
                    }
                }
            }
            ue(w, 0); // log2_max_frame_num_minus4
            if (pocCycle < 0) {
                ue(w, 0);
                ue(w, 2);
            } else {
                ue(w, 1);
                w.writeFlag(false);
                se(w, -2);
                se(w, 3);
                ue(w, pocCycle);
                for (int i = 0; i < pocCycle; i++) {
                    se(w, i - 1);
                }
            }
            ue(w, 1); // max_num_ref_frames
            w.writeFlag(false);
            ue(w, widthMbs - 1);
            ue(w, frameMbsOnly ? heightMbs - 1 : heightMbs / 2 - 1);
            w.writeFlag(frameMbsOnly);
            if (!frameMbsOnly) {
                w.writeFlag(false);
            }
            w.writeFlag(true);
            w.writeFlag(crop != null);
            if (crop != null) {
                for (int c : crop) {
                    ue(w, c);
                }
            }
            w.writeFlag(false); // no VUI
            w.writeBits(1, 1); // rbsp_stop_one_bit
            return w.toByteArray();
        }

        private static void ue(BitWriter w, int value) {
            long code = value + 1L;
            int bits = 64 - Long.numberOfLeadingZeros(code);
            w.writeBits(0, bits - 1).writeBits(code, bits);
        }

        private static void se(BitWriter w, int value) {
            ue(w, value > 0 ? 2 * value - 1 : -2 * value);
        }
    }
}
