/**
 * {@link io.streamkit.server.MediaServer}: the embeddable server, its builder and its
 * running handle. One Netty event loop group, sized to the cores, carries every protocol
 * and the engine's fan-out, so a player's frames are written on the loop that owns its
 * connection.
 */
package io.streamkit.server;
