package io.streamkit.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.format.rtp.RtpPacket;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile RTSP clients next to a real player: malformed and oversized requests, a request that
 * never ends, a publisher whose RTP (interleaved, or over UDP) has bad headers and absurd
 * fragments, datagrams from no session at the server's UDP ports. Each gets a refusal or has its
 * packets dropped; ffmpeg keeps playing another stream over RTSP (TCP, or UDP from those ports)
 * throughout.
 */
class RtspHostileIT {
    private static final String SDP = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=x", "c=IN IP4 0.0.0.0",
            "t=0 0", "m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000",
            "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADdoFB+wEQAAAAwBAAAAMg8UKqA==,aM4PyA==",
            "a=control:streamid=0", "") + "\r\n";

    @TempDir
    Path dir;
    private Peers peers;
    private MediaServer server;
    private int port;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .rtsp(0, r -> r.requestTimeout(Duration.ofSeconds(1)).udpPort(-1)).start();
        port = server.port("rtsp").orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        peers.close();
        server.close();
    }

    @Test
    void refusesAndDropsWhatIsWrongWhileAnotherStreamPlays() throws Exception {
        StreamKey ok = StreamKey.parse("live/ok");
        Process player = playing(server, "tcp");
        long before = bytesOut(ok);

        assertTrue(refusal("A".repeat(9_000)).startsWith("RTSP/1.0 400 "), "a head over the limit");
        assertTrue(refusal("OPTIONS * RTSP/1.0\r\n\r\n").startsWith("RTSP/1.0 400 "), "no CSeq");
        assertTrue(refusal("ANNOUNCE rtsp://h/live/x RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999\r\n\r\n")
                .startsWith("RTSP/1.0 400 "), "a body over the limit");
        assertTrue(refusal("BREW rtsp://h/live/x RTSP/1.0\r\nCSeq: 1\r\n\r\n").startsWith("RTSP/1.0 501 "), "unknown method");
        assertTrue(refusal("DESCRIBE rtsp://h/../../etc/passwd RTSP/1.0\r\nCSeq: 1\r\n\r\n").startsWith("RTSP/1.0 404 "),
                "a path that is no stream");

        // a first request that never ends: refused and closed at the request timeout (1 s here)
        try (Socket s = socket()) {
            s.getOutputStream().write("OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertTrue(head(s.getInputStream()).startsWith("RTSP/1.0 408 "), "a slow request's refusal");
            assertEquals(-1, s.getInputStream().read(), "and the connection closed");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "closed in time");
        }

        // a publisher whose RTP is garbage: dropped, the stream stays, nothing else is hurt
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            request(out, in, "ANNOUNCE rtsp://h/live/bad RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP, "200");
            String setup = request(out, in, "SETUP rtsp://h/live/bad/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n", "200");
            String session = setup.lines().filter(l -> l.toLowerCase().startsWith("session:")).findFirst().orElseThrow()
                    .substring(8).trim().split(";")[0];
            request(out, in, "RECORD rtsp://h/live/bad RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n", "200");
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 2_000; i++) {
                byte[] packet = new byte[random.nextInt(1, 1_500)];
                random.nextBytes(packet);
                if (i % 2 == 0) {
                    // a valid header over random payloads: single NALs, STAP-A and FU-A with absurd contents
                    ByteBuf header = Unpooled.buffer(RtpPacket.HEADER_SIZE);
                    RtpPacket.writeHeader(header, 96, random.nextBoolean(), i, i / 10 * 3600L, 1);
                    header.readBytes(packet, 0, Math.min(packet.length, RtpPacket.HEADER_SIZE));
                    header.release();
                }
                int channel = i % 7 == 0 ? 100 : 0;   // an unknown channel too
                out.write(new byte[] {'$', (byte) channel, (byte) (packet.length >> 8), (byte) packet.length});
                out.write(packet);
            }
            out.flush();
            String keepAlive = request(out, in, "GET_PARAMETER rtsp://h/live/bad RTSP/1.0\r\nCSeq: 4\r\nSession: "
                    + session + "\r\n\r\n", "200");
            assertTrue(keepAlive.contains("CSeq: 4"), keepAlive);
        }

        assertTrue(player.isAlive(), "the player is still playing");
        Await.until(Duration.ofSeconds(10), () -> bytesOut(ok) > before + 50_000, () -> "the player still gets media");
        assertEquals(1, server.streams().stream(ok).map(StreamInfo::subscribers).orElse(0));
    }

    @Test
    void udpGarbageFromAPublisherAndFromNoSessionIsDroppedWhileAPlayerPlaysOverUdp() throws Exception {
        try (MediaServer udp = MediaServer.builder().ioThreads(2).rtmp(0).rtsp(0).start()) {
            int rtsp = udp.port("rtsp").orElseThrow();
            StreamKey ok = StreamKey.parse("live/ok");
            // the player's packets leave from the same server ports that the garbage below goes to
            Process player = playing(udp, "udp");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rtsp);
                 java.net.DatagramSocket rtp = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
                 java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                request(out, in, "ANNOUNCE rtsp://h/live/bad RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                        + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP, "200");
                int clientPort = rtp.getLocalPort();
                String setup = request(out, in, "SETUP rtsp://h/live/bad/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n"
                        + "Transport: RTP/AVP;unicast;client_port=" + clientPort + "-" + (clientPort + 1)
                        + ";mode=record\r\n\r\n", "200");
                String transport = setup.lines().filter(l -> l.toLowerCase().startsWith("transport:")).findFirst()
                        .orElseThrow();
                String ports = transport.substring(transport.indexOf("server_port=") + 12).split("[;\r\n]")[0];
                int serverRtp = Integer.parseInt(ports.split("-")[0].trim());
                String session = setup.lines().filter(l -> l.toLowerCase().startsWith("session:")).findFirst().orElseThrow()
                        .substring(8).trim().split(";")[0];
                request(out, in, "RECORD rtsp://h/live/bad RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n", "200");
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 2_000; i++) {
                    byte[] packet = new byte[random.nextInt(1, 1_500)];
                    random.nextBytes(packet);
                    if (i % 2 == 0) {   // a valid header over a random payload, with sequence numbers all over
                        ByteBuf header = Unpooled.buffer(RtpPacket.HEADER_SIZE);
                        RtpPacket.writeHeader(header, 96, random.nextBoolean(), random.nextInt(1 << 16), i / 10 * 3600L, 1);
                        header.readBytes(packet, 0, Math.min(packet.length, RtpPacket.HEADER_SIZE));
                        header.release();
                    }
                    java.net.InetSocketAddress to = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                            serverRtp + (i % 5 == 0 ? 1 : 0));
                    rtp.send(new java.net.DatagramPacket(packet, packet.length, to));   // from the publisher's own port
                    stranger.send(new java.net.DatagramPacket(packet, packet.length, to));   // from no session's port
                }
                String keepAlive = request(out, in, "GET_PARAMETER rtsp://h/live/bad RTSP/1.0\r\nCSeq: 4\r\nSession: "
                        + session + "\r\n\r\n", "200");
                assertTrue(keepAlive.contains("CSeq: 4"), keepAlive);
            }
            // a player setting its track up again and again with other ports: its UDP routes stop at 8
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rtsp)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                String described = request(out, in, "DESCRIBE rtsp://h/live/ok RTSP/1.0\r\nCSeq: 1\r\n\r\n", "200");
                int length = Integer.parseInt(described.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .findFirst().orElseThrow().substring(15).trim());
                String control = new String(in.readNBytes(length), StandardCharsets.US_ASCII).lines()
                        .filter(l -> l.startsWith("a=control:trackID=")).findFirst().orElseThrow().substring(10);
                for (int i = 0; i < 9; i++) {
                    int clientPort = 20_000 + 2 * i;
                    String answer = request(out, in, "SETUP rtsp://h/live/ok/" + control + " RTSP/1.0\r\nCSeq: " + (2 + i)
                            + "\r\nTransport: RTP/AVP;unicast;client_port=" + clientPort + "-" + (clientPort + 1) + "\r\n\r\n",
                            i < 8 ? "200" : "400");
                    assertTrue(i < 8 || answer.contains("over 8 UDP port pairs"), answer);
                }
            }
            long before = udp.streams().stream(ok).map(StreamInfo::bytesOut).orElse(0L);
            assertTrue(player.isAlive(), "the UDP player is still playing");
            Await.until(Duration.ofSeconds(10), () -> udp.streams().stream(ok).map(StreamInfo::bytesOut).orElse(0L)
                    > before + 50_000, () -> "the UDP player still gets media");
            assertEquals(1, udp.streams().stream(ok).map(StreamInfo::subscribers).orElse(0));
        }
    }

    /** Publishes live/ok over RTMP and plays it with ffmpeg over RTSP, RTP over {@code transport}. */
    private Process playing(MediaServer on, String transport) throws IOException {
        peers.publish("rtmp://127.0.0.1:" + on.rtmpPort().orElseThrow() + "/live/ok", 40);
        StreamKey ok = StreamKey.parse("live/ok");
        Await.until(Peers.WAIT, () -> on.streams().stream(ok).map(s -> s.live() && s.tracks().size() == 2).orElse(false),
                () -> "live/ok live");
        Process player = peers.start(List.of("ffmpeg", "-v", "error", "-rtsp_transport", transport, "-i",
                "rtsp://127.0.0.1:" + on.port("rtsp").orElseThrow() + "/live/ok", "-c", "copy", "-f", "null", "-"),
                transport + "-player");
        Await.until(Peers.WAIT, () -> on.streams().stream(ok).map(StreamInfo::subscribers).orElse(0) == 1,
                () -> "the RTSP player subscribed");
        return player;
    }

    private long bytesOut(StreamKey key) {
        return server.streams().stream(key).map(StreamInfo::bytesOut).orElse(0L);
    }

    private Socket socket() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends bytes on a new connection and reads the head of the server's answer. */
    private String refusal(String request) throws IOException {
        try (Socket s = socket()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return head(s.getInputStream());
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends a request and reads one response head, checking its status. */
    private static String request(OutputStream out, InputStream in, String request, String status) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String text = head(in);
        assertTrue(text.startsWith("RTSP/1.0 " + status + " "), "answer to " + request.lines().findFirst().orElse("")
                + ": " + text);
        return text;
    }
}
