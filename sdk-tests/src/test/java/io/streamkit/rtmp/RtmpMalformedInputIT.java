package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken clients get their connection closed, and a live stream on the same
 * server keeps playing to a real player while they come and go.
 */
class RtmpMalformedInputIT {
    private static final int HANDSHAKE = 1536;

    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        server = MediaServer.builder().ioThreads(2)
                .rtmp(0, r -> r.maxMessageSize(1 << 20).handshakeTimeout(Duration.ofSeconds(2)))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start();
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {   // null when a missing tool skipped the test
            server.close();
        }
    }

    @Test
    void badClientsAreClosedWhileALiveStreamKeepsPlaying() throws Exception {
        int port = server.rtmpPort().getAsInt();
        String url = "rtmp://127.0.0.1:" + port + "/live/steady";
        Process publisher = start(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                "-pix_fmt", "yuv420p", "-f", "flv", url), "publisher.log");
        StreamKey key = StreamKey.of("live", "steady");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 1).orElse(false),
                () -> "stream live");
        Path played = dir.resolve("played.flv");
        Process player = start(List.of("ffmpeg", "-v", "error", "-i", url, "-c", "copy", "-f", "flv", played.toString()),
                "player.log");

        Random random = new Random(7);
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        garbage[0] = 'G';   // an HTTP request sent to the RTMP port, say
        assertClosed("garbage", port, garbage, false);
        assertClosed("truncated handshake", port, ByteBufUtil.decodeHexDump("03" + "00".repeat(100)), false);
        assertClosed("RTMPE handshake", port, ByteBufUtil.decodeHexDump("06" + "00".repeat(HANDSHAKE)), false);
        assertClosed("oversized message", port, hex("03 000000 ffffff 14 00000000"), true);
        assertClosed("negative chunk size", port, hex("02 000000 000004 01 00000000 ffffffff"), true);
        assertClosed("unknown message type", port, hex("03 000000 000001 63 00000000 00"), true);
        assertClosed("bad AMF", port, hex("03 000000 000004 14 00000000 02ffff41"), true);
        // "publish", 2.0, null, "z": a command that needs a connection first
        assertClosed("publish before connect", port,
                hex("03 000000 000018 14 00000000 0200077075626c697368 004000000000000000 05 0200017a"), true);
        assertClosed("stream that starts with a type-3 header", port, hex("c3 00"), true);

        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");
        assertTrue(player.waitFor(30, TimeUnit.SECONDS), "player finished when the stream ended");
        assertEquals(0, player.exitValue(), "player exit status");
        String frames = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", played.toString()).trim();
        assertTrue(Integer.parseInt(frames) >= 200, "the player kept receiving: " + frames + " frames of about 250");
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", played.toString(), "-f", "null", "-"));
    }

    /** Sends {@code bytes} (after a valid handshake when asked) and expects the server to close within 5 s. */
    private static void assertClosed(String what, int port, byte[] bytes, boolean handshakeFirst) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (handshakeFirst) {
                out.write(3);
                out.write(new byte[HANDSHAKE]);
                out.flush();
                in.readNBytes(1 + 2 * HANDSHAKE);
                out.write(new byte[HANDSHAKE]);
            }
            out.write(bytes);
            out.flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            try {
                while (System.nanoTime() < deadline) {
                    if (in.read(new byte[8192]) < 0) {
                        return;   // closed by the server
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(what + ": the server did not close the connection within 5 s");
            } catch (IOException e) {
                return;   // reset by the server
            }
            throw new AssertionError(what + ": the server did not close the connection within 5 s");
        }
    }

    private Process start(List<String> cmd, String log) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private static byte[] hex(String spaced) {
        return ByteBufUtil.decodeHexDump(spaced.replace(" ", ""));
    }
}
