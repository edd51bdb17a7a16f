package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;

/**
 * A player's bytes written straight to its socket in one system call, past the pipeline and
 * the channel's outbound buffer, while that buffer is empty.
 *
 * <p>Without write batching a frame goes to a thousand players as a thousand trips through
 * Netty's write path: a walk of each pipeline for the write and again for the flush, an
 * outbound-buffer entry and a retained duplicate per leaf, the entries gathered into an
 * {@code IovArray}, the system call, and all of it unwound. Measured, that path cost as much
 * CPU as the system calls it ends in. When nothing of the player waits in the channel (the
 * normal case: loopback or a healthy network takes a frame at once), the same bytes can be
 * sent directly from the shared buffers' memory addresses: one {@code send} of a player's
 * joined copy ({@link JoinedFrames}), or one {@code writev} of its frames' leaves. Whatever the
 * socket does not take is handed to the channel as usual, so order, back-pressure and water
 * marks stay the channel's. Nothing is copied or retained for the call: the buffers outlive it.
 *
 * <p>Taken only where it is the same as what the channel would do: an epoll socket (io_uring
 * owns its submissions; NIO has no descriptor), open, its outbound buffer empty, and bytes
 * that start at the first handler of the pipeline (no TLS or frame encoder between them and
 * the transport). A failed call writes nothing, so the caller falls back to the channel, which
 * meets the same error and closes the connection its usual way.
 */
final class SocketWrite {
    private static final FastThreadLocal<IovArray> IOV = LoopLocal.of(IovArray::new, IovArray::release);

    private SocketWrite() {
    }

    /**
     * The socket a player may write to directly, if any.
     *
     * @param out where the player's bytes start
     * @param channel the player's channel
     * @return the socket, or {@code null} when bytes from {@code out} pass a handler that could
     *     change them or the transport is not epoll
     */
    static Socket socketOf(ChannelOutboundInvoker out, Channel channel) {
        if (!(channel instanceof EpollSocketChannel epoll) || !(epoll.fd() instanceof Socket socket)
                || !(out instanceof ChannelHandlerContext ctx)) {
            return null;
        }
        return channel.pipeline().first() == ctx.handler() ? socket : null;
    }

    /**
     * Whether a direct write may be tried now: the socket is open and nothing of the channel's
     * own waits to be written, so direct bytes cannot overtake it.
     */
    static boolean ready(Channel channel, Socket socket) {
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() == 0 && socket.isOpen();
    }

    /** The calling event loop's gather list, cleared. */
    static IovArray iov() {
        IovArray iov = IOV.get();
        iov.clear();
        return iov;
    }

    /**
     * Writes the gathered buffers.
     *
     * @param socket the player's socket
     * @param iov the gather list, from {@link #iov()}
     * @return the bytes the socket took (0 when it takes none now), or -1 when the call failed
     *     and nothing was written
     */
    static long writev(Socket socket, IovArray iov) {
        try {
            return socket.writevAddresses(iov.memoryAddress(0), iov.count());
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends one buffer ({@code send}, which unlike {@code writev} does not pass the file layer).
     *
     * @param socket the player's socket
     * @param buf the bytes, not consumed
     * @return the bytes the socket took, or -1 when nothing was written: the call failed or
     *     the buffer has no memory address to give it
     */
    static long write(Socket socket, ByteBuf buf) {
        if (!buf.hasMemoryAddress()) {
            return -1;
        }
        try {
            return socket.sendAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
        } catch (IOException e) {
            return -1;
        }
    }
}
