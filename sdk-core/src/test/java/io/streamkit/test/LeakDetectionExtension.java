package io.streamkit.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which Netty's leak detector reported a leaked buffer.
 *
 * <p>Registered for every test by JUnit's extension auto-detection (see
 * {@code META-INF/services}); Surefire runs the JVM with {@code -Dio.netty.leakDetection.level=paranoid}.
 * After each test it runs a full GC, waits (with a deadline) until the collector has
 * processed references, and allocates a few tracked buffers so the detector polls its
 * queue; a report collected by then fails the test with the leak's access records.
 */
public final class LeakDetectionExtension implements AfterEachCallback {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ByteBufUtil.setLeakListener((resourceType, records) -> LEAKS.add(resourceType + " leaked:\n" + records));
    }

    /** Creates the extension; JUnit does. */
    public LeakDetectionExtension() {
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=paranoid, found "
                    + ResourceLeakDetector.getLevel());
        }
        List<String> found = detect();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " buffer leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n", found));
        }
    }

    /**
     * Collects garbage, makes the detectors look, and returns (and forgets) every leak reported.
     *
     * @return the reports, empty when nothing leaked
     */
    public static List<String> detect() {
        for (int round = 0; round < 2; round++) {
            collectGarbage();
            pollDetectors();
        }
        return drain();
    }

    private static List<String> drain() {
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        long deadline = System.nanoTime() + 2_000_000_000L;
        System.gc();
        try {
            while (queue.remove(50) == null && System.nanoTime() < deadline) {
                System.gc();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }

    private static void pollDetectors() {
        // Every tracked allocation makes the detector look at its reference queue.
        for (int i = 0; i < 4; i++) {
            ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(8);
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(8);
            ByteBuf c = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
            ByteBuf d = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
            a.release();
            b.release();
            c.release();
            d.release();
        }
    }
}
