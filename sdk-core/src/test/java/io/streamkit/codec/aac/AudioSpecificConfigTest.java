package io.streamkit.codec.aac;

import static io.streamkit.codec.Fixtures.assertBytes;
import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.parse;
import static io.streamkit.codec.Fixtures.read;
import static io.streamkit.codec.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig.Signalling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ffmpeg's native AAC encoder makes only AAC LC, so the fixtures are LC (with ffmpeg's
 * backward-compatible "no SBR" sync extension); HE-AAC and HE-AACv2 configurations are
 * written out here bit by bit from ISO/IEC 14496-3 1.6.2.1, 1.6.5.2 and 1.6.6.2.
 */
class AudioSpecificConfigTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "aac-lc-44100-2.asc, 44100, 2",
        "aac-lc-48000-1.asc, 48000, 1",
        "aac-lc-96000-6.asc, 96000, 6",
    })
    void parsesAndRoundTripsFfmpegConfigurations(String fixture, int rate, int channels) {
        byte[] original = read(fixture);
        AudioSpecificConfig asc = parse(original, AudioSpecificConfig::parse);
        assertEquals(new AudioParameters(rate, channels, "AAC LC"), asc.audioParameters());
        assertEquals(Signalling.EXPLICIT_BACKWARD_COMPATIBLE, asc.signalling());
        assertFalse(asc.sbrPresent());
        assertFalse(asc.frameLengthFlag());
        assertBytes(original, write(asc::writeTo));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,                               bytes,                 rate,  channels, profile,  aot, signalling
        "AAC Main 48 kHz stereo,               '09 90',               48000, 2, AAC Main,        1, NONE",
        "AAC LC 44.1 kHz stereo,               '12 10',               44100, 2, AAC LC,          2, NONE",
        "AAC LC 960-sample frames,             '12 14',               44100, 2, AAC LC,          2, NONE",
        "AAC LTP 8 kHz mono,                   '25 88',                8000, 1, AAC LTP,         4, NONE",
        "AAC LC 7.1 (config 7),                '11 b8',               48000, 8, AAC LC,          2, NONE",
        "AAC LC explicit 37800 Hz,             '17 80 49 d4 10',      37800, 2, AAC LC,          2, NONE",
        "HE-AAC hierarchical 24 -> 48 kHz,     '2b 11 88 00',         48000, 2, HE-AAC,          2, EXPLICIT_HIERARCHICAL",
        "HE-AACv2 hierarchical mono core,      'eb 09 88 00',         48000, 2, HE-AACv2,        2, EXPLICIT_HIERARCHICAL",
        "HE-AAC backward compatible,           '13 90 56 e5 a0',      44100, 2, HE-AAC,          2, EXPLICIT_BACKWARD_COMPATIBLE",
        "HE-AACv2 backward compatible,         '13 88 56 e5 a5 48 80', 44100, 2, HE-AACv2,       2, EXPLICIT_BACKWARD_COMPATIBLE",
        "escaped object type 42 (USAC),        'f9 48 40',            44100, 2, USAC,           42, NONE",
    })
    void parsesSignalledConfigurations(String name, String bytes, int rate, int channels, String profile, int aot,
            Signalling signalling) {
        AudioSpecificConfig asc = parse(hex(bytes), AudioSpecificConfig::parse);
        assertEquals(new AudioParameters(rate, channels, profile), asc.audioParameters(), name);
        assertEquals(aot, asc.audioObjectType(), name);
        assertEquals(signalling, asc.signalling(), name);
        assertEquals(name.contains("960"), asc.frameLengthFlag(), name);
        if (aot <= 4) {
            assertBytes(hex(bytes), asc.toByteArray());
        }
    }

    @Test
    void countsProgramConfigElementChannels() {
        // LC 48 kHz, channelConfiguration 0, PCE: 2 front (SCE + CPE), 1 back CPE, 1 LFE = 6 channels.
        AudioSpecificConfig asc = parse(hex("11 80 04 c8 05 00 01 19 00 00"), AudioSpecificConfig::parse);
        assertEquals(new AudioParameters(48000, 6, "AAC LC"), asc.audioParameters());
        assertEquals(0, asc.channelConfiguration());
        assertThrows(UnsupportedOperationException.class, asc::toByteArray);
    }

    @Test
    void buildsPlainConfigurations() {
        assertBytes(hex("12 10"), AudioSpecificConfig.of(2, 44100, 2).toByteArray());
        assertBytes(hex("11 90"), AudioSpecificConfig.of(2, 48000, 2).toByteArray());
        assertBytes(hex("17 80 49 d4 10"), AudioSpecificConfig.of(2, 37800, 2).toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                          ''",
        "one byte,                       '12'",
        "reserved frequency index 13,    '16 90'",
        "explicit frequency cut,         '17 80 93'",
        "explicit frequency 0,           '17 80 00 00 10'",
        "reserved channel config 8,      '12 40'",
        "escaped object type cut,        'f8'",
        "SBR without core,               '2b 11'",
        "PCE cut,                        '11 80 04 c8'",
    })
    void rejectsMalformedConfigurations(String name, String bytes) {
        assertThrows(MediaFormatException.class, () -> parse(hex(bytes), AudioSpecificConfig::parse), name);
    }

    @Test
    void writesAdtsHeadersLikeFfmpeg() {
        // The first headers of ffmpeg -f adts for the same inputs as the fixtures.
        AudioSpecificConfig stereo = parse(read("aac-lc-44100-2.asc"), AudioSpecificConfig::parse);
        assertBytes(hex("ff f1 50 80 2b 3f fc"), write(out -> stereo.writeAdtsHeader(out, 338)));
        AudioSpecificConfig surround = parse(read("aac-lc-96000-6.asc"), AudioSpecificConfig::parse);
        assertBytes(hex("ff f1 41 80 2f df fc"), write(out -> surround.writeAdtsHeader(out, 375)));
        assertBytes(hex("ff f1 4d 80 2f df fc"), write(out -> AudioSpecificConfig.writeAdtsHeader(out, 2, 3, 6, 375)));
        // HE-AAC: ADTS signals SBR implicitly, so the core type and rate are written.
        AudioSpecificConfig he = parse(hex("2b 11 88 00"), AudioSpecificConfig::parse);
        assertBytes(hex("ff f1 58 80 01 1f fc"), write(out -> he.writeAdtsHeader(out, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "object type 5,          5, 4, 2, 100",
        "object type 0,          0, 4, 2, 100",
        "frequency index 13,     2, 13, 2, 100",
        "channel config 8,       2, 4, 8, 100",
        "frame too long,         2, 4, 2, 8185",
        "negative length,        2, 4, 2, -1",
    })
    void rejectsWhatAdtsCannotCarry(String name, int aot, int sfIndex, int channelConfig, int length) {
        assertThrows(MediaFormatException.class,
                () -> write(out -> AudioSpecificConfig.writeAdtsHeader(out, aot, sfIndex, channelConfig, length)),
                name);
    }
}
