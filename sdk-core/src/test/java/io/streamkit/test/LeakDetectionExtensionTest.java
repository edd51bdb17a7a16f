package io.streamkit.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check must be able to fail, or every green test run means nothing. */
class LeakDetectionExtensionTest {

    @Test
    void reportsABufferThatWasNeverReleased() {
        leak();
        List<String> reports = LeakDetectionExtension.detect();
        assertFalse(reports.isEmpty(), "a dropped, unreleased buffer must be reported");
        assertTrue(reports.get(0).contains("leaked"), reports.get(0));
    }

    @Test
    void staysQuietWhenEveryBufferIsReleased() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(1);
        buf.release();
        assertEquals(List.of(), LeakDetectionExtension.detect());
    }

    private static void leak() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.touch("dropped on purpose by LeakDetectionExtensionTest");
    }
}
