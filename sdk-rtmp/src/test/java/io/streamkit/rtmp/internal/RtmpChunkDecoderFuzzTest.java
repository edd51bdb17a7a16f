package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes {@link RtmpChunkDecoder} on the chunk stream a peer sends after the handshake,
 * arriving in pieces of any size, with message size and chunk stream limits the input picks.
 *
 * <p>Properties, all through the decoder's behaviour in a pipeline (not its fields, which are
 * about to change): the only failure is an {@code RtmpProtocolException}, after which the
 * decoder passes nothing more on; each message is within the message size limit and on at
 * most the limit of distinct chunk streams; the peer's chunk size stays within 1 to
 * {@value RtmpChunkDecoder#MAX_CHUNK_SIZE}; {@code bytesRead} never exceeds what was fed; the
 * buffers the decoder holds between reads never exceed its documented bound (twice the message
 * limit in unfinished messages, plus what is fed and not yet consumed: the decoder still
 * allocates a message's declared length at its first chunk, issue 15's first item, so the bound
 * is the limit and not yet the bytes received); every buffer is released
 * once the messages are and the channel is closed. Seeds: the chunk streams of
 * {@code RtmpChunkDecoderTest} and of a real connect and publish, under
 * {@code RtmpChunkDecoderFuzzTestInputs}.
 */
class RtmpChunkDecoderFuzzTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void decode(FuzzedDataProvider data) {
        alloc.reset();
        int maxMessageSize = data.consumeBoolean() ? data.consumeInt(1, 1 << 16) : 1 << 16;
        int maxChunkStreams = data.consumeBoolean() ? data.consumeInt(1, 8) : RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAMS;
        List<byte[]> pieces = FuzzInput.pieces(data);
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(maxMessageSize, maxChunkStreams);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(decoder);
        List<ByteBuf> fed = new ArrayList<>();
        Set<Integer> chunkStreams = new HashSet<>();
        long fedBytes = 0;
        boolean failed = false;
        for (byte[] piece : pieces) {
            boolean ok = FuzzChannels.feed(ch, piece, fed);
            fedBytes += piece.length;
            for (RtmpMessage m; (m = ch.readInbound()) != null; ) {
                try {
                    assertTrue(!failed, "a message after the decoder failed");
                    assertTrue(m.payload().readableBytes() <= maxMessageSize,
                            "a message of " + m.payload().readableBytes() + " bytes over the limit " + maxMessageSize);
                    assertTrue(m.chunkStreamId() >= 2 && m.chunkStreamId() <= 65_599, "chunk stream " + m.chunkStreamId());
                    assertTrue(m.type() >= 0 && m.type() <= 255, "type " + m.type());
                    assertTrue(m.timestamp() >= 0 && m.timestamp() <= 0xFFFFFFFFL, "timestamp " + m.timestamp());
                    chunkStreams.add(m.chunkStreamId());
                } finally {
                    m.release();
                }
            }
            assertTrue(chunkStreams.size() <= maxChunkStreams,
                    "messages on " + chunkStreams.size() + " chunk streams, the limit is " + maxChunkStreams);
            assertTrue(decoder.chunkSize() >= 1 && decoder.chunkSize() <= RtmpChunkDecoder.MAX_CHUNK_SIZE,
                    "chunk size " + decoder.chunkSize());
            assertTrue(decoder.bytesRead() <= fedBytes, decoder.bytesRead() + " bytes read of " + fedBytes);
            // Unfinished messages are bounded by twice the message limit; the cumulation by what was fed.
            long held = alloc.liveBytes();
            assertTrue(held <= 2L * maxMessageSize + 2 * fedBytes + 256,
                    held + " bytes held after " + fedBytes + " fed, message limit " + maxMessageSize);
            failed |= !ok;
        }
        ch.finishAndReleaseAll();
        alloc.assertAllReleased("RtmpChunkDecoder");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a fed buffer was kept");
        }
    }
}
