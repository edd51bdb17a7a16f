package io.streamkit.server.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.streamkit.transport.Transport;

/**
 * Resolves a {@link Transport} to Netty's I/O handler, and an event loop group back to the
 * channel classes it takes, so that servers and the relays' client connections on the same
 * loops always agree.
 */
public final class Transports {
    private Transports() {
    }

    /**
     * Resolves {@link Transport#AUTO} to the transport this machine can run.
     *
     * @param wanted what the application asked for
     * @return a concrete transport
     * @throws IllegalStateException when a native transport was asked for and cannot load here,
     *     with the reason Netty gives
     */
    public static Transport resolve(Transport wanted) {
        return switch (wanted) {
            case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("epoll transport unavailable: " + Epoll.unavailabilityCause(),
                            Epoll.unavailabilityCause());
                }
                yield Transport.EPOLL;
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("io_uring transport unavailable: " + IoUring.unavailabilityCause(),
                            IoUring.unavailabilityCause());
                }
                yield Transport.IO_URING;
            }
            case NIO -> Transport.NIO;
        };
    }

    /**
     * Returns the I/O handler factory of a resolved transport.
     *
     * @param transport {@link Transport#EPOLL}, {@link Transport#IO_URING} or {@link Transport#NIO}
     * @return the factory for {@code MultiThreadIoEventLoopGroup}
     */
    public static IoHandlerFactory ioHandler(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
            case AUTO -> throw new IllegalArgumentException("resolve AUTO first");
        };
    }

    /**
     * Returns the listening channel class for a group's loops.
     *
     * @param loops the group
     * @return the server socket channel class its loops take
     */
    public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup loops) {
        return switch (of(loops)) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    /**
     * Returns the client socket channel class for a group's loops.
     *
     * @param loops the group
     * @return the socket channel class its loops take
     */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup loops) {
        return switch (of(loops)) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            default -> NioSocketChannel.class;
        };
    }

    /**
     * Returns the UDP channel class matching the transport of an event loop group.
     *
     * @param loops the group the channel registers with
     * @return the datagram channel class
     */
    public static Class<? extends DatagramChannel> datagramChannel(EventLoopGroup loops) {
        return switch (of(loops)) {
            case EPOLL -> EpollDatagramChannel.class;
            case IO_URING -> IoUringDatagramChannel.class;
            default -> NioDatagramChannel.class;
        };
    }

    /**
     * Returns the transport of a group's loops.
     *
     * @param loops the group
     * @return EPOLL, IO_URING or NIO (also for loops that are not I/O loops, such as an embedded channel's)
     */
    public static Transport of(EventLoopGroup loops) {
        if (loops instanceof IoEventLoopGroup io) {
            if (io.isIoType(EpollIoHandler.class)) {
                return Transport.EPOLL;
            }
            if (io.isIoType(IoUringIoHandler.class)) {
                return Transport.IO_URING;
            }
        }
        return Transport.NIO;
    }
}
