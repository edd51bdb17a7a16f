package io.streamkit.format.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.MediaFormatException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SDP (RFC 8866) as RTSP peers write it: ffmpeg's ANNOUNCE, an IP camera's and GStreamer's
 * DESCRIBE answers; the writer's round trip; the limits; malformed lines.
 */
class SessionDescriptionTest {
    /**
     * What ffmpeg 5.1 (libavformat 59.27.100) sends in ANNOUNCE for {@code ffmpeg -re -f lavfi -i
     * testsrc=size=320x240:rate=25 -f lavfi -i sine=sample_rate=44100 -c:v libx264 -profile:v
     * baseline -c:a aac -ac 2 -f rtsp rtsp://127.0.0.1:8554/live}: written out from
     * libavformat/sdp.c (session header, {@code extradata2psets}, the AAC branch) with the SPS/PPS
     * of the {@code h264-baseline-320x240-25.avcC} fixture and the AudioSpecificConfig of
     * {@code aac-lc-44100-2.asc}, both made by ffmpeg. Note the {@code "; "} separators and
     * the upper-case hex.
     */
    static final String FFMPEG_ANNOUNCE = """
            v=0\r
            o=- 0 0 IN IP4 127.0.0.1\r
            s=No Name\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            a=tool:libavformat 59.27.100\r
            m=video 0 RTP/AVP 96\r
            a=rtpmap:96 H264/90000\r
            a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA,aMuDyyA=; \
            profile-level-id=42C00D\r
            a=control:streamid=0\r
            m=audio 0 RTP/AVP 97\r
            b=AS:128\r
            a=rtpmap:97 MPEG4-GENERIC/44100/2\r
            a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; \
            config=121056E500\r
            a=control:streamid=1\r
            """;

    /**
     * An IP camera's DESCRIBE answer in the shape Hikvision firmware writes: an absolute session
     * control, {@code e=}, {@code b=} and media-level {@code c=} lines, a flag, G.711 on a static
     * payload type, a metadata track, parameter sets without base64 padding (the SPS/PPS of the
     * {@code h264-main-1280x720-30.avcC} fixture) and LF line ends.
     */
    static final String CAMERA_DESCRIBE = """
            v=0
            o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64
            s=Media Presentation
            e=NONE
            b=AS:5100
            t=0 0
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast
            m=video 0 RTP/AVP 96
            c=IN IP4 0.0.0.0
            b=AS:5000
            a=recvonly
            a=x-dimensions:1280,720
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast
            a=rtpmap:96 H264/90000
            a=fmtp:96 profile-level-id=4D401F; packetization-mode=1; \
            sprop-parameter-sets=Z01AH+ygKALdgIgAAAMACAAAAwHgeMGMsA,aOvjyyA
            a=Media_header:MEDIAINFO=494D4B48010100000400010010710110401F000000FA000000000000000000000000000000000000;
            a=appversion:1.0
            m=audio 0 RTP/AVP 8
            c=IN IP4 0.0.0.0
            b=AS:50
            a=recvonly
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast
            a=rtpmap:8 PCMA/8000
            a=ptime:40
            m=application 0 RTP/AVP 107
            c=IN IP4 0.0.0.0
            b=AS:50
            a=recvonly
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=3?transportmode=unicast
            a=rtpmap:107 isapi-metadata/90000
            """;

    /**
     * gst-rtsp-server's DESCRIBE answer for {@code ( x264enc ! rtph265pay ... opusenc ! rtpopuspay )}
     * in shape: {@code i=}, session attributes, upper-case {@code OPUS}, {@code sprop-stereo=0}.
     * The H.265 parameter sets are those of the {@code hevc-main-320x240-25.hvcC} fixture.
     */
    static final String GSTREAMER_DESCRIBE = """
            v=0\r
            o=- 1188340656180883 1 IN IP4 127.0.0.1\r
            s=Session streamed with GStreamer\r
            i=rtsp-server\r
            t=0 0\r
            a=tool:GStreamer\r
            a=type:broadcast\r
            a=range:npt=now-\r
            a=control:rtsp://127.0.0.1:8554/test\r
            m=video 0 RTP/AVP 96\r
            c=IN IP4 0.0.0.0\r
            b=AS:2000\r
            a=rtpmap:96 H265/90000\r
            a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWVKTC8BaAgAAAwACAAADADIQ;\
            sprop-pps=RAHAc8GJ\r
            a=control:rtsp://127.0.0.1:8554/test/stream=0\r
            a=ts-refclk:local\r
            a=mediaclk:sender\r
            m=audio 0 RTP/AVP 97\r
            c=IN IP4 0.0.0.0\r
            a=rtpmap:97 OPUS/48000/2\r
            a=fmtp:97 sprop-maxcapturerate=48000;sprop-stereo=0\r
            a=control:rtsp://127.0.0.1:8554/test/stream=1\r
            a=ts-refclk:local\r
            a=mediaclk:sender\r
            """;

