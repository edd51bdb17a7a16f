package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.aac.StreamMuxConfig;
import io.streamkit.test.TrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AAC in MP4A-LATM over RTP (RFC 6416 section 6, {@code cpresent=0}), as GStreamer's
 * {@code rtpmp4apay} and ffmpeg send it: each AudioMuxElement its frames behind 0xFF-continued
 * lengths, fragmented over packets of one timestamp with the marker on the last.
 */
class LatmRtpTest {
    /** GStreamer's AAC LC, 44.1 kHz, stereo: one frame an element. */
    private static final StreamMuxConfig ONE_FRAME = StreamMuxConfig.parseHex("40002420");
    /** ffmpeg's form with numSubFrames 1: two frames an element. */
    private static final StreamMuxConfig TWO_FRAMES = StreamMuxConfig.parseHex("410024203fc0");

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<ByteBuf> fed = new ArrayList<>();

    @AfterEach
    void everyBufferIsReleased() {
        alloc.assertAllReleased("LatmRtpDepacketizer");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a packet the depacketizer was fed is still held");
        }
    }

    private LatmRtpDepacketizer depacketizer(StreamMuxConfig config, int clockRate) {
        return new LatmRtpDepacketizer(alloc, LatmRtpDepacketizer.DEFAULT_MAX_ELEMENT_SIZE, config, clockRate);
    }

    private void feed(LatmRtpDepacketizer d, int sequence, long timestamp, boolean marker, byte[] payload) {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 96, marker, sequence, timestamp, 0x1234_5678L);
        p.writeBytes(payload);
        fed.add(p);
        d.feed(p);
    }

    /** A frame whose bytes count up from a seed, so that a misplaced byte shows. */
    private static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (seed + i * 7);
        }
        return f;
    }

    /** PayloadLengthInfo then PayloadMux for each frame (ISO/IEC 14496-3 1.7.3.1). */
    private static byte[] element(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            int n = f.length;
            for (; n >= 255; n -= 255) {
                out.write(0xFF);
            }
            out.write(n);
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] take(LatmRtpDepacketizer d, long timestamp) {
        RtpAccessUnit u = d.next();
        try {
            assertEquals(timestamp, u.timestamp(), "timestamp");
            assertTrue(u.keyframe());
            return ByteBufUtil.getBytes(u.content());
        } finally {
            u.release();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({
        // frame size, its PayloadLengthInfo
        "1,   01",
        "254, fe",
        "255, ff 00",
        "256, ff 01",
        "509, ff fe",
        "510, ff ff 00",
        "600, ff ff 5a",
        "1400, ff ff ff ff ff 7d",
    })
    void aFrameInOnePacketComesOutWhole(int size, String lengthInfo) {
        byte[] frame = frame(size, size);
        byte[] payload = element(frame);
        assertArrayEquals(hex(lengthInfo), Arrays.copyOf(payload, payload.length - size), "PayloadLengthInfo");
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 7, 90_000, true, payload);
        assertArrayEquals(frame, take(d, 90_000));
        assertNull(d.next());
        assertEquals(0, d.droppedPackets());
        assertEquals(0, alloc.allocations(), "a whole element in one packet is sliced, not copied");
        d.close();
    }

    @Test
    void twoFramesOfAnElementAreAFrameApart() {
        byte[] a = frame(300, 1);
        byte[] b = frame(200, 2);
        LatmRtpDepacketizer d = depacketizer(TWO_FRAMES, 44_100);
        feed(d, 1, 0xFFFF_FE00L, true, element(a, b));   // the second frame's timestamp wraps
        assertArrayEquals(a, take(d, 0xFFFF_FE00L));
        assertArrayEquals(b, take(d, 0x200));
        assertNull(d.next());
        d.close();
    }

    @ParameterizedTest(name = "{0} at {1} Hz: {2} ticks a frame")
    @CsvSource({
        "410024203fc0,   44100, 1024",   // AAC LC, clock at the sampling frequency
        "41002428,       44100,  960",   // frameLengthFlag: 960-sample frames
        "410056231000,   24000, 1024",   // GStreamer's HE-AAC: clock at the core rate
        "410056231000,   48000, 2048",   // RFC 6416's HE-AAC: clock at the SBR rate
        "410027200000,   44100, 2048",   // implicit SBR: the config says 22,050 Hz, the rtpmap 44,100
        "410024203fc0,   90000, 2089",   // an odd clock: 1,024 samples at 44.1 kHz, rounded down
    })
    void theFrameDurationFollowsTheClock(String config, int clockRate, int ticks) {
        LatmRtpDepacketizer d = depacketizer(StreamMuxConfig.parseHex(config), clockRate);
        feed(d, 1, 1000, true, element(frame(10, 1), frame(10, 2)));
        take(d, 1000);
        take(d, 1000 + ticks);
        d.close();
    }

    @Test
    void aFrameOfLengthZeroIsSkipped() {
        LatmRtpDepacketizer d = depacketizer(TWO_FRAMES, 44_100);
        feed(d, 1, 0, true, hex("00 02 aa bb"));
        assertArrayEquals(hex("aa bb"), take(d, 1024));
        assertNull(d.next());
        d.close();
    }

    @Test
    void aFrameFragmentedOverThreePacketsIsJoined() {
        byte[] frame = frame(1000, 3);
        byte[] payload = element(frame);   // ff ff ff e8, then the frame
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 65534, 5000, false, Arrays.copyOfRange(payload, 0, 400));
        feed(d, 65535, 5000, false, Arrays.copyOfRange(payload, 400, 800));
        assertNull(d.next());
        feed(d, 0, 5000, true, Arrays.copyOfRange(payload, 800, payload.length));   // the sequence wraps
        assertArrayEquals(frame, take(d, 5000));
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @Test
    void aLostMiddleFragmentDropsTheElementUpToItsEnd() {
        byte[] payload = element(frame(1000, 4));
        byte[] next = frame(50, 5);
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 10, 5000, false, Arrays.copyOfRange(payload, 0, 400));
        // 11, the middle, is lost
        feed(d, 12, 5000, true, Arrays.copyOfRange(payload, 800, payload.length));
        assertNull(d.next());
        assertEquals(2, d.droppedPackets());
        assertEquals(1, d.droppedElements());
        feed(d, 13, 6024, true, element(next));
        assertArrayEquals(next, take(d, 6024));
        d.close();
    }

    @Test
    void aLossAcrossElementsKeepsTheNextWholeOne() {
        byte[] frame = frame(80, 6);
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 1, 0, true, element(frame(80, 1)));
        take(d, 0);
        // 2 is lost: a whole element of its own
        feed(d, 3, 2048, true, element(frame));
        assertArrayEquals(frame, take(d, 2048));
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @Test
    void aTimestampChangeBeforeTheMarkerDropsTheUnfinishedElement() {
        byte[] payload = element(frame(1000, 7));
        byte[] next = frame(60, 8);
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 1, 5000, false, Arrays.copyOfRange(payload, 0, 500));
        feed(d, 2, 6024, true, element(next));
        assertArrayEquals(next, take(d, 6024));
        assertNull(d.next());
        assertEquals(1, d.droppedPackets());
        assertEquals(1, d.droppedElements());
        d.close();
    }

    @ParameterizedTest(name = "payload [{0}]")
    @ValueSource(strings = {
        "",                 // an empty payload
        "ff",               // PayloadLengthInfo cut off
        "ff ff",
        "ff ff ff ff",
        "05 01 02",         // a frame running past the end
        "ff 01 02",
        "02 aa bb cc",      // a byte other than padding after the frame
        "02 aa bb 00 01",
    })
    void malformedElementsAreDroppedAndCounted(String hex) {
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 1, 0, true, hex(hex));
        assertNull(d.next());
        assertEquals(1, d.droppedPackets());
        assertEquals(1, d.droppedElements());
        d.close();
    }

    @Test
    void zeroPaddingAfterTheLastFrameIsAllowed() {
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 1, 0, true, hex("02 aa bb 00 00 00"));
        assertArrayEquals(hex("aa bb"), take(d, 0));
        d.close();
    }

    @Test
    void aSecondFrameMissingFromAnElementDropsIt() {
        LatmRtpDepacketizer d = depacketizer(TWO_FRAMES, 44_100);
        feed(d, 1, 0, true, element(frame(20, 1)));   // one frame where the config says two
        assertNull(d.next());
        assertEquals(1, d.droppedElements());
        d.close();
    }

    @Test
    void anElementOverTheLimitIsDroppedWithItsPackets() {
        LatmRtpDepacketizer d = new LatmRtpDepacketizer(alloc, 100, ONE_FRAME, 44_100);
        feed(d, 1, 0, true, element(frame(100, 1)));   // 101 bytes in one packet
        assertNull(d.next());
        assertEquals(1, d.droppedElements());
        byte[] big = element(frame(150, 2));
        feed(d, 2, 1024, false, Arrays.copyOfRange(big, 0, 60));
        feed(d, 3, 1024, false, Arrays.copyOfRange(big, 60, 120));   // over 100 bytes: dropped
        feed(d, 4, 1024, true, Arrays.copyOfRange(big, 120, big.length));   // the rest goes too
        assertNull(d.next());
        assertEquals(2, d.droppedElements());
        assertEquals(4, d.droppedPackets());
        byte[] fits = frame(99, 3);
        feed(d, 5, 2048, true, element(fits));   // exactly 100 bytes
        assertArrayEquals(fits, take(d, 2048));
        d.close();
    }

    @Test
    void aPacketThatIsNotRtpIsCounted() {
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        ByteBuf garbage = Unpooled.wrappedBuffer(hex("00 01 02"));
        fed.add(garbage);
        d.feed(garbage);
        assertEquals(1, d.droppedPackets());
        assertEquals(0, d.droppedElements());
        d.close();
    }

    @Test
    void closeReleasesAnUnfinishedElementAndFramesNotTaken() {
        LatmRtpDepacketizer d = depacketizer(ONE_FRAME, 44_100);
        feed(d, 1, 0, true, element(frame(30, 1)));
        feed(d, 2, 1024, false, Arrays.copyOfRange(element(frame(300, 2)), 0, 100));
        d.close();   // the checks after each test see everything released
    }

    @Test
    void theConstructorChecksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LatmRtpDepacketizer(alloc, 0, ONE_FRAME, 44_100));
        assertThrows(IllegalArgumentException.class, () -> new LatmRtpDepacketizer(alloc, 100, ONE_FRAME, 0));
    }
}
