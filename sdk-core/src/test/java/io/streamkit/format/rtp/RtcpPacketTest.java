package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.format.rtp.RtcpPacket.SenderReport;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RTCP (RFC 3550, 6): the byte layout of what is written, sender reports read back, RTCP told from RTP, NTP time. */
class RtcpPacketTest {
    private static final SenderReport REPORT = new SenderReport(0x0102_0304L, 0x83AA_7E80_8000_0000L, 0x0A0B_0C0DL, 5, 1000);
    private static final SenderReport OTHER = new SenderReport(0xFFFF_FFFFL, -1L, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0);

    static ByteBuf hex(String text) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(text.replace(" ", "")));
    }

    static String hex(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }

    static void sr(ByteBuf out, SenderReport r) {
        RtcpPacket.writeSenderReport(out, r.ssrc(), r.ntpTime(), r.rtpTime(), r.packetCount(), r.octetCount(), "cam");
    }

    static void rr(ByteBuf out) {
        RtcpPacket.writeReceiverReport(out, 7, 0x0102_0304L, 0, 0, 100, 0, 0, 0, "player");
    }

    /** Reads a compound packet placed behind a prefix, checking that its indices stay where they were. */
    static List<SenderReport> read(ByteBuf compound) {
        ByteBuf b = Unpooled.buffer().writeBytes(new byte[] {0x55, 0x55, 0x55}).writeBytes(compound).readerIndex(3);
        int writer = b.writerIndex();
        try {
            List<SenderReport> reports = RtcpPacket.senderReports(b);
            assertEquals(3, b.readerIndex());
            assertEquals(writer, b.writerIndex());
            return reports;
        } finally {
            b.release();
            compound.release();
        }
    }

    @Test
    void aSenderReportAndItsCnameAreLaidOutAsRfc3550Says() {
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeSenderReport(out, 0x0102_0304L, 0x83AA_7E80_8000_0000L, 0x0A0B_0C0DL, 5, 1000, "ab");
        byte[] expected = ByteBufUtil.decodeHexDump(
                // V=2 P=0 RC=0, PT=200, length 6 words after the first; SSRC; NTP (msw, lsw); RTP; packets; octets
                "80c80006" + "01020304" + "83aa7e80" + "80000000" + "0a0b0c0d" + "00000005" + "000003e8"
                // V=2 P=0 SC=1, PT=202, length 3; SSRC; CNAME=1, 2 bytes "ab"; the item list's null octet and padding
                + "81ca0003" + "01020304" + "01026162" + "00000000");
        assertArrayEquals(expected, ByteBufUtil.getBytes(out));
        out.release();
    }

    @Test
    void aReceiverReportsReportBlockAndAByeAreLaidOutAsRfc3550Says() {
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(out, 0x1111_1111L, 0x2222_2222L, 0x40, 3, 0x0001_0005L, 0x20, 0x7E80_8000L,
                0x0001_8000L, "abc");
        RtcpPacket.writeBye(out, 0x1111_1111L);
        byte[] expected = ByteBufUtil.decodeHexDump(
                // V=2 P=0 RC=1, PT=201, length 7; SSRC of the sender; the report block: SSRC_1, fraction lost and
                // cumulative lost, extended highest sequence, jitter, LSR, DLSR
                "81c90007" + "11111111" + "22222222" + "40000003" + "00010005" + "00000020" + "7e808000" + "00018000"
                // SDES: CNAME "abc", then one null octet ends the items and two more pad to 32 bits
                + "81ca0003" + "11111111" + "01036162" + "63000000"
                // BYE: SC=1, PT=203, length 1, the SSRC
                + "81cb0001" + "11111111");
        assertArrayEquals(expected, ByteBufUtil.getBytes(out));
        out.release();
    }

    @ParameterizedTest
    @MethodSource
    void cumulativeLossIsASigned24BitNumberClamped(int lost, String block) {
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeReceiverReport(out, 1, 2, 255, lost, 0, 0, 0, 0, "x");
        assertEquals(block, hex(out.slice(12, 4)));
        out.release();
    }

    static Stream<Arguments> cumulativeLossIsASigned24BitNumberClamped() {
        return Stream.of(
                Arguments.of(0, "ff000000"),
                Arguments.of(-1, "ffffffff"),
                Arguments.of(0x7F_FFFF, "ff7fffff"),
                Arguments.of(10_000_000, "ff7fffff"),
                Arguments.of(-0x80_0000, "ff800000"),
                Arguments.of(-10_000_000, "ff800000"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 100, 255})
    void everyCnameLengthPadsTheSdesToWholeWords(int length) {
        String cname = "c".repeat(length);
        ByteBuf out = Unpooled.buffer();
        RtcpPacket.writeBye(out, 9);
        int start = out.writerIndex();
        RtcpPacket.writeSenderReport(out, 9, 0, 0, 0, 0, cname);
        int sdes = start + 28;
        int size = out.writerIndex() - sdes;
        assertEquals(0, size % 4);
        assertEquals(size, 4 * (out.getUnsignedShort(sdes + 2) + 1));
        int nulls = size - 8 - 2 - cname.length();
        assertTrue(nulls >= 1 && nulls <= 4, nulls + " null octets");
        assertEquals(cname, out.toString(sdes + 10, cname.length(), StandardCharsets.UTF_8));
        out.release();
    }

    @Test
    void aCnameOutside1To255BytesOrAFractionOutside0To255IsRefusedBeforeAnythingIsWritten() {
        ByteBuf out = Unpooled.buffer();
        assertThrows(IllegalArgumentException.class, () -> RtcpPacket.writeSenderReport(out, 1, 0, 0, 0, 0, ""));
        assertThrows(IllegalArgumentException.class,
                () -> RtcpPacket.writeSenderReport(out, 1, 0, 0, 0, 0, "\u00e9".repeat(128)));   // 256 bytes in UTF-8
        assertThrows(IllegalArgumentException.class,
                () -> RtcpPacket.writeReceiverReport(out, 1, 2, 256, 0, 0, 0, 0, 0, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> RtcpPacket.writeReceiverReport(out, 1, 2, -1, 0, 0, 0, 0, 0, "x"));
        assertEquals(0, out.writerIndex());
        out.release();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void senderReportsAreReadFromCompoundPacketsAndMalformedOnesEndTheReading(String name, Consumer<ByteBuf> writer,
                                                                            List<SenderReport> expected) {
        ByteBuf compound = Unpooled.buffer();
        writer.accept(compound);
        assertEquals(expected, read(compound));
    }

    static Stream<Arguments> senderReportsAreReadFromCompoundPacketsAndMalformedOnesEndTheReading() {
        return Stream.of(
                Arguments.of("SR and SDES as written", (Consumer<ByteBuf>) b -> sr(b, REPORT), List.of(REPORT)),
                Arguments.of("all-ones fields read unsigned", (Consumer<ByteBuf>) b -> sr(b, OTHER), List.of(OTHER)),
                Arguments.of("RR first, an SR after it", (Consumer<ByteBuf>) b -> {
                    rr(b);
                    sr(b, REPORT);
                }, List.of(REPORT)),
                Arguments.of("two SRs and a BYE", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    sr(b, OTHER);
                    RtcpPacket.writeBye(b, 1);
                }, List.of(REPORT, OTHER)),
                Arguments.of("an SR with a report block and a profile extension", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("81c8000d 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8"
                                + "11111111 00000000 00000000 00000000 00000000 00000000 abcdabcd")), List.of(REPORT)),
                Arguments.of("an RR alone", (Consumer<ByteBuf>) RtcpPacketTest::rr, List.of()),
                Arguments.of("nothing", (Consumer<ByteBuf>) b -> { }, List.of()),
                Arguments.of("three bytes", (Consumer<ByteBuf>) b -> b.writeBytes(hex("80c800")), List.of()),
                Arguments.of("an SR cut inside its sender info", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    b.writerIndex(27);
                }, List.of()),
                Arguments.of("an SR whole, its SDES cut", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    b.writerIndex(b.writerIndex() - 1);
                }, List.of(REPORT)),
                Arguments.of("an RR, then an SR cut", (Consumer<ByteBuf>) b -> {
                    rr(b);
                    int end = b.writerIndex();
                    sr(b, REPORT);
                    b.writerIndex(end + 20);
                }, List.of()),
                Arguments.of("an SR announcing a report block it lacks", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("81c80006 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8")), List.of()),
                Arguments.of("an SR of version 1", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    b.setByte(0, 0x40);
                }, List.of()),
                Arguments.of("an SR, then garbage of version 0", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    b.writeBytes(hex("00c80006 01020304"));
                    sr(b, OTHER);
                }, List.of(REPORT)),
                Arguments.of("an SR, then an RTP packet", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    RtpPacket.writeHeader(b, 96, true, 1, 2, 3);
                    sr(b, OTHER);
                }, List.of(REPORT)),
                Arguments.of("an SR padded by 4 as the last packet", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("a0c80007 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8 00000004")), List.of(REPORT)),
                Arguments.of("an SR whose padding eats its sender info", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("a0c80007 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8 00000008")), List.of()),
                Arguments.of("padding of 0", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("a0c80007 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8 00000000")), List.of()),
                Arguments.of("padding past the packet", (Consumer<ByteBuf>) b -> b.writeBytes(
                        hex("a0c80007 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8 000000ff")), List.of()),
                Arguments.of("padding in a packet before the last", (Consumer<ByteBuf>) b -> {
                    sr(b, REPORT);
                    b.writeBytes(hex("a0c80007 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8 00000004"));
                    sr(b, OTHER);
                }, List.of(REPORT)),
                Arguments.of("more SRs than are read", (Consumer<ByteBuf>) b -> {
                    for (int i = 0; i < RtcpPacket.MAX_PACKETS + 4; i++) {
                        b.writeBytes(hex("80c80006 01020304 83aa7e80 80000000 0a0b0c0d 00000005 000003e8"));
                    }
                }, Collections.nCopies(RtcpPacket.MAX_PACKETS, REPORT)));
    }

    @ParameterizedTest
    @MethodSource
    void rtcpIsToldFromRtpByItsSecondByte(String bytes, boolean rtcp) {
        ByteBuf b = Unpooled.buffer().writeByte(0xFF).writeBytes(hex(bytes)).readerIndex(1);
        assertEquals(rtcp, RtcpPacket.isRtcp(b), bytes);
        assertEquals(1, b.readerIndex());
        b.release();
    }

    static Stream<Arguments> rtcpIsToldFromRtpByItsSecondByte() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (int pt : new int[] {96, 97, 0, 8}) {
            for (int marker : new int[] {0, 0x80}) {
                rows.add(Arguments.of(String.format("80%02x0001 00000000 00000000", marker | pt), false));
            }
        }
        for (int type = RtcpPacket.SR; type <= RtcpPacket.APP; type++) {
            rows.add(Arguments.of(String.format("81%02x0007", type), true));
        }
        return Stream.concat(rows.build(), Stream.of(
                Arguments.of("80c00001", true),    // 192, the first of RTCP's range (FIR)
                Arguments.of("8fdf0001", true),    // 223, the last
                Arguments.of("80bf0001", false),   // 191
                Arguments.of("80e00001", false),   // 224: RTP, payload type 96 with its marker
                Arguments.of("40c80006", false),   // version 1
                Arguments.of("80c800", false),     // shorter than the common header
                Arguments.of("", false)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1000, -1, -1_000, 1_767_225_600_123L, 2_085_978_495_999L, 2_085_978_496_000L,
        -61_505_152_000L, 4_233_462_143_999L})   // 1968-01-20 and 2104-02-26: the ends of what NTP's eras tell apart
    void wallClockTimeSurvivesARoundTripThroughNtpWithin1Microsecond(long epochMillis) {
        long micros = RtcpPacket.epochMicros(RtcpPacket.ntpTime(epochMillis));
        assertTrue(Math.abs(micros - epochMillis * 1000) <= 1, epochMillis + " ms came back as " + micros + " µs");
    }

    @Test
    void theNtpEpochIs1900AndTheFractionCountsIn2ToTheMinus32Seconds() {
        assertEquals(2_208_988_800L << 32, RtcpPacket.ntpTime(0));
        assertEquals(((2_208_988_800L + 1) << 32) | 0x8000_0000L, RtcpPacket.ntpTime(1_500));
        assertEquals(((2_208_988_800L - 1) << 32) | 0x4000_0000L, RtcpPacket.ntpTime(-750));
        assertEquals(0, RtcpPacket.epochMicros(2_208_988_800L << 32));
        // 2036-02-07T06:28:16Z: NTP's seconds wrap to 0, era 1
        assertEquals(0L, RtcpPacket.ntpTime(2_085_978_496_000L));
        assertEquals(2_085_978_496_000_000L, RtcpPacket.epochMicros(0));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 0x10C6, 0x10C7, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_F000L, 0xFFFF_FFFFL})
    void anNtpFractionBecomesTheNearestMicrosecond(long fraction) {
        long seconds = 3_900_000_000L;   // 2023
        long micros = RtcpPacket.epochMicros((seconds << 32) | fraction);
        BigInteger exact = BigInteger.valueOf(fraction).multiply(BigInteger.valueOf(1_000_000))
                .add(BigInteger.ONE.shiftLeft(31)).shiftRight(32);   // rounded to the nearest
        assertEquals((seconds - 2_208_988_800L) * 1_000_000 + exact.longValueExact(), micros);
        double error = Math.abs((micros - (seconds - 2_208_988_800L) * 1_000_000) - fraction * 1e6 / 4_294_967_296.0);
        assertTrue(error <= 0.5, "off by " + error + " µs");
    }
}
