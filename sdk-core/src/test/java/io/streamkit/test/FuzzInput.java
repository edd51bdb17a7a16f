package io.streamkit.test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How fuzz targets turn Jazzer's input into what a peer sends: the bytes cut into the pieces
 * that reads from a socket might deliver.
 *
 * <p>The cut sizes come from the input's last bytes (Jazzer's {@link FuzzedDataProvider} takes
 * numbers from the end), the bytes to cut from all the rest. A seed file made of a peer's bytes
 * followed by one {@code 0x00} is read as those bytes in one piece.
 */
public final class FuzzInput {
    /** Most pieces one input is cut into: enough to split every header of a short stream. */
    public static final int MAX_PIECES = 16;

    private FuzzInput() {
    }

    /**
     * Cuts the rest of the input into pieces.
     *
     * @param data the fuzzer's input; everything left in it is consumed
     * @return one to {@value #MAX_PIECES} pieces, empty ones included, that join to the rest of the input
     */
    public static List<byte[]> pieces(FuzzedDataProvider data) {
        int cuts = data.consumeInt(0, MAX_PIECES - 1);
        int[] sizes = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            sizes[i] = data.consumeInt(0, 4096);
        }
        byte[] bytes = data.consumeRemainingAsBytes();
        List<byte[]> out = new ArrayList<>(cuts + 1);
        int at = 0;
        for (int size : sizes) {
            int end = Math.min(bytes.length, at + size);
            out.add(Arrays.copyOfRange(bytes, at, end));
            at = end;
        }
        out.add(Arrays.copyOfRange(bytes, at, bytes.length));
        return out;
    }
}
