package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import io.streamkit.stream.MediaFrame;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A player's way to its channel: writes frames' shared wire forms and flushes, either at once
 * (one flush per engine batch) or batched ({@link WriteBatch}).
 *
 * <p>When batching, a frame's shared form ({@link SharedEncoding.Parts}, reference counted,
 * one per frame per loop) is kept in this player's queue, not written to the channel, until
 * its slot of the batch window comes; then the whole queue is written and flushed in one go. Keeping
 * references here rather than in the channel's outbound buffer matters at scale: a window of
 * queued writes for thousands of players would be hundreds of thousands of outbound entries
 * and buffer duplicates, more than Netty's recyclers keep, so each would be garbage. Written
 * at the end of the window, they live only until the {@code writev} that follows.
 *
 * <p>Frames before the first flush (the GOP cache a new player starts with) are written and
 * flushed at once. Anything the player writes outside frames (control messages, sequence
 * headers, metadata) must be preceded by {@link #drain()} so it stays in order. Confined to
 * the channel's event loop.
 */
public final class PlayerOutput implements WriteBatch.Member {
    private final ChannelOutboundInvoker out;
    private final ChannelOutboundInvoker flushTo;
    private final Channel channel;
    private final ByteBufAllocator alloc;
    private final WriteBatch batch;
    private final Function<ByteBuf, Object> wrap;
    private final int slot;
    private SharedEncoding.Parts[] queue;
    private int queued;
    private boolean wroteFrame;
    private boolean flushedFrame;
    private boolean flushRequested;
    private boolean closed;
    private boolean writable = true;

    /**
     * @param out where frames' bytes are written: a handler context as close to the transport
     *     as the bytes allow (past handlers that would only pass them on), so each of a frame's
     *     leaves does not walk the whole pipeline
     * @param flushTo where the player's flush starts: its own context, so every handler sees it
     * @param channel the channel
     * @param batch the loop's write batch, or {@code null} to flush every engine batch
     * @param wrap turns a frame's bytes into the one message the channel takes (a WebSocket
     *     frame), or {@code null} to write the leaf buffers themselves; a non-capturing function
     */
    public PlayerOutput(ChannelOutboundInvoker out, ChannelOutboundInvoker flushTo, Channel channel,
                        WriteBatch batch, Function<ByteBuf, Object> wrap) {
        this.out = out;
        this.flushTo = flushTo;
        this.channel = channel;
        this.alloc = channel.alloc();
        this.batch = batch;
        this.wrap = wrap;
        this.queue = batch == null ? null : new SharedEncoding.Parts[16];
        this.slot = batch == null ? 0 : batch.slot();
    }

    /**
     * Writes a frame in the form {@code encoding} builds, now or at the end of the window.
     *
     * @param encoding the format's shared encoding
     * @param frame the frame, lent
     * @param variant the form wanted
     * @return the frame's bytes on the wire, written or queued
     */
    public int frame(SharedEncoding encoding, MediaFrame frame, long variant) {
        if (closed) {
            return 0;
        }
        wroteFrame = true;
        if (batch == null || !flushedFrame) {
            if (wrap == null) {
                return encoding.write(out, alloc, frame, variant);
            }
            ByteBuf whole = encoding.encode(alloc, frame, variant);
            int bytes = whole.readableBytes();
            out.write(wrap.apply(whole), out.voidPromise());
            return bytes;
        }
        if (queued == queue.length) {
            queue = Arrays.copyOf(queue, queued * 2);
        }
        SharedEncoding.Parts parts = encoding.acquire(alloc, frame, variant);
        queue[queued++] = parts;
        return parts.bytes();
    }

    /** Writes the queued frames to the channel, without a flush; call before writing anything else. */
    public void drain() {
        for (int i = 0; i < queued; i++) {
            SharedEncoding.Parts parts = queue[i];
            queue[i] = null;
            try {
                if (wrap == null) {
                    parts.writeTo(out);
                } else {
                    out.write(wrap.apply(parts.toBuffer(alloc)), out.voidPromise());
                }
            } finally {
                parts.release();
            }
        }
        queued = 0;
    }

    /** The end of an engine batch: flushes now, or asks the window's flush for it. */
    public void flush() {
        if (batch == null || !flushedFrame) {
            drain();
            flushTo.flush();
            writable = channel.isWritable();
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
        ByteBuf shared = batch.joined(queue, queued, alloc);
        if (shared == null) {
            drain();
        } else {
            dropQueue();
            out.write(wrap == null ? shared : wrap.apply(shared), out.voidPromise());
        }
        flushTo.flush();
        writable = channel.isWritable();
    }

    /**
     * Whether the channel takes more frames, for {@link io.streamkit.stream.Subscriber#writable()}.
     * A player's bytes are almost all its frames, flushed here, so the answer is taken after
     * each flush and asked of the channel again only while it is false: a player then reads
     * no channel state per frame (at thousands of players, each such read is a cache miss).
     * A control message written between flushes is seen at the next one, at most a window
     * later.
     *
     * @return whether the channel is below its high water mark
     */
    public boolean writable() {
        if (!writable) {
            writable = channel.isWritable();
        }
        return writable;
    }

    /** Drops the queue, for a player that ends; later frames are ignored. */
    public void close() {
        closed = true;
        dropQueue();
    }

    private void dropQueue() {
        for (int i = 0; i < queued; i++) {
            queue[i].release();
            queue[i] = null;
        }
        queued = 0;
    }
}
