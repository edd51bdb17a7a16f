package io.streamkit.server.spi;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import java.time.Duration;

/**
 * Opens players' outputs: the server's one player write path ({@link ModuleContext#playerOutputs()}).
 */
@FunctionalInterface
public interface PlayerOutputs {

    /**
     * Opens an output for a player, on its connection's event loop.
     *
     * <p>Frames' bytes are what the connection carries as they are (a format that needs
     * framing, such as WebSocket messages, builds it into each frame's wire form), so they start
     * past every handler after the connection's {@code IdleTimeoutHandler} (which should then come
     * first, after TLS: Streamkit's pipelines put it there), and on epoll without TLS they may go
     * straight to the socket; without such a handler they start at {@code player}. Control
     * messages go through the pipeline from {@code player}.
     *
     * @param player where the player's control messages and flushes start: its handler's
     *     context, or the channel
     * @param channel the player's connection
     * @param format its frames' wire format
     * @param writeBatch how long a player's frames may wait to be written together with those
     *     of the players of its slot; zero writes them every engine batch
     * @return the output
     */
    PlayerOutput open(ChannelOutboundInvoker player, Channel channel, WireFormat format, Duration writeBatch);
}
