package io.streamkit.codec.h265;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H265SpsTest {

    @ParameterizedTest
    @CsvSource({
        "1, 0,          Main",
        "2, 0,          Main 10",
        "3, 0,          Main Still Picture",
        "4, 0,          Range Extensions",
        "9, 0,          Screen Content Coding",
        "0, 0x20000000, Main 10",
        "0, 0,          Unknown (0)",
    })
    void namesProfiles(int idc, int compatibility, String name) {
        assertEquals(name, H265Sps.profileName(idc, compatibility));
    }

    @ParameterizedTest
    @CsvSource({"30, 1", "60, 2", "63, 2.1", "93, 3.1", "120, 4", "123, 4.1", "153, 5.1", "186, 6.2"})
    void namesLevels(int idc, String name) {
        assertEquals(name, H265Sps.levelName(idc));
    }

    @Test
    void walksSubLayersScalingListsRefPicSetsAndLongTermRefs() {
        H265Sps sps = H265Sps.parse(new SpsBuilder().subLayers(3).scalingLists().shortTermSets(3).longTerm(2)
                .chroma(2).size(1928, 1088, 8, 8).timing(1001, 60000).build());
        assertEquals(new VideoParameters(1920, 1080, 60000 / 1001.0, "Main", "4.1", 10), sps.videoParameters());
        assertEquals(3, sps.maxSubLayers());
        assertEquals(2, sps.chromaFormatIdc());
    }

    @Test
    void reportsNoFrameRateWithoutTiming() {
        H265Sps sps = H265Sps.parse(new SpsBuilder().chroma(0).size(640, 480, 0, 0).build());
        assertEquals(new VideoParameters(640, 480, 0, "Main", "4.1", 10), sps.videoParameters());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "width over the level 6.2 limit,  16896, 64",
        "size over the level 6.2 limit,   16000, 16000",
        "zero height,                     64,    0",
    })
    void rejectsAbsurdSizes(String name, int width, int height) {
        byte[] nal = new SpsBuilder().size(width, height, 0, 0).build();
        assertThrows(MediaFormatException.class, () -> H265Sps.parse(nal), name);
    }

    @Test
    void rejectsWindowLargerThanPicture() {
        byte[] nal = new SpsBuilder().chroma(1).size(64, 64, 64, 0).build();
        assertThrows(MediaFormatException.class, () -> H265Sps.parse(nal));
    }

    /** Issue 15, item 7: a corrupt header was reported as "NAL unit type 33 is not an SPS (33)". */
    @Test
    void aSetForbiddenBitIsNamedAsSuch() {
        byte[] nal = new SpsBuilder().chroma(1).size(64, 64, 0, 0).build();
        nal[0] |= (byte) 0x80;
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> H265Sps.parse(nal));
        assertEquals(String.format("SPS NAL unit header 0x%02x%02x has forbidden_zero_bit set", nal[0] & 0xff,
                nal[1] & 0xff), e.getMessage());
        nal[0] = (byte) (34 << 1);   // PPS_NUT, forbidden bit clear
        MediaFormatException other = assertThrows(MediaFormatException.class, () -> H265Sps.parse(nal));
        assertEquals("NAL unit type 34 is not an SPS (33)", other.getMessage());
    }

    /** Writes SPS syntax elements (7.3.2.2.1) so tests can reach corners encoders avoid. */
    static final class SpsBuilder {
        private int subLayers = 1;
        private boolean scalingLists;
        private int shortTermSets;
        private int longTerm;
        private int chroma = 1;
        private int width = 64;
        private int height = 64;
        private int cropX;
        private int cropY;
        private long tick;
        private long scale;

        SpsBuilder subLayers(int n) {
            subLayers = n;
            return this;
        }

        SpsBuilder scalingLists() {
            scalingLists = true;
            return this;
        }

        SpsBuilder shortTermSets(int n) {
            shortTermSets = n;
            return this;
        }

        SpsBuilder longTerm(int n) {
            longTerm = n;
            return this;
        }

        SpsBuilder chroma(int c) {
            chroma = c;
            return this;
        }

        SpsBuilder size(int w, int h, int bottomRightCropX, int bottomCropY) {
            width = w;
            height = h;
            cropX = bottomRightCropX;
            cropY = bottomCropY;
            return this;
        }

        SpsBuilder timing(long numUnitsInTick, long timeScale) {
            tick = numUnitsInTick;
            scale = timeScale;
            return this;
        }

        byte[] build() {
            BitWriter w = new BitWriter().writeBits(0x4201, 16);
            w.writeBits(0, 4).writeBits(subLayers - 1, 3).writeFlag(true);
            // profile_tier_level: Main, compatible with Main and Main 10, level 4.1
            w.writeBits(0, 2).writeFlag(false).writeBits(1, 5).writeBits(0x60000000L, 32)
                    .writeBits(0x900000000000L, 48).writeBits(123, 8);
            for (int i = 0; i < subLayers - 1; i++) {
                w.writeFlag(true).writeFlag(i % 2 == 0);
            }
            if (subLayers > 1) {
                w.writeBits(0, 2 * (8 - (subLayers - 1)));
            }
            for (int i = 0; i < subLayers - 1; i++) {
                w.writeBits(0, 44).writeBits(0, 44);
                if (i % 2 == 0) {
                    w.writeBits(90, 8);
                }
            }
            ue(w, 0); // sps id
            ue(w, chroma);
            if (chroma == 3) {
                w.writeFlag(false);
            }
            ue(w, width);
            ue(w, height);
            w.writeFlag(cropX != 0 || cropY != 0);
            if (cropX != 0 || cropY != 0) {
                int subWidthC = chroma == 1 || chroma == 2 ? 2 : 1;
                int subHeightC = chroma == 1 ? 2 : 1;
                ue(w, 0);
                ue(w, cropX / subWidthC);
                ue(w, 0);
                ue(w, cropY / subHeightC);
            }
            ue(w, 2); // 10-bit luma
            ue(w, 2);
            ue(w, 4); // log2_max_pic_order_cnt_lsb_minus4: 8 bits
            w.writeFlag(true);
            for (int i = 0; i < subLayers; i++) {
                ue(w, 4);
                ue(w, 2);
                ue(w, 0);
            }
            for (int i = 0; i < 6; i++) {
                ue(w, 1);
            }
            w.writeFlag(scalingLists);
            if (scalingLists) {
                w.writeFlag(true);
                for (int sizeId = 0; sizeId < 4; sizeId++) {
                    for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
                        boolean explicit = matrixId == 0;
                        w.writeFlag(explicit);
                        if (!explicit) {
                            ue(w, 1);
                        } else {
                            if (sizeId > 1) {
                                se(w, 8);
                            }
                            for (int i = 0; i < Math.min(64, 1 << (4 + (sizeId << 1))); i++) {
                                se(w, i % 3 - 1);
                            }
                        }
                    }
                }
            }
            w.writeFlag(true).writeFlag(true); // amp, sao
            w.writeFlag(true).writeBits(0x77, 8); // pcm
            ue(w, 0);
            ue(w, 1);
            w.writeFlag(false);
            ue(w, shortTermSets);
            for (int i = 0; i < shortTermSets; i++) {
                if (i != 0) {
                    w.writeFlag(i == 2); // set 2 is predicted from set 1
                }
                if (i == 2) {
                    w.writeFlag(false);
                    ue(w, 0);
                    // set 1 has 3 delta POCs, so 4 entries: used, not used + use_delta, used, not used + no delta
                    w.writeFlag(true);
                    w.writeFlag(false).writeFlag(true);
                    w.writeFlag(true);
                    w.writeFlag(false).writeFlag(false);
                } else {
                    ue(w, i == 1 ? 2 : 1);
                    ue(w, 1);
                    for (int j = 0; j < (i == 1 ? 3 : 2); j++) {
                        ue(w, 0);
                        w.writeFlag(true);
                    }
                }
            }
            w.writeFlag(longTerm > 0);
            if (longTerm > 0) {
                ue(w, longTerm);
                for (int i = 0; i < longTerm; i++) {
                    w.writeBits(i, 8).writeFlag(true);
                }
            }
            w.writeFlag(true).writeFlag(true);
            w.writeFlag(true); // vui
            w.writeFlag(true).writeBits(255, 8).writeBits(4, 16).writeBits(3, 16); // extended SAR
            w.writeFlag(true).writeFlag(true); // overscan
            w.writeFlag(true).writeBits(5, 3).writeFlag(false).writeFlag(true).writeBits(0x010101, 24);
            w.writeFlag(true);
            ue(w, 1);
            ue(w, 1);
            w.writeBits(0, 3);
            w.writeFlag(true);
            for (int i = 0; i < 4; i++) {
                ue(w, 8);
            }
            w.writeFlag(tick != 0);
            if (tick != 0) {
                w.writeBits(tick, 32).writeBits(scale, 32).writeFlag(false);
            }
            w.writeFlag(false).writeFlag(false).writeFlag(false).writeBits(1, 1);
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
