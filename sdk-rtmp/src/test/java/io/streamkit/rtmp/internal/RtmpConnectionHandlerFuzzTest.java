package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.TrackingAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes the command and media path of an RTMP connection after the handshake:
 * {@link RtmpConnectionHandler} with its {@code RtmpIngest}, {@code RtmpAggregate} and the AMF
 * readers behind it, on an embedded channel, fed messages as the chunk decoder hands them on.
 *
 * <p>The input scripts a session: optionally a well-formed start (connect; createStream and
 * publish; a second createStream and play of the same stream, so published frames reach a
 * player on the same connection), then messages of every type with fuzzed bodies: AMF0 and
 * AMF3 commands with known and unknown names and fuzzed arguments, media bodies behind real
 * sequence headers or raw, aggregates, control messages.
 *
 * <p>Properties: handling a message throws nothing but {@link RtmpProtocolException} or
 * {@link MediaFormatException}, the two the handler reports as a client's mistake in one log
 * line (anything else is logged as an unexpected error with its stack trace, a finding); every
 * buffer, the handler's replies and the frames the engine kept included, is released once the
 * connection closes. Messages are handed to the handler directly rather than through the
 * pipeline, so that an exception reaches the fuzz target instead of the handler's own
 * {@code exceptionCaught}. Seeds: scripts of the unit tests' sessions, under
 * {@code RtmpConnectionHandlerFuzzTestInputs}.
 */
class RtmpConnectionHandlerFuzzTest {
    private static final StreamEngine ENGINE = Engine.builder()
            .policy(StreamPolicy.defaults().withPlayWait(Duration.ZERO))
            .build();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final String[] COMMANDS = {
        "connect", "createStream", "releaseStream", "FCPublish", "FCUnpublish", "_checkbw", "getStreamLength",
        "publish", "play", "play2", "deleteStream", "closeStream", "receiveAudio", "receiveVideo", "pause", "call",
    };
    private static final int[] TYPES = {
        RtmpMessage.SET_CHUNK_SIZE, RtmpMessage.ABORT, RtmpMessage.ACKNOWLEDGEMENT, RtmpMessage.USER_CONTROL,
        RtmpMessage.WINDOW_ACK_SIZE, RtmpMessage.SET_PEER_BANDWIDTH, RtmpMessage.AUDIO, RtmpMessage.VIDEO,
        RtmpMessage.DATA_AMF3, RtmpMessage.SHARED_OBJECT_AMF3, RtmpMessage.COMMAND_AMF3, RtmpMessage.DATA_AMF0,
        RtmpMessage.SHARED_OBJECT_AMF0, RtmpMessage.COMMAND_AMF0, RtmpMessage.AGGREGATE, 7, 21, 255,
    };
    /** Sequence header bodies of real streams, so that the fuzzed frames after them reach a track. */
    private static final Body[] CONFIGS = {
        new Body(false, FuzzChannels.concat(new byte[] {0x17, 0, 0, 0, 0}, FuzzChannels.resource("/codec/h264-baseline-320x240-25.avcC"))),
        new Body(false, FuzzChannels.concat(new byte[] {(byte) 0x90, 'h', 'v', 'c', '1'}, FuzzChannels.resource("/codec/hevc-main-320x240-25.hvcC"))),
        new Body(false, FuzzChannels.concat(new byte[] {(byte) 0x90, 'a', 'v', '0', '1'}, FuzzChannels.resource("/codec/av1-aom-320x240-25.av1C"))),
        new Body(true, FuzzChannels.concat(new byte[] {(byte) 0xaf, 0}, FuzzChannels.resource("/codec/aac-lc-44100-2.asc"))),
        new Body(true, FuzzChannels.concat(new byte[] {(byte) 0x90, 'O', 'p', 'u', 's'}, FuzzChannels.resource("/codec/opus-stereo-48000.opushead"))),
    };
    /** Frame headers of the same codecs (and MP3), for fuzzed payloads after them. */
    private static final Body[] FRAMES = {
        new Body(false, new byte[] {0x17, 1, 0, 0, 0}),
        new Body(false, new byte[] {0x27, 1, 0, 0, 0}),
        new Body(false, new byte[] {(byte) 0x91, 'h', 'v', 'c', '1', 0, 0, 0}),
        new Body(false, new byte[] {(byte) 0xa3, 'h', 'v', 'c', '1'}),
        new Body(false, new byte[] {(byte) 0x91, 'a', 'v', '0', '1'}),
        new Body(true, new byte[] {(byte) 0xaf, 1}),
        new Body(true, new byte[] {(byte) 0x91, 'O', 'p', 'u', 's'}),
        new Body(true, new byte[] {0x2f}),
    };

