package io.streamkit.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthResult;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HLS options with application-published frames: on demand, audio-only cutting, auth, a mirror directory. */
class HlsOptionsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void onDemandSegmentsOnlyOnceAPlayerAsksAndAudioOnlyCutsOnTime() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0)
                .hls(h -> h.onDemand(true).segmentDuration(Duration.ofSeconds(1)).programDateTime(true)).start()) {
            StreamKey key = StreamKey.of("radio", "one");
            Publisher pub = server.streams().publish(key);
            Track audio = pub.addTrack(TestMedia.aac());
            long t = 0;
            for (int i = 0; i < 50; i++, t += 23_220) {
                pub.write(audio, t, t, true, TestMedia.payload(i, 200));
            }
            assertEquals(0, server.streams().stream(key).orElseThrow().subscribers(), "no segmenter before a player asks");
            String url = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/radio/one.m3u8";
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).orElseThrow().subscribers() == 1,
                    () -> "the playlist request started a segmenter");
            for (int i = 0; i < 200; i++, t += 23_220) {   // 4.6 s of audio: four 1 s segments
                pub.write(audio, t, t, true, TestMedia.payload(i, 200));
            }
            HttpResponse<String> response = first.get();
            assertEquals(200, response.statusCode(), response.body());
            HttpResponse<String> media = get(HlsPlaylists.variant(url, response.body()));   // the viewer's session
            assertEquals(200, media.statusCode(), media.body());
            String m3u8 = media.body();
            // 1 s plus part of a 23 ms frame, rounded up (the rule, stricter than RFC 8216's rounding).
            assertTrue(m3u8.contains("#EXT-X-TARGETDURATION:2"), m3u8);
            assertTrue(m3u8.contains("#EXT-X-PROGRAM-DATE-TIME:"), m3u8);
            assertTrue(m3u8.contains("#EXTINF:1.0"), "audio-only segments cut at 1 s: " + m3u8);
            pub.close();
        }
    }

    @Test
    void thePlaylistPassesThePlayCheckAndTheDirectoryMirrorsTheRendition() throws Exception {
        Path mirror = dir.resolve("hls");
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0)
                .onPlay(r -> CompletableFuture.completedFuture("ok".equals(r.param("token"))
                        ? AuthResult.allow() : AuthResult.deny("no token")))
                .hls(h -> h.directory(mirror)).start()) {
            StreamKey key = StreamKey.of("live", "mirrored");
            Publisher pub = server.streams().publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            for (int i = 0; i < 200; i++) {   // 8 s at 25 fps, keyframe every 2 s
                pub.write(video, i * 40_000L, i * 40_000L, i % 50 == 0, avcc(i % 50 == 0, 1_000));
            }
            String url = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/mirrored.m3u8";
            HttpResponse<String> denied = get(url);
            assertEquals(403, denied.statusCode());
            assertTrue(denied.body().contains("no token"), denied.body());
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    return get(HlsPlaylists.media(http, url + "?token=ok")).body().split("#EXTINF:2.000").length - 1 == 3;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "three finished 2 s segments: " + read(url + "?token=ok"));
            assertEquals(200, get(url + "?token=ok").statusCode());

            Path playlist = mirror.resolve("live/mirrored.m3u8");
            Await.until(Duration.ofSeconds(10), () -> Files.exists(playlist) && read(playlist).contains("mirrored/2.ts"),
                    () -> "mirrored playlist");
            for (int n = 0; n < 3; n++) {
                Path segment = mirror.resolve("live/mirrored/" + n + ".ts");
                assertTrue(Files.size(segment) > 0 && Files.size(segment) % 188 == 0, segment + " is whole TS packets");
                assertEquals(0x47, Files.readAllBytes(segment)[0] & 0xff);
            }
            pub.close();
        }
    }

    /** One length-prefixed NAL unit (IDR or non-IDR slice) of {@code size} bytes: the canonical H.264 form. */
    private static io.netty.buffer.ByteBuf avcc(boolean idr, int size) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(size);
        b.writeInt(size - 4).writeByte(idr ? 0x65 : 0x41).writeZero(size - 5);
        return b;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String read(String url) {
        try {
            return get(url).body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
