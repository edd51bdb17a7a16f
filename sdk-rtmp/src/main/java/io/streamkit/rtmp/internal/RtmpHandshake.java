package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bytes of the RTMP handshake, both forms (RTMP spec 5.2; the digest form as the Flash
 * Player and Flash Media Server do it, which ffmpeg, librtmp and many hardware encoders speak).
 *
 * <p>Simple form: S1 is random and S2 echoes C1. Digest form: C1 carries an HMAC-SHA256 of
 * itself keyed with the player key, at an offset given by one of two layouts; the server
 * answers with S1 carrying its own digest and S2 whose last 32 bytes prove it read the
 * client's digest. A C1 whose digest checks in neither layout gets the simple answer.
 * Pure functions over byte arrays: no connection state.
 */
final class RtmpHandshake {
    /** C1, S1, C2 and S2 are all this long. */
    static final int PACKET_SIZE = 1536;
    /** The only plain-RTMP version; 6 and 8 are the encrypted RTMPE variants, not supported. */
    static final int VERSION = 3;

    private static final int DIGEST_SIZE = 32;
    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };
    /** "Genuine Adobe Flash Player 001": the client's key for C1's digest. */
    static final byte[] PLAYER_KEY = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    /** "Genuine Adobe Flash Media Server 001": the server's key for S1's digest. */
    static final byte[] SERVER_KEY = "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY_FULL = concat(SERVER_KEY, KEY_TAIL);
    /** The version S1 claims in the digest form, as Flash Media Server 3.5 did. */
    private static final int SERVER_VERSION = 0x03050101;

    private static final byte[] PLAYER_KEY_FULL = concat(PLAYER_KEY, KEY_TAIL);
    /** The version C1 claims in the digest form: Flash Player 9.0.124.2, as ffmpeg and librtmp send. */
    private static final int CLIENT_VERSION = 0x09007C02;

    private RtmpHandshake() {
    }

    /**
     * Builds a client's C1 in the digest form: time, a Flash Player version, random bytes and an
     * HMAC-SHA256 under the player's key in the digest-block-first layout, as ffmpeg sends it.
     * Servers that refuse the simple form (a zero version) accept it; the others answer either way.
     *
     * @return the 1536-byte C1
     */
    static byte[] clientC1() {
        byte[] c1 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(c1);
        writeInt(c1, 0, (int) (System.currentTimeMillis() & 0x7FFFFFFF));
        writeInt(c1, 4, CLIENT_VERSION);
        int offset = digestOffset(c1, 1);
        System.arraycopy(hmac(PLAYER_KEY, c1, offset), 0, c1, offset, DIGEST_SIZE);
        return c1;
    }

    /**
     * Builds a client's C2 in answer to S1: when S1 carries a digest under the server's key (in
     * either layout), random bytes whose last 32 are an HMAC keyed by that digest, the proof a
     * digest-checking server expects; otherwise the echo of S1, the simple form.
     *
     * @param s1 the server's 1536-byte S1
     * @return the 1536-byte C2
     */
    static byte[] clientC2(byte[] s1) {
        for (int layout = 0; layout <= 1; layout++) {
            int offset = digestOffset(s1, layout);
            if (Arrays.equals(hmac(SERVER_KEY, s1, offset), 0, DIGEST_SIZE, s1, offset, offset + DIGEST_SIZE)) {
                byte[] key = hmac(PLAYER_KEY_FULL, s1, offset, DIGEST_SIZE);
                byte[] c2 = new byte[PACKET_SIZE];
                ThreadLocalRandom.current().nextBytes(c2);
                byte[] digest = hmac(key, c2, 0, PACKET_SIZE - DIGEST_SIZE);
                System.arraycopy(digest, 0, c2, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);
                return c2;
            }
        }
        return s1.clone();
    }

    /**
     * Checks a server's S2 against the client's C1 in the digest form: whether its last 32 bytes
     * are the HMAC keyed by C1's digest under the server's full key.
     *
     * @param c1 the C1 sent, from {@link #clientC1()}
     * @param s2 the server's S2
     * @return whether S2 proves the server read C1's digest
     */
    static boolean serverProved(byte[] c1, byte[] s2) {
        int offset = digestOffset(c1, 1);
        byte[] key = hmac(SERVER_KEY_FULL, c1, offset, DIGEST_SIZE);
        byte[] expected = hmac(key, s2, 0, PACKET_SIZE - DIGEST_SIZE);
        return Arrays.equals(expected, 0, DIGEST_SIZE, s2, PACKET_SIZE - DIGEST_SIZE, PACKET_SIZE);
    }

    /**
     * Builds S0, S1 and S2 in answer to C1.
     *
     * @param c1 the client's 1536-byte C1
     * @param out receives 1 + 2 x 1536 bytes
     * @return whether the digest form was used
     */
    static boolean answer(byte[] c1, ByteBuf out) {
        int layout = digestLayout(c1);
        byte[] s1 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s1);
        int now = (int) (System.currentTimeMillis() & 0x7FFFFFFF);
        writeInt(s1, 0, now);
        out.writeByte(VERSION);
        if (layout < 0) {
            writeInt(s1, 4, 0);
            out.writeBytes(s1);
            out.writeBytes(c1);   // S2 echoes C1
            return false;
        }
        writeInt(s1, 4, SERVER_VERSION);
        int s1Offset = digestOffset(s1, layout);
        byte[] s1Digest = hmac(SERVER_KEY, s1, s1Offset);
        System.arraycopy(s1Digest, 0, s1, s1Offset, DIGEST_SIZE);
        out.writeBytes(s1);

        byte[] clientDigest = Arrays.copyOfRange(c1, digestOffset(c1, layout), digestOffset(c1, layout) + DIGEST_SIZE);
        byte[] s2 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s2);
        byte[] key = hmac(SERVER_KEY_FULL, clientDigest, 0, clientDigest.length);
        byte[] s2Digest = hmac(key, s2, 0, PACKET_SIZE - DIGEST_SIZE);
        System.arraycopy(s2Digest, 0, s2, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);
        out.writeBytes(s2);
        return true;
    }

    /**
     * Finds which layout C1's digest is in.
     *
     * @param c1 the client's C1
     * @return 0 (digest block second) or 1 (digest block first), or -1 when neither checks out
     */
    static int digestLayout(byte[] c1) {
        if (readInt(c1, 4) == 0) {
            return -1;   // version zero: a simple-handshake client
        }
        for (int layout = 0; layout <= 1; layout++) {
            int offset = digestOffset(c1, layout);
            byte[] expected = hmac(PLAYER_KEY, c1, offset);
            if (Arrays.equals(expected, 0, DIGEST_SIZE, c1, offset, offset + DIGEST_SIZE)) {
                return layout;
            }
        }
        return -1;
    }

    /**
     * Where the digest sits in a C1 or S1 of the given layout: four bytes at the start of the
     * digest block, summed, modulo 728, past those four bytes.
     */
    static int digestOffset(byte[] packet, int layout) {
        int base = layout == 1 ? 8 : 772;
        int sum = (packet[base] & 0xff) + (packet[base + 1] & 0xff) + (packet[base + 2] & 0xff) + (packet[base + 3] & 0xff);
        return base + 4 + sum % 728;
    }

    /** HMAC-SHA256 of the packet without the 32 digest bytes at {@code digestOffset}. */
    static byte[] hmac(byte[] key, byte[] packet, int digestOffset) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(packet, 0, digestOffset);
            mac.update(packet, digestOffset + DIGEST_SIZE, packet.length - digestOffset - DIGEST_SIZE);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data, int from, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, from, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
