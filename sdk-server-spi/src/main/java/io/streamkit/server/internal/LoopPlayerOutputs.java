package io.streamkit.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.server.spi.PlayerOutputs;
import io.streamkit.server.spi.WireFormat;
import java.time.Duration;

/**
 * The server's one player write path, as {@code ModuleContext.playerOutputs()} hands it to
 * modules and as Streamkit's own players open it. Stateless: what it shares (forms of frames,
 * write batches, the gather list) is per event loop.
 */
public final class LoopPlayerOutputs implements PlayerOutputs {
    /** The one instance. */
    public static final LoopPlayerOutputs INSTANCE = new LoopPlayerOutputs();

    private LoopPlayerOutputs() {
    }

    @Override
    public PlayerOutput open(ChannelOutboundInvoker player, Channel channel, WireFormat format, Duration writeBatch) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a player's output is opened on its connection's event loop");
        }
        return open(player, channel, SharedEncoding.of(format), WriteBatch.forWindow(channel.eventLoop(), writeBatch));
    }

    /**
     * Opens an output, as {@link #open(ChannelOutboundInvoker, Channel, WireFormat, Duration)}
     * does, for a format's cache and a write batch the caller holds.
     *
     * @param player where the player's control messages and flushes start
     * @param channel the player's connection
     * @param encoding the shared forms of its wire format
     * @param batch the loop's write batch, or {@code null} to flush every engine batch
     * @return the output
     */
    public static LoopPlayerOutput open(ChannelOutboundInvoker player, Channel channel, SharedEncoding encoding,
                                        WriteBatch batch) {
        // Frames start past the idle handler (which sees the flush) and everything after it
        // (codecs that would only pass buffers on): at the first handler unless TLS or a PROXY
        // header reader is in front, so on epoll they may go straight to the socket.
        ChannelHandlerContext idle = channel.pipeline().context(IdleTimeoutHandler.class);
        return new LoopPlayerOutput(idle != null ? idle : player, player, channel, batch, encoding);
    }
}
