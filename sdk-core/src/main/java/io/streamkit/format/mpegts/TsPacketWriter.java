package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * Cuts one PES packet, written piece by piece, into 188-byte transport packets
 * (ISO/IEC 13818-1 2.4.3.2), so the muxer never gathers a PES in a buffer of its own.
 *
 * <p>The caller announces the PES length first ({@link #begin}); each piece then goes
 * straight to {@code out}, a 4-byte packet header (and an adaptation field) in front of
 * every 184 bytes. The first packet carries payload_unit_start_indicator and, when asked,
 * the PCR and random_access_indicator; the last one is padded to 188 bytes with
 * adaptation-field stuffing, never with payload. One instance per muxer, reused per frame.
 */
final class TsPacketWriter {
    static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;
    private static final int HEADER_SIZE = 4;
    private static final int PAYLOAD_SIZE = PACKET_SIZE - HEADER_SIZE;
    /** adaptation_field_length, flags and the 6-byte PCR (2.4.3.4). */
    private static final int PCR_FIELD_SIZE = 8;

    private ByteBuf out;
    private int pid;
    private int continuity;
    private int remaining;
    private int room;
    private boolean first;
    private long pcrBase;
    private boolean randomAccess;

    /**
     * Starts a PES.
     *
     * @param out where the packets go
     * @param pid the elementary PID
     * @param continuity the PID's continuity counter before this PES
     * @param pesLength the exact number of bytes the pieces will add up to, at least 1
     * @param pcrBase the PCR base (90 kHz, 33 bits) for the first packet, or -1 for none
     * @param randomAccess whether the first packet sets random_access_indicator
     */
    void begin(ByteBuf out, int pid, int continuity, int pesLength, long pcrBase, boolean randomAccess) {
        this.out = out;
        this.pid = pid;
        this.continuity = continuity;
        this.remaining = pesLength;
        this.room = 0;
        this.first = true;
        this.pcrBase = pcrBase;
        this.randomAccess = randomAccess;
    }

    /**
     * Ends the PES.
     *
     * @return the PID's continuity counter after the last packet written
     * @throws IllegalStateException if the pieces did not add up to the announced length
     */
    int end() {
        if (remaining != 0 || room != 0) {
            throw new IllegalStateException("PES announced " + remaining + " more bytes than were written");
        }
        out = null;
        return continuity;
    }

    void write(ByteBuf src, int index, int length) {
        while (length > 0) {
            int n = open(length);
            out.writeBytes(src, index, n);
            index += n;
            length -= n;
        }
    }

    void write(byte[] src, int index, int length) {
        while (length > 0) {
            int n = open(length);
            out.writeBytes(src, index, n);
            index += n;
            length -= n;
        }
    }

    void writeStartCode() {
        // 00 00 00 01 as one int when it fits the packet, byte by byte across a boundary.
        if (room >= 4) {
            out.writeInt(1);
            room -= 4;
            remaining -= 4;
            return;
        }
        for (int i = 0; i < 3; i++) {
            open(1);
            out.writeByte(0);
        }
        open(1);
        out.writeByte(1);
    }

    /** Opens a packet when the current one is full; returns how many of {@code wanted} bytes fit now. */
    private int open(int wanted) {
        if (room == 0) {
            if (remaining <= 0) {
                throw new IllegalStateException("PES pieces exceed the announced length");
            }
            startPacket();
        }
        int n = Math.min(room, wanted);
        room -= n;
        remaining -= n;
        return n;
    }

    private void startPacket() {
        boolean pcr = first && pcrBase >= 0;
        boolean rai = first && randomAccess;
        int adaptation = pcr ? PCR_FIELD_SIZE : rai ? 2 : 0;
        if (remaining < PAYLOAD_SIZE - adaptation) {
            adaptation = PAYLOAD_SIZE - remaining;
        }
        continuity = continuity + 1 & 0xf;
        out.writeByte(SYNC_BYTE);
        out.writeShort((first ? 0x4000 : 0) | pid);
        out.writeByte((adaptation > 0 ? 0x30 : 0x10) | continuity);
        if (adaptation > 0) {
            out.writeByte(adaptation - 1);
            if (adaptation > 1) {
                out.writeByte((rai ? 0x40 : 0) | (pcr ? 0x10 : 0));
                int written = 2;
                if (pcr) {
                    writePcr(out, pcrBase);
                    written += 6;
                }
                out.writeBytes(STUFFING, 0, adaptation - written);
            }
        }
        room = PAYLOAD_SIZE - adaptation;
        first = false;
    }

    /** Writes a PCR: 33-bit base, 6 reserved bits, 9-bit extension 0 (2.4.3.5). */
    static void writePcr(ByteBuf out, long base) {
        out.writeInt((int) (base >>> 1));
        out.writeByte((int) (base & 1) << 7 | 0x7e);
        out.writeByte(0);
    }

    private static final byte[] STUFFING = filled(PACKET_SIZE);

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xff);
        return b;
    }
}
