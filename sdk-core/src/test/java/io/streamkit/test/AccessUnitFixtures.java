package io.streamkit.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The access unit fixtures of {@code src/test/resources/codec/make-access-units.sh}, Annex B
 * elementary streams with an access unit delimiter before each access unit, in the
 * canonical length-prefixed form the engine carries. Here rather than in
 * {@code io.streamkit.codec}'s test helpers so the protocols' tests can use them too (a
 * package of the core module is not visible from another test jar).
 */
public final class AccessUnitFixtures {
    private AccessUnitFixtures() {
    }

    /**
     * Reads a fixture under {@code /codec/}.
     *
     * @param name its file name
     * @return its bytes
     */
    public static byte[] read(String name) {
        try (InputStream in = AccessUnitFixtures.class.getResourceAsStream("/codec/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /codec/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits an Annex B fixture into access units at its access unit delimiters and writes
     * each in the length-prefixed form.
     *
     * @param name the fixture under {@code /codec/}
     * @param h265 whether NAL unit headers are H.265's (two bytes, AUD type 35) rather than H.264's (AUD type 9)
     * @param nalUnitLength the size of each length prefix, 1 to 4
     * @return the access units in decode order, each starting with its AUD
     */
    public static List<byte[]> accessUnits(String name, boolean h265, int nalUnitLength) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream au = null;
        for (byte[] unit : annexBUnits(read(name))) {
            if (nalType(unit, h265) == (h265 ? 35 : 9)) {
                if (au != null) {
                    out.add(au.toByteArray());
                }
                au = new ByteArrayOutputStream();
            }
            if (au == null) {
                throw new IllegalArgumentException(name + " does not start with an access unit delimiter");
            }
            if (nalUnitLength < 4 && unit.length >= 1L << 8 * nalUnitLength) {
                throw new IllegalArgumentException("a NAL unit of " + unit.length + " bytes does not fit a "
                        + nalUnitLength + "-byte length");
            }
            for (int shift = 8 * (nalUnitLength - 1); shift >= 0; shift -= 8) {
                au.write(unit.length >>> shift);
            }
            au.writeBytes(unit);
        }
        if (au != null) {
            out.add(au.toByteArray());
        }
        return out;
    }

    /**
     * Lists the NAL unit types of a length-prefixed access unit.
     *
     * @param accessUnit the access unit
     * @param h265 whether NAL unit headers are H.265's
     * @param nalUnitLength the size of each length prefix
     * @return the types in order, space-separated
     */
    public static String nalTypes(byte[] accessUnit, boolean h265, int nalUnitLength) {
        StringBuilder types = new StringBuilder();
        for (int i = 0; i + nalUnitLength <= accessUnit.length; ) {
            int length = 0;
            for (int k = 0; k < nalUnitLength; k++) {
                length = length << 8 | accessUnit[i++] & 0xff;
            }
            types.append(types.length() == 0 ? "" : " ").append(nalType(Arrays.copyOfRange(accessUnit, i, i + length), h265));
            i += length;
        }
        return types.toString();
    }

    private static int nalType(byte[] unit, boolean h265) {
        return h265 ? unit[0] >> 1 & 0x3f : unit[0] & 0x1f;
    }

    /** The NAL units of an Annex B stream, without their start codes and trailing zero bytes. */
    private static List<byte[]> annexBUnits(byte[] es) {
        List<Integer> starts = new ArrayList<>();   // index of the first byte after each start code
        for (int i = 0; i + 2 < es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
                starts.add(i + 3);
                i += 2;
            }
        }
        List<byte[]> units = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int from = starts.get(k);
            int to = k + 1 < starts.size() ? starts.get(k + 1) - 3 : es.length;
            while (to > from && es[to - 1] == 0) {
                to--;   // a 4-byte start code's leading zero, or trailing_zero_8bits
            }
            units.add(Arrays.copyOfRange(es, from, to));
        }
        return units;
    }
}
