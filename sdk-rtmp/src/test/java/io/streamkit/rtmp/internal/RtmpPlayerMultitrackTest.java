package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A multitrack stream (two video, two audio tracks) to two players: one that announced
 * multitrack in its connect gets every track, the further ones as Enhanced RTMP tracks 1 in
 * one-track multitrack messages on chunk streams of their own, each video track from its own
 * first keyframe; one that did not gets the first track of each media as a plain stream.
 * What they read is parsed back with the FLV tag parser.
 */
class RtmpPlayerMultitrackTest {
    private StreamEngine engine;
    private Publisher publisher;
    private Track video0;
    private Track audio0;
    private Track video1;
    private Track audio1;

    @BeforeEach
    void setUp() {
        SharedMediaMessages.forThisLoop().forget();
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "multi"));
        video0 = publisher.addTrack(TestMedia.h264());
        audio0 = publisher.addTrack(TestMedia.aac());
        video1 = publisher.addTrack(TestMedia.h264());
        audio1 = publisher.addTrack(TestMedia.aac());
    }

    @AfterEach
    void tearDown() {
        SharedMediaMessages.forThisLoop().forget();
        publisher.close();
        engine.close();
    }

    @Test
    void aMultitrackPlayerGetsEveryTrackAndALegacyOneTheFirstOfEach() {
        Player multi = new Player(new RtmpPeerCapabilities(Set.of(), true));
        Player legacy = new Player(RtmpPeerCapabilities.LEGACY);
        List<Player> both = List.of(multi, legacy);
        deliver(both, frame(video0, 0, true));
        deliver(both, frame(audio0, 5, true));
        deliver(both, frame(audio1, 6, true));
        deliver(both, frame(video1, 20, false));   // track 1 has not had a keyframe: held back
        deliver(both, frame(video0, 40, false));
        deliver(both, frame(video1, 60, true));
        deliver(both, frame(video1, 100, false));

        assertEquals(List.of(
                "csid 6 video track 0 CONFIG @0", "csid 4 audio track 0 CONFIG @0",
                "csid 8 video track 1 CONFIG @0", "csid 9 audio track 1 CONFIG @0",
                "csid 6 video track 0 FRAME @0", "csid 4 audio track 0 FRAME @5", "csid 9 audio track 1 FRAME @6",
                "csid 6 video track 0 FRAME @40", "csid 8 video track 1 FRAME @60", "csid 8 video track 1 FRAME @100"),
                multi.read());
        assertEquals(List.of(
                "csid 6 video track 0 CONFIG @0", "csid 4 audio track 0 CONFIG @0",
                "csid 6 video track 0 FRAME @0", "csid 4 audio track 0 FRAME @5", "csid 6 video track 0 FRAME @40"),
                legacy.read());
        both.forEach(Player::close);
    }

    private static void deliver(List<Player> players, MediaFrame frame) {
        try {
            for (Player p : players) {
                p.player.onFrame(frame);
                p.player.onFlush();
            }
        } finally {
            frame.release();
        }
    }

    private static MediaFrame frame(Track track, long dtsMillis, boolean keyframe) {
        return MediaFrame.of(track, dtsMillis * 1000, dtsMillis * 1000, keyframe, TestMedia.payload(dtsMillis, 400));
    }

    /** A player on an embedded connection whose wire is kept and read back. */
    private final class Player {
        final EmbeddedRtmpConnection connection = new EmbeddedRtmpConnection(4096);
        final RtmpPlayer player;

        Player(RtmpPeerCapabilities peer) {
            player = new RtmpPlayer(connection.ctx(), 1, 4096, StreamKey.of("live", "multi"), null, 0,
                    false, peer, () -> { });
            for (Track t : List.of(video0, audio0, video1, audio1)) {
                player.onTrack(t);
            }
        }

        List<String> read() {
            List<String> out = new ArrayList<>();
            for (RtmpMessage m : connection.messages()) {
                try {
                    ByteBuf body = m.payload();
                    if (m.type() == RtmpMessage.VIDEO) {
                        List<FlvVideoTag> tags = new ArrayList<>();
                        FlvVideoTag.parseTracks(body, tags);
                        for (FlvVideoTag t : tags) {
                            out.add("csid " + m.chunkStreamId() + " video track " + t.trackId() + " " + t.kind()
                                    + " @" + m.timestamp());
                        }
                    } else if (m.type() == RtmpMessage.AUDIO) {
                        List<FlvAudioTag> tags = new ArrayList<>();
                        FlvAudioTag.parseTracks(body, tags);
                        for (FlvAudioTag t : tags) {
                            out.add("csid " + m.chunkStreamId() + " audio track " + t.trackId() + " " + t.kind()
                                    + " @" + m.timestamp());
                        }
                    }
                } finally {
                    m.release();
                }
            }
            return out;
        }

        void close() {
            player.onEnd(EndReason.CANCELLED);
            connection.close();
        }
    }
}
