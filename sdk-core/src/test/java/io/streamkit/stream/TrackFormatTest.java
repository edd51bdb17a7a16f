package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import io.streamkit.test.TestMedia;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrackFormatTest {

    @Test
    void parsesAndSummarisesARealRecord() {
        TrackFormat f = TestMedia.h264();
        VideoParameters v = f.video().orElseThrow();
        assertEquals(320, v.width());
        assertEquals(240, v.height());
        assertEquals("Main", v.profile());
        assertEquals(MediaType.VIDEO, f.type());
        assertTrue(f.audio().isEmpty());
        assertEquals(TestMedia.AVC_320x240.length, f.configLength());
        assertEquals("H264 320x240 @25.0 Main", f.toString());
        assertEquals(44_100, TestMedia.aac().audio().orElseThrow().sampleRate());
    }

    @Test
    void copiesTheRecordAndLeavesTheCallersBufferAlone() {
        ByteBuf caller = Unpooled.buffer().writeBytes(TestMedia.AVC_320x240);
        TrackFormat f = TrackFormat.of(Codec.H264, caller);
        assertEquals(0, caller.readerIndex());
        caller.setByte(10, 0);
        caller.release();
        ByteBuf out = Unpooled.buffer();
        f.writeConfig(out);
        assertEquals(ByteBufUtil.hexDump(TestMedia.AVC_320x240), ByteBufUtil.hexDump(out));
        out.release();
        assertEquals(f, TestMedia.h264());
        assertNotEquals(f, TestMedia.aac());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "H264, '',                        H264 configuration record is empty",
        "H264, 01,                        ",
        "H264, 014d400dffe00000,          ",
        "H265, 0102,                      ",
        "AAC,  10,                        ",
        "OPUS, 4f707573486561640102,      ",
    })
    void malformedRecordsRaiseTheTypedError(Codec codec, String hex, String message) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex == null ? "" : hex));
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> TrackFormat.of(codec, buf));
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void g711CarriesItsRateAndChannelsWithoutARecord() {
        TrackFormat alaw = TrackFormat.of(Codec.PCMA, 8_000, 1);
        assertEquals(new io.streamkit.codec.AudioParameters(8_000, 1, ""), alaw.audio().orElseThrow());
        assertEquals(0, alaw.configLength());
        assertEquals(alaw, TrackFormat.of(Codec.PCMA, 8_000, 1));
        org.junit.jupiter.api.Assertions.assertNotEquals(alaw, TrackFormat.of(Codec.PCMA, 16_000, 1), "another rate");
        org.junit.jupiter.api.Assertions.assertNotEquals(alaw, TrackFormat.of(Codec.PCMU, 8_000, 1), "another law");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.of(Codec.AAC, 44_100, 2), "AAC's rate is in its record");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrackFormat.of(Codec.PCMU, 0, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrackFormat.of(Codec.PCMU, 8_000, 9));
        org.junit.jupiter.api.Assertions.assertThrows(io.streamkit.codec.MediaFormatException.class,
                () -> TrackFormat.of(Codec.PCMA, io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1})), "no record to parse");
    }

    @Test
    void codecsWithoutARecordNeedNone() {
        TrackFormat mp3 = TrackFormat.of(Codec.MP3);
        assertFalse(mp3.hasConfig());
        assertEquals(Codec.MP3, TrackFormat.of(Codec.MP3, Unpooled.EMPTY_BUFFER).codec());
        ByteBuf huge = Unpooled.wrappedBuffer(new byte[TrackFormat.MAX_CONFIG_LENGTH + 1]);
        assertThrows(MediaFormatException.class, () -> TrackFormat.of(Codec.H264, huge));
    }
}
