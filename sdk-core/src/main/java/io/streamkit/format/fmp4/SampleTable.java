package io.streamkit.format.fmp4;

import static io.streamkit.format.fmp4.Mp4Boxes.beginFull;
import static io.streamkit.format.fmp4.Mp4Boxes.end;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * What a progressive file's sample table needs of the samples written: decode times, sizes,
 * sync flags and composition offsets, and the chunks (each track's run of samples in a
 * fragment) with their offsets in the media. About 20 bytes a sample: an hour of 30 fps
 * video and 48 kHz AAC is about 280,000 samples, 5.5 MB.
 */
final class SampleTable {
    long[] dts = new long[64];
    int[] size = new int[64];
    int[] cts = new int[64];
    boolean[] sync = new boolean[64];
    int count;
    long[] chunkOffset = new long[16];
    int[] chunkSamples = new int[16];
    int chunks;

    void add(long at, int bytes, boolean isSync, int offset) {
        if (count == dts.length) {
            int n = count * 2;
            dts = Arrays.copyOf(dts, n);
            size = Arrays.copyOf(size, n);
            cts = Arrays.copyOf(cts, n);
            sync = Arrays.copyOf(sync, n);
        }
        dts[count] = at;
        size[count] = bytes;
        sync[count] = isSync;
        cts[count] = offset;
        count++;
    }

    void chunk(long offset, int samples) {
        if (chunks == chunkOffset.length) {
            chunkOffset = Arrays.copyOf(chunkOffset, chunks * 2);
            chunkSamples = Arrays.copyOf(chunkSamples, chunks * 2);
        }
        chunkOffset[chunks] = offset;
        chunkSamples[chunks] = samples;
        chunks++;
    }

    long durationOf(int i, long last) {
        return i + 1 < count ? Math.max(0, dts[i + 1] - dts[i]) : last;
    }

    /** From the first sample's decode time to the end of the last sample. */
    long duration(long last) {
        return count == 0 ? 0 : dts[count - 1] - dts[0] + last;
    }

    /** stts, ctts (video with offsets), stss (when not every sample is sync), stsc, stsz, stco or co64 (14496-12 8.6, 8.7). */
    void writeTo(ByteBuf out, boolean video, long last, long base, boolean co64) {
        int stts = beginFull(out, "stts", 0, 0);
        int entries = out.writerIndex();
        out.writeInt(0);
        int n = 0;
        for (int i = 0; i < count; ) {
            long d = durationOf(i, last);
            int run = 1;
            while (i + run < count && durationOf(i + run, last) == d) {
                run++;
            }
            out.writeInt(run).writeInt((int) Math.min(d, 0xFFFF_FFFFL));
            n++;
            i += run;
        }
        out.setInt(entries, n);
        end(out, stts);

        boolean offsets = false;
        boolean negative = false;
        boolean allSync = true;
        for (int i = 0; i < count; i++) {
            offsets |= cts[i] != 0;
            negative |= cts[i] < 0;
            allSync &= sync[i];
        }
        if (video && offsets) {
            int ctts = beginFull(out, "ctts", negative ? 1 : 0, 0);
            entries = out.writerIndex();
            out.writeInt(0);
            n = 0;
            for (int i = 0; i < count; ) {
                int run = 1;
                while (i + run < count && cts[i + run] == cts[i]) {
                    run++;
                }
                out.writeInt(run).writeInt(cts[i]);
                n++;
                i += run;
            }
            out.setInt(entries, n);
            end(out, ctts);
        }
        if (!allSync) {
            int stss = beginFull(out, "stss", 0, 0);
            entries = out.writerIndex();
            out.writeInt(0);
            n = 0;
            for (int i = 0; i < count; i++) {
                if (sync[i]) {
                    out.writeInt(i + 1);
                    n++;
                }
            }
            out.setInt(entries, n);
            end(out, stss);
        }
        int stsc = beginFull(out, "stsc", 0, 0);
        entries = out.writerIndex();
        out.writeInt(0);
        n = 0;
        for (int c = 0; c < chunks; c++) {
            if (c == 0 || chunkSamples[c] != chunkSamples[c - 1]) {
                out.writeInt(c + 1).writeInt(chunkSamples[c]).writeInt(1);
                n++;
            }
        }
        out.setInt(entries, n);
        end(out, stsc);
        int stsz = beginFull(out, "stsz", 0, 0);
        out.writeInt(0).writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeInt(size[i]);
        }
        end(out, stsz);
        int stco = beginFull(out, co64 ? "co64" : "stco", 0, 0);
        out.writeInt(chunks);
        for (int c = 0; c < chunks; c++) {
            if (co64) {
                out.writeLong(base + chunkOffset[c]);
            } else {
                out.writeInt((int) (base + chunkOffset[c]));
            }
        }
        end(out, stco);
    }
}