    @Test
    void readsFfmpegsAnnounce() {
        SessionDescription d = SessionDescription.parse(FFMPEG_ANNOUNCE);
        assertEquals("No Name", d.name());
        assertEquals("127.0.0.1", d.connectionAddress());
        assertEquals(Optional.of("libavformat 59.27.100"), d.attribute("tool"));
        assertNull(d.control());
        assertEquals(2, d.media().size());

        MediaDescription video = d.media().get(0);
        assertEquals("video", video.media());
        assertEquals(0, video.port());
        assertEquals("RTP/AVP", video.protocol());
        assertEquals(List.of(96), video.payloadTypes());
        assertEquals(Optional.of(new RtpMap(96, "H264", 90_000, 0)), video.rtpMap(96));
        assertEquals(Map.of("packetization-mode", "1",
                "sprop-parameter-sets", "Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA,aMuDyyA=",
                "profile-level-id", "42C00D"), video.formatParameters(96));
        assertEquals("streamid=0", video.control());

        MediaDescription audio = d.media().get(1);
        assertEquals(List.of(97), audio.payloadTypes());
        assertEquals(Optional.of(new RtpMap(97, "MPEG4-GENERIC", 44_100, 2)), audio.rtpMap(97));
        assertEquals("121056E500", audio.formatParameters(97).get("config"));
        assertEquals("AAC-hbr", audio.formatParameters(97).get("mode"));
        assertEquals("streamid=1", audio.control());
        assertEquals(Optional.empty(), audio.rtpMap(96), "another payload type's rtpmap");
        assertEquals(Map.of(), audio.formatParameters(96));
    }

    @Test
    void readsACamerasDescribeAnswer() {
        SessionDescription d = SessionDescription.parse(CAMERA_DESCRIBE);
        assertEquals("Media Presentation", d.name());
        assertNull(d.connectionAddress(), "only media-level c= lines");
        assertEquals("rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast", d.control());
        assertEquals(3, d.media().size());

        MediaDescription video = d.media().get(0);
        assertEquals(Optional.of(""), video.attribute("recvonly"), "a flag");
        assertEquals(Optional.of("1280,720"), video.attribute("x-dimensions"));
        assertEquals(Optional.of("MEDIAINFO=494D4B48010100000400010010710110401F000000FA000000000000000000000000000000000000;"),
                video.attribute("media_header"), "names compared ignoring case, the value whole");
        assertEquals("Z01AH+ygKALdgIgAAAMACAAAAwHgeMGMsA,aOvjyyA", video.formatParameters(96).get("sprop-parameter-sets"));
        assertEquals("4D401F", video.formatParameters(96).get("profile-level-id"));
        assertTrue(video.control().endsWith("trackID=1?transportmode=unicast"));

        MediaDescription audio = d.media().get(1);
        assertEquals(List.of(8), audio.payloadTypes());
        assertEquals(Optional.of(new RtpMap(8, "PCMA", 8000, 0)), audio.rtpMap(8));
        assertEquals(List.of("40"), audio.attributes("ptime"));

        MediaDescription metadata = d.media().get(2);
        assertEquals("application", metadata.media());
        assertEquals(Optional.of(new RtpMap(107, "isapi-metadata", 90_000, 0)), metadata.rtpMap(107));
    }

