package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.Socket;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import java.util.Arrays;

/**
 * The server's player output ({@link PlayerOutput}, opened by {@link LoopPlayerOutputs}): queues
 * frames' shared wire forms and writes them at a flush,
 * every engine batch (no batching) or when its slot of the batch window comes
 * ({@link WriteBatch}).
 *
 * <p>A frame's shared form ({@link SharedEncoding.Parts}, reference counted, one per frame per
 * loop) is kept in this player's queue, not written to the channel, until the flush. Keeping
 * references here rather than in the channel's outbound buffer matters at scale: a window of
 * queued writes for thousands of players would be hundreds of thousands of outbound entries
 * and buffer duplicates, more than Netty's recyclers keep, so each would be garbage.
 *
 * <p>At the flush, a player whose queue holds the very frames the player flushed before it
 * on the loop had writes the one copy of them they share ({@link JoinedFrames}); any other
 * writes the leaves. Where the transport allows ({@link SocketWrite}) the bytes go straight to
 * the socket in one system call, and the channel is given only what the socket did not take.
 *
 * <p>Frames before the first flush (the GOP cache a new player starts with) are flushed at the
 * end of the engine batch that brought them, batching or not.
 *
 * <p>Everything else the player sends (control messages, sequence headers, metadata, the end of
 * a response) goes through {@link #control}, which writes the frames queued before it first:
 * order holds by construction, with no call for a player to forget. A player ends with
 * {@link #finish()} (what is queued is written, control messages may follow) or
 * {@link #abandon()} (the play was cancelled or the connection is gone: the queue is dropped).
 *
 * <p>Threading: every method on the channel's event loop (the subscription's executor), never
 * concurrently. Buffers: a frame is lent for the call to {@link #frame}; a control message
 * passes to the output.
 */
public final class LoopPlayerOutput implements PlayerOutput, WriteBatch.Member {
    // how a direct write went: all of it to the socket; part, the rest handed to the channel; not tried
    private static final int ALL_SENT = 0;
    private static final int REST_TO_CHANNEL = 1;
    private static final int NOT_DIRECT = 2;

    private final ChannelOutboundInvoker out;
    private final ChannelOutboundInvoker flushTo;
    private final Channel channel;
    private final ByteBufAllocator alloc;
    private final WriteBatch batch;
    private final SharedEncoding encoding;
    private final int slot;
    private final Socket socket;
    private final IdleTimeoutHandler idle;
    private JoinedFrames now;
    private SharedEncoding.Parts[] queue;
    private int queued;
    private boolean wroteFrame;
    private boolean flushedFrame;
    private boolean flushRequested;
    private boolean closed;
    private boolean writable = true;

    /**
     * Use {@link LoopPlayerOutputs#open}, which chooses where frames' bytes start.
     *
     * @param out where frames' bytes are written: a handler context as close to the transport
     *     as the bytes allow (past handlers that would only pass them on), so each of a frame's
     *     leaves does not walk the whole pipeline
     * @param flushTo where the player's control messages and flushes start: its own context
     *     (or the channel), so every handler sees them
     * @param channel the channel
     * @param batch the loop's write batch, or {@code null} to flush every engine batch
     * @param encoding the shared forms of the player's wire format
     */
    LoopPlayerOutput(ChannelOutboundInvoker out, ChannelOutboundInvoker flushTo, Channel channel,
                     WriteBatch batch, SharedEncoding encoding) {
        this.out = out;
        this.flushTo = flushTo;
        this.channel = channel;
        this.alloc = channel.alloc();
        this.batch = batch;
        this.encoding = encoding;
        this.slot = batch == null ? 0 : batch.slot();
        this.socket = SocketWrite.socketOf(out, channel);
        this.idle = channel.pipeline().get(IdleTimeoutHandler.class);
        this.queue = new SharedEncoding.Parts[16];
    }

    /**
     * Tells whether frames' bytes start at the pipeline's first handler, past every handler
     * that would only pass them on: the condition, with an epoll socket, for writing them
     * straight to the socket. Decided when the output was opened.
     *
     * @return whether the bytes start at the first handler
     */
    public boolean startsAtFirstHandler() {
        return out instanceof ChannelHandlerContext ctx && channel.pipeline().first() == ctx.handler();
    }

    @Override
    public int frame(MediaFrame frame, long variant, long time) {
        if (closed) {
            return 0;
        }
        wroteFrame = true;
        if (queued == queue.length) {
            queue = Arrays.copyOf(queue, queued * 2);
        }
        SharedEncoding.Parts parts = encoding.acquire(alloc, frame, variant, time);
        queue[queued++] = parts;
        return parts.bytes();
    }

    @Override
    public ChannelFuture control(Object message) {
        drain();
        return flushTo.write(message);
    }

    @Override
    public ChannelFuture controlAndFlush(Object message) {
        ChannelFuture written = control(message);
        flushTo.flush();
        return written;
    }

    @Override
    public void finish() {
        drain();
        closed = true;
    }

    @Override
    public void abandon() {
        closed = true;
        dropQueue();
    }

