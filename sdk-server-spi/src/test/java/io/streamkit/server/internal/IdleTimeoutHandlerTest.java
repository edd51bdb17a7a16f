package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout fires once, a timeout (plus at most a quarter) after the last read or write,
 * or after the channel stayed unwritable for a timeout although it kept writing.
 */
class IdleTimeoutHandlerTest {

    @Test
    void firesOnceAfterTheTimeoutWithoutActivity() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS), events);
        advance(ch, 999);
        assertEquals(0, events.seen.size());
        advance(ch, 250);
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events.seen);
        advance(ch, 5000);
        assertEquals(1, events.seen.size(), "fired once");
        assertFalse(ch.finish());
    }

    @Test
    void readsAndWritesKeepTheConnectionAlive() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS), events);
        for (int i = 0; i < 10; i++) {
            advance(ch, 500);
            if (i % 2 == 0) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
                ((io.netty.buffer.ByteBuf) ch.readInbound()).release();
            } else {
                ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
                ((io.netty.buffer.ByteBuf) ch.readOutbound()).release();
            }
        }
        assertEquals(0, events.seen.size(), "active every half timeout");
        advance(ch, 1300);
        assertEquals(1, events.seen.size(), "idle after the activity stopped");
        assertFalse(ch.finish());
    }

    @Test
    void whenReadsDoNotCountAByteNowAndThenDoesNotKeepAPeerAliveButProgressDoes() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        IdleTimeoutHandler idle = new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS, false);
        ch.pipeline().addLast(idle, events);
        for (int i = 0; i < 4; i++) {
            advance(ch, 300);
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));   // a trickle
            ((io.netty.buffer.ByteBuf) ch.readInbound()).release();
        }
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events.seen, "bytes alone are not progress");

        Events second = new Events();
        EmbeddedChannel other = new EmbeddedChannel();
        other.freezeTime();
        IdleTimeoutHandler watched = new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS, false);
        other.pipeline().addLast(watched, second);
        for (int i = 0; i < 10; i++) {
            advance(other, 500);
            watched.progress();   // what the protocol handler calls for a complete message
        }
        assertEquals(0, second.seen.size());
        assertFalse(ch.finish());
        assertFalse(other.finish());
    }

    @Test
    void aPeerThatTakesNothingForTheTimeoutIsReportedAlthoughWritesGoOn() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS), events);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);   // a full socket: a dead peer's
        for (int i = 0; i < 4; i++) {
            advance(ch, 250);
            ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));   // control messages still written
            ((io.netty.buffer.ByteBuf) ch.readOutbound()).release();
        }
        advance(ch, 250);
        assertEquals(List.of(IdleStateEvent.WRITER_IDLE_STATE_EVENT), events.seen, "stalled for a timeout");
        assertFalse(ch.finish());
    }

    @Test
    void aPeerThatDrainsInTimeIsNotReported() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleTimeoutHandler(1000, TimeUnit.MILLISECONDS), events);
        for (int i = 0; i < 10; i++) {
            ch.unsafe().outboundBuffer().setUserDefinedWritability(1, i % 3 == 2);   // unwritable 2 ticks of 3
            advance(ch, 300);
            ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
            ((io.netty.buffer.ByteBuf) ch.readOutbound()).release();
        }
        assertEquals(0, events.seen.size(), "writable again within every timeout");
        assertFalse(ch.finish());
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        for (long t = 0; t < millis; t += 50) {   // the timer runs at fixed rate: step through its ticks
            ch.advanceTimeBy(Math.min(50, millis - t), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
    }

    /** Records the user events that reach it. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }
}
