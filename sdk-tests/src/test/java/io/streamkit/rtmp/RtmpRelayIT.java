package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.internal.RtmpPuller;
import io.streamkit.rtmp.internal.RtmpPusher;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our RTMP client against our RTMP server: a second server on port 0 plays the remote. */
class RtmpRelayIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MediaServer remote;
    private MediaServer local;

    @BeforeEach
    void start() {
        remote = MediaServer.builder().ioThreads(2).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO).withPlayWait(Duration.ofMillis(500)))
                .start();
        local = MediaServer.builder().ioThreads(2)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO).withPlayWait(Duration.ofSeconds(2)))
                .rtmpClient(c -> c.reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .handshakeTimeout(Duration.ofMillis(500)).startTimeout(Duration.ofSeconds(5)))
                .start();
    }

    @AfterEach
    void stop() {
        local.close();
        remote.close();
    }

    private String remoteUrl(String path) {
        return "rtmp://127.0.0.1:" + remote.rtmpPort().getAsInt() + "/" + path;
    }

    @Test
    void pullerPublishesTheRemoteStreamsFramesLocally() {
        StreamKey remoteKey = StreamKey.of("live", "origin");
        StreamKey localKey = StreamKey.of("edge", "copy");
        Publisher pub = remote.streams().publish(remoteKey);
        Track video = pub.addTrack(TestMedia.h264());
        Track audio = pub.addTrack(TestMedia.aac());
        // The first frames go out with the sequence headers: a server flushes a player per batch of frames.
        pub.write(video, 0, 80_000, true, TestMedia.accessUnit(Codec.H264, 0, 3_000, true));
        pub.write(audio, 0, 0, true, TestMedia.payload(1_000, 200));

        Puller puller = local.pull(remoteUrl("live/origin"), localKey);
        assertInstanceOf(RtmpPuller.class, puller);
        puller.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(puller.isActive());
        Await.until(WAIT, () -> local.streams().stream(localKey).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "local stream with two tracks: " + local.streams().stream(localKey));
        assertEquals("rtmp-pull", local.streams().stream(localKey).orElseThrow().publisherProtocol());

        RecordingSubscriber sub = new RecordingSubscriber();
        local.streams().subscribe(localKey, sub).toCompletableFuture().join();
        for (int i = 1; i < 50; i++) {
            long t = i * 40_000L;
            pub.write(video, t, t + 80_000, i % 10 == 0, TestMedia.accessUnit(Codec.H264, i, 3_000 + i * 100, i % 10 == 0));
            pub.write(audio, t, t, true, TestMedia.payload(1_000 + i, 200));
        }
        Await.until(WAIT, () -> sub.frames.size() == 100, () -> sub.frames.size() + " of 100 frames");

        List<RecordingSubscriber.Seen> v = List.copyOf(sub.frames).stream().filter(f -> f.track() == 0).toList();
        List<RecordingSubscriber.Seen> a = List.copyOf(sub.frames).stream().filter(f -> f.track() == 1).toList();
        assertEquals(LongStream.range(0, 50).boxed().toList(), v.stream().map(RecordingSubscriber.Seen::seq).toList());
        assertEquals(LongStream.range(1_000, 1_050).boxed().toList(), a.stream().map(RecordingSubscriber.Seen::seq).toList());
        long base = v.get(0).dts();
        for (int i = 0; i < 50; i++) {
            assertEquals(base + i * 40_000L, v.get(i).dts(), "video dts " + i);
            assertEquals(v.get(i).dts() + 80_000, v.get(i).pts(), "video pts " + i);
            assertEquals(i % 10 == 0, v.get(i).keyframe(), "keyframe " + i);
            assertEquals(3_000 + i * 100, v.get(i).size(), "payload size " + i);
            assertEquals(base + i * 40_000L, a.get(i).dts(), "audio dts " + i);
        }
        assertEquals(List.of(), sub.violations);

        pub.close();   // the remote stream ends: the local publisher closes, and the puller is done
        assertEquals(EndReason.UNPUBLISHED, sub.ended.orTimeout(10, TimeUnit.SECONDS).join());
        Await.until(WAIT, () -> !puller.isActive(), () -> "puller inactive");
        puller.close();
    }

    @Test
    void pusherPublishesTheLocalStreamAndRepublishesAfterAKick() {
        StreamKey localKey = StreamKey.of("live", "src");
        StreamKey remoteKey = StreamKey.of("live", "dst");
        Publisher pub = local.streams().publish(localKey);
        Track video = pub.addTrack(TestMedia.h264());
        Track audio = pub.addTrack(TestMedia.aac());
        pub.updateMetadata(java.util.Map.of("width", 320.0, "encoder", "test"));
        pub.write(video, 0, 0, true, TestMedia.accessUnit(Codec.H264, 0, 5_000, true));

        Pusher pusher = local.push(localKey, remoteUrl("live/dst"));
        assertInstanceOf(RtmpPusher.class, pusher);
        pusher.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(pusher.isActive());
        Await.until(WAIT, () -> remote.streams().stream(remoteKey).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "remote stream with two tracks: " + remote.streams().stream(remoteKey));

        RecordingSubscriber first = new RecordingSubscriber();
        remote.streams().subscribe(remoteKey, first).toCompletableFuture().join();
        for (int i = 1; i < 40; i++) {
            pub.write(video, i * 40_000L, i * 40_000L, i % 10 == 0, TestMedia.accessUnit(Codec.H264, i, 2_000, i % 10 == 0));
            pub.write(audio, i * 40_000L, i * 40_000L, true, TestMedia.payload(500 + i, 100));
        }
        Await.until(WAIT, () -> List.copyOf(first.frames).stream().filter(f -> f.track() == 0).count() == 40,
                () -> first.frames.size() + " frames on the remote");
        assertEquals(LongStream.range(0, 40).boxed().toList(),
                List.copyOf(first.frames).stream().filter(f -> f.track() == 0).map(RecordingSubscriber.Seen::seq).toList());
        assertTrue(first.events.stream().anyMatch(e -> e.startsWith("metadata") && e.contains("encoder=test")), first.events::toString);

        assertTrue(remote.streams().kick(remoteKey));   // the remote server drops the pusher's connection
        assertEquals(EndReason.KICKED, first.ended.orTimeout(10, TimeUnit.SECONDS).join());
        Await.until(WAIT, () -> remote.streams().stream(remoteKey).map(s -> s.live() && s.tracks().size() == 2).orElse(false),
                () -> "the pusher republished: " + remote.streams().stream(remoteKey));
        Await.until(WAIT, pusher::isActive, () -> "pusher active again");

        RecordingSubscriber second = new RecordingSubscriber();
        remote.streams().subscribe(remoteKey, second).toCompletableFuture().join();
        for (int i = 40; i < 60; i++) {
            pub.write(video, i * 40_000L, i * 40_000L, i % 10 == 0, TestMedia.accessUnit(Codec.H264, i, 2_000, i % 10 == 0));
        }
        Await.until(WAIT, () -> List.copyOf(second.frames).stream().anyMatch(f -> f.seq() == 59), () -> second.frames.size() + " frames after the republish");
        List<Long> seqs = List.copyOf(second.frames).stream().filter(f -> f.track() == 0).map(RecordingSubscriber.Seen::seq).toList();
        assertEquals(LongStream.range(40, 60).boxed().toList(), seqs.subList(seqs.indexOf(40L), seqs.size()));
        assertTrue(second.frames.get(0).keyframe(), "the republished stream starts at a keyframe");

        pusher.close();
        Await.until(WAIT, () -> remote.streams().stream(remoteKey).map(s -> !s.live()).orElse(true), () -> "remote unpublished");
        assertFalse(pusher.isActive());
        pub.close();
    }

    @Test
    void pullerFailsWithTheServersDescription() {
        Puller puller = local.pull(remoteUrl("live/missing"), StreamKey.of("live", "missing"));
        CompletionException e = assertThrows(CompletionException.class,
                () -> puller.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
        assertInstanceOf(RtmpProtocolException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("NetStream.Play.StreamNotFound"), e.getCause().getMessage());
        assertFalse(puller.isActive());
        assertTrue(local.streams().stream(StreamKey.of("live", "missing")).isEmpty());
    }

    @Test
    void pusherFailsWhenTheLocalStreamIsNotLive() {
        Pusher pusher = local.push(StreamKey.of("live", "nothing"), remoteUrl("live/nothing"));
        CompletionException e = assertThrows(CompletionException.class,
                () -> pusher.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
        assertTrue(e.getCause().getMessage().contains("live/nothing"), e.getCause().getMessage());
        assertTrue(remote.streams().stream(StreamKey.of("live", "nothing")).isEmpty(), "never connected");
    }

    @Test
    void connectionRefusedAndSilentServersFailStartInTime() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Puller refused = local.pull("rtmp://127.0.0.1:" + closedPort + "/live/x", StreamKey.of("live", "x"));
        CompletionException e = assertThrows(CompletionException.class,
                () -> refused.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
        assertInstanceOf(ConnectException.class, e.getCause());

        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {   // accepts, never answers
            Puller puller = local.pull("rtmp://127.0.0.1:" + silent.getLocalPort() + "/live/y", StreamKey.of("live", "y"));
            CompletionException h = assertThrows(CompletionException.class,
                    () -> puller.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
            assertInstanceOf(RtmpProtocolException.class, h.getCause());
            assertTrue(h.getCause().getMessage().contains("handshake not finished within 500 ms"), h.getCause().getMessage());
        }
    }

    @Test
    void urlsAreCheckedAtOnce() {
        StreamKey key = StreamKey.of("live", "k");
        assertEquals("cannot pull 'srt://h/live/k': only rtmp://, rtmps://, http://, https://, rtsp:// URLs are supported",
                assertThrows(IllegalArgumentException.class, () -> local.pull("srt://h/live/k", key)).getMessage());
        assertEquals("HTTP-FLV only pulls",
                assertThrows(UnsupportedOperationException.class, () -> local.push(key, "http://h/live/k.flv")).getMessage());
        assertEquals("RTMP URL 'rtmp://h/k' needs an app and a stream name: rtmp://host/app/name",
                assertThrows(IllegalArgumentException.class, () -> local.push(key, "rtmp://h/k")).getMessage());
    }
}
