package io.streamkit.rtmp.internal;

import io.netty.channel.EventLoopGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.rtmp.RtmpClientConfig;

/**
 * What a running server lends its RTMP pullers and pushers: its event loops, its engine, its
 * client settings, and a register of relays to close when it stops. Implemented by the
 * server behind {@code MediaServer}; not API.
 */
public interface RtmpClientHost {

    /**
     * Returns the server's event loops.
     *
     * @return the group the relays' connections run on
     */
    EventLoopGroup loops();

    /**
     * Returns the server's engine.
     *
     * @return where relays publish and subscribe
     */
    StreamEngine streams();

    /**
     * Returns the client settings from {@code MediaServer.Builder.rtmpClient}.
     *
     * @return the settings
     */
    RtmpClientConfig rtmpClientConfig();

    /**
     * Registers a relay to close when the server stops.
     *
     * @param relay the relay
     * @throws IllegalStateException when the server is stopped
     */
    void register(AutoCloseable relay);

    /**
     * Forgets a relay that stopped by itself.
     *
     * @param relay the relay
     */
    void unregister(AutoCloseable relay);
}
