package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.LoopPlayerOutputs;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A shared FLV tag is written as leaves; for HTTP/1.1 it is a whole chunk of the chunked coding (RFC 9112 7.1). */
class FlvTagEncoderTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "15, f", "16, 10", "255, ff", "4096, 1000", "20011, 4e2b", "1193046, 123456", "2147483647, 7fffffff"})
    void chunkSizeLineIsLowerCaseHex(int length, String hex) {
        ByteBuf out = Unpooled.buffer();
        FlvTagEncoder.chunkOpen(out, length);
        assertEquals(hex + "\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
    }

    /** The header built into a WebSocket player's shared tags is the one Netty's frame encoder writes. */
    @ParameterizedTest
    @CsvSource({"0", "1", "125", "126", "1000", "65535", "65536", "1048576"})
    void webSocketHeaderIsTheFrameEncodersHeader(int length) {
        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        netty.writeOutbound(new BinaryWebSocketFrame(Unpooled.buffer(length).writeZero(length)));
        CompositeByteBuf encoded = Unpooled.compositeBuffer();
        for (ByteBuf b; (b = netty.readOutbound()) != null; ) {
            encoded.addComponent(true, b);
        }
        ByteBuf ours = Unpooled.buffer();
        FlvTagEncoder.webSocketHeader(ours, length);
        assertEquals(encoded.readableBytes() - length, ours.readableBytes(), "header length");
        assertEquals(ByteBufUtil.hexDump(encoded, 0, ours.readableBytes()), ByteBufUtil.hexDump(ours));
        encoded.release();
        ours.release();
        netty.finishAndReleaseAll();
    }

    @ParameterizedTest
    @CsvSource({"200, true, false", "200, false, false", "20000, true, false", "20000, false, false",
            "200, false, true", "20000, false, true"})
    void frameTagIsOneChunkWrittenAsLeaves(int payloadSize, boolean chunked, boolean webSocket) {
        StreamEngine engine = Engine.builder().build();
        Publisher publisher = engine.publish(StreamKey.of("live", "tag"));
        Track video = publisher.addTrack(TestMedia.h264());
        EmbeddedChannel channel = new EmbeddedChannel();
        MediaFrame frame = MediaFrame.of(video, 40_000, 80_000, false, TestMedia.payload(7, payloadSize));
        try {
            PlayerOutput output = LoopPlayerOutputs.open(channel, channel, FlvTagEncoder.CACHE, null);
            int written = FlvTagEncoder.forThisLoop().frameTag(output, frame, 1_234, false, chunked, webSocket);
            output.endOfBatch();
            CompositeByteBuf wire = Unpooled.compositeBuffer();
            int leaves = 0;
            for (ByteBuf leaf; (leaf = channel.readOutbound()) != null; leaves++) {
                assertFalse(leaf instanceof CompositeByteBuf, "leaf " + leaves + " is a composite");
                wire.addComponent(true, leaf);
            }
            assertEquals(payloadSize < FlvTagEncoder.COPY_THRESHOLD ? 1 : 3, leaves);
            assertEquals(written, wire.readableBytes());

            int dataSize = 5 + payloadSize;   // AVC video header: frame type/codec, packet type, 24-bit cts
            int tagLength = FlvTagHeader.SIZE + dataSize + 4;
            if (chunked) {
                String open = Integer.toHexString(tagLength) + "\r\n";
                assertEquals(open, wire.readCharSequence(open.length(), StandardCharsets.US_ASCII).toString());
            }
            if (webSocket) {
                assertEquals(0x82, wire.readUnsignedByte());   // FIN, binary
                int length = wire.readUnsignedByte();
                assertEquals(tagLength, length == 126 ? wire.readUnsignedShort() : length, "the message is the tag");
            }
            assertEquals(FlvTagHeader.TYPE_VIDEO, wire.readUnsignedByte());
            assertEquals(dataSize, wire.readUnsignedMedium());
            assertEquals(1_234, wire.readUnsignedMedium());   // timestamp: the player's, not the stream's
            wire.skipBytes(1 + 3);                          // extended timestamp, stream id
            assertEquals(0x27, wire.readUnsignedByte());    // inter frame, AVC
            assertEquals(1, wire.readUnsignedByte());       // NALU
            assertEquals(40, wire.readMedium());            // composition time, ms
            assertEquals(7, wire.readLong());               // the payload's first bytes
            wire.skipBytes(payloadSize - 8);
            assertEquals(FlvTagHeader.SIZE + dataSize, wire.readInt());   // PreviousTagSize
            if (chunked) {
                assertEquals("\r\n", wire.readCharSequence(2, StandardCharsets.US_ASCII).toString());
            }
            assertTrue(!wire.isReadable());
            wire.release();
        } finally {
            frame.release();
            FlvTagEncoder.forThisLoop().forget();
            assertFalse(channel.finish());
            publisher.close();
            engine.close();
        }
    }
}
