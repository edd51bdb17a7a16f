package io.streamkit.codec.opus;

import static io.streamkit.codec.Fixtures.assertBytes;
import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static io.streamkit.codec.Fixtures.read;
import static io.streamkit.codec.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real libopus headers from make-fixtures.sh (Ogg and Matroska), and hand-made corners. */
class OpusHeadTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,                     channels, family, streams, coupled, mapping
        "opus-stereo-48000.opushead,    2,        0,      1,       1,       0001",
        "opus-mono-48000.opushead,      1,        0,      1,       0,       00",
        "opus-51-48000.opushead,        6,        1,      4,       2,       000401020305",
    })
    void parsesAndRoundTripsLibopusHeaders(String fixture, int channels, int family, int streams, int coupled,
            String mapping) {
        byte[] original = read(fixture);
        OpusHead head = parse(original, OpusHead::parse);
        assertEquals(new AudioParameters(48000, channels, "Opus"), head.audioParameters());
        assertEquals(1, head.version());
        assertEquals(312, head.preSkip());
        assertEquals(48000, head.inputSampleRate());
        assertEquals(0, head.outputGain());
        assertEquals(family, head.mappingFamily());
        assertEquals(streams, head.streamCount());
        assertEquals(coupled, head.coupledCount());
        assertArrayEquals(hex(mapping), head.channelMapping());
        assertBytes(original, write(head::writeTo));
        assertEquals(head, OpusHead.of(channels, 312, 48000, 0, family, streams, coupled, hex(mapping)));
    }

    @Test
    void readsLittleEndianFieldsAndLaterMinorVersions() {
        // Version 0x0f (minor 15), 44.1 kHz input, gain -1.5 dB, family 255 with a silent channel, trailing bytes.
        OpusHead head = parse(hex("4f707573486561640f03 6801 44ac0000 80fe ff 02 01 00 01 ff 99 99"), OpusHead::parse);
        assertEquals(15, head.version());
        assertEquals(0x168, head.preSkip());
        assertEquals(44100, head.inputSampleRate());
        assertEquals(-384, head.outputGain());
        assertEquals(new AudioParameters(48000, 3, "Opus"), head.audioParameters());
        assertBytes(hex("4f707573486561640f03 6801 44ac0000 80fe ff 02 01 00 01 ff"), write(head::writeTo));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                        ''",
        "short,                        '4f707573486561640102380180bb00000000'",
        "bad magic,                    '4f707573546167730102380180bb0000000000'",
        "major version 1,              '4f707573486561641002380180bb0000000000'",
        "zero channels,                '4f707573486561640100380180bb0000000000'",
        "family 0 with 3 channels,     '4f707573486561640103380180bb0000000000'",
        "family 1 with 9 channels,     '4f707573486561640109380180bb00000000010504000102030405060708'",
        "family 1 table cut,           '4f707573486561640106380180bb000000000104020004010203'",
        "zero streams,                 '4f707573486561640102380180bb0000000001000000'",
        "coupled above streams,        '4f707573486561640102380180bb00000000010102 0001'",
        "mapping past decoded,         '4f707573486561640102380180bb00000000010100 0001'",
        "family 3,                     '4f707573486561640102380180bb00000000030101 0001'",
    })
    void rejectsMalformedHeaders(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> parse(hex(bytes), OpusHead::parse), name);
    }
}
