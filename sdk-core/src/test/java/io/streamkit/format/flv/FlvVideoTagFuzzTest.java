package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes {@link FlvVideoTag#parse} and {@link FlvVideoTag#parseTracks} on video message bodies,
 * legacy and Enhanced RTMP (ModEx, multitrack), as a publisher sends them.
 *
 * <p>Properties: both throw nothing but {@link MediaFormatException}; neither moves the body's
 * indexes; every payload range lies within the body and slices out; {@code parseTracks} appends
 * at least one tag, at most {@value FlvTags#MAX_TRACKS_PER_MESSAGE}, no id twice, and leaves
 * the list as it was when it throws; {@code parse} maps track 0 only, and when
 * {@code parseTracks} maps a track 0 that carries something, {@code parse} returns that same
 * tag. Seeds: the bodies of {@code FlvVideoTracksTest}'s tables and of the FLV fixtures.
 */
class FlvVideoTagFuzzTest {
    private static final FlvVideoTag SENTINEL = new FlvVideoTag(null, FlvPacketKind.IGNORED, false, 0, false, 0, 0,
            "already in the list", 0, 0);

    @FuzzTest
    void parse(byte[] input) {
        ByteBuf body = Unpooled.wrappedBuffer(input);
        FlvVideoTag single = null;
        try {
            single = FlvVideoTag.parse(body);
            checkRange(single, body);
            assertEquals(0, single.trackId(), "parse mapped a track other than 0");
        } catch (MediaFormatException e) {
            // declared
        }
        assertIndexes(body, input.length);

        List<FlvVideoTag> tags = new ArrayList<>(List.of(SENTINEL));
        int added;
        try {
            added = FlvVideoTag.parseTracks(body, tags);
        } catch (MediaFormatException e) {
            assertEquals(List.of(SENTINEL), tags, "parseTracks changed the list before it threw");
            assertIndexes(body, input.length);
            return;
        }
        assertIndexes(body, input.length);
        assertSame(SENTINEL, tags.get(0));
        assertEquals(added, tags.size() - 1, "parseTracks counted what it appended wrongly");
        assertTrue(added >= 1 && added <= FlvTags.MAX_TRACKS_PER_MESSAGE, added + " tags from one message");
        Set<Integer> ids = new HashSet<>();
        for (FlvVideoTag t : tags.subList(1, tags.size())) {
            checkRange(t, body);
            assertEquals(0, t.ignoredTracks(), "parseTracks counted ignored tracks");
            assertTrue(ids.add(t.trackId()), "track " + t.trackId() + " twice");
            if (t.trackId() == 0 && t.kind() != FlvPacketKind.IGNORED) {
                assertTrue(single != null, "parseTracks maps track 0 as " + t + " but parse throws");
                assertEquals(t, new FlvVideoTag(single.codec(), single.kind(), single.keyframe(),
                        single.compositionTime(), single.enhanced(), 0, 0, single.reason(), single.payloadOffset(),
                        single.payloadLength()), "parse and parseTracks disagree on track 0");
            }
        }
    }

    static void checkRange(FlvVideoTag t, ByteBuf body) {
        assertTrue((long) t.payloadOffset() + t.payloadLength() <= body.readableBytes(),
                "payload " + t.payloadOffset() + "+" + t.payloadLength() + " past a body of " + body.readableBytes());
        if (t.kind() == FlvPacketKind.IGNORED) {
            assertTrue(t.reason() != null && !t.reason().isEmpty(), "an ignored tag without a reason");
        }
        ByteBuf payload = t.retainedPayload(body);
        try {
            assertEquals(t.payloadLength(), payload.readableBytes());
        } finally {
            payload.release();
        }
    }

    static void assertIndexes(ByteBuf body, int length) {
        assertEquals(0, body.readerIndex(), "reader index moved");
        assertEquals(length, body.writerIndex(), "writer index moved");
        assertEquals(1, body.refCnt(), "reference count changed");
    }
}