    @Test
    void readsGStreamersDescribeAnswer() {
        SessionDescription d = SessionDescription.parse(GSTREAMER_DESCRIBE);
        assertEquals("Session streamed with GStreamer", d.name());
        assertEquals(Optional.of("npt=now-"), d.attribute("range"));
        assertEquals(Optional.of("broadcast"), d.attribute("type"));
        assertEquals(Optional.empty(), d.attribute("ts-refclk"), "a media attribute is not the session's");
        MediaDescription video = d.media().get(0);
        assertEquals(List.of("sprop-vps", "sprop-sps", "sprop-pps"), List.copyOf(video.formatParameters(96).keySet()));
        MediaDescription audio = d.media().get(1);
        assertEquals(Optional.of(new RtpMap(97, "OPUS", 48_000, 2)), audio.rtpMap(97));
        assertEquals("0", audio.formatParameters(97).get("sprop-stereo"));
        assertEquals("rtsp://127.0.0.1:8554/test/stream=1", audio.control());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ffmpeg", "camera", "gstreamer"})
    void lfAndCrlfReadTheSameAndWhatIsWrittenReadsBackTheSame(String which) {
        String text = switch (which) {
            case "ffmpeg" -> FFMPEG_ANNOUNCE;
            case "camera" -> CAMERA_DESCRIBE;
            default -> GSTREAMER_DESCRIBE;
        };
        String written = SessionDescription.parse(text).toString();
        assertEquals(written, SessionDescription.parse(text.replace("\r\n", "\n")).toString());
        assertEquals(written, SessionDescription.parse(text.replace("\r\n", "\n").replace("\n", "\r\n")).toString());
        assertEquals(written, SessionDescription.parse(written).toString());
        assertTrue(written.endsWith("\r\n") && !written.replace("\r\n", "").contains("\n"), "CRLF line ends only");
    }

    @Test
    void writesWhatTheBuilderWasGivenInOrder() {
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("packetization-mode", "1");
        fmtp.put("profile-level-id", "42C00D");
        MediaDescription video = MediaDescription.builder("video", 0, "RTP/AVP")
                .payloadType(96)
                .rtpMap(96, "H264", 90_000, 0)
                .formatParameters(96, fmtp)
                .control("streamid=0")
                .build();
        MediaDescription audio = MediaDescription.builder("audio", 0, "RTP/AVP")
                .payloadType(97)
                .payloadType(14)
                .rtpMap(97, "opus", 48_000, 2)
                .attribute("sendonly", null)
                .attribute("x-empty", "")
                .control("streamid=1")
                .build();
        SessionDescription d = SessionDescription.builder()
                .origin("3913948800", "192.0.2.10")
                .name("Streamkit")
                .connection("2001:db8::1")
                .attribute("tool", "streamkit")
                .attribute("control", "*")
                .media(video)
                .media(audio)
                .build();
        String expected = """
                v=0\r
                o=- 3913948800 3913948800 IN IP4 192.0.2.10\r
                s=Streamkit\r
                c=IN IP6 2001:db8::1\r
                t=0 0\r
                a=tool:streamkit\r
                a=control:*\r
                m=video 0 RTP/AVP 96\r
                a=rtpmap:96 H264/90000\r
                a=fmtp:96 packetization-mode=1;profile-level-id=42C00D\r
                a=control:streamid=0\r
                m=audio 0 RTP/AVP 97 14\r
                a=rtpmap:97 opus/48000/2\r
                a=sendonly\r
                a=x-empty:\r
                a=control:streamid=1\r
                """;
        assertEquals(expected, d.toString());
        SessionDescription back = SessionDescription.parse(expected);
        assertEquals(expected, back.toString());
        assertEquals("2001:db8::1", back.connectionAddress());
        assertEquals("*", back.control());
        assertEquals(List.of(97, 14), back.media().get(1).payloadTypes());
        assertEquals(Optional.of(""), back.media().get(1).attribute("sendonly"));
        assertEquals(Optional.of(""), back.media().get(1).attribute("x-empty"));
        assertEquals(fmtp, back.media().get(0).formatParameters(96));
    }

    @Test
    void aBareBuilderWritesTheDefaults() {
        assertEquals("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", SessionDescription.builder().build().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no name                 | v=0\\n                                    | -    | ",
        "blank name              | v=0\\ns= \\n                              | -    | ",
        "multicast with TTL      | v=0\\nc=IN IP4 224.2.36.42/127\\n          | -    | 224.2.36.42",
        "connection without addr | v=0\\nc=IN IP4\\n                          | -    | ",
        "the first of two        | v=0\\ns=a\\ns=b\\nc=IN IP4 1.2.3.4\\nc=IN IP4 5.6.7.8\\n | a | 1.2.3.4",
        "unknown types skipped   | v=0\\nx=1\\nZ=2\\nb=AS:1\\ns=n\\n        | n    | ",
        "blank lines, NUL padding| v=0\\n\\ns=n\\r\\n\\r\\n\\u0000\\u0000  | n    | ",
    })
    void readsTheSessionLines(String what, String text, String name, String address) {
        SessionDescription d = SessionDescription.parse(unescape(text));
        assertEquals(name, d.name());
        assertEquals(address, d.connectionAddress());
    }

    @Test
    void trailingNulsAndSpacesAreDropped() {
        SessionDescription d = SessionDescription.parse("v=0\r\ns=n \t\r\nm=video 0 RTP/AVP 96\r\na=control:x  \r\n\0\0");
        assertEquals("n", d.name());
        assertEquals("x", d.media().get(0).control());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "numbers             | m=video 0 RTP/AVP 96 97 14      | 96 97 14",
        "a duplicate         | m=video 0 RTP/AVP 96 96 97      | 96 97",
        "data channel        | m=application 9 UDP/DTLS/SCTP webrtc-datachannel | ",
        "out of range        | m=video 0 RTP/AVP 128 -1 0x60 7 | 7",
        "leading zeros       | m=video 0 RTP/AVP 096 7         | 96 7",
        "no format           | m=video 0 RTP/AVP               | ",
        "port count, tabs    | m=video  5004/2\tRTP/AVP   96   | 96",
    })
    void readsTheFormatsThatArePayloadTypes(String what, String line, String types) {
        MediaDescription m = SessionDescription.parse("v=0\n" + line + "\n").media().get(0);
        List<Integer> expected = types == null ? List.of()
                : Arrays.stream(types.split(" ")).map(Integer::valueOf).toList();
        assertEquals(expected, m.payloadTypes());
    }

