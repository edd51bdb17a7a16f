package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the sample tables of a progressive MP4's {@code moov} (ISO/IEC 14496-12 8.6, 8.7): for
 * each track its format and, for each sample, where its bytes are in the file, its size, its
 * decode time, composition offset and whether it is a sync sample. Made for the files
 * {@link Fmp4Writer#writeProgressiveHead} describes (recordings stitched into one file), with the
 * sample entries that writer writes; it reads any file whose tables use the same boxes.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>limit</th><th>why</th></tr>
 *   <tr><td>tracks</td><td>{@value #MAX_TRACKS}</td><td>as {@link Fmp4Recovery}</td></tr>
 *   <tr><td>samples of a track</td><td>{@value #MAX_SAMPLES}, and four bytes of {@code stsz} each</td>
 *       <td>memory follows the bytes read: 25 bytes a sample kept, a day of 48 kHz AAC is 4 million</td></tr>
 * </table>
 *
 * <p>Every box size, entry count and offset is checked against the bytes given; a table that
 * does not fit is refused with a {@link MediaFormatException}, never read past. Decode times
 * include the empty edit at the start of a track's edit list (a track that starts after the
 * file's first frame), so every track is on the movie's timeline.
 */
public final class Mp4Reader {
    /** Most tracks read. */
    public static final int MAX_TRACKS = Fmp4Recovery.MAX_TRACKS;
    /** Most samples of one track: 2^22, over 24 hours of 48 kHz AAC frames. */
    public static final int MAX_SAMPLES = 1 << 22;

    private final List<Track> tracks;
    private final List<Table> tables;

    private Mp4Reader(List<Track> tracks, List<Table> tables) {
        this.tracks = tracks;
        this.tables = tables;
    }

    /**
     * Reads a {@code moov} box.
     *
     * @param moov the box, header included, from its reader index to its writer index; not consumed
     * @return the tracks and their samples
     * @throws MediaFormatException when it is no whole {@code moov}, has no track, more than
     *     {@value #MAX_TRACKS}, a sample entry {@link Fmp4Writer} does not write, or tables that
     *     do not fit their boxes or each other
     */
    public static Mp4Reader read(ByteBuf moov) {
        int end = moov.writerIndex();
        Mp4Box box = Mp4Box.at(moov, moov.readerIndex(), end);
        if (box == null || !box.is(moov, "moov")) {
            throw new MediaFormatException("no whole moov box");
        }
        Mp4Box mvhd = box.child(moov, 0, "mvhd");
        mvhd.need(24);
        boolean v1 = moov.getUnsignedByte(mvhd.body()) == 1;
        if (v1) {
            mvhd.need(32);
        }
        long movieScale = moov.getUnsignedInt(mvhd.body() + (v1 ? 20 : 12));
        if (movieScale == 0) {
            throw new MediaFormatException("mvhd timescale 0");
        }
        List<Track> tracks = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        for (Mp4Box trak : box.children(moov, 0)) {
            if (!trak.is(moov, "trak")) {
                continue;
            }
            if (tracks.size() == MAX_TRACKS) {
                throw new MediaFormatException("more than " + MAX_TRACKS + " tracks");
            }
            Mp4Box mdia = trak.child(moov, 0, "mdia");
            Mp4Box mdhd = mdia.child(moov, 0, "mdhd");
            mdhd.need(24);
            boolean mv1 = moov.getUnsignedByte(mdhd.body()) == 1;
            if (mv1) {
                mdhd.need(36);
            }
            long timescale = moov.getUnsignedInt(mdhd.body() + (mv1 ? 20 : 12));
            if (timescale == 0 || timescale > Integer.MAX_VALUE) {
                throw new MediaFormatException("mdhd timescale " + timescale);
            }
            Mp4Box stbl = mdia.child(moov, 0, "minf").child(moov, 0, "stbl");
            List<Mp4Box> entries = stbl.child(moov, 0, "stsd").children(moov, 8);
            if (entries.isEmpty()) {
                throw new MediaFormatException("a track without a sample entry");
            }
            Track track = new FileTrack(tracks.size() + 1, SampleEntries.format(moov, entries.get(0)));
            long delay = delay(moov, trak, movieScale, timescale);
            tables.add(Table.read(moov, stbl, (int) timescale, delay, track.type() == MediaType.VIDEO));
            tracks.add(track);
        }
        if (tracks.isEmpty()) {
            throw new MediaFormatException("a moov without tracks");
        }
        return new Mp4Reader(List.copyOf(tracks), List.copyOf(tables));
    }

    /** The empty edit at the start of a track's edit list, in the track's ticks; 0 without one. */
    private static long delay(ByteBuf file, Mp4Box trak, long movieScale, long timescale) {
        Mp4Box edts = trak.find(file, "edts");
        if (edts == null) {
            return 0;
        }
        Mp4Box elst = edts.find(file, "elst");
        if (elst == null || elst.size() < 8) {
            return 0;
        }
        boolean v1 = file.getUnsignedByte(elst.body()) == 1;
        long count = file.getUnsignedInt(elst.body() + 4);
        int entry = v1 ? 20 : 12;
        if (count == 0 || elst.size() - 8 < entry) {
            return 0;
        }
        int at = elst.body() + 8;
        long duration = v1 ? file.getLong(at) : file.getUnsignedInt(at);
        long mediaTime = v1 ? file.getLong(at + 8) : file.getInt(at + 4);
        if (mediaTime != -1 || duration < 0 || duration > Integer.MAX_VALUE * movieScale) {
            return 0;
        }
        return duration * timescale / movieScale;
    }

    /**
     * Returns the tracks, in file order, with ids 1, 2, ...
     *
     * @return the tracks
     */
    public List<Track> tracks() {
        return tracks;
    }

    /**
     * Returns a track's timescale: ticks per second of its times.
     *
     * @param track the track's index
     * @return the timescale
     */
    public int timescale(int track) {
        return tables.get(track).timescale;
    }

    /**
     * Returns how many samples a track has.
     *
     * @param track the track's index
     * @return the count
     */
    public int samples(int track) {
        return tables.get(track).count;
    }

    /**
     * Returns where a sample's bytes start in the file.
     *
     * @param track the track's index
     * @param sample the sample's index
     * @return the file offset
     */
    public long offset(int track, int sample) {
        return tables.get(track).offset[sample];
    }

    /**
     * Returns a sample's size.
     *
     * @param track the track's index
     * @param sample the sample's index
     * @return bytes
     */
    public int size(int track, int sample) {
        return tables.get(track).size[sample];
    }

    /**
     * Returns a sample's decode time on the movie's timeline.
     *
     * @param track the track's index
     * @param sample the sample's index
     * @return ticks of the track's timescale
     */
    public long dts(int track, int sample) {
        return tables.get(track).dts[sample];
    }

    /**
     * Returns a sample's composition offset.
     *
     * @param track the track's index
     * @param sample the sample's index
     * @return ticks; the sample is shown at its decode time plus this
     */
    public int compositionOffset(int track, int sample) {
        return tables.get(track).cts[sample];
    }

    /**
     * Tells whether a sample is a sync sample (a keyframe).
     *
     * @param track the track's index
     * @param sample the sample's index
     * @return whether decoding can start there
     */
    public boolean sync(int track, int sample) {
        return tables.get(track).sync[sample];
    }

    /** One track's samples, expanded from its tables. */
    private static final class Table {
        final int timescale;
        final int count;
        final long[] offset;
        final int[] size;
        final long[] dts;
        final int[] cts;
        final boolean[] sync;

        private Table(int timescale, int count) {
            this.timescale = timescale;
            this.count = count;
            this.offset = new long[count];
            this.size = new int[count];
            this.dts = new long[count];
            this.cts = new int[count];
            this.sync = new boolean[count];
        }

        static Table read(ByteBuf f, Mp4Box stbl, int timescale, long delay, boolean video) {
            Mp4Box stsz = stbl.child(f, 0, "stsz");
            stsz.need(12);
            long constant = f.getUnsignedInt(stsz.body() + 4);
            long count = f.getUnsignedInt(stsz.body() + 8);
            if (count > MAX_SAMPLES || constant == 0 && count * 4 > stsz.size() - 12) {
                throw new MediaFormatException("stsz of " + count + " samples in " + stsz.size() + " bytes (most "
                        + MAX_SAMPLES + ")");
            }
            if (constant > Integer.MAX_VALUE) {
                throw new MediaFormatException("stsz sample size " + constant);
            }
            Table t = new Table(timescale, (int) count);
            for (int i = 0; i < t.count; i++) {
                long s = constant != 0 ? constant : f.getUnsignedInt(stsz.body() + 12 + 4 * i);
                if (s > Integer.MAX_VALUE) {
                    throw new MediaFormatException("sample " + i + " of " + s + " bytes");
                }
                t.size[i] = (int) s;
            }
            // stts: decode times, run by run
            Mp4Box stts = stbl.child(f, 0, "stts");
            long runs = entries(f, stts, 8);
            long at = delay;
            int s = 0;
            for (int r = 0; r < runs && s < t.count; r++) {
                long n = f.getUnsignedInt(stts.body() + 8 + 8 * r);
                long delta = f.getUnsignedInt(stts.body() + 12 + 8 * r);
                for (long k = 0; k < n && s < t.count; k++) {
                    t.dts[s++] = at;
                    at += delta;
                }
            }
            if (s < t.count) {
                throw new MediaFormatException("stts times " + s + " of " + t.count + " samples");
            }
            Mp4Box ctts = stbl.find(f, "ctts");
            if (ctts != null && video) {
                long cruns = entries(f, ctts, 8);
                s = 0;
                for (int r = 0; r < cruns && s < t.count; r++) {
                    long n = f.getUnsignedInt(ctts.body() + 8 + 8 * r);
                    int offset = f.getInt(ctts.body() + 12 + 8 * r);
                    for (long k = 0; k < n && s < t.count; k++) {
                        t.cts[s++] = offset;
                    }
                }
            }
            Mp4Box stss = stbl.find(f, "stss");
            if (stss == null) {
                java.util.Arrays.fill(t.sync, true);
            } else {
                long syncs = entries(f, stss, 4);
                for (int i = 0; i < syncs; i++) {
                    long number = f.getUnsignedInt(stss.body() + 8 + 4 * i);
                    if (number >= 1 && number <= t.count) {
                        t.sync[(int) number - 1] = true;
                    }
                }
            }
            offsets(f, stbl, t);
            return t;
        }

        /** Sample offsets from the chunks' offsets (stco or co64) and the samples per chunk (stsc). */
        private static void offsets(ByteBuf f, Mp4Box stbl, Table t) {
            Mp4Box stsc = stbl.child(f, 0, "stsc");
            long rules = entries(f, stsc, 12);
            Mp4Box co = stbl.find(f, "stco");
            boolean large = co == null;
            if (large) {
                co = stbl.child(f, 0, "co64");
            }
            long chunks = entries(f, co, large ? 8 : 4);
            int s = 0;
            for (int r = 0; r < rules && s < t.count; r++) {
                long first = f.getUnsignedInt(stsc.body() + 8 + 12 * r);
                long perChunk = f.getUnsignedInt(stsc.body() + 12 + 12 * r);
                long next = r + 1 < rules ? f.getUnsignedInt(stsc.body() + 8 + 12 * (r + 1)) : chunks + 1;
                if (first < 1 || next <= first || next > chunks + 1 || perChunk == 0) {
                    throw new MediaFormatException("stsc entry " + r + " (chunks " + first + " to " + next + ", "
                            + perChunk + " samples) does not fit " + chunks + " chunks");
                }
                for (long c = first; c < next && s < t.count; c++) {
                    int i = (int) c - 1;
                    long offset = large ? f.getLong(co.body() + 8 + 8 * i) : f.getUnsignedInt(co.body() + 8 + 4 * i);
                    if (offset < 0) {
                        throw new MediaFormatException("chunk " + c + " at offset " + offset);
                    }
                    for (long k = 0; k < perChunk && s < t.count; k++) {
                        t.offset[s] = offset;
                        offset += t.size[s];
                        s++;
                    }
                }
            }
            if (s < t.count) {
                throw new MediaFormatException("chunks place " + s + " of " + t.count + " samples");
            }
        }

        /** A full box's entry count, checked against the entries' bytes. */
        private static long entries(ByteBuf f, Mp4Box box, int entry) {
            box.need(8);
            long n = f.getUnsignedInt(box.body() + 4);
            if (n * entry > box.size() - 8) {
                throw new MediaFormatException(box.type(f) + " of " + n + " entries in " + box.size() + " bytes");
            }
            return n;
        }
    }
}