    /** Writes the queued frames to the channel, without a flush. */
    private void drain() {
        for (int i = 0; i < queued; i++) {
            SharedEncoding.Parts parts = queue[i];
            queue[i] = null;
            try {
                parts.writeTo(out);
            } finally {
                parts.release();
            }
        }
        queued = 0;
    }

    @Override
    public void endOfBatch() {
        if (batch == null || !flushedFrame) {
            if (now == null) {
                now = JoinedFrames.forThisLoop();
            }
            writable = writeQueue(now) || channel.isWritable();
            flushedFrame = wroteFrame;
        } else if (!flushRequested && queued > 0) {
            flushRequested = true;
            batch.flushLater(this, slot);
        }
    }

    @Override
    public void flushBatch() {
        flushRequested = false;
        if (closed || queued == 0) {   // a control message may have drained the queue already
            return;
        }
        writable = writeQueue(batch.joined()) || channel.isWritable();
    }

    /**
     * Writes the queue and flushes: as the copy shared with the players flushed before when
     * their queues were the same, else as the frames' leaves; straight to the socket when it
     * can, else through the channel.
     *
     * @return whether the socket took it all, so the channel, which held nothing before, is
     *     still writable without asking it
     */
    private boolean writeQueue(JoinedFrames joined) {
        ByteBuf shared = queued == 0 ? null : joined.joined(queue, queued, alloc);
        if (shared != null) {
            dropQueue();
            int direct = writeDirect(shared);
            if (direct == NOT_DIRECT) {
                out.write(shared, out.voidPromise());
                flushTo.flush();
            }
            return direct == ALL_SENT;
        }
        int direct = queued == 0 ? NOT_DIRECT : writeDirect();
        if (direct == NOT_DIRECT) {
            drain();
            flushTo.flush();
        }
        return direct == ALL_SENT;
    }

    /** Writes the queue's leaves straight to the socket, if it can; the queue is emptied unless {@link #NOT_DIRECT}. */
    private int writeDirect() {
        if (socket == null || !SocketWrite.ready(channel, socket)) {
            return NOT_DIRECT;
        }
        IovArray iov = SocketWrite.iov();
        long total = 0;
        for (int i = 0; i < queued; i++) {
            SharedEncoding.Parts parts = queue[i];
            for (int j = 0, n = parts.count(); j < n; j++) {
                ByteBuf leaf = parts.get(j);
                int length = leaf.readableBytes();
                if (!leaf.hasMemoryAddress() || !iov.add(leaf, leaf.readerIndex(), length)) {
                    return NOT_DIRECT;
                }
                total += length;
            }
        }
        long written = SocketWrite.writev(socket, iov);
        if (written < 0) {
            return NOT_DIRECT;
        }
        if (written < total) {
            writeRest(written);
        }
        dropQueue();
        return sent(written < total);
    }

    /** Hands the channel what the socket did not take of the queue: the leaves from byte {@code skip} on. */
    private void writeRest(long skip) {
        for (int i = 0; i < queued; i++) {
            SharedEncoding.Parts parts = queue[i];
            for (int j = 0, n = parts.count(); j < n; j++) {
                ByteBuf leaf = parts.get(j);
                int length = leaf.readableBytes();
                if (skip >= length) {
                    skip -= length;
                    continue;
                }
                int from = (int) skip;
                out.write(leaf.retainedSlice(leaf.readerIndex() + from, length - from), out.voidPromise());
                skip = 0;
            }
        }
    }

    /** Sends {@code shared} straight to the socket, if it can; it is consumed unless {@link #NOT_DIRECT}. */
    private int writeDirect(ByteBuf shared) {
        if (socket == null || !SocketWrite.ready(channel, socket)) {
            return NOT_DIRECT;
        }
        long written = SocketWrite.write(socket, shared);
        if (written < 0) {
            return NOT_DIRECT;
        }
        boolean rest = written < shared.readableBytes();
        if (rest) {
            out.write(shared.skipBytes((int) written), out.voidPromise());
        } else {
            shared.release();
        }
        return sent(rest);
    }

    /** After a direct write: tells the idle handler, which cannot see it, and flushes any rest. */
    private int sent(boolean rest) {
        if (idle != null) {
            idle.wrote();
        }
        if (rest) {
            flushTo.flush();
            return REST_TO_CHANNEL;
        }
        return ALL_SENT;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A player's bytes are almost all its frames, flushed here, so the answer is taken after
     * each flush (true without asking when the socket took the whole flush, as the channel then
     * holds nothing) and asked of the channel again only while it is false: a player then reads
     * no channel state per frame (at thousands of players, each such read is a cache miss).
     * A control message written between flushes is seen at the next one, at most a window
     * later.
     */
    @Override
    public boolean writable() {
        if (!writable) {
            writable = channel.isWritable();
        }
        return writable;
    }

    private void dropQueue() {
        for (int i = 0; i < queued; i++) {
            queue[i].release();
            queue[i] = null;
        }
        queued = 0;
    }
}
