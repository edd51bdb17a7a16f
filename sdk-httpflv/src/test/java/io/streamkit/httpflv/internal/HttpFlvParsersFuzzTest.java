package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.test.FuzzTargets;
import org.junit.jupiter.api.Test;

/**
 * Every fuzz target of sdk-httpflv in one: what {@code ./mvnw verify} fuzzes for a few seconds
 * ({@link FuzzTargets} says how the input picks a target). To fuzz one target for longer, run
 * it alone: {@code sdk-bench/fuzz.sh HttpFlvPullHandlerFuzzTest 600}.
 */
class HttpFlvParsersFuzzTest {
    private static final FuzzTargets TARGETS = FuzzTargets.beside(HttpFlvParsersFuzzTest.class);

    @FuzzTest
    void anyParser(FuzzedDataProvider data) {
        TARGETS.run(data);
    }

    @Test
    void findsTheTargets() {
        assertTrue(TARGETS.names().contains(HttpFlvPullHandlerFuzzTest.class.getName()), "targets found: " + TARGETS.names());
    }
}
