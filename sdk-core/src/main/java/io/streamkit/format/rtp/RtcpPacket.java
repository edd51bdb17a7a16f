package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP (RFC 3550, section 6) as far as a media server needs it: reading the sender reports of a
 * compound packet, which map a source's RTP timestamps to wall-clock time, telling RTCP from RTP
 * on a shared port, and writing the sender report, receiver report and BYE a sender or receiver
 * owes its peer. Static methods only; the caller owns every buffer.
 *
 * <p>Reading never throws: RTCP arrives over UDP or interleaved in RTSP from any peer, and a
 * report lost to a malformed packet costs only a late lip-sync. The first malformed packet of a
 * compound packet ends the reading, and what was read before it is returned.
 *
 * <table>
 *   <caption>Checks when reading</caption>
 *   <tr><th>field</th><th>rule</th><th>on breach</th></tr>
 *   <tr><td>version</td><td>2</td><td>the reading ends</td></tr>
 *   <tr><td>packet type</td><td>192 to 223, RTCP's range (RFC 5761, 4)</td><td>the reading ends</td></tr>
 *   <tr><td>length</td><td>the packet ends within the buffer</td><td>the reading ends</td></tr>
 *   <tr><td>padding</td><td>only in the last packet; its count 1 to the packet's length after the header</td><td>the reading ends</td></tr>
 *   <tr><td>sender report</td><td>the sender info and the report blocks its count announces fit its length</td><td>the reading ends</td></tr>
 *   <tr><td>packets per compound packet</td><td>{@value #MAX_PACKETS}</td><td>the rest is not read</td></tr>
 * </table>
 *
 * <p>Times are 64-bit NTP timestamps (RFC 3550, 4): seconds since 1900 in the high 32 bits, the
 * fraction of a second in units of 2^-32 s in the low 32 bits. {@link #ntpTime} and
 * {@link #epochMicros} convert from and to the Unix epoch.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6">RFC 3550, section 6</a>
 */
public final class RtcpPacket {
    /** Packet type of a sender report: RFC 3550, 6.4.1. */
    public static final int SR = 200;
    /** Packet type of a receiver report: RFC 3550, 6.4.2. */
    public static final int RR = 201;
    /** Packet type of source descriptions: RFC 3550, 6.5. */
    public static final int SDES = 202;
    /** Packet type of a goodbye: RFC 3550, 6.6. */
    public static final int BYE = 203;
    /** Packet type of application-defined RTCP: RFC 3550, 6.7. */
    public static final int APP = 204;
    /**
     * Packets read from one compound packet: a sender's holds two to four (SR or RR, SDES, perhaps
     * BYE or APP), a receiver's some feedback besides; more is not a peer worth reading, and the
     * bound keeps the work a datagram of tiny packets costs small.
     */
    public static final int MAX_PACKETS = 16;
    /** The size of the header every RTCP packet starts with: version, count, type and length. */
    public static final int HEADER_SIZE = 4;
    /** The longest CNAME, in UTF-8 bytes: an SDES item's length is one octet (RFC 3550, 6.5). */
    public static final int MAX_CNAME_LENGTH = 255;

    private static final int VERSION = 2;
    private static final int FIRST_TYPE = 192;   // RFC 5761, 4: RTCP's packet types lie in 192-223
    private static final int LAST_TYPE = 223;
    private static final int SENDER_INFO_SIZE = 24;   // SSRC, NTP timestamp, RTP timestamp, the two counts
    private static final int REPORT_BLOCK_SIZE = 24;
    private static final int CNAME = 1;
    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    /** NTP's era 0 holds times with the top bit of the seconds set from 1968 to 2036 (RFC 4330, 3). */
    private static final long ERA_SECONDS = 1L << 32;

    private RtcpPacket() {
    }

    /**
     * The sender info of one sender report (RFC 3550, 6.4.1): when, in wall-clock time, the
     * source's RTP clock read what, and how much it had sent by then.
     *
     * @param ssrc the sender's synchronisation source, 0 to 2^32 - 1
     * @param ntpTime the wall-clock time as a 64-bit NTP timestamp (unsigned; see {@link #epochMicros})
     * @param rtpTime the RTP timestamp at that time, 0 to 2^32 - 1, in the payload format's clock
     * @param packetCount RTP packets sent since the start of the transmission, modulo 2^32
     * @param octetCount payload octets sent since the start, modulo 2^32
     */
    public record SenderReport(long ssrc, long ntpTime, long rtpTime, long packetCount, long octetCount) {
    }

    /**
     * Reads the sender reports of a compound packet, skipping the other packet types.
     *
     * <p>Never throws: a malformed packet (the table in the class comment) ends the reading, and
     * the reports read before it are returned. At most {@value #MAX_PACKETS} packets are read.
     *
     * @param compound one UDP datagram or interleaved frame, from its reader index to its writer
     *     index; borrowed, and its indices unchanged
     * @return the sender reports in the order they came, possibly none
     */
    public static List<SenderReport> senderReports(ByteBuf compound) {
        List<SenderReport> reports = new ArrayList<>(1);
        int at = compound.readerIndex();
        int end = compound.writerIndex();
        for (int n = 0; n < MAX_PACKETS && end - at >= HEADER_SIZE; n++) {
            int b0 = compound.getUnsignedByte(at);
            int type = compound.getUnsignedByte(at + 1);
            int length = 4 * (compound.getUnsignedShort(at + 2) + 1);
            if (b0 >>> 6 != VERSION || type < FIRST_TYPE || type > LAST_TYPE || length > end - at) {
                break;
            }
            int content = length;
            if ((b0 & 0x20) != 0) {
                int padding = compound.getUnsignedByte(at + length - 1);
                if (at + length != end || padding == 0 || padding > length - HEADER_SIZE) {
                    break;   // padding only in the last packet (RFC 3550, 6.4.1), and within it
                }
                content -= padding;
            }
            if (type == SR) {
                int count = b0 & 0x1F;
                if (content < HEADER_SIZE + SENDER_INFO_SIZE + count * REPORT_BLOCK_SIZE) {
                    break;
                }
                reports.add(new SenderReport(compound.getUnsignedInt(at + 4), compound.getLong(at + 8),
                        compound.getUnsignedInt(at + 16), compound.getUnsignedInt(at + 20),
                        compound.getUnsignedInt(at + 24)));
            }
            at += length;
        }
        return reports;
    }

    /**
     * Tells whether a datagram or interleaved frame looks like RTCP rather than RTP: version 2 and
     * a second byte of 192 to 223, which RTP with its marker bit would make only from payload
     * types 64 to 95, never used for RTP on a shared port (RFC 5761, 4).
     *
     * @param packet the packet from its reader index; borrowed, its indices unchanged
     * @return {@code true} for RTCP; {@code false} for RTP, or for fewer than {@value #HEADER_SIZE} bytes
     */
    public static boolean isRtcp(ByteBuf packet) {
        if (packet.readableBytes() < HEADER_SIZE) {
            return false;
        }
        int at = packet.readerIndex();
        int type = packet.getUnsignedByte(at + 1);
        return packet.getUnsignedByte(at) >>> 6 == VERSION && type >= FIRST_TYPE && type <= LAST_TYPE;
    }

    /**
     * Writes a compound packet of a sender: a sender report with no report blocks, then an SDES
     * with the source's CNAME (RFC 3550, 6.1: a compound packet starts with an SR or RR and
     * carries the CNAME). A BYE may follow in the same packet ({@link #writeBye}).
     *
     * @param out where to write; nothing is written when an argument is refused
     * @param ssrc the sender's synchronisation source; its low 32 bits are written
     * @param ntpTime the wall-clock time of the report as a 64-bit NTP timestamp ({@link #ntpTime})
     * @param rtpTime the RTP timestamp of that instant; its low 32 bits are written
     * @param packetCount RTP packets sent so far; its low 32 bits are written
     * @param octetCount payload octets sent so far; its low 32 bits are written
     * @param cname the canonical name, 1 to {@value #MAX_CNAME_LENGTH} bytes in UTF-8
     * @throws IllegalArgumentException when the CNAME is empty or too long
     */
    public static void writeSenderReport(ByteBuf out, long ssrc, long ntpTime, long rtpTime, long packetCount,
                                         long octetCount, String cname) {
        int cnameLength = cnameLength(cname);
        header(out, 0, SR, HEADER_SIZE + SENDER_INFO_SIZE);
        out.writeInt((int) ssrc);
        out.writeLong(ntpTime);
        out.writeInt((int) rtpTime);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
        writeSdes(out, ssrc, cname, cnameLength);
    }

    /**
     * Writes a compound packet of a receiver: a receiver report with one report block for the
     * source it receives (RFC 3550, 6.4.2), then an SDES with its own CNAME.
     *
     * <p>The last sender report's time is the middle 32 bits of its NTP timestamp,
     * {@code (ntpTime >>> 16) & 0xFFFFFFFFL}, or 0 before any; the delay since is in units of
     * 1/65,536 s.
     *
     * @param out where to write; nothing is written when an argument is refused
     * @param ssrc the receiver's own synchronisation source; its low 32 bits are written
     * @param sourceSsrc the source reported on; its low 32 bits are written
     * @param fractionLost the fraction lost since the last report, in 1/256ths: 0 to 255
     * @param cumulativeLost packets lost since the start (negative after duplicates); written as
     *     a signed 24-bit number, clamped to -8,388,608 to 8,388,607
     * @param extendedHighestSequence the highest sequence number received, with the count of its
     *     wraps above it; its low 32 bits are written
     * @param jitter the interarrival jitter in timestamp units; its low 32 bits are written
     * @param lastSenderReport the middle 32 bits of the last SR's NTP timestamp, or 0; low 32 bits written
     * @param delaySinceLastSenderReport the delay since that SR in 1/65,536 s, or 0; low 32 bits written
     * @param cname the receiver's canonical name, 1 to {@value #MAX_CNAME_LENGTH} bytes in UTF-8
     * @throws IllegalArgumentException when the fraction lost is outside 0 to 255, or the CNAME is
     *     empty or too long
     */
    public static void writeReceiverReport(ByteBuf out, long ssrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                                           long extendedHighestSequence, long jitter, long lastSenderReport,
                                           long delaySinceLastSenderReport, String cname) {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost " + fractionLost + " is outside 0 to 255");
        }
        int cnameLength = cnameLength(cname);
        int lost = Math.max(-0x80_0000, Math.min(0x7F_FFFF, cumulativeLost));
        header(out, 1, RR, HEADER_SIZE + 4 + REPORT_BLOCK_SIZE);
        out.writeInt((int) ssrc);
        out.writeInt((int) sourceSsrc);
        out.writeInt((fractionLost << 24) | (lost & 0xFF_FFFF));
        out.writeInt((int) extendedHighestSequence);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSenderReport);
        out.writeInt((int) delaySinceLastSenderReport);
        writeSdes(out, ssrc, cname, cnameLength);
    }

    /**
     * Writes a BYE for one source, with no reason (RFC 3550, 6.6). It belongs at the end of a
     * compound packet, after the report and SDES that {@link #writeSenderReport} or
     * {@link #writeReceiverReport} wrote into the same buffer.
     *
     * @param out where to write its 8 bytes
     * @param ssrc the source leaving; its low 32 bits are written
     */
    public static void writeBye(ByteBuf out, long ssrc) {
        header(out, 1, BYE, HEADER_SIZE + 4);
        out.writeInt((int) ssrc);
    }

    /**
     * Converts wall-clock time to a 64-bit NTP timestamp. Times from 2036-02-07 on wrap into NTP
     * era 1, as NTP's do; {@link #epochMicros} reads them back until 2104.
     *
     * @param epochMillis milliseconds since the Unix epoch (1970-01-01T00:00:00Z); from 1968 to 2104
     *     to be read back
     * @return seconds since 1900 (modulo 2^32) in the high 32 bits, the fraction of a second in
     *     units of 2^-32 s, rounded to the nearest, in the low 32 bits
     */
    public static long ntpTime(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000) + NTP_TO_UNIX_SECONDS;
        long fraction = ((Math.floorMod(epochMillis, 1000L) << 32) + 500) / 1000;
        return (seconds << 32) + fraction;
    }

    /**
     * Converts a 64-bit NTP timestamp to wall-clock time. The era is taken from the top bit of the
     * seconds (RFC 4330, 3): set, 1968 to 2036; clear, 2036 to 2104.
     *
     * @param ntpTime seconds since 1900 in the high 32 bits, the fraction in the low 32 bits
     * @return microseconds since the Unix epoch, rounded to the nearest
     */
    public static long epochMicros(long ntpTime) {
        long seconds = ntpTime >>> 32;
        if (seconds < ERA_SECONDS >>> 1) {
            seconds += ERA_SECONDS;
        }
        long fraction = ntpTime & 0xFFFF_FFFFL;
        return (seconds - NTP_TO_UNIX_SECONDS) * 1_000_000 + ((fraction * 1_000_000 + (1L << 31)) >>> 32);
    }

    /** Writes the common header of a packet of a length in bytes, a multiple of 4. */
    private static void header(ByteBuf out, int count, int type, int length) {
        out.writeByte(VERSION << 6 | count);
        out.writeByte(type);
        out.writeShort(length / 4 - 1);
    }

    /** Writes an SDES of one chunk with one CNAME item, its item list ended and padded by 1 to 4 null octets. */
    private static void writeSdes(ByteBuf out, long ssrc, String cname, int cnameLength) {
        int chunk = 4 + 2 + cnameLength;
        int nulls = 4 - chunk % 4;
        header(out, 1, SDES, HEADER_SIZE + chunk + nulls);
        out.writeInt((int) ssrc);
        out.writeByte(CNAME);
        out.writeByte(cnameLength);
        out.writeCharSequence(cname, StandardCharsets.UTF_8);
        out.writeZero(nulls);
    }

    private static int cnameLength(String cname) {
        int length = ByteBufUtil.utf8Bytes(cname);
        if (length < 1 || length > MAX_CNAME_LENGTH) {
            throw new IllegalArgumentException("a CNAME of " + length + " bytes in UTF-8; 1 to " + MAX_CNAME_LENGTH
                    + " are allowed");
        }
        return length;
    }
}
