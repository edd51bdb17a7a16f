package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.format.rtp.H264RtpPacketizer;
import io.streamkit.format.rtp.RtpPacket;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.AccessUnitFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An RTSP connection through the server's own pipeline ({@link RtspServerInitializer#pipeline})
 * on an embedded channel, as a client sees it: the status, {@code CSeq} and headers of each
 * answer, which refusals close the connection, and a publish (ANNOUNCE, SETUP, SETUP, RECORD)
 * whose interleaved RTP reaches a subscriber of the engine as the access unit that was sent.
 */
class RtspConnectionHandlerTest {
    private static final String URL = "rtsp://h/live/f";
    private static final StreamKey KEY = StreamKey.parse("live/f");
    /**
     * The first access unit of the {@code h264-open-gop-64x64.h264} fixture (AUD, SPS, PPS, SEI,
     * IDR slice) with 4-byte NAL unit lengths: what the publisher sends, and what must come out.
     */
    private static final byte[] ACCESS_UNIT = AccessUnitFixtures.accessUnits("h264-open-gop-64x64.h264", false, 4).get(0);
    private static final byte[] SPS = nalUnit(ACCESS_UNIT, 7);
    private static final byte[] PPS = nalUnit(ACCESS_UNIT, 8);
    /** AAC LC, 44.1 kHz, stereo: the AudioSpecificConfig of the SDP's {@code config=}. */
    private static final byte[] ASC = {0x12, 0x10};
    /**
     * An ANNOUNCE body as ffmpeg writes one ({@code libavformat/sdp.c}) for H.264 and AAC, with
     * the fixture's SPS and PPS as {@code sprop-parameter-sets}.
     */
    private static final String SDP = "v=0\r\n"
            + "o=- 0 0 IN IP4 127.0.0.1\r\n"
            + "s=No Name\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "a=tool:libavformat 59.27.100\r\n"
            + "m=video 0 RTP/AVP 96\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=" + Base64.getEncoder().encodeToString(SPS) + ","
            + Base64.getEncoder().encodeToString(PPS) + "; profile-level-id="
            + ByteBufUtil.hexDump(SPS, 1, 3).toUpperCase(Locale.ROOT) + "\r\n"
            + "a=control:streamid=0\r\n"
            + "m=audio 0 RTP/AVP 97\r\n"
            + "b=AS:128\r\n"
            + "a=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
            + "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1210\r\n"
            + "a=control:streamid=1\r\n";
    private static final String VP8_SDP = "v=0\r\n"
            + "o=- 0 0 IN IP4 127.0.0.1\r\n"
            + "s=No Name\r\n"
            + "t=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\n"
            + "a=rtpmap:96 VP8/90000\r\n"
            + "a=control:streamid=0\r\n";

    private Engine engine;
    private EmbeddedChannel ch;
    private final StringBuilder received = new StringBuilder();

