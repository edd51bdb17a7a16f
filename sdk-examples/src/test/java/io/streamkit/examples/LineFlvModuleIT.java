package io.streamkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthResult;
import io.streamkit.hook.ConnectionEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.server.ClientInfo;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's own protocol, plugged in as a module beside Streamkit's: ffmpeg publishes
 * H.264 and AAC over line FLV, ffprobe plays the stream over RTMP, and a line-FLV player's
 * bytes are FLV that ffprobe reads with both tracks; bad commands and refused requests get
 * one error line and a close.
 */
class LineFlvModuleIT {
    private static final StreamKey KEY = StreamKey.of("live", "line");
    private MediaServer server;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Process ffmpeg;

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .listener(new ServerListener() {
                    @Override
                    public void onConnect(ConnectionEvent event) {
                        events.add("connect " + event.protocol());
                    }

                    @Override
                    public void onDisconnect(ConnectionEvent event) {
                        events.add("disconnect " + event.protocol());
                    }
                })
                .onPlay(req -> CompletableFuture.completedFuture(req.key().name().equals("secret")
                        ? AuthResult.deny("not for you") : AuthResult.allow()))
                .module(new LineFlvModule(0)).start();
    }

    @AfterEach
    void stop() {
        if (ffmpeg != null) {
            ffmpeg.destroyForcibly();
        }
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port(LineFlvModule.PROTOCOL).orElseThrow());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void ffmpegPublishesOverLineFlvAndPlayersOfBothProtocolsGetBothTracks(@TempDir Path dir) throws Exception {
        ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", "pipe:1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Socket publisher = connect();
        OutputStream out = publisher.getOutputStream();
        // The command and the stream's first kilobyte (header, metadata, sequence headers) in one
        // write, so the server reads them together: the FLV bytes after the command must reach the
        // publisher whole (they were once cut at their 0x0A bytes as further command lines).
        byte[] command = "PUBLISH live/line\n".getBytes(StandardCharsets.US_ASCII);
        byte[] first = ffmpeg.getInputStream().readNBytes(1024);
        byte[] together = new byte[command.length + first.length];
        System.arraycopy(command, 0, together, 0, command.length);
        System.arraycopy(first, 0, together, command.length, first.length);
        out.write(together);
        Thread pump = new Thread(() -> {
            try (InputStream in = ffmpeg.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the test closed the socket
            }
        }, "ffmpeg-to-line-flv");
        pump.setDaemon(true);
        pump.start();
        Await.until(Duration.ofSeconds(15), () -> server.streams().stream(KEY).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "the stream published over line FLV has two tracks: " + server.streams().stream(KEY));

        ClientInfo listed = server.clients().stream().filter(c -> c.protocol().equals(LineFlvModule.PROTOCOL))
                .findFirst().orElseThrow(() -> new AssertionError("clients: " + server.clients()));
        assertEquals(ClientInfo.Role.PUBLISH, listed.role());
        assertEquals(KEY, listed.stream().orElseThrow());
        assertTrue(events.contains("connect line-flv"), events.toString());

        String overRtmp = ExternalTool.run(60, "ffprobe", "-v", "error", "-rw_timeout", "10000000",
                "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
                "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/line");
        assertTrue(overRtmp.contains("h264,320,240"), overRtmp);
        assertTrue(overRtmp.contains("aac"), overRtmp);

        byte[] played;
        try (Socket player = connect()) {
            player.getOutputStream().write("PLAY live/line\n".getBytes(StandardCharsets.US_ASCII));
            played = readFor(player.getInputStream(), Duration.ofSeconds(4));
        }
        assertEquals("FLV", new String(played, 0, 3, StandardCharsets.US_ASCII));
        // the header, PreviousTagSize0, then a tag at once (ffmpeg resyncs past stray bytes there; stricter players do not)
        assertEquals(0, played[9] | played[10] | played[11] | played[12], "PreviousTagSize0");
        assertTrue(played[13] == 8 || played[13] == 9 || played[13] == 18, "a tag type at byte 13: " + played[13]);
        Path file = dir.resolve("played.flv");
        Files.write(file, played);
        String probed = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", file.toString());
        List<String> lines = probed.lines().filter(l -> !l.isBlank()).toList();
        String video = lines.stream().filter(l -> l.startsWith("h264")).findFirst().orElseThrow(() -> new AssertionError(probed));
        String audio = lines.stream().filter(l -> l.startsWith("aac")).findFirst().orElseThrow(() -> new AssertionError(probed));
        assertTrue(video.startsWith("h264,320,240,"), probed);
        int videoFrames = Integer.parseInt(video.substring(video.lastIndexOf(',') + 1));
        int audioFrames = Integer.parseInt(audio.substring(audio.lastIndexOf(',') + 1));
        assertTrue(videoFrames >= 60, "about 4 s at 25 fps, from the last keyframe on: " + probed);   // 4 s, 25 fps
        assertTrue(audioFrames >= 100, "about 4 s of 1024-sample AAC frames at 44.1 kHz: " + probed);
        publisher.close();
        Await.until(Duration.ofSeconds(10), () -> server.streams().stream(KEY).map(s -> !s.live()).orElse(true),
                () -> "the stream ends when its line-FLV publisher goes: " + server.streams().stream(KEY));
        Await.until(Duration.ofSeconds(10), () -> events.stream().filter(e -> e.equals("disconnect line-flv")).count() == 2,
                () -> "the publisher and the player were announced gone: " + events);
        assertTrue(events.contains("connect rtmp") && events.contains("disconnect rtmp"), events.toString());
    }

    @Test
    void badCommandsAndRefusedRequestsGetOneErrorLineAndAClose() throws IOException {
        assertEquals("ERR expected PUBLISH app/name or PLAY app/name\n", exchange("HELLO there\n"));
        assertEquals("ERR command line over " + LineFlvModule.MAX_LINE + " bytes\n", exchange("A".repeat(300)));
        assertEquals("ERR play of live/secret denied: not for you\n", exchange("PLAY live/secret\n"));
    }

    private String exchange(String command) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);   // to the server's close
        }
    }

    private static byte[] readFor(InputStream in, Duration duration) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long end = System.nanoTime() + duration.toNanos();
        byte[] chunk = new byte[65_536];
        while (System.nanoTime() < end) {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
