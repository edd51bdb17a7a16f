package io.streamkit.server.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import java.time.Duration;
import java.util.function.Function;

/**
 * Opens players' outputs: the server's one player write path ({@link ModuleContext#playerOutputs()}).
 */
@FunctionalInterface
public interface PlayerOutputs {

    /**
     * Opens an output for a player, on its connection's event loop.
     *
     * <p>Frames' bytes start where they need no more of the pipeline: with {@code message}
     * null, past every handler after the connection's {@code IdleTimeoutHandler} (which should
     * then come first, after TLS: Streamkit's pipelines put it there), so that on epoll without
     * TLS they may go straight to the socket; else through the whole pipeline as
     * {@code message} makes them.
     *
     * @param player where the player's control messages and flushes start: its handler's
     *     context, or the channel
     * @param channel the player's connection
     * @param format its frames' wire format
     * @param message {@code null} when the connection takes the format's bytes as they are;
     *     else what makes one message of a frame's bytes (a WebSocket frame), a non-capturing function
     * @param writeBatch how long a player's frames may wait to be written together with those
     *     of the players of its slot; zero writes them every engine batch
     * @return the output
     */
    PlayerOutput open(ChannelOutboundInvoker player, Channel channel, WireFormat format,
                      Function<ByteBuf, Object> message, Duration writeBatch);
}
