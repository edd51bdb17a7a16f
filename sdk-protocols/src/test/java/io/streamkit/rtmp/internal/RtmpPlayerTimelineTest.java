package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamEngine;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a player reads: each player's own timeline from 0 (or the stream's clock with absolute
 * time), sequence headers and metadata at its first frame's time, and bytes that players in step
 * share whenever they joined. The wire is read back with the chunk decoder.
 */
class RtmpPlayerTimelineTest {
    private static final int CHUNK_SIZE = 4096;
    private static final long HOUR_MS = 3_600_000;

    private StreamEngine engine;
    private Publisher publisher;
    private Track video;
    private Track audio;
    private final List<Player> players = new ArrayList<>();

    @BeforeEach
    void setUp() {
        SharedMediaMessages.forThisLoop().forget();
        engine = StreamEngine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "timeline"));
        video = publisher.addTrack(TestMedia.h264());
        audio = publisher.addTrack(TestMedia.aac());
    }

    @AfterEach
    void tearDown() {
        for (Player p : players) {
            p.player.onEnd(io.streamkit.stream.EndReason.CANCELLED);
            assertFalse(p.channel.finish());
        }
        SharedMediaMessages.forThisLoop().forget();
        publisher.close();
        engine.close();
    }

    @Test
    void aPlayerJoiningAStreamHoursInStartsAtZeroWithItsHeadersThere() {
        Player p = player(false);
        p.player.onMetadata(Map.of("width", 320.0));
        long t0 = 2 * HOUR_MS;
        deliver(frame(video, t0, true, 2_000), p);
        deliver(frame(audio, t0 - 10, false, 300), p);   // sampled just before the keyframe: no step back
        deliver(frame(audio, t0 + 13, false, 300), p);
        deliver(frame(video, t0 + 40, false, 900), p);
        deliver(frame(video, t0 + 80, false, 900), p);

        List<String> got = p.messages();
        assertEquals(List.of("data 0", "video-config 0", "audio-config 0", "video 0", "audio 0", "audio 13",
                "video 40", "video 80"), got);
    }

    @Test
    void playersThatJoinedAtDifferentTimesShareTheBytesOfEveryLaterFrame() {
        Player early = player(false);
        deliver(frame(video, 10_000, true, 2_000), early);
        deliver(frame(video, 10_040, false, 900), early);
        Player late = player(false);   // joins at the next GOP
        deliver(frame(video, 12_000, true, 2_000), early, late);
        deliver(frame(audio, 12_010, false, 300), early, late);
        int from = early.wire.size();
        int lateFrom = late.wire.size();
        deliver(frame(video, 12_040, false, 5_000), early, late);
        deliver(frame(audio, 12_033, false, 300), early, late);
        deliver(frame(video, 12_080, false, 5_000), early, late);

        byte[] earlyTail = java.util.Arrays.copyOfRange(early.wire.toByteArray(), from, early.wire.size());
        byte[] lateTail = java.util.Arrays.copyOfRange(late.wire.toByteArray(), lateFrom, late.wire.size());
        assertArrayEquals(earlyTail, lateTail, "type-1 headers carry deltas: the same bytes for both timelines");
        assertTrue(earlyTail.length > 10_000);
        assertEquals(List.of("video-config 0", "audio-config 0", "video 0", "video 40", "video 2000", "audio 2010",
                "video 2040", "audio 2033", "video 2080"), early.messages());
        assertEquals(List.of("video-config 0", "audio-config 0", "video 0", "audio 10", "video 40", "audio 33", "video 80"),
                late.messages());
    }

    @Test
    void absoluteTimeCarriesTheStreamClockPastTheExtendedTimestampAndThe32BitWrap() {
        Player first = player(true);
        long t0 = 0xFFFF00L;                    // just below the 24-bit field
        deliver(frame(video, t0, true, 2_000), first);
        Player second = player(true);           // joins past it: its type-0 headers need extended timestamps
        long t1 = t0 + 400;
        deliver(frame(video, t1, true, 5_000), first, second);
        long wrap = (1L << 32) - 40;            // the engine's timeline runs past 32 bits; the wire wraps
        deliver(frame(video, wrap, true, 2_000), first, second);
        deliver(frame(video, wrap + 80, false, 900), first, second);
        assertEquals(List.of("video-config " + t0, "audio-config " + t0, "video " + t0, "video " + t1,
                "video " + wrap, "video 40"), first.messages());
        assertEquals(List.of("video-config " + t1, "audio-config " + t1, "video " + t1, "video " + wrap, "video 40"),
                second.messages());
    }

    @Test
    void aReturningPublishersNewHeadersGoAtTheNextFramesTimeAndTheTimelineGoesOn() {
        Player p = player(false);
        deliver(frame(video, 50_000, true, 2_000), p);
        deliver(frame(video, 50_040, false, 900), p);
        p.player.onUnpublished();
        p.player.onRepublished();
        p.player.onTrack(video);   // the new publisher's sequence header
        deliver(frame(video, 50_041, true, 2_000), p);   // the engine continues the stream 1 ms on
        assertEquals(List.of("video-config 0", "audio-config 0", "video 0", "video 40", "video-config 41", "video 41"),
                p.messages());
    }

    private Player player(boolean absolute) {
        Player p = new Player(absolute);
        players.add(p);
        return p;
    }

    private void deliver(MediaFrame frame, Player... to) {
        try {
            for (Player p : to) {
                p.player.onFrame(frame);
                p.player.onFlush();
            }
        } finally {
            frame.release();
        }
    }

    private MediaFrame frame(Track track, long dtsMillis, boolean keyframe, int size) {
        return MediaFrame.of(track, dtsMillis * 1000, dtsMillis * 1000, keyframe, TestMedia.payload(dtsMillis, size));
    }

    /** A player on an embedded connection, its wire kept. */
    private final class Player {
        final EmbeddedChannel channel;
        final RtmpPlayer player;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();

        Player(boolean absolute) {
            Anchor anchor = new Anchor();
            channel = new EmbeddedChannel(new Keep(wire), new RtmpChunkEncoder(), anchor);
            anchor.ctx.writeAndFlush(RtmpMessages.setChunkSize(anchor.ctx.alloc(), CHUNK_SIZE));
            player = new RtmpPlayer(anchor.ctx, 1, CHUNK_SIZE, StreamKey.of("live", "timeline"), null,
                    new RtmpSentHeaders(), absolute, RtmpPeerCapabilities.LEGACY);
            player.onTrack(video);
            player.onTrack(audio);
        }

        /** The media and data messages read back: kind and timestamp. */
        List<String> messages() {
            EmbeddedChannel decoding = new EmbeddedChannel(new RtmpChunkDecoder());
            decoding.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(wire.toByteArray()));
            List<String> out = new ArrayList<>();
            for (RtmpMessage m; (m = decoding.readInbound()) != null; ) {
                try {
                    ByteBuf body = m.payload();
                    switch (m.type()) {
                        case RtmpMessage.VIDEO -> out.add((body.getByte(body.readerIndex() + 1) == 0 ? "video-config "
                                : "video ") + m.timestamp());
                        case RtmpMessage.AUDIO -> out.add((body.getByte(body.readerIndex() + 1) == 0 ? "audio-config "
                                : "audio ") + m.timestamp());
                        case RtmpMessage.DATA_AMF0 -> {
                            if (!body.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains("RtmpSampleAccess")) {
                                out.add("data " + m.timestamp());
                            }
                        }
                        default -> {
                            // control and status messages: not media
                        }
                    }
                } finally {
                    m.release();
                }
            }
            assertFalse(decoding.finish());
            return out;
        }
    }

    /** Where the connection handler sits: behind the encoder. */
    private static final class Anchor extends ChannelHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    /** Keeps the bytes written at the head, and releases them. */
    private static final class Keep extends ChannelDuplexHandler {
        private final ByteArrayOutputStream wire;

        Keep(ByteArrayOutputStream wire) {
            this.wire = wire;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                byte[] copy = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), copy);
                wire.writeBytes(copy);
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }
}
