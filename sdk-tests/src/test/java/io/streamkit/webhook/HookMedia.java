package io.streamkit.webhook;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A stream published by application code, and a raw HTTP-FLV player that reads its head and hangs up. */
final class HookMedia {
    private HookMedia() {
    }

    /** Publishes two seconds of H.264 (a keyframe each second) from application code: no hook is asked for it. */
    static Publisher publish(MediaServer server, StreamKey key) {
        Publisher pub = server.streams().publish(key);
        Track video = pub.addTrack(TestMedia.h264());
        for (int i = 0; i < 50; i++) {
            pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.accessUnit(Codec.H264, i, 500, i % 25 == 0));
        }
        return pub;
    }

    /** GETs a path over HTTP/1.0 and returns the body. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = all.indexOf("\r\n\r\n");
            return body < 0 ? all : all.substring(body + 4);
        }
    }

    /**
     * GETs an HTTP-FLV URL on a raw socket and reads until the FLV signature has arrived (or 4 KiB,
     * or the end), then closes: a player that comes and goes.
     *
     * @return what arrived, as ISO-8859-1
     */
    static String flvHead(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[1024];
            while (got.length() < 4096 && !got.toString().contains("FLV")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            return got.toString();
        }
    }
}
