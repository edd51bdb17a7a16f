package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.stream.StreamKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One puller connection on an embedded channel: the HTTP codec and {@link HttpFlvPullHandler}
 * as the puller builds them, publishing into a {@link RecordingPublisher}. Bytes in as the
 * origin would send them; what the handler published, and how the connection ended, out.
 */
final class EmbeddedPull {
    static final StreamKey KEY = StreamKey.of("pulled", "cam1");

    final RecordingPublisher publisher;
    final HttpFlvPullHandler handler;
    final EmbeddedChannel ch;
    final List<Throwable> closes = new ArrayList<>();
    int firstTracks;
    int publishes;
    private final String request;

    EmbeddedPull(HttpFlvClientConfig settings, String url) {
        this(settings, url, new RecordingPublisher(KEY), null);
    }

    /**
     * Opens the connection, which sends its request at once.
     *
     * @param alloc the channel's allocator, or {@code null} for the default
     */
    EmbeddedPull(HttpFlvClientConfig settings, String url, RecordingPublisher publisher, ByteBufAllocator alloc) {
        this.publisher = publisher;
        this.handler = new HttpFlvPullHandler(settings, HttpFlvTarget.parse(url), options -> {
            publishes++;
            assertEquals(HttpFlvPullHandler.PROTOCOL, options.protocol());
            return publisher;
        }, new HttpFlvPullHandler.Events() {
            @Override
            public void firstTrack() {
                firstTracks++;
            }

            @Override
            public void closed(Throwable cause) {
                closes.add(cause);
            }
        });
        ch = new EmbeddedChannel(false, false);
        if (alloc != null) {
            ch.config().setAllocator(alloc);
        }
        ch.pipeline().addLast(HttpFlvPullHandler.codec(settings), handler);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded channel did not register", e);
        }
        ch.freezeTime();   // from now on timers move only with advanceTimeBy
        request = outbound();
    }

    /** The request the handler sent, as bytes on the wire. */
    String request() {
        return request;
    }

    /**
     * Writes bytes as one read from the socket; nothing when the connection has closed.
     *
     * @return whether the connection was still open
     */
    boolean in(ByteBuf bytes) {
        if (!ch.isOpen()) {
            bytes.release();
            return false;
        }
        ch.writeInbound(bytes);
        ch.runPendingTasks();
        return true;
    }

    /** Writes bytes as one read; see {@link #in(ByteBuf)}. */
    boolean in(byte[] bytes) {
        return in(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }

    /** The origin closes the connection. */
    void originCloses() {
        ch.close();
        ch.runPendingTasks();
    }

    /** Asserts the connection ended once, without an error, and returns nothing. */
    void assertEndedCleanly() {
        assertEquals(1, closes.size(), "closed() calls");
        assertNull(closes.get(0), "the connection ended with an error");
    }

    /** Asserts the connection ended once with a failure of the type given, and returns it. */
    <T extends Throwable> T assertFailedWith(Class<T> type) {
        assertEquals(1, closes.size(), "closed() calls");
        return assertInstanceOf(type, closes.get(0), "the connection's end");
    }

    /** Closes the channel if open and checks nothing was left in it. */
    void finish() {
        outbound();
        assertFalse(ch.finish(), "messages left in the channel");
    }

    /** Reads and releases what the handler wrote, returning it as text. */
    String outbound() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            try {
                ByteBuf b = (ByteBuf) o;
                byte[] copy = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), copy);
                out.writeBytes(copy);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** What was published, as one comparable value: events, frames and how it ended. */
    List<Object> outcome() {
        List<Object> all = new ArrayList<>(publisher.events);
        all.addAll(publisher.frames);
        all.add("first tracks " + firstTracks);
        all.add("closes " + closes.stream().map(c -> c == null ? "clean" : c.toString()).toList());
        return all;
    }
}