    @Test
    void keepsFormatsThatAreNotPayloadTypesWhenWriting() {
        String text = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=sctp-port:5000\r\n";
        assertEquals(text, SessionDescription.parse(text).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "clock and channels  | 97 opus/48000/2         | 97 | opus | 48000 | 2",
        "no channels         | 96 H264/90000           | 96 | H264 | 90000 | 0",
        "spaces between      | 96   H264/90000         | 96 | H264 | 90000 | 0",
        "no clock            | 96 H264                 |    |      |       |",
        "clock not a number  | 96 H264/ninety          |    |      |       |",
        "clock 0             | 96 H264/0               |    |      |       |",
        "clock too long      | 96 H264/9999999999      |    |      |       |",
        "payload type 128    | 128 H264/90000          |    |      |       |",
        "payload type signed | +96 H264/90000          |    |      |       |",
        "too many fields     | 96 L16/8000/2/1         |    |      |       |",
        "no encoding         | 96 /90000               |    |      |       |",
        "channels 256        | 96 L16/8000/256         |    |      |       |",
        "nothing             | 96                      |    |      |       |",
    })
    void readsAnRtpMapOrSkipsIt(String what, String value, Integer type, String encoding, Integer clock, Integer channels) {
        MediaDescription m = SessionDescription.parse("v=0\nm=audio 0 RTP/AVP 96 97 128\na=rtpmap:" + value + "\n")
                .media().get(0);
        Optional<RtpMap> expected = type == null ? Optional.empty() : Optional.of(new RtpMap(type, encoding, clock, channels));
        assertEquals(expected, m.rtpMap(type == null ? 96 : type));
    }

    @Test
    void theFirstReadableRtpMapOfAPayloadTypeCounts() {
        MediaDescription m = SessionDescription.parse(
                "v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264\na=rtpmap:96 H264/90000\na=rtpmap:96 H265/90000\n").media().get(0);
        assertEquals(Optional.of(new RtpMap(96, "H264", 90_000, 0)), m.rtpMap(96));
    }

