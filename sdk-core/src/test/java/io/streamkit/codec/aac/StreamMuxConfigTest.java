package io.streamkit.codec.aac;

import static io.streamkit.codec.Fixtures.assertBytes;
import static io.streamkit.codec.Fixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig.Signalling;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MP4A-LATM's {@code config} parameter (RFC 6416 7.3): the StreamMuxConfigs of RFC 6416's
 * examples, of GStreamer's {@code rtpmp4apay} and of ffmpeg, and ones written bit by bit from
 * ISO/IEC 14496-3 1.7.3.1.
 *
 * <p>GStreamer's {@code 40002420} (AAC LC, 44.1 kHz, stereo), decoded by hand:
 * <pre>
 *   40       0100 0000  audioMuxVersion 0, allStreamsSameTimeFraming 1, numSubFrames 000000
 *   00       0000 000.  numProgram 0000, numLayer 000, then the AudioSpecificConfig from bit 15:
 *   00 24 20 .......0 0010 0100 0010 0000
 *            audioObjectType 00010 = 2 (AAC LC), samplingFrequencyIndex 0100 = 4 (44,100 Hz),
 *            channelConfiguration 0010 = 2, GASpecificConfig 000 (1,024-sample frames, no core
 *            coder, no extension): 16 bits, 12 10 as bytes; then one zero bit of padding.
 * </pre>
 * GStreamer writes the 15 header bits and the encoder's AudioSpecificConfig shifted in after
 * them, nothing more: no frameLengthType, latmBufferFullness, otherDataPresent or
 * crcCheckPresent. ffmpeg writes them ({@code 400024203fc0}: frameLengthType 000,
 * latmBufferFullness 0xFF, two zero flags, four bits of padding).
 */
class StreamMuxConfigTest {

