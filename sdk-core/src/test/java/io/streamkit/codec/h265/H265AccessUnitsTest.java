package io.streamkit.codec.h265;

import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.test.AccessUnitFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Random access points of real libx265 access units (make-access-units.sh) and of hand-made edge cases. */
class H265AccessUnitsTest {

    @ParameterizedTest(name = "{0} access unit {1}: {3}")
    @CsvSource({
        // fixture,                 index, NAL unit types,      what it is,                  random access
        "hevc-open-gop-64x64.h265,  0,     35 32 33 34 20,      IDR_N_LP with VPS SPS PPS,   true",
        "hevc-open-gop-64x64.h265,  1,     35 1,                TRAIL_R,                     false",
        "hevc-open-gop-64x64.h265,  3,     35 0,                TRAIL_N,                     false",
        "hevc-open-gop-64x64.h265,  4,     35 32 33 34 21,      CRA with VPS SPS PPS,        true",
        "hevc-open-gop-64x64.h265,  8,     35 32 33 34 21,      CRA with VPS SPS PPS,        true",
        "hevc-radl-64x64.h265,      2,     35 32 33 34 19,      IDR_W_RADL with VPS SPS PPS, true",
        "hevc-radl-64x64.h265,      3,     35 7,                RADL_R,                      false",
        "hevc-radl-64x64.h265,      4,     35 6,                RADL_N,                      false",
        "hevc-radl-64x64.h265,      5,     35 1,                TRAIL_R,                     false",
    })
    void realAccessUnits(String fixture, int index, String types, String what, boolean expected) {
        for (int nalUnitLength : new int[] {2, 4}) {
            byte[] au = AccessUnitFixtures.accessUnits(fixture, true, nalUnitLength).get(index);
            assertEquals(types, AccessUnitFixtures.nalTypes(au, true, nalUnitLength), "the fixture's access unit " + index);
            assertEquals(expected, parse(au, b -> H265AccessUnits.isRandomAccessPoint(b, nalUnitLength)),
                    what + " with " + nalUnitLength + "-byte lengths");
        }
    }

    /** Every type at and around the IRAP range (Table 7-1), as a lone two-byte-header NAL unit. */
    @ParameterizedTest(name = "nal_unit_type {0}")
    @CsvSource({
        "0, false", "1, false", "8, false", "9, false", "15, false",
        "16, true", "17, true", "18, true", "19, true", "20, true", "21, true", "22, true", "23, true",
        "24, false", "32, false", "33, false", "34, false", "35, false", "39, false", "63, false",
    })
    void irapTypesAreSixteenToTwentyThree(int type, boolean expected) {
        byte[] au = {0, 0, 0, 3, (byte) (type << 1), 0x01, (byte) 0xaf};
        assertEquals(expected, parse(au, b -> H265AccessUnits.isRandomAccessPoint(b, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                                  length size, access unit (hex),                       random access
        "empty,                                   4, '',                                                false",
        "prefix SEI then CRA,                     4, 00000003 4e0105 00000003 2a01af,                   true",
        "zero-length unit then IDR_W_RADL,        4, 00000000 00000003 2601af,                          true",
        "1-byte lengths,                          1, 03 4e0105 03 2601af,                               true",
        "2-byte lengths,                          2, 0003 4e0105 0003 2601af,                           true",
        "IDR in layer 1 only,                     4, 00000003 2609af,                                   false",
        "IDR with nuh_temporal_id_plus1 0,        4, 00000003 2600af,                                   false",
        "IDR with forbidden_zero_bit,             4, 00000003 a601af,                                   false",
        "one-byte NAL unit,                       4, 00000001 26,                                       false",
        "IDR then a length past the end,          4, 00000003 2601af 00000010 02,                       false",
        "IDR then a cut length prefix,            4, 00000003 2601af 00,                                false",
        "length of 2^32 - 1,                      4, ffffffff 2601,                                     false",
    })
    void handMadeAccessUnits(String name, int nalUnitLength, String hex, boolean expected) {
        assertEquals(expected, parse(hex(hex), b -> H265AccessUnits.isRandomAccessPoint(b, nalUnitLength)), name);
    }

    @ParameterizedTest
    @CsvSource({"0", "3", "8"})
    void refusesALengthSizeNoRecordCanDeclare(int nalUnitLength) {
        ByteBuf au = Unpooled.wrappedBuffer(hex("00000003 2601af"));
        assertThrows(IllegalArgumentException.class, () -> H265AccessUnits.isRandomAccessPoint(au, nalUnitLength));
        au.release();
    }
}
