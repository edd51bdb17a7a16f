package io.streamkit.httpflv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every byte a player is sent arrives whole and in order, whichever way it went: straight to
 * the socket, as a copy shared by the players of a loop, or partly through the channel when
 * the socket took only part of a write. Three HTTP/1.1 players of one stream on one event loop,
 * one of which stops reading for a while behind a 4 KB receive window, so its socket fills and
 * the rest of its writes wait in the channel; each checks every tag's bytes against what was
 * published.
 */
class HttpFlvPlayerBytesIT {
    private static final int FRAMES = 200;
    private static final int FRAME_BYTES = 20_000;

    @ParameterizedTest(name = "write batch {0} ms")
    @ValueSource(ints = {0, 350})
    void everyPlayerGetsEveryFrameWholeAndInOrder(int batchMillis) throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1)
                .http(0, h -> h.writeBatch(Duration.ofMillis(batchMillis)))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            StreamKey key = StreamKey.of("live", "bytes");
            Publisher pub = server.streams().publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            int port = server.httpPort().getAsInt();

            CountDownLatch resume = new CountDownLatch(1);
            List<Player> players = List.of(new Player(port, null), new Player(port, null), new Player(port, resume));
            players.forEach(Player::start);
            Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).map(StreamInfo::subscribers).orElse(0) == 3,
                    () -> "three players attached");

            // 200 frames of 20 KB at 50 fps (8 Mbps). The paused player reads again after 150
            // frames, 3 MB: more than its socket takes (on loopback the kernel's send buffer grows
            // to a few hundred KB to a couple of MB), so the rest waits in its channel, whose
            // 8 MiB high water mark it stays below: it skips nothing.
            long start = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                long due = start + i * 20_000_000L;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                if (i == 150) {
                    resume.countDown();
                }
                pub.write(video, i * 20_000L, i * 20_000L, i % 25 == 0, payload(i));
            }
            long skipped = server.streams().stream(key).orElseThrow().framesSkipped();
            pub.close();
            for (Player p : players) {
                p.join(20_000);
                List<Long> seqs = p.frames();
                assertEquals(FRAMES, seqs.size(), p + " frames " + seqs);
                for (int i = 0; i < FRAMES; i++) {
                    assertEquals(i, seqs.get(i), p + " frame " + i);
                }
            }
            assertEquals(0, skipped, "no player fell far enough behind to skip");
        }
    }

    /** A frame whose every byte depends on its number and place, so a shifted, torn or mixed-up byte shows. */
    private static ByteBuf payload(int seq) {
        byte[] bytes = new byte[FRAME_BYTES];
        for (int j = 8; j < FRAME_BYTES; j++) {
            bytes[j] = (byte) pattern(seq, j);
        }
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(FRAME_BYTES);
        buf.writeLong(seq);
        buf.writeBytes(bytes, 8, FRAME_BYTES - 8);   // in one call: the paranoid leak detector records each access
        return buf;
    }

    private static int pattern(long seq, int j) {
        return (int) ((seq * 131 + j * 7 + (j >> 8)) & 0xFF);
    }

    /** An HTTP/1.1 FLV player reading one response to its end; optionally pausing until told. */
    private static final class Player extends Thread {
        private final int port;
        private final CountDownLatch resume;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile Exception failure;

        Player(int port, CountDownLatch resume) {
            super(resume == null ? "flv-player" : "flv-player-paused");
            this.port = port;
            this.resume = resume;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Socket s = new Socket()) {
                if (resume != null) {
                    s.setReceiveBufferSize(4096);
                }
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET /live/bytes.flv HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                if (resume != null) {
                    if (!resume.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never told to read");
                    }
                    s.setReceiveBufferSize(1 << 20);   // a 4 KB window would take many seconds to drain 3 MB
                }
                byte[] buf = new byte[65536];
                byte[] end = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] tail = new byte[end.length];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received.write(buf, 0, n);
                    int keep = Math.max(0, tail.length - n);
                    System.arraycopy(tail, tail.length - keep, tail, 0, keep);
                    System.arraycopy(buf, n - (tail.length - keep), tail, keep, tail.length - keep);
                    if (Arrays.equals(tail, end)) {
                        return;   // the last chunk: the stream ended
                    }
                }
            } catch (SocketTimeoutException e) {
                failure = new IOException("no end of body within 20 s after " + received.size() + " bytes", e);
            } catch (Exception e) {
                failure = e;
            }
        }

        /** @return the numbers of the video frames received, in order, each checked byte by byte */
        List<Long> frames() throws Exception {
            if (failure != null) {
                throw failure;
            }
            byte[] body = dechunk(received.toByteArray());
            assertEquals("FLV", new String(body, 0, 3, StandardCharsets.US_ASCII), this + " FLV signature");
            List<Long> seqs = new ArrayList<>();
            int at = 9 + 4;   // header and the first previous-tag size
            long lastTimestamp = -1;
            while (at < body.length) {
                int type = body[at] & 0xFF;
                int size = u24(body, at + 1);
                long timestamp = u24(body, at + 4) | (long) (body[at + 7] & 0xFF) << 24;
                int data = at + 11;
                assertTrue(data + size + 4 <= body.length, this + " tag at " + at + " is whole");
                assertEquals(11 + size, (int) u32(body, data + size), this + " previous tag size after the tag at " + at);
                if (type == 9 && body[data + 1] == 1) {   // an AVC NALU tag: 5 header bytes, then the frame
                    int frame = data + 5;
                    long seq = u32(body, frame) << 32 | u32(body, frame + 4);
                    assertEquals(FRAME_BYTES, size - 5, this + " frame " + seq + " size");
                    assertEquals(seq * 20, timestamp, this + " frame " + seq + " timestamp");
                    assertTrue(timestamp > lastTimestamp, this + " timestamps rise at frame " + seq);
                    for (int j = 8; j < FRAME_BYTES; j++) {
                        if ((body[frame + j] & 0xFF) != pattern(seq, j)) {
                            throw new AssertionError(this + " frame " + seq + " differs at byte " + j);
                        }
                    }
                    lastTimestamp = timestamp;
                    seqs.add(seq);
                }
                at = data + size + 4;
            }
            return seqs;
        }

        @Override
        public String toString() {
            return getName();
        }

        private static byte[] dechunk(byte[] raw) {
            int at = indexOf(raw, "\r\n\r\n", 0) + 4;   // past the response head
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int eol = indexOf(raw, "\r\n", at);
                int size = Integer.parseInt(new String(raw, at, eol - at, StandardCharsets.US_ASCII).trim(), 16);
                if (size == 0) {
                    return body.toByteArray();
                }
                body.write(raw, eol + 2, size);
                at = eol + 2 + size;
                assertEquals("\r\n", new String(raw, at, 2, StandardCharsets.US_ASCII), "chunk ends with CRLF");
                at += 2;
            }
        }

        private static int indexOf(byte[] raw, String what, int from) {
            byte[] w = what.getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = from; i <= raw.length - w.length; i++) {
                for (int k = 0; k < w.length; k++) {
                    if (raw[i + k] != w[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            throw new AssertionError("no " + what.replace("\r\n", "CRLF") + " after " + from);
        }

        private static int u24(byte[] b, int at) {
            return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF);
        }

        private static long u32(byte[] b, int at) {
            return (long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
        }
    }
}