    /** The first bytes of an audio or video message body. */
    private record Body(boolean audio, byte[] bytes) {
    }

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void session(FuzzedDataProvider data) {
        alloc.reset();
        RtmpConfig config = RtmpConfig.builder(0).maxStreamsPerConnection(2).writeBatch(Duration.ZERO).build();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        RtmpConnectionHandler handler = new RtmpConnectionHandler((Engine) ENGINE, config, decoder, new ClientRegistry(),
                io.streamkit.server.internal.ServerGuard.lenient().log());
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new RtmpChunkEncoder(), handler);
        ch.config().setAllocator(alloc);
        ChannelHandlerContext ctx = ch.pipeline().context(handler);
        List<RtmpMessage> script = new ArrayList<>();
        String name = "fuzz" + NAMES.incrementAndGet();
        int start = data.consumeInt(0, 3);
        if (start >= 1) {
            script.add(command(0, "connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live")));
        }
        if (start >= 2) {
            script.add(command(0, "createStream", 2.0, null));
            script.add(command(1, "publish", 3.0, null, name, "live"));
        }
        if (start >= 3) {
            script.add(command(0, "createStream", 4.0, null));
            script.add(command(2, "play", 5.0, null, name));
        }
        int count = data.consumeInt(0, 24);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            script.add(message(data));
        }
        try {
            for (int i = 0; i < script.size(); i++) {
                RtmpMessage m = script.get(i);
                script.set(i, null);
                if (!ch.isActive()) {
                    m.release();
                    continue;
                }
                try {
                    handler.channelRead(ctx, m);   // releases m
                } catch (RuntimeException e) {
                    assertTrue(e instanceof RtmpProtocolException || e instanceof MediaFormatException,
                            "the handler failed with " + e);
                    ch.close();
                }
                ch.runPendingTasks();
                drain(ch);
            }
        } finally {
            script.forEach(ReferenceCountUtil::release);
            ch.runPendingTasks();
            drain(ch);
            ch.finishAndReleaseAll();
        }
        // The last frames' chunked forms stay cached per event loop (the test's thread here) by design,
        // until newer frames take their places; forgetting them leaves what the connection holds.
        SharedMediaMessages.forThisLoop().forget();
        alloc.assertAllReleased("the RTMP connection");
    }

    /** One fuzzed message: a command, a media body (behind a real header or not), or any type with any body. */
    private RtmpMessage message(FuzzedDataProvider data) {
        int streamId = data.consumeInt(0, 3);
        long time = data.consumeLong(0, 0xFFFFFFFFL);
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                Object[] values = new Object[2 + data.consumeInt(0, 3)];
                values[0] = data.consumeBoolean() ? data.pickValue(COMMANDS) : data.consumeString(16);
                values[1] = (double) data.consumeInt(0, 10);
                for (int i = 2; i < values.length; i++) {
                    values[i] = value(data, 0);
                }
                ByteBuf body = alloc.buffer();
                boolean amf3 = data.consumeBoolean();
                if (amf3) {
                    body.writeByte(0);
                }
                Amf0Writer.writeAll(body, values);
                return new RtmpMessage(3, amf3 ? RtmpMessage.COMMAND_AMF3 : RtmpMessage.COMMAND_AMF0, streamId, time, body);
            }
            case 1 -> {
                Body config = data.pickValue(CONFIGS);
                return media(config.audio(), streamId, time, config.bytes(), new byte[0]);
            }
            case 2 -> {
                Body frame = data.pickValue(FRAMES);
                return media(frame.audio(), streamId, time, frame.bytes(), data.consumeBytes(data.consumeInt(0, 256)));
            }
            default -> {
                int type = data.consumeBoolean() ? data.pickValue(TYPES) : data.consumeInt(0, 255);
                byte[] body = data.consumeBytes(data.consumeInt(0, 512));
                return new RtmpMessage(3, type, streamId, time, alloc.buffer(body.length).writeBytes(body));
            }
        }
    }

    private RtmpMessage media(boolean audio, int streamId, long time, byte[] header, byte[] rest) {
        return new RtmpMessage(audio ? 4 : 6, audio ? RtmpMessage.AUDIO : RtmpMessage.VIDEO, streamId, time,
                alloc.buffer(header.length + rest.length).writeBytes(header).writeBytes(rest));
    }

    /** A fuzzed AMF value: a scalar, a string, or a small object with the keys commands read. */
    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth < 2 ? 5 : 3)) {
            case 0 -> null;
            case 1 -> data.consumeBoolean() ? data.consumeInt(-2, 2) : data.consumeDouble();
            case 2 -> data.consumeBoolean();
            case 3 -> data.consumeString(64);
            case 4 -> List.of(data.consumeString(16));
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    String key = data.consumeBoolean()
                            ? data.pickValue(new String[] {"app", "tcUrl", "objectEncoding", "streamName",
                                "fourCcList", "videoFourCcInfoMap", "capsEx"})
                            : data.consumeString(8);
                    map.put(key, value(data, depth + 1));
                }
                yield map;
            }
        };
    }

    private static RtmpMessage command(int streamId, Object... values) {
        ByteBuf body = io.netty.buffer.Unpooled.buffer();
        Amf0Writer.writeAll(body, values);
        return new RtmpMessage(3, RtmpMessage.COMMAND_AMF0, streamId, 0, body);
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            assertInstanceOf(ByteBuf.class, o, "the encoder passed on a message");
            ReferenceCountUtil.release(o);
        }
    }
}
