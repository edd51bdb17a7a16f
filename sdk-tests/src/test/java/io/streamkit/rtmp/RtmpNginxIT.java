package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.VideoParameters;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import io.streamkit.test.RecordingSubscriber;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our RTMP client against a third-party server: nginx with Debian's libnginx-mod-rtmp. */
class RtmpNginxIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Peers peers;
    private MediaServer server;
    private int nginxPort;

    @BeforeEach
    void start() throws Exception {
        peers = new Peers(dir);
        nginxPort = peers.nginx();
        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        peers.close();
    }

    @Test
    void pusherPublishesAStreamFfmpegSentUsToNginxAndFfprobeReadsItBack() throws Exception {
        StreamKey key = StreamKey.of("live", "src");
        peers.publish("rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/src", 10);
        Await.until(WAIT, () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "ffmpeg published to our server: " + server.streams().stream(key));

        Pusher pusher = server.push(key, nginx("relay"));
        pusher.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        Path out = dir.resolve("from-nginx.flv");
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", nginx("relay"), "-t", "3", "-c", "copy",
                "-f", "flv", out.toString()));
        Map<String, String> v = probe(out, "v:0");
        assertEquals("h264", v.get("codec_name"));
        assertEquals("320", v.get("width"));
        assertEquals("240", v.get("height"));
        int frames = Integer.parseInt(v.get("nb_read_frames"));
        assertTrue(frames >= 25, "video frames read back from nginx: " + frames);
        Map<String, String> a = probe(out, "a:0");
        assertEquals("aac", a.get("codec_name"));
        assertEquals("44100", a.get("sample_rate"));
        assertTrue(pusher.isActive());
        pusher.close();
    }

    @Test
    void pullerPlaysAStreamFfmpegPublishesToNginx() {
        peers.publish(nginx("cam"), 10);
        StreamKey key = StreamKey.of("edge", "cam");
        Puller puller = server.pull(nginx("cam"), key);
        puller.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        List<Track> tracks = new CopyOnWriteArrayList<>();
        RecordingSubscriber sub = new RecordingSubscriber() {
            @Override
            public void onTrack(Track track) {
                tracks.add(track);
                super.onTrack(track);
            }
        };
        Await.until(WAIT, () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "two tracks pulled: " + server.streams().stream(key));
        server.streams().subscribe(key, sub).toCompletableFuture().join();
        Await.until(WAIT, () -> List.copyOf(sub.frames).stream().filter(f -> f.keyframe() && f.size() > 1000).count() >= 2,
                () -> "two keyframes pulled, frames so far: " + sub.frames.size());

        Track video = tracks.stream().filter(t -> t.codec() == Codec.H264).findFirst().orElseThrow();
        VideoParameters p = video.format().video().orElseThrow();
        assertEquals(320, p.width());
        assertEquals(240, p.height());
        assertTrue(tracks.stream().anyMatch(t -> t.codec() == Codec.AAC), tracks::toString);
        List<RecordingSubscriber.Seen> videoFrames = List.copyOf(sub.frames).stream()
                .filter(f -> f.track() == video.id()).toList();
        assertTrue(videoFrames.size() > 0);
        assertTrue(videoFrames.get(0).keyframe(), "the first video frame is a keyframe");
        assertEquals(List.of(), sub.violations);
        assertTrue(puller.isActive());
        puller.close();
        Await.until(WAIT, () -> !puller.isActive(), () -> "puller closed");
    }

    private String nginx(String name) {
        return "rtmp://127.0.0.1:" + nginxPort + "/live/" + name;
    }

    private static Map<String, String> probe(Path file, String stream) {
        String out = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", "stream=codec_name,width,height,sample_rate,channels,nb_read_frames",
                "-of", "default=noprint_wrappers=1", file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }

}
