package io.streamkit.rtmp.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link RtmpMessage}s as chunks with this side's chunk size; a Set Chunk Size
 * message passing through changes the size for the messages after it, as the peer will
 * read them. Media that is chunked once and shared bypasses this handler as plain bytes.
 */
final class RtmpChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {
    private int chunkSize = RtmpChunkDecoder.INITIAL_CHUNK_SIZE;

    RtmpChunkEncoder() {
        super(RtmpMessage.class);
    }

    /** The chunk size the peer expects now. */
    int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        out.add(RtmpChunkWriter.encode(ctx.alloc(), msg.chunkStreamId(), msg.type(), msg.streamId(), msg.timestamp(),
                msg.payload(), chunkSize));
        if (msg.type() == RtmpMessage.SET_CHUNK_SIZE && msg.streamId() == 0 && msg.payload().readableBytes() >= 4) {
            chunkSize = (int) (msg.payload().getUnsignedInt(msg.payload().readerIndex()) & 0x7FFFFFFF);
        }
    }
}
