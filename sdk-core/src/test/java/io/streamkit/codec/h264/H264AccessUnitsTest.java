package io.streamkit.codec.h264;

import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.test.AccessUnitFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Random access points of real libx264 access units (make-access-units.sh) and of hand-made edge cases. */
class H264AccessUnitsTest {

    /** libx264, open GOP: only the first keyframe is an IDR; the others are I frames with a recovery point SEI. */
    @ParameterizedTest(name = "access unit {0}: {2}")
    @CsvSource({
        // index, NAL unit types,  what it is,                                          random access
        "0,       9 7 8 6 5,       IDR with SPS PPS and SEI,                            true",
        "1,       9 1,             P,                                                   false",
        "2,       9 1,             B,                                                   false",
        "3,       9 1,             B,                                                   false",
        "4,       9 7 8 6 1,       non-IDR I with SPS PPS and recovery point SEI,       false",
        "5,       9 1,             P,                                                   false",
        "8,       9 7 8 6 1,       non-IDR I with SPS PPS and recovery point SEI,       false",
    })
    void openGopAccessUnits(int index, String types, String what, boolean expected) {
        for (int nalUnitLength : new int[] {2, 4}) {
            byte[] au = AccessUnitFixtures.accessUnits("h264-open-gop-64x64.h264", false, nalUnitLength).get(index);
            assertEquals(types, AccessUnitFixtures.nalTypes(au, false, nalUnitLength), "the fixture's access unit " + index);
            assertEquals(expected, parse(au, b -> H264AccessUnits.isRandomAccessPoint(b, nalUnitLength)),
                    what + " with " + nalUnitLength + "-byte lengths");
        }
    }

    @Test
    void everyFrameOfTheFlvFixtureIsARandomAccessPointExactlyWhenFlaggedAsKeyframe() throws IOException {
        byte[] flv;
        try (InputStream in = getClass().getResourceAsStream("/format/flv/h264-aac-160x120-2s.flv")) {
            flv = in.readAllBytes();
        }
        int frames = 0;
        int keyframes = 0;
        int nalUnitLength = 0;
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(flv));
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    if (tag.type() != FlvTagHeader.TYPE_VIDEO) {
                        continue;
                    }
                    ByteBuf body = tag.body();
                    FlvVideoTag v = FlvVideoTag.parse(body);
                    if (v.kind() == FlvPacketKind.CONFIG) {
                        nalUnitLength = AvcDecoderConfigurationRecord.parse(v.payload(body)).nalUnitLength();
                    } else if (v.kind() == FlvPacketKind.FRAME) {
                        assertEquals(v.keyframe(), H264AccessUnits.isRandomAccessPoint(v.payload(body), nalUnitLength),
                                "video frame " + frames);
                        frames++;
                        keyframes += v.keyframe() ? 1 : 0;
                    }
                } finally {
                    tag.release();
                }
            }
        }
        assertEquals(50, frames);
        assertEquals(2, keyframes, "ffmpeg's GOP of 25 closed: an IDR at 0 and 1 s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                                  length size, access unit (hex),                       random access
        "empty,                                   4, '',                                                false",
        "IDR slice alone,                         4, 00000003 658880,                                   true",
        "IDR slice with nal_ref_idc 1,            4, 00000003 258880,                                   true",
        "SEI then IDR,                            4, 00000002 0605 00000003 658880,                     true",
        "zero-length unit then IDR,               4, 00000000 00000003 658880,                          true",
        "non-IDR slice,                           4, 00000003 418880,                                   false",
        "data partition A,                        4, 00000003 428880,                                   false",
        "SPS and PPS only,                        4, 00000002 6742 00000002 68ce,                       false",
        "1-byte lengths,                          1, 02 0605 03 658880,                                 true",
        "2-byte lengths,                          2, 0002 0605 0003 658880,                             true",
        "IDR then a length past the end,          4, 00000003 658880 00000010 41,                       false",
        "IDR then a cut length prefix,            4, 00000003 658880 0000,                              false",
        "length of 2^32 - 1,                      4, ffffffff 65,                                       false",
        "IDR with forbidden_zero_bit,             4, 00000003 e58880,                                   false",
    })
    void handMadeAccessUnits(String name, int nalUnitLength, String hex, boolean expected) {
        assertEquals(expected, parse(hex(hex), b -> H264AccessUnits.isRandomAccessPoint(b, nalUnitLength)), name);
    }

    @Test
    void neverReadsPastTheWriterIndexOfASlice() {
        // A length that runs one byte past the slice's end, where the parent buffer holds an IDR header.
        ByteBuf parent = Unpooled.wrappedBuffer(hex("00000004 418880 65 8880"));
        ByteBuf slice = parent.slice(0, 7);
        assertFalse(H264AccessUnits.isRandomAccessPoint(slice, 4));
        assertEquals(0, slice.readerIndex());
        assertTrue(H264AccessUnits.isRandomAccessPoint(parent.slice(0, 8).setByte(4, 0x65), 4),
                "the same bytes within the slice are read");
        parent.release();
    }

    @ParameterizedTest
    @CsvSource({"0", "3", "5"})
    void refusesALengthSizeNoRecordCanDeclare(int nalUnitLength) {
        ByteBuf au = Unpooled.wrappedBuffer(hex("00000003 658880"));
        assertThrows(IllegalArgumentException.class, () -> H264AccessUnits.isRandomAccessPoint(au, nalUnitLength));
        au.release();
    }

    @Test
    void fixtureHelpersSplitAtEveryDelimiter() {
        List<byte[]> aus = AccessUnitFixtures.accessUnits("h264-open-gop-64x64.h264", false, 4);
        assertEquals(9, aus.size(), "make-access-units.sh encodes 9 frames");
        assertTrue(aus.stream().allMatch(au -> au[4] == 0x09), "each starts with its AUD");
    }
}
