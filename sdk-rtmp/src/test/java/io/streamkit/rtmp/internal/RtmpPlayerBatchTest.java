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
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A batched player writes every frame at once but flushes once per window, after flushing its first frames at once. */
class RtmpPlayerBatchTest {
    private static final long WINDOW_MS = 350;
    private static final int CHUNK_SIZE = 4096;

    private StreamEngine engine;
    private Publisher publisher;
    private Track video;
    private Track audio;
    private EmbeddedChannel channel;
    private Counter counter;
    private RtmpPlayer player;

    @BeforeEach
    void setUp() {
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "batch"));
        video = publisher.addTrack(TestMedia.h264());
        audio = publisher.addTrack(TestMedia.aac());
        counter = new Counter();
        Anchor anchor = new Anchor();
        channel = new EmbeddedChannel(counter, new RtmpChunkEncoder(), anchor);
        channel.freezeTime();
        player = new RtmpPlayer(anchor.ctx, 1, CHUNK_SIZE, StreamKey.of("live", "batch"),
                WriteBatch.of(channel.eventLoop(), TimeUnit.MILLISECONDS.toNanos(WINDOW_MS)), 0, false, RtmpPeerCapabilities.LEGACY, () -> { });
        player.onTrack(video);
        player.onTrack(audio);
        player.onFlush();
        counter.reset();
    }

    @AfterEach
    void tearDown() {
        assertFalse(channel.finish());
        publisher.close();
        engine.close();
    }

    @Test
    void firstFramesGoAtOnceThenOneFlushPerWindow() {
        deliver(frame(video, 0, true, 20_000));
        assertEquals(1, counter.flushes, "the first frame (the GOP cache's keyframe) is flushed at once");
        long first = counter.bytes;

        deliver(frame(audio, 10, false, 300));
        deliver(frame(video, 40, false, 3_000));
        deliver(frame(audio, 33, false, 300));
        assertEquals(1, counter.flushes, "later frames wait for the window");
        assertEquals(first, counter.bytes, "later frames wait in the player, not in the channel");

        advance(WINDOW_MS);
        assertEquals(2, counter.flushes, "one flush, within the window, for its three frames");
        int bodies = (300 + 2) + (3_000 + 5) + (300 + 2);   // FLV video headers 5 B, AAC 2 B
        int chunkHeaders = 3 * 8;   // a type-1 header each: both chunk streams carried a message before
        assertEquals(bodies + chunkHeaders, counter.bytes - first);

        advance(WINDOW_MS * 3);
        assertEquals(2, counter.flushes, "no frame, no flush");

        deliver(frame(video, 80, false, 3_000));
        advance(WINDOW_MS);
        assertEquals(3, counter.flushes);
    }

    @Test
    void aControlMessageAfterQueuedFramesFollowsThem() {
        deliver(frame(video, 0, true, 2_000));
        long first = counter.bytes;
        deliver(frame(video, 40, false, 2_000));
        assertEquals(first, counter.bytes);
        player.pause(true);   // its status is written and flushed at once, after the queued frame
        assertEquals(2, counter.flushes);
        assertEquals(first + 2_000 + 5 + 8, counter.bytes - counter.lastWrite,
                "the queued frame (a type-1 header, its body) went out before the status");
        advance(WINDOW_MS);
        assertEquals(2, counter.flushes, "nothing left for the window");
    }

    @Test
    void playersOfALoopAreFlushedAnEighthAtATime() {
        WriteBatch batch = WriteBatch.of(channel.eventLoop(), TimeUnit.MILLISECONDS.toNanos(WINDOW_MS));
        int[] flushedAt = new int[16];
        int[] now = {0};
        for (int i = 0; i < flushedAt.length; i++) {
            int player = i;
            batch.flushLater(() -> flushedAt[player] = now[0], batch.slot());
        }
        long step = WINDOW_MS / 8 + 1;
        for (now[0] = 1; now[0] <= 8; now[0]++) {
            channel.advanceTimeBy(step, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        int[] perTick = new int[9];
        for (int t : flushedAt) {
            perTick[t]++;
        }
        for (int t = 1; t <= 8; t++) {
            assertEquals(2, perTick[t], "tick " + t + " flushes its slot's players only");
        }
    }

    @Test
    void playersOfASlotWithTheSameFramesShareOneBufferPerWindow() {
        WriteBatch batch = WriteBatch.of(channel.eventLoop(), TimeUnit.MILLISECONDS.toNanos(WINDOW_MS));
        int players = 2 * 8 + 1;   // the slot after the set-up player's holds three of them: 0, 8 and 16
        List<EmbeddedChannel> channels = new ArrayList<>();
        List<Counter> counters = new ArrayList<>();
        List<RtmpPlayer> group = new ArrayList<>();
        try {
            for (int i = 0; i < players; i++) {
                Counter c = new Counter();
                c.keep = true;
                Anchor a = new Anchor();
                channels.add(new EmbeddedChannel(c, new RtmpChunkEncoder(), a));
                counters.add(c);
                RtmpPlayer p = new RtmpPlayer(a.ctx, 1, CHUNK_SIZE, StreamKey.of("live", "batch"), batch,
                        0, false, RtmpPeerCapabilities.LEGACY, () -> { });
                p.onTrack(video);
                p.onTrack(audio);
                p.onFlush();
                group.add(p);
            }
            deliverAll(group, frame(video, 0, true, 20_000));   // flushed at once by each
            counters.forEach(c -> {
                c.writes = 0;
                c.flushes = 0;
            });
            deliverAll(group, frame(audio, 10, false, 300));
            deliverAll(group, frame(video, 40, false, 3_000));
            deliverAll(group, frame(audio, 33, false, 300));
            advance(WINDOW_MS);

            byte[] expected = counters.get(0).wire.toByteArray();
            for (int i = 0; i < players; i++) {
                assertArrayEquals(expected, counters.get(i).wire.toByteArray(), "player " + i + " got other bytes");
                assertEquals(1, counters.get(i).flushes, "player " + i + ": one flush for the window");
            }
            assertTrue(counters.get(0).writes > 3, "the first of a slot writes each frame's own parts");
            assertEquals(1, counters.get(8).writes, "the second writes the window's frames in one buffer");
            assertEquals(1, counters.get(16).writes, "and so does every further one");
        } finally {
            group.forEach(p -> p.pause(true));
            channels.forEach(c -> assertFalse(c.finish()));
            counters.forEach(c -> c.keep = false);
        }
    }

    private void deliverAll(List<RtmpPlayer> players, MediaFrame frame) {
        try {
            for (RtmpPlayer p : players) {
                p.onFrame(frame);
                p.onFlush();
            }
        } finally {
            frame.release();
        }
    }

    private void advance(long millis) {
        for (long t = 0; t < millis; t += 10) {   // step through the batch's ticks
            channel.advanceTimeBy(Math.min(10, millis - t), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    private void deliver(MediaFrame frame) {
        try {
            if (player.writable()) {
                player.onFrame(frame);
            }
            player.onFlush();
        } finally {
            frame.release();
        }
    }

    private MediaFrame frame(Track track, long dtsMillis, boolean keyframe, int size) {
        return MediaFrame.of(track, dtsMillis * 1000, dtsMillis * 1000, keyframe, TestMedia.payload(dtsMillis, size));
    }

    /** Where the connection handler sits: behind the encoder. */
    private static final class Anchor extends ChannelHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    /** Counts written bytes and flushes at the head, and releases what is written. */
    private static final class Counter extends ChannelDuplexHandler {
        long bytes;
        long lastWrite;
        int writes;
        int flushes;
        boolean keep;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                bytes += b.readableBytes();
                lastWrite = b.readableBytes();
                writes++;
                if (keep) {
                    byte[] copy = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), copy);
                    wire.writeBytes(copy);
                }
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
        }

        void reset() {
            bytes = 0;
            flushes = 0;
        }
    }
}
