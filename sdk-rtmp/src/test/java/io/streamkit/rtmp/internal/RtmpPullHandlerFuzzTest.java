package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.TrackingAllocator;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes the client side of an RTMP connection on what a remote server sends a puller:
 * {@link RtmpPullHandler} with {@link RtmpClientHandler}'s command handling and the
 * {@code RtmpIngest} behind it, on an embedded channel, fed messages as the chunk decoder hands
 * them on.
 *
 * <p>The input scripts the server: optionally well-formed answers (connect's {@code _result},
 * createStream's, {@code NetStream.Play.Start}), then messages of every type with fuzzed bodies:
 * {@code _result}, {@code _error} and {@code onStatus} with fuzzed transaction ids, levels and
 * codes, media behind real sequence headers or raw, control messages.
 *
 * <p>Properties: the connection ends exactly once, and for a reason the client owns up to: an
 * {@link RtmpProtocolException}, a {@link MediaFormatException}, a local {@link StreamException},
 * or none (the remote stream ended); anything else (an {@code IndexOutOfBoundsException}, a
 * {@code ClassCastException}) is a bug the handler would report as the server's fault. Every
 * buffer is released once the connection has closed. Seeds: none; the script's structure is
 * found quickly from an empty input.
 */
class RtmpPullHandlerFuzzTest {
    private static final StreamEngine ENGINE = Engine.builder().build();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final String[] COMMANDS = {"_result", "_error", "onStatus", "onBWDone", "close"};
    private static final String[] CODES = {
        "NetStream.Play.Start", "NetStream.Play.Reset", "NetStream.Play.UnpublishNotify", "NetStream.Play.Stop",
        "NetStream.Play.Complete", "NetStream.Play.StreamNotFound", "NetConnection.Connect.Success",
    };
    private static final String[] LEVELS = {"status", "warning", "error"};

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void session(FuzzedDataProvider data) {
        alloc.reset();
        List<Throwable> closes = new ArrayList<>();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        RtmpPullHandler handler = new RtmpPullHandler(RtmpClientConfig.defaults(),
                RtmpUrls.target("rtmp://127.0.0.1/live/remote"), decoder, ENGINE,
                StreamKey.of("pulled", "p" + NAMES.incrementAndGet()), RtmpPullHandler.events(() -> { }, closes::add));
        EmbeddedChannel ch = new RemoteChannel(decoder, new RtmpChunkEncoder(), handler);
        ch.config().setAllocator(alloc);
        ChannelHandlerContext ctx = ch.pipeline().context(handler);
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeHandler.COMPLETE);   // sends connect, transaction 1
        List<RtmpMessage> script = new ArrayList<>();
        int start = data.consumeInt(0, 3);
        if (start >= 1) {
            script.add(command(0, "_result", 1.0, Map.of("fmsVer", "FMS/3,5,7,7009"),
                    Map.of("level", "status", "code", "NetConnection.Connect.Success")));
        }
        if (start >= 2) {
            script.add(command(0, "_result", 2.0, null, 1.0));
        }
        if (start >= 3) {
            script.add(command(1, "onStatus", 0.0, null, Map.of("level", "status", "code", "NetStream.Play.Start")));
        }
        int count = data.consumeInt(0, 24);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            script.add(message(data));
        }
        try {
            for (int i = 0; i < script.size(); i++) {
                RtmpMessage m = script.set(i, null);
                if (!ch.isActive()) {
                    m.release();
                    continue;
                }
                handler.channelRead(ctx, m);   // releases m; failures close the connection
                ch.runPendingTasks();
                drain(ch);
            }
        } finally {
            script.forEach(ReferenceCountUtil::release);
            ch.runPendingTasks();
            drain(ch);
            ch.finishAndReleaseAll();
        }
        assertEquals(1, closes.size(), "closed() calls");
        Throwable cause = closes.get(0);
        assertTrue(cause == null || cause instanceof RtmpProtocolException || cause instanceof MediaFormatException
                || cause instanceof StreamException, "the connection ended with " + cause);
        alloc.assertAllReleased("the RTMP pull connection");
    }

    private RtmpMessage message(FuzzedDataProvider data) {
        int streamId = data.consumeInt(0, 2);
        long time = data.consumeLong(0, 0xFFFFFFFFL);
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                String name = data.consumeBoolean() ? data.pickValue(COMMANDS) : data.consumeString(12);
                Object info = data.consumeBoolean()
                        ? Map.of("level", data.pickValue(LEVELS), "code", data.pickValue(CODES), "description",
                                data.consumeString(32))
                        : data.consumeBoolean() ? (Object) data.consumeDouble() : data.consumeString(16);
                ByteBuf body = alloc.buffer();
                boolean amf3 = data.consumeBoolean();
                if (amf3) {
                    body.writeByte(0);
                }
                Amf0Writer.writeAll(body, name, (double) data.consumeInt(0, 4), null, info);
                return new RtmpMessage(3, amf3 ? RtmpMessage.COMMAND_AMF3 : RtmpMessage.COMMAND_AMF0, streamId, time, body);
            }
            case 1 -> {
                byte[] header = data.pickValue(new byte[][] {
                    FuzzChannels.concat(new byte[] {0x17, 0, 0, 0, 0}, FuzzChannels.resource("/codec/h264-baseline-320x240-25.avcC")), {0x17, 1, 0, 0, 0}, {(byte) 0xaf, 0, 0x12, 0x10},
                    {(byte) 0xaf, 1}, {0x2f}, {(byte) 0x91, 'a', 'v', '0', '1'},
                });
                byte[] rest = data.consumeBytes(data.consumeInt(0, 128));
                boolean audio = header[0] == (byte) 0xaf || header[0] == 0x2f;
                return new RtmpMessage(audio ? 4 : 6, audio ? RtmpMessage.AUDIO : RtmpMessage.VIDEO, streamId, time,
                        alloc.buffer(header.length + rest.length).writeBytes(header).writeBytes(rest));
            }
            default -> {
                int type = data.consumeInt(0, 255);
                byte[] body = data.consumeBytes(data.consumeInt(0, 64));
                return new RtmpMessage(2, type, streamId, time, alloc.buffer(body.length).writeBytes(body));
            }
        }
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

    /** An embedded channel whose peer has an internet address, as a puller's socket does. */
    private static final class RemoteChannel extends EmbeddedChannel {
        RemoteChannel(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 1935);
        }
    }
}
