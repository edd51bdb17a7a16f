package io.streamkit.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.codec.BitReader;
import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Fuzzes {@link StreamMuxConfig#parseHex} on the {@code config} parameter of an MP4A-LATM
 * {@code a=fmtp} line: the input's bytes in hex (the bit syntax), and the input as text (the hex
 * decoding).
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException}, its message starting
 * {@code StreamMuxConfig}; a configuration that parses carries an AudioSpecificConfig of object
 * type 1 to 4 with a channel configuration, which {@link AudioSpecificConfig#parse(byte[])} reads
 * as {@link StreamMuxConfig#audioConfig()}, no longer than the input; and for audioMuxVersion 0
 * the round trip through GStreamer's form (the 15 header bits, then the AudioSpecificConfig's
 * bytes, nothing after) gives the same configuration. Seeds: the unit tests' configurations as
 * bytes, under {@code StreamMuxConfigFuzzTestInputs}.
 */
class StreamMuxConfigFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        check(HexFormat.of().formatHex(input), input.length);
        check(new String(input, StandardCharsets.ISO_8859_1), input.length);
    }

    private static void check(String hex, int inputLength) {
        StreamMuxConfig c;
        try {
            c = StreamMuxConfig.parseHex(hex);
        } catch (MediaFormatException e) {
            assertTrue(e.getMessage().startsWith("StreamMuxConfig"), e.getMessage());
            return;
        }
        byte[] asc = c.audioSpecificConfig();
        AudioSpecificConfig parsed = c.audioConfig();
        assertEquals(AudioSpecificConfig.parse(asc), parsed, "the bytes and the parsed configuration disagree");
        assertTrue(asc.length <= inputLength, asc.length + " bytes of AudioSpecificConfig from " + inputLength);
        assertTrue(parsed.audioObjectType() >= 1 && parsed.audioObjectType() <= 4, "object type " + parsed.audioObjectType());
        assertTrue(parsed.channelConfiguration() >= 1, "channel configuration " + parsed.channelConfiguration());
        assertTrue(c.numSubFrames() >= 0 && c.numSubFrames() < StreamMuxConfig.MAX_FRAMES_PER_ELEMENT);
        assertNotNull(c.toString());
        if (c.audioMuxVersion() == 0) {
            StreamMuxConfig again = StreamMuxConfig.parseHex(gstreamerForm(c.numSubFrames(), asc));
            assertArrayEquals(asc, again.audioSpecificConfig(), "GStreamer's form read differently");
            assertEquals(c.numSubFrames(), again.numSubFrames());
        }
    }

    /** What GStreamer's rtpmp4apay writes: the 15 header bits, the configuration's bytes, then nothing. */
    private static String gstreamerForm(int numSubFrames, byte[] asc) {
        BitWriter w = new BitWriter().writeBits(0, 1).writeBits(1, 1).writeBits(numSubFrames, 6).writeBits(0, 7);
        BitReader r = BitReader.of(asc);
        while (r.bitsLeft() > 0) {
            w.writeBits(r.readBits(8), 8);
        }
        return HexFormat.of().formatHex(w.toByteArray());
    }
}
