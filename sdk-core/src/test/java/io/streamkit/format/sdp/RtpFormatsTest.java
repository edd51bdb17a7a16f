package io.streamkit.format.sdp;

import static io.streamkit.codec.Fixtures.hex;
import static io.streamkit.codec.Fixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Track formats to SDP media descriptions and back (RFCs 6184, 7798, 3640, 7587), on ffmpeg's configurations. */
class RtpFormatsTest {

    private static TrackFormat fixture(Codec codec, String name) {
        return TrackFormat.of(codec, Unpooled.wrappedBuffer(read(name)));
    }

    private static MediaDescription section(String lines) {
        return SessionDescription.parse("v=0\n" + lines).media().get(0);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "H264 | h264-baseline-320x240-25.avcC | 96 | rtpmap:96 H264/90000 | fmtp:96 packetization-mode=1;profile-level-id=42C00D;"
            + "sprop-parameter-sets=Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA,aMuDyyA=",
        "H264 | h264-main-1280x720-30.avcC | 96 | rtpmap:96 H264/90000 | fmtp:96 packetization-mode=1;profile-level-id=4D401F;"
            + "sprop-parameter-sets=Z01AH+ygKALdgIgAAAMACAAAAwHgeMGMsA==,aOvjyyA=",
        "H264 | h264-high-642x362-25.avcC | 100 | rtpmap:100 H264/90000 | fmtp:100 packetization-mode=1;profile-level-id=64001E;"
            + "sprop-parameter-sets=Z2QAHqzZQKQv4iTARAAAAwAEAAADAMg8WLZY,aOvjyyLA",
        "H265 | hevc-main-320x240-25.hvcC | 96 | rtpmap:96 H265/90000 | fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ;"
            + "sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWVKTC8BaAgAAAwACAAADADIQ;sprop-pps=RAHAc8GJ",
        "H265 | hevc-main10-1280x720-30.hvcC | 98 | rtpmap:98 H265/90000 | ",
        "AAC  | aac-lc-44100-2.asc | 97 | rtpmap:97 mpeg4-generic/44100/2 | fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;"
            + "sizelength=13;indexlength=3;indexdeltalength=3;config=121056e500",
        "AAC  | aac-lc-48000-1.asc | 97 | rtpmap:97 mpeg4-generic/48000/1 | fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;"
            + "sizelength=13;indexlength=3;indexdeltalength=3;config=118856e500",
        "OPUS | opus-stereo-48000.opushead | 111 | rtpmap:111 opus/48000/2 | fmtp:111 sprop-stereo=1",
        "OPUS | opus-mono-48000.opushead | 111 | rtpmap:111 opus/48000/2 | ",
    })
    void describesFfmpegsTracksAndReadsThemBack(Codec codec, String fixture, int payloadType, String rtpMap, String fmtp) {
        TrackFormat format = fixture(codec, fixture);
        MediaDescription m = RtpFormats.describe(format, payloadType, "streamid=0").orElseThrow();
        String expected = "m=" + (codec == Codec.H264 || codec == Codec.H265 ? "video" : "audio") + " 0 RTP/AVP "
                + payloadType + "\r\na=" + rtpMap + "\r\n" + (fmtp == null ? "" : "a=" + fmtp + "\r\n")
                + "a=control:streamid=0\r\n";
        if (codec != Codec.H265 || fmtp != null) {
            assertEquals(expected, m.toString());
        } else {
            assertTrue(m.toString().startsWith("m=video 0 RTP/AVP 98\r\na=rtpmap:98 H265/90000\r\na=fmtp:98 sprop-vps="),
                    m.toString());
        }

        String sdp = SessionDescription.builder().media(m).build().toString();
        RtpTrackFormat back = RtpFormats.parse(SessionDescription.parse(sdp).media().get(0)).orElseThrow();
        assertEquals(new RtpTrackFormat(payloadType, RtpFormats.clockRate(codec, format), codec, back.format(), "streamid=0"),
                back);
        switch (codec) {
            case H264 -> {
                AvcDecoderConfigurationRecord a = AvcDecoderConfigurationRecord.parse(format.config());
                AvcDecoderConfigurationRecord b = AvcDecoderConfigurationRecord.parse(back.format().config());
                assertEquals(a.sps().size(), b.sps().size());
                assertArrayEquals(a.sps().get(0), b.sps().get(0));
                assertArrayEquals(a.pps().get(0), b.pps().get(0));
                assertEquals(4, b.nalUnitLength());
                assertEquals(format.video(), back.format().video());
            }
            case H265 -> {
                HevcDecoderConfigurationRecord a = HevcDecoderConfigurationRecord.parse(format.config());
                HevcDecoderConfigurationRecord b = HevcDecoderConfigurationRecord.parse(back.format().config());
                assertArrayEquals(a.vps().get(0), b.vps().get(0));
                assertArrayEquals(a.sps().get(0), b.sps().get(0));
                assertArrayEquals(a.pps().get(0), b.pps().get(0));
                assertEquals(format.video(), back.format().video());
            }
            default -> assertEquals(format, back.format(), "the same configuration bytes");
        }
    }

    @Test
    void readsFfmpegsAnnounce() {
        List<MediaDescription> media = SessionDescription.parse(SessionDescriptionTest.FFMPEG_ANNOUNCE).media();
        RtpTrackFormat video = RtpFormats.parse(media.get(0)).orElseThrow();
        assertEquals(Codec.H264, video.codec());
        assertEquals(90_000, video.clockRate());
        assertEquals("streamid=0", video.control());
        assertEquals(320, video.format().video().orElseThrow().width());
        assertEquals(fixture(Codec.H264, "h264-baseline-320x240-25.avcC").video(), video.format().video());
        RtpTrackFormat audio = RtpFormats.parse(media.get(1)).orElseThrow();
        assertEquals(new RtpTrackFormat(97, 44_100, Codec.AAC, fixture(Codec.AAC, "aac-lc-44100-2.asc"), "streamid=1"), audio);
    }

    @Test
    void readsACamerasParameterSetsWithoutPaddingAndPassesOverWhatItDoesNotCarry() {
        List<MediaDescription> media = SessionDescription.parse(SessionDescriptionTest.CAMERA_DESCRIBE).media();
        RtpTrackFormat video = RtpFormats.parse(media.get(0)).orElseThrow();
        assertEquals(fixture(Codec.H264, "h264-main-1280x720-30.avcC").video(), video.format().video());
        assertEquals(1280, video.format().video().orElseThrow().width());
        RtpTrackFormat g711 = RtpFormats.parse(media.get(1)).orElseThrow();   // a=rtpmap:8 PCMA/8000, static
        assertEquals(Codec.PCMA, g711.codec());
        assertEquals(8_000, g711.clockRate());
        assertEquals(TrackFormat.of(Codec.PCMA, 8_000, 1), g711.format());
        assertEquals(Optional.empty(), RtpFormats.parse(media.get(2)), "metadata");
    }

    @Test
    void readsGStreamersH265AndUpperCaseOpus() {
        List<MediaDescription> media = SessionDescription.parse(SessionDescriptionTest.GSTREAMER_DESCRIBE).media();
        RtpTrackFormat video = RtpFormats.parse(media.get(0)).orElseThrow();
        assertEquals(Codec.H265, video.codec());
        assertEquals(fixture(Codec.H265, "hevc-main-320x240-25.hvcC").video(), video.format().video());
        RtpTrackFormat audio = RtpFormats.parse(media.get(1)).orElseThrow();
        assertEquals(Codec.OPUS, audio.codec());
        assertEquals(48_000, audio.clockRate());
        assertEquals(new AudioParameters(48_000, 1, "Opus"), audio.format().audio().orElseThrow(), "sprop-stereo=0");
        assertEquals("rtsp://127.0.0.1:8554/test/stream=1", audio.control());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no fmtp                  | ",
        "no sprop                 | a=fmtp:96 packetization-mode=1; profile-level-id=42C00D",
        "empty sprop              | a=fmtp:96 sprop-parameter-sets=",
        "not base64               | a=fmtp:96 sprop-parameter-sets=Z0L*ADdk,aMuDyyA=",
        "a lone base64 character  | a=fmtp:96 sprop-parameter-sets=Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSAx,aMuDyyA=",
        "only a PPS               | a=fmtp:96 sprop-parameter-sets=aMuDyyA=",
        "an SPS that does not parse | a=fmtp:96 sprop-parameter-sets=Z0LADQ==,aMuDyyA=",
        "an SEI only              | a=fmtp:96 sprop-parameter-sets=BgUB",
    })
    void h264WithoutUsableParameterSetsHasANullFormat(String what, String fmtp) {
        MediaDescription m = section("m=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\n" + (fmtp == null ? "" : fmtp + "\n")
                + "a=control:trackID=1\n");
        assertEquals(Optional.of(new RtpTrackFormat(96, 90_000, Codec.H264, null, "trackID=1")), RtpFormats.parse(m));
    }

    @Test
    void h264ParameterSetsAreSortedByTypeWithExtrasAndEmptyItemsLeftOut() {
        MediaDescription m = section("m=video 0 RTP/AVP 96\na=rtpmap:96 h264/90000\n"
                + "a=fmtp:96 sprop-parameter-sets=aMuDyyA,,BgUB, Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA ,\n");
        TrackFormat format = RtpFormats.parse(m).orElseThrow().format();
        AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(format.config());
        assertArrayEquals(hex("6742c00dd90141fb011000000300100000030320f142a480"), record.sps().get(0));
        assertArrayEquals(hex("68cb83cb20"), record.pps().get(0));
        assertEquals(1, record.pps().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mode 0                 | packetization-mode=0 | true",
        "mode 1                 | packetization-mode=1 | true",
        "mode 2, interleaved    | packetization-mode=2 | false",
        "mode not a number      | packetization-mode=one | false",
    })
    void h264PacketizationModes(String what, String fmtp, boolean carried) {
        MediaDescription m = section("m=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 " + fmtp + "\n");
        assertEquals(carried, RtpFormats.parse(m).isPresent());
    }

    @Test
    void h265WithDonlFieldsIsNotCarried() {
        String sprop = "sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWVKTC8BaAgAAAwACAAADADIQ;"
                + "sprop-pps=RAHAc8GJ";
        assertEquals(Optional.empty(), RtpFormats.parse(section("m=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\n"
                + "a=fmtp:96 sprop-max-don-diff=2;" + sprop + "\n")));
        RtpTrackFormat plain = RtpFormats.parse(section("m=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\n"
                + "a=fmtp:96 sprop-max-don-diff=0;" + sprop + "\n")).orElseThrow();
        assertEquals(fixture(Codec.H265, "hevc-main-320x240-25.hvcC").video(), plain.format().video());
        RtpTrackFormat noSets = RtpFormats.parse(section("m=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\n")).orElseThrow();
        assertNull(noSets.format());
        RtpTrackFormat swapped = RtpFormats.parse(section("m=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\n"
                + "a=fmtp:96 sprop-vps=RAHAc8GJ;sprop-sps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ\n")).orElseThrow();
        assertNull(swapped.format(), "sets under the wrong names are left out: no SPS");
        assertEquals(Optional.empty(), RtpFormats.parse(section("m=video 0 RTP/AVP 96\na=rtpmap:96 HEVC/90000\n")),
                "RFC 7798 names it H265");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ffmpeg's                 | mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=121056E500 | true",
        "case and spaces          | Mode=aac-HBR; SizeLength=13; IndexLength=3; IndexDeltaLength=3; Config=121056e500 | true",
        "AAC-lbr                  | mode=AAC-lbr;sizelength=6;indexlength=2;indexdeltalength=2;config=121056E500 | false",
        "other sizelength         | mode=AAC-hbr;sizelength=6;indexlength=3;indexdeltalength=3;config=121056E500 | false",
        "no indexdeltalength      | mode=AAC-hbr;sizelength=13;indexlength=3;config=121056E500 | false",
        "no mode                  | sizelength=13;indexlength=3;indexdeltalength=3;config=121056E500 | false",
        "no config                | mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3 | false",
        "config not hex           | mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=12105 | false",
        "config not an ASC        | mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1f | false",
        "sizelength not a number  | mode=AAC-hbr;sizelength=thirteen;indexlength=3;indexdeltalength=3;config=1210 | false",
    })
    void aacIsCarriedOnlyInTheLayoutTheDepacketizerReads(String what, String fmtp, boolean carried) {
        MediaDescription m = section("m=audio 0 RTP/AVP 97\na=rtpmap:97 MPEG4-GENERIC/44100/2\na=fmtp:97 " + fmtp + "\n");
        Optional<RtpTrackFormat> f = RtpFormats.parse(m);
        assertEquals(carried, f.isPresent());
        f.ifPresent(t -> assertEquals(new AudioParameters(44_100, 2, "AAC LC"), t.format().audio().orElseThrow()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ffmpeg's, 44.1 kHz stereo     | MP4A-LATM/44100/2 | profile-level-id=1;cpresent=0;config=400024203fc0 | 44100 | 2",
        "GStreamer's, 44.1 kHz mono    | MP4A-LATM/44100/1 | cpresent=0;config=40002410                         | 44100 | 1",
        "lower case, 48 kHz stereo     | mp4a-latm/48000/2 | CPRESENT=0;CONFIG=40002320                         | 48000 | 2",
    })
    void latmWithItsConfigurationOutOfBandIsCarried(String what, String rtpMap, String fmtp, int rate, int channels) {
        RtpTrackFormat f = RtpFormats.parse(section("m=audio 0 RTP/AVP 96\na=rtpmap:96 " + rtpMap + "\na=fmtp:96 " + fmtp
                + "\n")).orElseThrow();
        assertEquals(Codec.AAC, f.codec());
        assertEquals(new AudioParameters(rate, channels, "AAC LC"), f.format().audio().orElseThrow());
        assertEquals(0, f.latm().numSubFrames());
        // described as RFC 3640's AAC-hbr, which every player reads
        assertTrue(RtpFormats.describe(f.format(), 97, null).orElseThrow().toString().contains("mpeg4-generic/" + rate));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "configuration in band        | cpresent=1;config=400024203fc0",
        "cpresent absent: RFC's 1     | config=400024203fc0",
        "no config                    | cpresent=0",
        "not a StreamMuxConfig        | cpresent=0;config=ff",
    })
    void latmIsNotCarriedOtherwise(String what, String fmtp) {
        assertEquals(Optional.empty(), RtpFormats.parse(section("m=audio 0 RTP/AVP 96\na=rtpmap:96 MP4A-LATM/44100/2\n"
                + "a=fmtp:96 " + fmtp + "\n")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "static A-law              | 8  |                  | PCMA | 8000  | 1",
        "static mu-law             | 0  |                  | PCMU | 8000  | 1",
        "mapped mu-law             | 0  | PCMU/8000        | PCMU | 8000  | 1",
        "dynamic wideband stereo   | 97 | pcma/16000/2     | PCMA | 16000 | 2",
    })
    void g711IsReadWithItsRateAndChannelsAndDescribedBack(String what, int payloadType, String rtpMap, Codec codec,
                                                          int rate, int channels) {
        RtpTrackFormat f = RtpFormats.parse(section("m=audio 0 RTP/AVP " + payloadType + "\n"
                + (rtpMap == null ? "" : "a=rtpmap:" + payloadType + " " + rtpMap + "\n"))).orElseThrow();
        assertEquals(new RtpTrackFormat(payloadType, rate, codec, TrackFormat.of(codec, rate, channels), null), f);
        assertEquals(rate, RtpFormats.clockRate(codec, f.format()));
        int sent = RtpFormats.payloadType(f.format(), 97);
        assertEquals(rate == 8000 && channels == 1 ? payloadType : 97, sent, "static only at 8 kHz mono");
        MediaDescription back = RtpFormats.describe(f.format(), sent, null).orElseThrow();
        assertEquals(Optional.of(f.format()), RtpFormats.parse(back).map(RtpTrackFormat::format));
        assertTrue(back.toString().contains("a=rtpmap:" + sent + " " + codec.name() + "/" + rate
                + (channels > 1 ? "/" + channels : "") + "\r\n"), back.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "stereo                  | opus/48000/2 | sprop-stereo=1 | 2",
        "mono                    | opus/48000/2 | sprop-stereo=0 | 1",
        "no fmtp: RFC's default  | opus/48000/2 |                | 1",
        "upper case              | OPUS/48000/2 | SPROP-STEREO=1 | 2",
        "an rtpmap that says mono| opus/48000/1 | sprop-stereo=1 | 1",
        "not 0 or 1              | opus/48000/2 | sprop-stereo=yes | 1",
    })
    void opusGetsAnOpusHeadOfOneOrTwoChannels(String what, String rtpMap, String fmtp, int channels) {
        MediaDescription m = section("m=audio 0 RTP/AVP 111\na=rtpmap:111 " + rtpMap + "\n"
                + (fmtp == null ? "" : "a=fmtp:111 " + fmtp + "\n"));
        TrackFormat format = RtpFormats.parse(m).orElseThrow().format();
        OpusHead head = OpusHead.parse(format.config());
        assertEquals(channels, head.channelCount());
        assertEquals(RtpFormats.OPUS_PRE_SKIP, head.preSkip());
        assertEquals(OpusHead.FAMILY_RTP, head.mappingFamily());
    }

    @Test
    void mp3IsReadFromItsStaticPayloadTypeOrItsRtpMap() {
        assertEquals(Optional.of(new RtpTrackFormat(14, 90_000, Codec.MP3, TrackFormat.of(Codec.MP3), null)),
                RtpFormats.parse(section("m=audio 0 RTP/AVP 14\n")));
        assertEquals(Optional.of(new RtpTrackFormat(96, 90_000, Codec.MP3, TrackFormat.of(Codec.MP3), null)),
                RtpFormats.parse(section("m=audio 0 RTP/AVP 96\na=rtpmap:96 mpa/90000\n")));
        MediaDescription m = RtpFormats.describe(TrackFormat.of(Codec.MP3), 14, null).orElseThrow();
        assertEquals("m=audio 0 RTP/AVP 14\r\na=rtpmap:14 MPA/90000\r\n", m.toString());
    }

    @Test
    void theFirstPayloadTypeCarriedIsRead() {
        MediaDescription m = section("m=audio 0 RTP/AVP 0 8 96 97 14\na=rtpmap:96 MPEG4-GENERIC/44100/2\n"
                + "a=fmtp:96 mode=AAC-lbr;sizelength=6;indexlength=2;indexdeltalength=2;config=1210\n"
                + "a=rtpmap:97 opus/48000/2\na=rtpmap:0 PCMU/8000\n");
        assertEquals(0, RtpFormats.parse(m).orElseThrow().payloadType(), "G.711 mu-law, static");
        m = section("m=audio 0 RTP/AVP 96 97 14\na=rtpmap:96 MPEG4-GENERIC/44100/2\n"
                + "a=fmtp:96 mode=AAC-lbr;sizelength=6;indexlength=2;indexdeltalength=2;config=1210\n"
                + "a=rtpmap:97 opus/48000/2\n");
        assertEquals(97, RtpFormats.parse(m).orElseThrow().payloadType());
        assertEquals(Optional.empty(), RtpFormats.parse(section("m=video 0 RTP/AVP 96\n")), "no rtpmap");
        assertEquals(Optional.empty(), RtpFormats.parse(section("m=application 0 RTP/AVP webrtc\n")), "no payload type");
    }

    @Test
    void describesWhatItCarriesAndNothingElse() {
        assertEquals(Optional.empty(), RtpFormats.describe(TrackFormat.of(Codec.AV1), 96, null));
        assertEquals(Optional.empty(), RtpFormats.describe(TrackFormat.of(Codec.VP9), 96, null));
        assertEquals(Optional.empty(), RtpFormats.describe(TrackFormat.of(Codec.AAC), 97, null), "AAC without its config");
        assertEquals(Optional.empty(), RtpFormats.describe(fixture(Codec.OPUS, "opus-51-48000.opushead"), 111, null),
                "RFC 7587 carries one or two channels");
        assertEquals("m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n",
                RtpFormats.describe(TrackFormat.of(Codec.H264), 96, null).orElseThrow().toString(),
                "parameter sets in band");
        assertEquals("m=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n",
                RtpFormats.describe(TrackFormat.of(Codec.H265), 96, null).orElseThrow().toString());
        assertThrows(IllegalArgumentException.class, () -> RtpFormats.describe(TrackFormat.of(Codec.H264), 128, null));
        assertThrows(IllegalArgumentException.class, () -> RtpFormats.describe(TrackFormat.of(Codec.H264), 96, "a\nb"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "H264 | h264-baseline-320x240-25.avcC | 90000",
        "H265 | hevc-main-320x240-25.hvcC     | 90000",
        "AAC  | aac-lc-44100-2.asc            | 44100",
        "AAC  | aac-lc-96000-6.asc            | 96000",
        "OPUS | opus-stereo-48000.opushead    | 48000",
        "MP3  |                               | 90000",
        "AV1  |                               | 90000",
    })
    void clockRates(Codec codec, String fixture, int rate) {
        TrackFormat format = fixture == null ? TrackFormat.of(codec) : fixture(codec, fixture);
        assertEquals(rate, RtpFormats.clockRate(codec, format));
        if (codec != Codec.AAC) {
            assertEquals(rate, RtpFormats.clockRate(codec, null));
        }
    }

    @Test
    void heAacCountsItsCoreRate() {
        TrackFormat heAac = TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(hex("2b118800")));   // SBR, 24 kHz core, 48 kHz out
        assertEquals(48_000, heAac.audio().orElseThrow().sampleRate());
        assertEquals(24_000, RtpFormats.clockRate(Codec.AAC, heAac));
        assertTrue(RtpFormats.describe(heAac, 97, null).orElseThrow().toString().contains("a=rtpmap:97 mpeg4-generic/24000/2\r\n"));
        assertThrows(IllegalArgumentException.class, () -> RtpFormats.clockRate(Codec.AAC, null));
        assertThrows(IllegalArgumentException.class, () -> RtpFormats.clockRate(Codec.AAC, TrackFormat.of(Codec.AAC)));
        assertThrows(IllegalArgumentException.class, () -> RtpFormats.clockRate(Codec.H264, heAac));
    }

    @Test
    void aTrackFormatChecksItsFields() {
        assertThrows(IllegalArgumentException.class, () -> new RtpTrackFormat(128, 90_000, Codec.H264, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RtpTrackFormat(96, 0, Codec.H264, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new RtpTrackFormat(96, 90_000, Codec.H264, TrackFormat.of(Codec.MP3), null));
    }
}
