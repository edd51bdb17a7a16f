package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A minimal RTMP play client: after {@link RtmpClientHandler}'s connect and createStream,
 * Set Buffer Length and play; then every audio and video message counted into the player's
 * {@link PlayerStats}.
 */
final class RtmpPlayHandler extends RtmpClientHandler {
    private final PlayerStats stats;
    private final String name;

    RtmpPlayHandler(PlayerStats stats, String app, String tcUrl, String name) {
        super(app, tcUrl);
        this.stats = stats;
        this.name = name;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.connectedNanos = System.nanoTime();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            stats.bytes += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    void streamCreated(ChannelHandlerContext ctx, int streamId) {
        ByteBuf bufferLength = ctx.alloc().buffer(24);
        writeHeader(bufferLength, CSID_CONTROL, 4, 10, 0);
        bufferLength.writeShort(3);
        bufferLength.writeInt(streamId);
        bufferLength.writeInt(1000);
        ctx.write(bufferLength);
        command(ctx, streamId, "play", 0.0, null, name, -2.0);
        ctx.flush();
    }

    @Override
    void message(int type, long timestamp, int b0, int b1) {
        stats.message(type, timestamp, b0, b1);
    }

    @Override
    void failed(String reason) {
        stats.fail(reason);
    }

    @Override
    void closed() {
        stats.closed = true;
    }
}
