package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.test.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Both listeners behind a load balancer that speaks the PROXY protocol, over real sockets: the
 * API sees the client the header names, a proxy's health check ({@code LOCAL}) is served, and a
 * client that connects without the header gets no answer.
 */
class ProxyProtocolIT {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @Test
    void bothListenersAdmitTheClientTheHeaderNames() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1)
                .rtmp(0, r -> r.proxyProtocol(true).handshakeTimeout(Duration.ofSeconds(2)))
                .http(0, h -> h.proxyProtocol(true).requestTimeout(Duration.ofSeconds(2))).start()) {
            int http = server.httpPort().getAsInt();
            try (Socket rtmp = new Socket("127.0.0.1", server.rtmpPort().getAsInt())) {
                rtmp.setSoTimeout(5_000);
                OutputStream out = rtmp.getOutputStream();
                out.write("PROXY TCP4 203.0.113.5 192.0.2.1 41000 1935\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(3);
                out.write(new byte[1536]);
                out.flush();
                byte[] s0s1s2 = rtmp.getInputStream().readNBytes(1 + 2 * 1536);
                assertEquals(1 + 2 * 1536, s0s1s2.length, "the handshake is answered after the header");
                Await.until(Duration.ofSeconds(5), () -> get(http, "PROXY TCP4 198.51.100.1 192.0.2.1 5000 80\r\n",
                        "/api/clients").contains("\"address\":\"203.0.113.5:41000\""), () -> "the RTMP client in /api/clients");
            }

            String viaV2 = get(http, null, "/api/streams", v2Local());
            assertTrue(viaV2.startsWith("HTTP/1.1 200 "), "a LOCAL header (the proxy's health check) is served: " + viaV2);

            try (Socket direct = new Socket("127.0.0.1", http)) {
                direct.setSoTimeout(5_000);
                direct.getOutputStream().write("GET /api/streams HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals(new byte[0], readAll(direct.getInputStream()), "a client without the header gets nothing");
            }
        }
    }

    /** A version 2 header with the LOCAL command and no addresses, as a proxy's health check sends it. */
    private static byte[] v2Local() {
        byte[] header = new byte[16];
        System.arraycopy(V2_SIGNATURE, 0, header, 0, 12);
        header[12] = 0x20;   // version 2, LOCAL
        header[13] = 0x00;   // AF_UNSPEC
        return header;
    }

    private static String get(int port, String v1, String path) {
        try {
            return get(port, v1, path, new byte[0]);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String get(int port, String v1, String path, byte[] v2) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            if (v1 != null) {
                out.write(v1.getBytes(StandardCharsets.US_ASCII));
            }
            out.write(v2);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close within 5 s");
        }
    }
}