    /** One answer as the client reads it. */
    private record Response(int status, String reason, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @BeforeEach
    void start() {
        engine = Engine.builder().policy(StreamPolicy.defaults().withPlayWait(Duration.ZERO)).build();
        RtspConfig config = RtspConfig.builder(0).udpPort(RtspConfig.NO_UDP).build();
        RtspServerInitializer initializer = new RtspServerInitializer(engine, config, new ClientRegistry(),
                ServerGuard.lenient(), null);
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                initializer.pipeline(c);
            }
        });
    }

    @AfterEach
    void stop() {
        ch.finishAndReleaseAll();
        engine.close();
    }

    @Test
    void optionsListsTheMethodsUnderTheSameCSeq() {
        Response r = ask("OPTIONS " + URL + " RTSP/1.0\r\nCSeq: 41\r\nUser-Agent: test\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("OK", r.reason());
        assertEquals("41", r.header("CSeq"));
        List<String> methods = Arrays.stream(r.header("Public").split(",")).map(String::trim).toList();
        assertTrue(methods.containsAll(List.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "ANNOUNCE", "RECORD")),
                "Public: " + methods);
        assertTrue(ch.isOpen());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("a request without CSeq", "OPTIONS " + URL + " RTSP/1.0\r\nUser-Agent: test\r\n\r\n", 400, null, true),
                arguments("a blank CSeq", "OPTIONS " + URL + " RTSP/1.0\r\nCSeq: \r\n\r\n", 400, null, true),
                arguments("an unknown method", "FLY " + URL + " RTSP/1.0\r\nCSeq: 2\r\n\r\n", 501, "2", false),
                arguments("SETUP before DESCRIBE", "SETUP " + URL + "/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                        + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", 455, "3", false),
                arguments("PLAY before SETUP", "PLAY " + URL + " RTSP/1.0\r\nCSeq: 4\r\n\r\n", 455, "4", false),
                arguments("RECORD before ANNOUNCE", "RECORD " + URL + " RTSP/1.0\r\nCSeq: 5\r\n\r\n", 455, "5", false),
                arguments("DESCRIBE of a stream that is not published", "DESCRIBE rtsp://h/live/missing RTSP/1.0\r\n"
                        + "CSeq: 6\r\nAccept: application/sdp\r\n\r\n", 404, "6", false),
                arguments("a session that is not this connection's", "PLAY " + URL + " RTSP/1.0\r\nCSeq: 7\r\n"
                        + "Session: 12345678\r\n\r\n", 454, "7", false),
                arguments("ANNOUNCE of only VP8", announce(8, VP8_SDP), 415, "8", false),
                arguments("ANNOUNCE of an SDP that does not parse", announce(9, "hello"), 400, "9", false));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusals")
    void aRequestIsRefused(String what, String request, int status, String cseq, boolean closes) {
        Response r = ask(request);
        assertEquals(status, r.status(), what + ": " + r);
        assertEquals(cseq, r.header("CSeq"), what);
        assertEquals(!closes, ch.isOpen(), what + (closes ? " keeps the connection" : " closes the connection"));
        assertTrue(engine.stream(KEY).isEmpty(), "nothing published");
    }

    @Test
    void setupOfARecordOverUdpWhenUdpIsOffIsAnUnsupportedTransport() {
        assertEquals(200, ask(announce(1, SDP)).status());
        Response r = ask("SETUP " + URL + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n"
                + "Transport: RTP/AVP;unicast;client_port=5000-5001;mode=record\r\n\r\n");
        assertEquals(461, r.status(), r.toString());
        assertTrue(r.reason().contains("UDP is off"), r.reason());
        assertEquals("2", r.header("CSeq"));
        assertTrue(ch.isOpen(), "a transport the client may change: the connection stays");
    }

    @Test
    void aRequestHeadOverTheLimitIsRefusedAndTheConnectionClosed() {
        String head = "OPTIONS " + URL + " RTSP/1.0\r\nCSeq: 1\r\nX-Padding: "
                + "x".repeat(RtspConfig.DEFAULT_MAX_REQUEST_SIZE) + "\r\n\r\n";
        Response r = ask(head);
        assertEquals(400, r.status(), r.toString());
        assertFalse(ch.isOpen());
    }

    @Test
    void aPublishOfH264AndAacReachesTheEngineAndItsRtpASubscriber() throws Exception {
        String session = publish();

        StreamInfo info = engine.stream(KEY).orElseThrow(() -> new AssertionError("live/f is not published"));
        assertTrue(info.live());
        assertEquals(List.of(Codec.H264, Codec.AAC), info.tracks().stream().map(Track::codec).toList());
        ByteBuf avcC = Unpooled.buffer();
        AvcDecoderConfigurationRecord.of(List.of(SPS), List.of(PPS), 4).writeTo(avcC);
        assertEquals(TrackFormat.of(Codec.H264, avcC), info.tracks().get(0).format(), "the SDP's sprop-parameter-sets");
        avcC.release();
        assertEquals(TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(ASC)), info.tracks().get(1).format(), "the SDP's config");

        CompletableFuture<Received> first = new CompletableFuture<>();
        Subscription subscription = engine.subscribe(KEY, new Subscriber() {
            @Override
            public void onTrack(Track track) {
            }

            @Override
            public void onFrame(MediaFrame frame) {
                first.complete(new Received(frame.track().codec(), frame.keyframe(), ByteBufUtil.getBytes(frame.payload())));
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);
        try {
            ByteBuf in = Unpooled.buffer();
            List<ByteBuf> packets = rtp(ACCESS_UNIT, 0, 90_000, 100);
            assertTrue(packets.size() > 2, "FU-A fragments and single NAL units: " + packets.size() + " packets");
            for (ByteBuf packet : packets) {
                InterleavedFrame.writeHeader(in, 0, packet.readableBytes());
                in.writeBytes(packet);
                packet.release();
            }
            ch.writeInbound(in);
            ch.runPendingTasks();
            Received frame = first.get(5, TimeUnit.SECONDS);
            assertEquals(Codec.H264, frame.codec());
            assertTrue(frame.keyframe(), "an IDR access unit");
            assertArrayEquals(ACCESS_UNIT, frame.payload(), "the access unit in AVCC with 4-byte lengths");
        } finally {
            subscription.close();
        }

        Response teardown = ask("TEARDOWN " + URL + " RTSP/1.0\r\nCSeq: 5\r\nSession: " + session + "\r\n\r\n");
        assertEquals(200, teardown.status());
        assertFalse(engine.stream(KEY).map(StreamInfo::live).orElse(false), "unpublished at TEARDOWN");
    }

    /** A frame a subscriber was lent, copied. */
    private record Received(Codec codec, boolean keyframe, byte[] payload) {
    }

    /** ANNOUNCE, SETUP of both tracks over TCP, RECORD: every answer 200; returns the session. */
    private String publish() {
        Response announced = ask(announce(1, SDP));
        assertEquals(200, announced.status(), announced.toString());
        assertEquals("1", announced.header("CSeq"));

        Response video = ask("SETUP " + URL + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n");
        assertEquals(200, video.status(), video.toString());
        assertEquals("2", video.header("CSeq"));
        String session = video.header("Session").split(";")[0];
        assertFalse(session.isEmpty());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", video.header("Transport"));

        Response audio = ask("SETUP " + URL + "/streamid=1 RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record\r\n\r\n");
        assertEquals(200, audio.status(), audio.toString());
        assertEquals(session, audio.header("Session").split(";")[0]);
        assertEquals("RTP/AVP/TCP;unicast;interleaved=2-3;mode=record", audio.header("Transport"));

        Response record = ask("RECORD " + URL + " RTSP/1.0\r\nCSeq: 4\r\nSession: " + session + "\r\n"
                + "Range: npt=0.000-\r\n\r\n");
        assertEquals(200, record.status(), record.toString());
        assertEquals("4", record.header("CSeq"));
        return session;
    }

    private static String announce(int cseq, String sdp) {
        return "ANNOUNCE " + URL + " RTSP/1.0\r\nCSeq: " + cseq + "\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + sdp;
    }

    /** Sends a request and returns the one answer it got. */
    private Response ask(String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
        ch.runPendingTasks();
        List<Response> answers = responses();
        assertEquals(1, answers.size(), "answers to " + request.lines().findFirst().orElse("") + ": " + answers);
        return answers.get(0);
    }

    /** Reads every buffer the encoder wrote, releasing them, and returns the whole answers among them. */
    private List<Response> responses() {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = assertInstanceOf(ByteBuf.class, o, "the encoder passed on a message");
            try {
                received.append(b.toString(StandardCharsets.UTF_8));
            } finally {
                b.release();
            }
        }
        List<Response> out = new ArrayList<>();
        for (int end; (end = received.indexOf("\r\n\r\n")) >= 0; ) {
            String[] lines = received.substring(0, end).split("\r\n");
            String[] status = lines[0].split(" ", 3);
            assertEquals("RTSP/1.0", status[0], "status line " + lines[0]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            if (received.length() < end + 4 + length) {
                break;
            }
            out.add(new Response(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers,
                    received.substring(end + 4, end + 4 + length)));
            received.delete(0, end + 4 + length);
        }
        return out;
    }

    /** An access unit's RTP packets (RFC 6184 mode 1) of payload type 96, the marker on the last. */
    private static List<ByteBuf> rtp(byte[] accessUnit, int firstSequence, long timestamp, int maxPayload) {
        ByteBuf au = Unpooled.wrappedBuffer(accessUnit);
        List<ByteBuf> payloads = new ArrayList<>();
        H264RtpPacketizer.packetize(UnpooledByteBufAllocator.DEFAULT, au, 4, maxPayload, payloads);
        List<ByteBuf> packets = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            ByteBuf payload = payloads.get(i);
            ByteBuf packet = Unpooled.buffer(RtpPacket.HEADER_SIZE + payload.readableBytes());
            RtpPacket.writeHeader(packet, 96, i == payloads.size() - 1, firstSequence + i, timestamp, 0x5EED);
            packet.writeBytes(payload);
            payload.release();
            packets.add(packet);
        }
        au.release();
        return packets;
    }

    /** The first NAL unit of a type in a length-prefixed access unit. */
    private static byte[] nalUnit(byte[] accessUnit, int type) {
        for (int at = 0; at + 4 < accessUnit.length; ) {
            int size = (accessUnit[at] & 0xFF) << 24 | (accessUnit[at + 1] & 0xFF) << 16 | (accessUnit[at + 2] & 0xFF) << 8
                    | accessUnit[at + 3] & 0xFF;
            if ((accessUnit[at + 4] & 0x1F) == type) {
                return Arrays.copyOfRange(accessUnit, at + 4, at + 4 + size);
            }
            at += 4 + size;
        }
        throw new IllegalArgumentException("no NAL unit of type " + type);
    }
}
