package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
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
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "timeline"));
        video = publisher.addTrack(TestMedia.h264());
        audio = publisher.addTrack(TestMedia.aac());
    }

    @AfterEach
    void tearDown() {
        for (Player p : players) {
            p.player.onEnd(io.streamkit.stream.EndReason.CANCELLED);
            p.connection.close();
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
        int from = early.connection.size();
        int lateFrom = late.connection.size();
        deliver(frame(video, 12_040, false, 5_000), early, late);
        deliver(frame(audio, 12_033, false, 300), early, late);
        deliver(frame(video, 12_080, false, 5_000), early, late);

        byte[] earlyTail = early.connection.bytes(from);
        byte[] lateTail = late.connection.bytes(lateFrom);
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

    @Test
    void twoPlaysOnOneConnectionKeepTheirTimelinesOnChunkStreamsOfTheirOwn() {
        EmbeddedRtmpConnection connection = new EmbeddedRtmpConnection(CHUNK_SIZE);
        RtmpPlayer first = new RtmpPlayer(connection.ctx(), 1, CHUNK_SIZE, StreamKey.of("live", "timeline"), null, 0,
                false, RtmpPeerCapabilities.LEGACY, () -> { });
        RtmpPlayer second = new RtmpPlayer(connection.ctx(), 2, CHUNK_SIZE, StreamKey.of("live", "timeline"), null, 1,
                false, RtmpPeerCapabilities.LEGACY, () -> { });
        RtmpPlayer third = new RtmpPlayer(connection.ctx(), 3, CHUNK_SIZE, StreamKey.of("live", "timeline"), null, -1,
                false, RtmpPeerCapabilities.LEGACY, () -> { });   // no block left: type-0 headers only
        for (RtmpPlayer p : List.of(first, second, third)) {
            p.onTrack(video);
        }
        deliverTo(frame(video, 1_000, true, 900), first);
        deliverTo(frame(video, 1_040, false, 900), first);
        deliverTo(frame(video, 2_000, true, 900), first, second, third);   // the others start here
        deliverTo(frame(video, 2_040, false, 900), first, second, third);
        deliverTo(frame(video, 2_080, false, 900), first, second, third);
        java.util.Map<Integer, List<String>> byStream = new java.util.TreeMap<>();
        for (RtmpMessage m : connection.messages()) {
            try {
                if (m.type() == RtmpMessage.VIDEO) {
                    byStream.computeIfAbsent(m.streamId(), k -> new ArrayList<>())
                            .add("csid " + m.chunkStreamId() + " @" + m.timestamp());
                }
            } finally {
                m.release();
            }
        }
        assertEquals(List.of("csid 6 @0", "csid 6 @0", "csid 6 @40", "csid 6 @1000", "csid 6 @1040", "csid 6 @1080"),
                byStream.get(1), "the sequence header, then the frames");
        assertEquals(List.of("csid 40 @0", "csid 40 @0", "csid 40 @40", "csid 40 @80"), byStream.get(2));
        assertEquals(List.of("csid 62 @0", "csid 62 @0", "csid 62 @40", "csid 62 @80"), byStream.get(3),
                "a play without a block: type-0 headers on the chunk stream kept for such plays");
        for (RtmpPlayer p : List.of(first, second, third)) {
            p.onEnd(io.streamkit.stream.EndReason.CANCELLED);
        }
        connection.close();
    }

    private void deliverTo(MediaFrame frame, RtmpPlayer... to) {
        try {
            for (RtmpPlayer p : to) {
                p.onFrame(frame);
                p.onFlush();
            }
        } finally {
            frame.release();
        }
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
        final EmbeddedRtmpConnection connection = new EmbeddedRtmpConnection(CHUNK_SIZE);
        final RtmpPlayer player;

        Player(boolean absolute) {
            player = new RtmpPlayer(connection.ctx(), 1, CHUNK_SIZE, StreamKey.of("live", "timeline"), null,
                    0, absolute, RtmpPeerCapabilities.LEGACY, () -> { });
            player.onTrack(video);
            player.onTrack(audio);
        }

        /** The media and data messages read back: kind and timestamp. */
        List<String> messages() {
            List<String> out = new ArrayList<>();
            for (RtmpMessage m : connection.messages()) {
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
            return out;
        }
    }
}
