package io.streamkit.transport;

/**
 * The socket layer a server's event loops use. Native transports write a player's queued
 * buffers with one {@code writev} straight from their memory addresses; NIO, the portable
 * fallback, first turns each buffer into a {@code java.nio.ByteBuffer}.
 *
 * <p>Chosen with {@code MediaServer.Builder.transport(Transport)}.
 */
public enum Transport {
    /** The first available of {@link #EPOLL} and {@link #NIO} (the default). */
    AUTO,
    /** Linux epoll, from Netty's native library (x86_64 and aarch64). */
    EPOLL,
    /** Linux io_uring, from Netty's native library; needs a kernel that allows it (5.14 or later). */
    IO_URING,
    /** Java NIO selectors: every platform. */
    NIO
}
