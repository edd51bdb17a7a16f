package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.amf0.Amf0;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command side of a connection, message by message, as a client sees it. */
class RtmpConnectionHandlerTest {
    private final List<AuthRequest> authRequests = new CopyOnWriteArrayList<>();
    private StreamEngine engine;
    private EmbeddedChannel server;
    private final EmbeddedChannel client = new EmbeddedChannel(new RtmpChunkDecoder());

    @BeforeEach
    void start() {
        engine = Engine.builder()
                .policy(StreamPolicy.defaults().withPlayWait(Duration.ZERO))
                .onPublish(r -> {
                    authRequests.add(r);
                    return CompletableFuture.completedFuture("bad".equals(r.param("token"))
                            ? AuthResult.deny("token expired") : AuthResult.allow());
                })
                .build();
        RtmpConfig config = RtmpConfig.builder(0).maxStreamsPerConnection(2).build();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        server = new EmbeddedChannel(decoder, new RtmpChunkEncoder(), new RtmpConnectionHandler((Engine) engine, config, decoder,
                new io.streamkit.server.internal.ClientRegistry(), io.streamkit.server.internal.ServerGuard.lenient().log()));
    }

    @AfterEach
    void stop() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        engine.close();
    }

    @Test
    void connectIsAnsweredWithTheControlMessagesAndSuccess() {
        send(20, 0, "connect", 1.0, map("app", "live", "tcUrl", "rtmp://127.0.0.1/live", "objectEncoding", 0.0));
        List<Reply> replies = replies();
        assertEquals(List.of(RtmpMessage.WINDOW_ACK_SIZE, RtmpMessage.SET_PEER_BANDWIDTH, RtmpMessage.SET_CHUNK_SIZE,
                RtmpMessage.COMMAND_AMF0), replies.stream().map(Reply::type).toList());
        assertEquals(List.of(2_500_000L), replies.get(0).ints());
        Reply result = replies.get(3);
        assertEquals("_result", result.values().get(0));
        assertEquals(1.0, result.values().get(1));
        assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) result.values().get(3)).get("code"));
    }

    @Test
    void anAmf3ConnectIsUnderstoodAndItsEncodingEchoed() {
        ByteBuf body = Unpooled.buffer().writeByte(0);
        Amf0Writer.writeAll(body, "connect", 1.0, map("app", "live", "objectEncoding", 3.0));
        sendRaw(17, 0, body);
        Reply result = replies().get(3);
        assertEquals(3.0, ((Map<?, ?>) result.values().get(3)).get("objectEncoding"));
    }

    @Test
    void queryParametersFromTheAppTheTcUrlAndTheNameReachTheAuthCheck() {
        connect("live?region=eu", "rtmp://127.0.0.1/live?region=eu&session=42");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "cam1?token=good", "live");
        Reply status = replies().get(1);
        assertEquals("NetStream.Publish.Start", code(status));
        assertEquals(1, authRequests.size());
        AuthRequest r = authRequests.get(0);
        assertEquals(StreamKey.of("live", "cam1"), r.key());
        assertEquals(Map.of("region", "eu", "session", "42", "token", "good"), r.query());
        assertEquals("rtmp", r.protocol());
        assertTrue(engine.stream(StreamKey.of("live", "cam1")).orElseThrow().live());
    }

    @Test
    void aDeniedPublishIsToldWhyAndDisconnected() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "cam1?token=bad", "live");
        Reply status = replies().get(0);
        assertEquals("error", ((Map<?, ?>) status.values().get(3)).get("level"));
        assertEquals("NetStream.Publish.Rejected", code(status));
        assertEquals("publish of live/cam1 denied: token expired", ((Map<?, ?>) status.values().get(3)).get("description"));
        assertFalse(server.isActive());
    }

    @Test
    void aNameInUseIsABadName() {
        Publisher other = engine.publish(StreamKey.of("live", "taken"));
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "taken", "live");
        Reply status = replies().get(0);
        assertEquals("NetStream.Publish.BadName", code(status));
        assertEquals("stream live/taken is already being published", ((Map<?, ?>) status.values().get(3)).get("description"));
        assertFalse(server.isActive());
        other.close();
    }

    @Test
    void anUnsafeNameIsABadName() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "..", "live");
        assertEquals("NetStream.Publish.BadName", code(replies().get(0)));
    }

    @Test
    void playingAStreamThatDoesNotExistIsStreamNotFound() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "play", 0.0, null, "nothing");
        Reply status = replies().get(0);
        assertEquals("NetStream.Play.StreamNotFound", code(status));
        assertFalse(server.isActive());
    }

    @Test
    void streamsPerConnectionAreBounded() {
        connect("live", "rtmp://127.0.0.1/live");
        createStream();
        createStream();
        send(20, 0, "createStream", 9.0, null);
        Reply error = replies().get(0);
        assertEquals("_error", error.values().get(0));
        assertEquals("streams per connection limited to 2", ((Map<?, ?>) error.values().get(3)).get("description"));
    }

    @Test
    void pingsAreAnsweredAndBytesAcknowledged() {
        connect("live", "rtmp://127.0.0.1/live");
        sendRaw(4, 0, Unpooled.buffer().writeShort(RtmpMessages.PING_REQUEST).writeInt(123_456));
        Reply pong = replies().get(0);
        assertEquals(RtmpMessage.USER_CONTROL, pong.type());
        assertEquals(List.of((long) RtmpMessages.PING_RESPONSE << 32 | 123_456L), pong.longs());

        sendRaw(5, 0, Unpooled.buffer().writeInt(5_000));   // the client's window: acknowledge every 5,000 bytes
        send(20, 0, "releaseStream", 3.0, null, "x".repeat(6_000));
        List<Reply> replies = replies();
        Reply ack = replies.stream().filter(r -> r.type() == RtmpMessage.ACKNOWLEDGEMENT).findFirst().orElseThrow();
        assertTrue(ack.ints().get(0) > 6_000, "acknowledged " + ack.ints());
    }

    @Test
    void aConnectWithoutAnAppTakesItFromTheTcUrl() {
        // SRS's test client sends only the tcUrl; its path after the host is the app, its query the parameters
        send(20, 0, "connect", 1.0, map("tcUrl", "rtmp://127.0.0.1:1935/live/?region=eu", "objectEncoding", 0.0));
        assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) replies().get(3).values().get(3)).get("code"));
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "cam1?token=good", "live");
        assertEquals("NetStream.Publish.Start", code(replies().get(1)));
        AuthRequest r = authRequests.get(0);
        assertEquals(StreamKey.of("live", "cam1"), r.key());
        assertEquals(Map.of("region", "eu", "token", "good"), r.query());
    }

    @Test
    void anAppThatIsNotAStringGivesWayToTheTcUrls() {
        send(20, 0, "connect", 1.0, map("app", 7.0, "tcUrl", "rtmps://example.com/studio/b"));
        assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) replies().get(3).values().get(3)).get("code"));
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "cam1", "live");
        assertEquals(StreamKey.of("studio/b", "cam1"), authRequests.get(0).key());
    }

    static Stream<Arguments> connectsWithoutAnApp() {
        return Stream.of(
                Arguments.of(map("flashVer", "LNX 9,0,124,2"), "connect names no app and has no tcUrl"),
                Arguments.of(map("app", 7.0, "tcUrl", "rtmp://127.0.0.1:1935/"), "connect's app is a number,"
                        + " not a string, and its tcUrl 'rtmp://127.0.0.1:1935/' has no path after the host"),
                Arguments.of(map("app", "/", "tcUrl", "rtmp://127.0.0.1?x=/y"),
                        "connect's app is empty and its tcUrl 'rtmp://127.0.0.1?x=/y' has no path after the host"),
                Arguments.of(map("app", map("a", 1.0), "tcUrl", "live\n"),
                        "connect's app is an object, not a string, and its tcUrl 'live?' has no path after the host"),
                Arguments.of(null, "connect names no app and has no tcUrl"));
    }

    @ParameterizedTest
    @MethodSource("connectsWithoutAnApp")
    void aConnectThatNamesNoAppAnywhereIsRejectedWithTheReason(Map<String, Object> commandObject, String reason) {
        send(20, 0, "connect", 4.0, commandObject);
        List<Reply> replies = replies();
        assertEquals(1, replies.size(), "only the refusal: " + replies);
        assertEquals(Arrays.asList("_error", 4.0, null, map("level", "error", "code", "NetConnection.Connect.Rejected",
                "description", reason)), replies.get(0).values());
        assertFalse(server.isActive(), "closed after the refusal");
    }

    @Test
    void getStreamLengthIsAnsweredWithANumberAsPlayersReadIt() {
        connect("live", "rtmp://127.0.0.1/live");
        // ffmpeg reads "_result", the transaction id, a null, then a number; a live stream's length is 0
        send(20, 0, "getStreamLength", 5.0, null, "cam1");
        assertEquals(Arrays.asList("_result", 5.0, null, 0.0), replies().get(0).values());
    }

    @Test
    void publishPreparationCallsAreAnsweredAsSrsAnswersThem() {
        connect("live", "rtmp://127.0.0.1/live");
        for (String call : List.of("releaseStream", "FCPublish", "FCUnpublish", "_checkbw")) {
            send(20, 0, call, 7.0, null, "cam1");
            assertEquals(Arrays.asList("_result", 7.0, null, Amf0.UNDEFINED), replies().get(0).values(), call);
        }
    }

    @Test
    void playStartsWithStatusCommandsAndNoDataMessageAPlayerWouldTakeForAStream() {
        Publisher publisher = engine.publish(StreamKey.of("live", "show"));
        io.streamkit.stream.Track video = publisher.addTrack(TestMedia.h264());
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "play", 0.0, null, "show");
        List<Reply> replies = replies();
        assertEquals(List.of("NetStream.Play.Reset", "NetStream.Play.Start"), replies.stream()
                .filter(r -> r.type() == RtmpMessage.COMMAND_AMF0).map(RtmpConnectionHandlerTest::code).toList());
        assertEquals(List.of(List.of("|RtmpSampleAccess", true, true)), replies.stream()
                .filter(r -> r.type() == RtmpMessage.DATA_AMF0).map(Reply::values).toList(),
                "libavformat skips |RtmpSampleAccess; an onStatus data message would be an extra stream to it");
        assertFalse(replies.stream().anyMatch(r -> r.type() == RtmpMessage.VIDEO),
                "the sequence header waits for the first frame, to go at its time");
        publisher.write(video, 7_000_000, 7_000_000, true, TestMedia.payload(1, 500));
        List<Reply> media = replies().stream().filter(r -> r.type() == RtmpMessage.VIDEO).toList();
        assertEquals(2, media.size(), "the sequence header, then the keyframe: " + media);
        publisher.close();
    }

    @Test
    void anAggregateOfThreeVideoAndTwoAudioTagsReachesTheEngineAsFiveFrames() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "agg", "live");
        replies();
        sendRaw(9, stream, 0, Unpooled.buffer().writeBytes(hex("1700000000")).writeBytes(TestMedia.AVC_320x240));
        sendRaw(8, stream, 0, Unpooled.buffer().writeBytes(hex("af00")).writeBytes(TestMedia.AAC_LC_44100_MONO));
        Frames frames = new Frames();
        engine.subscribe(StreamKey.of("live", "agg"), frames).toCompletableFuture().join();

        // The tags' own times start at 500; the aggregate's 1,000 is where the first goes.
        ByteBuf aggregate = Unpooled.buffer();
        flvTag(aggregate, 9, 500, "1701000000" + "00000002" + "6588");      // keyframe
        flvTag(aggregate, 8, 520, "af01" + "211c");
        flvTag(aggregate, 9, 540, "2701000028" + "00000002" + "419a");      // composition time 40 ms
        flvTag(aggregate, 8, 563, "af01" + "2122");
        flvTag(aggregate, 9, 580, "2701000000" + "00000003" + "419b01");
        sendRaw(22, stream, 1_000, aggregate);

        Await.until(Duration.ofSeconds(5), () -> frames.seen.size() == 5, () -> "5 frames: " + frames.seen);
        assertEquals(List.of(
                "video dts 1000 pts 1000 key 000000026588",
                "audio dts 1020 pts 1020 key 211c",
                "video dts 1040 pts 1080 inter 00000002419a",
                "audio dts 1063 pts 1063 key 2122",
                "video dts 1080 pts 1080 inter 00000003419b01"), frames.seen);
        assertTrue(server.isActive());
    }

    @Test
    void aMalformedAggregateClosesTheConnectionAndDeliversNothing() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "bad", "live");
        replies();
        sendRaw(9, stream, 0, Unpooled.buffer().writeBytes(hex("1700000000")).writeBytes(TestMedia.AVC_320x240));
        ByteBuf aggregate = Unpooled.buffer();
        flvTag(aggregate, 9, 0, "1701000000" + "00000002" + "6588");
        aggregate.writeBytes(hex("09 000100 000028 00 000000 2701".replace(" ", "")));   // says 256 bytes, has 2
        Track video = engine.stream(StreamKey.of("live", "bad")).orElseThrow().tracks().get(0);
        sendRaw(22, stream, 40, aggregate);
        assertFalse(server.isActive(), "closed on the lying size");
        assertEquals(0, video.stats().frames(), "the good tag before the bad one was not ingested either");
    }

    // ---- deadlines and what happens after an error ----

    @Test
    void aClientThatNeverConnectsIsClosedAtTheConnectTimeout() {
        server.advanceTimeBy(9_900, java.util.concurrent.TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isActive());
        server.advanceTimeBy(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertFalse(server.isActive(), "no connect within 10 s");
    }

    @Test
    void aClientThatConnectsButNeitherPublishesNorPlaysIsClosedAtTheStartTimeout() {
        server.advanceTimeBy(9_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        connect("live", "rtmp://127.0.0.1/live");
        createStream();
        server.advanceTimeBy(9_900, java.util.concurrent.TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isActive(), "the start timeout runs from connect");
        server.advanceTimeBy(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertFalse(server.isActive(), "no publish or play within 10 s of connect");
    }

    @Test
    void aPublisherIsNotHeldToTheStartTimeout() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        send(20, stream, "publish", 0.0, null, "cam1", "live");
        assertEquals("NetStream.Publish.Start", code(replies().get(1)));
        server.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isActive());
    }

    @Test
    void nothingReadAfterAProtocolErrorIsActedOn() {
        connect("live", "rtmp://127.0.0.1/live");
        int stream = createStream();
        ByteBuf bad = Unpooled.buffer().writeByte(0);
        ByteBuf wire = RtmpChunkWriter.encode(server.alloc(), 3, 99, 0, 0, bad, 128);
        bad.release();
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeAll(body, "publish", 0.0, null, "cam1", "live");
        ByteBuf publish = RtmpChunkWriter.encode(server.alloc(), 3, 20, stream, 0, body, 128);
        wire.writeBytes(publish);
        publish.release();
        body.release();
        server.writeInbound(wire);   // both messages in one read
        server.runPendingTasks();
        assertFalse(server.isActive(), "closed on the unknown message type");
        assertTrue(authRequests.isEmpty(), "the publish that came in the same read was not acted on");
    }

    // ---- a tiny client ----

    /**
     * Found by RtmpConnectionHandlerFuzzTest (crash-f07cc8f0...): an empty AMF3 command or data
     * message made the handler skip a byte that was not there, an IndexOutOfBoundsException
     * logged as an unexpected error with its stack trace. It is a client's mistake, refused with
     * the protocol error the handler logs in one line.
     */
    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {RtmpMessage.COMMAND_AMF3, RtmpMessage.DATA_AMF3})
    void anEmptyAmf3MessageIsAProtocolError(int type) {
        connect("live", "rtmp://127.0.0.1/live");
        RtmpConnectionHandler handler = server.pipeline().get(RtmpConnectionHandler.class);
        ChannelHandlerContext ctx = server.pipeline().context(handler);
        RtmpMessage empty = new RtmpMessage(3, type, 0, 0, Unpooled.EMPTY_BUFFER);
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class, () -> handler.channelRead(ctx, empty));
        assertTrue(e.getMessage().contains("of 0 bytes"), e.getMessage());
    }

    private void connect(String app, String tcUrl) {
        send(20, 0, "connect", 1.0, map("app", app, "tcUrl", tcUrl));
        replies();
    }

    private int createStream() {
        send(20, 0, "createStream", 2.0, null);
        return ((Number) replies().get(0).values().get(3)).intValue();
    }

    private void send(int type, int streamId, Object... values) {
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeAll(body, values);
        sendRaw(type, streamId, body);
    }

    private void sendRaw(int type, int streamId, ByteBuf body) {
        sendRaw(type, streamId, 0, body);
    }

    private void sendRaw(int type, int streamId, long timestamp, ByteBuf body) {
        ByteBuf wire = RtmpChunkWriter.encode(server.alloc(), 3, type, streamId, timestamp, body, 128);
        body.release();
        server.writeInbound(wire);
        server.runPendingTasks();
    }

    /** What the server wrote since last asked, decoded as a client would. */
    private List<Reply> replies() {
        server.runPendingTasks();
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            client.writeInbound(out);
        }
        List<Reply> replies = new ArrayList<>();
        RtmpMessage m;
        while ((m = client.readInbound()) != null) {
            ByteBuf p = m.payload();
            List<Object> values = m.type() == RtmpMessage.COMMAND_AMF0 || m.type() == RtmpMessage.DATA_AMF0
                    ? Amf0Reader.readAll(p.duplicate()) : List.of();
            List<Long> ints = new ArrayList<>();
            List<Long> longs = new ArrayList<>();
            if (p.readableBytes() == 4) {
                ints.add(p.getUnsignedInt(p.readerIndex()));
            }
            if (p.readableBytes() == 6) {
                longs.add((long) p.getUnsignedShort(p.readerIndex()) << 32 | p.getUnsignedInt(p.readerIndex() + 2));
            }
            replies.add(new Reply(m.type(), values, ints, longs));
            m.release();
        }
        return replies;
    }

    private static String code(Reply status) {
        assertEquals("onStatus", status.values().get(0));
        return (String) ((Map<?, ?>) status.values().get(3)).get("code");
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private record Reply(int type, List<Object> values, List<Long> ints, List<Long> longs) {
    }

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex);
    }

    /** Appends one FLV tag as aggregates carry them: header, data, back pointer. */
    private static void flvTag(ByteBuf out, int type, long timestamp, String dataHex) {
        byte[] data = hex(dataHex);
        FlvTagHeader.write(out, type, data.length, timestamp);
        out.writeBytes(data);
        FlvTagHeader.writePreviousTagSize(out, data.length);
    }

    /** Every frame the engine delivers, as one line: type, times in ms, key or not, payload bytes. */
    private static final class Frames implements Subscriber {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onTrack(Track track) {
        }

        @Override
        public void onFrame(MediaFrame frame) {
            seen.add(frame.track().type().name().toLowerCase(java.util.Locale.ROOT) + " dts " + frame.dts() / 1000
                    + " pts " + frame.pts() / 1000 + (frame.keyframe() ? " key " : " inter ")
                    + ByteBufUtil.hexDump(frame.content()));
        }
    }
}