    @Test
    void readsFormatParametersLeniently() {
        MediaDescription m = SessionDescription.parse("v=0\nm=audio 0 RTP/AVP 96 101\n"
                + "a=fmtp:96  SizeLength = 13 ;; Mode=AAC-hbr; flag ;sizelength=6; config=1210=\n"
                + "a=fmtp:96 ignored=1\n"
                + "a=fmtp:101 0-15\n"
                + "a=fmtp:x y=1\n").media().get(0);
        assertEquals(List.of("sizelength", "mode", "flag", "config"), List.copyOf(m.formatParameters(96).keySet()));
        assertEquals("13", m.formatParameters(96).get("sizelength"), "the first of a key");
        assertEquals("AAC-hbr", m.formatParameters(96).get("mode"), "values keep their case");
        assertEquals("", m.formatParameters(96).get("flag"));
        assertEquals("1210=", m.formatParameters(96).get("config"), "the value runs to the ';'");
        assertEquals(Map.of("0-15", ""), m.formatParameters(101));
        assertThrows(UnsupportedOperationException.class, () -> m.formatParameters(96).put("x", "y"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty                | ''                                  | 0 lines has no v=0",
        "leading blank line   | \\nv=0                               | line 1 \"\" the first line is not v=0",
        "not v first          | s=x\\nv=0                           | line 1 \"s=x\" the first line is not v=0",
        "version 1            | v=1                                 | line 1",
        "two sessions         | v=0\\ns=a\\nv=0                     | line 3 \"v=0\" starts a second session",
        "no equals sign       | v=0\\nhello                         | line 2 \"hello\" is not <letter>=<value>",
        "type not a letter    | v=0\\n1=2                           | line 2",
        "space before equals  | v=0\\na =b                          | line 2",
        "leading space        | v=0\\n a=b                          | line 2",
        "control character    | v=0\\ns=a\\u0001b                   | line 2 \"s=a?b\" has the control character 1 at column 4",
        "CR inside a line     | v=0\\ns=a\\rb\\n                    | line 2",
        "DEL                  | v=0\\ns=a\\u007f                    | line 2",
        "attribute no name    | v=0\\na=:x                          | line 2 \"a=:x\" has no attribute name",
        "attribute empty      | v=0\\na=                            | line 2",
        "m= short             | v=0\\ns=-\\nm=video 0               | line 3 \"m=video 0\" has 2 fields",
        "m= empty             | v=0\\nm=                            | line 2",
        "port not a number    | v=0\\nm=video x RTP/AVP 96          | line 2 \"m=video x RTP/AVP 96\" has the port \"x\"",
        "port too high        | v=0\\nm=video 65536 RTP/AVP 96      | line 2",
        "port negative        | v=0\\nm=video -1 RTP/AVP 96         | line 2",
        "port count 0         | v=0\\nm=video 5004/0 RTP/AVP 96     | line 2",
        "port count empty     | v=0\\nm=video 5004/ RTP/AVP 96      | line 2",
    })
    void refusesMalformedLinesNamingThem(String what, String text, String message) {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> SessionDescription.parse(unescape(text)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theLongLineAMessageQuotesIsCut() {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> SessionDescription.parse("v=0\n" + "x".repeat(1000) + "\n"));
        assertTrue(e.getMessage().length() < 120, e.getMessage());
    }

    @Test
    void acceptsTheLimitsAndRefusesOneMore() {
        StringBuilder sixteen = new StringBuilder("v=0\n");
        for (int i = 0; i < SessionDescription.MAX_MEDIA; i++) {
            sixteen.append("m=video 0 RTP/AVP 96\n");
        }
        assertEquals(16, SessionDescription.parse(sixteen.toString()).media().size());
        MediaFormatException media = assertThrows(MediaFormatException.class,
                () -> SessionDescription.parse(sixteen + "m=audio 0 RTP/AVP 97\n"));
        assertTrue(media.getMessage().contains("line 18") && media.getMessage().contains("limit of 16"), media.getMessage());

        StringBuilder attributes = new StringBuilder("v=0\na=s\nm=video 0 RTP/AVP 96\n");
        for (int i = 1; i < SessionDescription.MAX_ATTRIBUTES; i++) {
            attributes.append("a=x:").append(i).append('\n');
        }
        assertEquals(255, SessionDescription.parse(attributes.toString()).media().get(0).attributes("x").size());
        MediaFormatException attribute = assertThrows(MediaFormatException.class,
                () -> SessionDescription.parse(attributes + "a=one-more\n"));
        assertTrue(attribute.getMessage().contains("line 259") && attribute.getMessage().contains("limit of 256"),
                attribute.getMessage());

        String full = "v=0\ns=" + "x".repeat(SessionDescription.MAX_SIZE - 7) + "\n";
        assertEquals(SessionDescription.MAX_SIZE, full.length());
        SessionDescription.parse(full);
        MediaFormatException size = assertThrows(MediaFormatException.class, () -> SessionDescription.parse(full + "\n"));
        assertTrue(size.getMessage().contains("65537") && size.getMessage().contains("65536"), size.getMessage());
        String wide = "v=0\ns=" + "\u00e9".repeat(SessionDescription.MAX_SIZE / 2) + "\n";
        MediaFormatException bytes = assertThrows(MediaFormatException.class, () -> SessionDescription.parse(wide));
        assertTrue(bytes.getMessage().contains("bytes exceeds 65536"), "counted in UTF-8: " + bytes.getMessage());
    }

    @Test
    void theBuilderRefusesWhatWouldBreakTheText() {
        MediaDescription.Builder m = MediaDescription.builder("video", 0, "RTP/AVP");
        assertThrows(IllegalArgumentException.class, () -> m.attribute("control", "x\r\na=injected"));
        assertThrows(IllegalArgumentException.class, () -> m.attribute("a:b", "x"));
        assertThrows(IllegalArgumentException.class, () -> m.attribute("a b", null));
        assertThrows(IllegalArgumentException.class, () -> m.attribute("", null));
        assertThrows(IllegalArgumentException.class, () -> m.payloadType(128));
        assertThrows(IllegalArgumentException.class, () -> m.payloadType(-1));
        m.payloadType(96);
        assertThrows(IllegalArgumentException.class, () -> m.payloadType(96), "listed twice");
        assertThrows(IllegalArgumentException.class, () -> m.rtpMap(96, "H/264", 90_000, 0));
        assertThrows(IllegalArgumentException.class, () -> m.rtpMap(96, "H264", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> m.formatParameters(96, Map.of("a", "b;c=d")));
        assertThrows(IllegalArgumentException.class, () -> m.formatParameters(96, Map.of("a=b", "c")));
        assertThrows(IllegalArgumentException.class, () -> m.formatParameters(96, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.builder("vid eo", 0, "RTP/AVP"));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.builder("video", 65_536, "RTP/AVP"));

        SessionDescription.Builder s = SessionDescription.builder();
        assertThrows(IllegalArgumentException.class, () -> s.origin("12a", "h"));
        assertThrows(IllegalArgumentException.class, () -> s.origin("", "h"));
        assertThrows(IllegalArgumentException.class, () -> s.origin("1", "a b"));
        assertThrows(IllegalArgumentException.class, () -> s.name(" "));
        assertThrows(IllegalArgumentException.class, () -> s.name("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> s.connection("1.2.3.4\r\n"));
        for (int i = 0; i <= SessionDescription.MAX_MEDIA; i++) {
            s.media(MediaDescription.builder("video", 0, "RTP/AVP").build());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, s::build);
        assertTrue(e.getMessage().contains("17 media descriptions exceed 16"), e.getMessage());

        SessionDescription.Builder big = SessionDescription.builder();
        for (int i = 0; i < 300; i++) {
            big.attribute("x", "y");
        }
        assertThrows(IllegalStateException.class, big::build);
        SessionDescription.Builder tooLong = SessionDescription.builder().attribute("x", "y".repeat(SessionDescription.MAX_SIZE));
        assertThrows(IllegalStateException.class, tooLong::build);
    }

    /** Turns a table's {@code \n}, {@code \r} and {@code \\uXXXX} into the characters. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append('\\').append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
