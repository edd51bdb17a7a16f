package io.streamkit.server.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires an {@link IdleStateEvent} once, for the handler after it to close the connection:
 * {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when the connection has neither read nor written
 * for a timeout, {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} when it has been unwritable (its
 * outbound bytes above the high water mark) for the timeout: a stalled peer, such as a player
 * whose machine vanished, takes none of what it is sent, and TCP would keep its connection, and
 * with it a subscription, for the minutes its retransmissions last.
 *
 * <p>Netty's {@code IdleStateHandler} watches writes by adding a listener to each write's
 * promise, which turns a player's void promises into real ones: an allocation per write per
 * player. This handler only sets a flag per read or write and looks at it from a timer that
 * runs four times per timeout, so a connection is reported between one and one and a quarter
 * timeouts after its last activity. Confined to the channel's event loop.
 *
 * <p>What counts as reading is the protocol's choice: any byte read, or only what the handler
 * after it reports as progress ({@link #progress()}), such as a complete message, or for a
 * publisher a media frame. With the second, a peer that sends a byte now and then to look alive
 * is still closed at the timeout.
 */
public final class IdleTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private final long tickNanos;
    private final boolean readsCount;
    private boolean active;
    private long lastActive;
    private long unwritableSince = -1;
    private ScheduledFuture<?> timer;

    /**
     * Creates a handler for which every byte read counts as activity.
     *
     * @param timeout the idle time limit
     * @param unit its unit
     */
    public IdleTimeoutHandler(long timeout, TimeUnit unit) {
        this(timeout, unit, true);
    }

    /**
     * Creates a handler.
     *
     * @param timeout the idle time limit
     * @param unit its unit
     * @param readsCount whether any read counts as activity; if not, only {@link #progress()} and writes do
     */
    public IdleTimeoutHandler(long timeout, TimeUnit unit, boolean readsCount) {
        this.readsCount = readsCount;
        this.timeoutNanos = unit.toNanos(timeout);
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("idle timeout must be above zero");
        }
        this.tickNanos = Math.max(1, timeoutNanos / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (readsCount) {
            active = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        active = true;
        ctx.write(msg, promise);
    }

    /** Players write media from this handler's context, past it; their flushes still pass here. */
    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        active = true;
        ctx.flush();
    }

    /** Counts as activity: the peer sent something of use (a message, a frame). Event loop only. */
    public void progress() {
        active = true;
    }

    /** Counts as a write: for bytes written to the socket past the pipeline ({@link SocketWrite}). */
    void wrote() {
        active = true;
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        lastActive = ctx.executor().ticker().nanoTime();
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime();
        if (ctx.channel().isWritable()) {
            unwritableSince = -1;
        } else if (unwritableSince < 0) {
            unwritableSince = now;
        } else if (now - unwritableSince >= timeoutNanos) {
            stop();
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
            return;
        }
        if (active) {
            active = false;
            lastActive = now;
            return;
        }
        if (now - lastActive >= timeoutNanos) {
            stop();
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
