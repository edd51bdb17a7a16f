package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes a puller's connection on what an origin sends: the HTTP codec, {@link HttpFlvPullHandler},
 * the FLV reader and {@link FlvIngest} behind it, on an embedded channel, fed as socket reads.
 *
 * <p>The input picks how much of the answer is well formed: all of it raw (a fuzzed status line
 * and headers), or a {@code 200} head with a chunked or close-delimited body that is the fuzzed
 * bytes, alone or after a real FLV header and sequence headers (so that fuzzed tags reach the
 * tag parsers and the publisher). The bytes are cut into the pieces reads might deliver
 * ({@link FuzzInput#pieces}); the origin closes the connection at the end.
 *
 * <p>Properties: the connection ends exactly once, for a reason the puller owns up to: none (the
 * body ended), an {@link HttpFlvProtocolException} or a {@link MediaFormatException}; anything
 * else (an {@code IndexOutOfBoundsException}, an {@code IllegalArgumentException}) is a bug the
 * puller would blame on the origin. The local publisher is closed or aborted once. Every buffer
 * allocated, the fed reads included, is released. A small tag limit keeps inputs fast.
 */
class HttpFlvPullHandlerFuzzTest {
    private static final HttpFlvClientConfig SETTINGS = HttpFlvClientConfig.builder().connectTimeout(Duration.ofSeconds(10)).startTimeout(Duration.ofSeconds(15)).idleTimeout(Duration.ofSeconds(30)).maxTagSize(4096).maxHeaderSize(HttpFlvClientConfig.MIN_HEADER_SIZE).build();
    private static final byte[] PREFIX = FlvBytes.header()
            .tag(FlvTagHeader.TYPE_VIDEO, 0, FlvBytes.avcSequenceHeader())
            .tag(FlvTagHeader.TYPE_AUDIO, 0, FlvBytes.aacSequenceHeader())
            .toByteArray();

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void connection(FuzzedDataProvider data) {
        alloc.reset();
        int mode = data.consumeInt(0, 3);
        RecordingPublisher publisher = new RecordingPublisher(EmbeddedPull.KEY, false);
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, "http://origin.example/live/cam1.flv", publisher, alloc);
        List<byte[]> pieces = FuzzInput.pieces(data);
        try {
            switch (mode) {
                case 0 -> pieces.forEach(p -> pull.in(buffer(p)));   // the whole answer, head included
                case 1 -> {   // a close-delimited body
                    pull.in(buffer(FlvBytes.closeDelimitedHead()));
                    pieces.forEach(p -> pull.in(buffer(p)));
                }
                default -> {   // a chunked body, alone or after real sequence headers, one chunk per read
                    pull.in(buffer(FlvBytes.chunkedHead()));
                    if (mode == 3) {
                        pull.in(buffer(FlvBytes.chunked(PREFIX, PREFIX.length, false)));
                    }
                    pieces.forEach(p -> pull.in(buffer(FlvBytes.chunked(p, Math.max(1, p.length), false))));
                }
            }
            pull.originCloses();
        } finally {
            pull.finish();
        }
        assertEquals(1, pull.closes.size(), "closed() calls");
        Throwable cause = pull.closes.get(0);
        assertTrue(cause == null || cause instanceof HttpFlvProtocolException || cause instanceof MediaFormatException,
                () -> "the connection ended with " + cause + (cause == null ? "" : " at " + Arrays.toString(cause.getStackTrace())));
        if (pull.publishes > 0) {
            assertEquals(1, pull.publishes, "one local publisher");
            assertFalse(publisher.isOpen(), "the local publisher outlived the connection");
        }
        alloc.assertAllReleased("the HTTP-FLV pull connection");
    }

    private ByteBuf buffer(byte[] bytes) {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }
}