    /** Configurations that parse, with what they carry. */
    private static final List<String> VALID = List.of(
            "40002420", "40002320", "40002b10", "400056231000", "40002420adca00", "400024203fc0", "400026203fc0",
            "400026103fc0", "40005623101fe0", "40002720adcb41fe00", "40002710adcb4a911fe0", "40002420adca1fe0",
            "400024203fdab0", "400024203fe000", "410024203fc0", "7f0024203fc0", "400027200000", "40002f0093a8203fc0",
            "40002428", "8ff80001012101fe00", "8ff800028121056e5001ff0000");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,                                       config,                  ASC,              rate,  ch, profile,  numSubFrames
        "RFC 6416 7.4.1: AAC LC 24 kHz stereo,         400026203fc0,            1310,             24000, 2, AAC LC,   0",
        "RFC 6416: implicit SBR core 24 kHz mono,      400026103fc0,            1308,             24000, 1, AAC LC,   0",
        "RFC 6416: HE-AAC hierarchical 24 -> 48 kHz,   40005623101fe0,          2b118800,         48000, 2, HE-AAC,   0",
        "GStreamer AAC LC 44.1 kHz stereo,             40002420,                1210,             44100, 2, AAC LC,   0",
        "GStreamer AAC LC 48 kHz stereo,               40002320,                1190,             48000, 2, AAC LC,   0",
        "GStreamer AAC LC 8 kHz mono,                  40002b10,                1588,              8000, 1, AAC LC,   0",
        "GStreamer AAC LC 960-sample frames,           40002428,                1214,             44100, 2, AAC LC,   0",
        "GStreamer HE-AAC hierarchical,                400056231000,            2b118800,         48000, 2, HE-AAC,   0",
        "GStreamer behind ffmpeg's encoder (no SBR),   40002420adca00,          121056e500,       44100, 2, AAC LC,   0",
        "ffmpeg AAC LC 44.1 kHz stereo,                400024203fc0,            1210,             44100, 2, AAC LC,   0",
        "a WebRTC SDP: sync extension then framing,    40002420adca1fe0,        121056e500,       44100, 2, AAC LC,   0",
        "HE-AAC backward compatible 22.05 -> 44.1 kHz, 40002720adcb41fe00,      139056e5a0,       44100, 2, HE-AAC,   0",
        "HE-AACv2 backward compatible,                 40002710adcb4a911fe0,    138856e5a54880,   44100, 2, HE-AACv2, 0",
        "SomaFM: latmBufferFullness 0,                 400027200000,            1390,             22050, 2, AAC LC,   0",
        "explicit 37800 Hz,                            40002f0093a8203fc0,      178049d410,       37800, 2, AAC LC,   0",
        "crcCheckSum present,                          400024203fdab0,          1210,             44100, 2, AAC LC,   0",
        "otherDataPresent with otherDataLenBits 0,     400024203fe000,          1210,             44100, 2, AAC LC,   0",
        "two frames an element,                        410024203fc0,            1210,             44100, 2, AAC LC,   1",
        "64 frames an element,                         7f0024203fc0,            1210,             44100, 2, AAC LC,  63",
        "upper case,                                   400024203FC0,            1210,             44100, 2, AAC LC,   0",
        "audioMuxVersion 1,                            8ff80001012101fe00,      1210,             44100, 2, AAC LC,   0",
        "audioMuxVersion 1: ascLen 40 with extension,  8ff800028121056e5001ff0000, 121056e500,    44100, 2, AAC LC,   0",
    })
    void readsTheAudioSpecificConfig(String name, String config, String asc, int rate, int channels, String profile,
            int numSubFrames) {
        StreamMuxConfig c = StreamMuxConfig.parseHex(config);
        assertBytes(hex(asc), c.audioSpecificConfig());
        assertEquals(AudioSpecificConfig.parse(hex(asc)), c.audioConfig(), name);
        assertEquals(new AudioParameters(rate, channels, profile), c.audioConfig().audioParameters(), name);
        assertEquals(numSubFrames, c.numSubFrames(), name);
        assertEquals(config.startsWith("8") ? 1 : 0, c.audioMuxVersion(), name);
    }

    @Test
    void readsTheSignallingAndFrameLength() {
        assertEquals(Signalling.EXPLICIT_HIERARCHICAL, StreamMuxConfig.parseHex("400056231000").audioConfig().signalling());
        assertEquals(Signalling.EXPLICIT_BACKWARD_COMPATIBLE,
                StreamMuxConfig.parseHex("40002720adcb41fe00").audioConfig().signalling());
        assertEquals(Signalling.NONE, StreamMuxConfig.parseHex("40002420").audioConfig().signalling());
        assertTrue(StreamMuxConfig.parseHex("40002428").audioConfig().frameLengthFlag());
        assertEquals(22050, StreamMuxConfig.parseHex("40002720adcb41fe00").audioConfig().samplingFrequency());
    }

    @Test
    void theArrayIsACopy() {
        StreamMuxConfig c = StreamMuxConfig.parseHex("40002420");
        c.audioSpecificConfig()[0] = 0;
        assertBytes(hex("1210"), c.audioSpecificConfig());
        assertEquals("StreamMuxConfig[audioMuxVersion=0, numSubFrames=0, audioSpecificConfig=1210]", c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // name                                 | config                 | in the message
        "empty                                  |                        | is empty",
        "blank                                  | '  '                   | is empty",
        "odd length                             | 400                    | 3 hex digits, not a whole number of bytes",
        "not hex                                | 40002g20               | U+0067 at 5 is not a hex digit",
        "a sign                                 | +0002420               | U+002B at 0 is not a hex digit",
        "a non-ASCII digit                      | 4000242\u0661          | U+0661 at 7 is not a hex digit",
        "audioMuxVersionA 1                     | c0000000               | audioMuxVersionA 1 is reserved",
        "allStreamsSameTimeFraming 0            | 000024203fc0           | allStreamsSameTimeFraming 0 is not supported, only 1",
        "numProgram 1                           | 401024203fc0           | numProgram 1 is not supported, only 0",
        "numLayer 1                             | 400224203fc0           | numLayer 1 is not supported, only 0",
        "USAC (escaped object type 42)          | 4001f29087f8           | AAC object type 42 is not supported, only 1 to 4",
        "object type 0                          | 40000420               | AAC object type 0 is not supported",
        "a program_config_element               | 400023003fc0           | channelConfiguration 0 (a program_config_element) is not supported",
        "reserved samplingFrequencyIndex 13     | 40002d20               | samplingFrequencyIndex 13 is reserved",
        "reserved channelConfiguration 8        | 40002480               | channelConfiguration 8 is reserved",
        "explicit frequency 0                   | 40002f000000203fc0     | explicit sampling frequency 0",
        "frameLengthType 1                      | 400024204aa0           | frameLengthType 1 is not supported, only 0",
        "otherDataLenBits 8                     | 400024203fe080         | otherDataLenBits 8 is not supported, only 0",
        "bits after the configuration           | 400024203fc1           | 4 bits after crcCheckPresent are not zero padding",
        "ascLen past the end                    | 8ff8000ff12100         | ascLen 255 bits exceeds the 20 bits left",
        "ascLen shorter than the configuration  | 8ff80000e12107f8       | AudioSpecificConfig of 16 bits exceeds its ascLen 14",
        "truncated in the header                | 4000                   | runs past the end at bit 16",
        "truncated in latmBufferFullness        | 400024203f             | runs past the end at bit 40",
    })
    void refusesWithTheValueAndTheLimit(String name, String config, String message) {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> StreamMuxConfig.parseHex(config == null ? "" : config), name);
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void refusesALongString() {
        String longest = "40002420" + "0".repeat(StreamMuxConfig.MAX_HEX_LENGTH - 8);
        assertBytes(hex("1210"), StreamMuxConfig.parseHex(longest).audioSpecificConfig());
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> StreamMuxConfig.parseHex(longest + "00"));
        assertEquals("StreamMuxConfig of 258 hex digits exceeds 256", e.getMessage());
    }

    @Test
    void everyPrefixAndEveryBitFlipParsesOrIsRefused() {
        for (String config : VALID) {
            for (int n = 0; n <= config.length(); n++) {
                parsesOrIsRefused(config.substring(0, n));
            }
            byte[] bytes = hex(config);
            for (int bit = 0; bit < 8 * bytes.length; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                parsesOrIsRefused(HexFormat.of().formatHex(flipped));
            }
        }
    }

    private static void parsesOrIsRefused(String config) {
        try {
            StreamMuxConfig c = StreamMuxConfig.parseHex(config);
            assertEquals(AudioSpecificConfig.parse(c.audioSpecificConfig()), c.audioConfig(), config);
        } catch (MediaFormatException e) {
            assertTrue(e.getMessage().startsWith("StreamMuxConfig"), config + ": " + e.getMessage());
        } catch (RuntimeException e) {
            fail(config + " threw " + e, e);
        }
    }
}
