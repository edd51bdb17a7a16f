package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.test.FuzzTargets;
import org.junit.jupiter.api.Test;

/**
 * Every fuzz target of sdk-rtsp in one: what {@code ./mvnw verify} fuzzes for a few seconds
 * ({@link FuzzTargets} says how the input picks a target). To fuzz one target for longer, run
 * it alone: {@code sdk-bench/fuzz.sh RtspConnectionFuzzTest 600}.
 */
class RtspParsersFuzzTest {
    private static final FuzzTargets TARGETS = FuzzTargets.beside(RtspParsersFuzzTest.class);

    @FuzzTest
    void anyParser(FuzzedDataProvider data) {
        TARGETS.run(data);
    }

    @Test
    void findsTheTargets() {
        assertTrue(TARGETS.names().contains(RtspConnectionFuzzTest.class.getName()), "targets found: " + TARGETS.names());
    }
}
