package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back a fragmented MP4 that {@link Fmp4Writer} wrote, up to its last whole fragment, so
 * that a recording a crash left behind can be finalised at the next start: the writer returned
 * describes the file's tracks and samples, and its {@link Fmp4Writer#writeProgressiveHead} and
 * {@link Fmp4Writer#mediaRanges()} make the progressive file as at a clean close.
 *
 * <p>Only this package's layout is read: one sample entry per track, {@code tfhd} with
 * default-base-is-moof, {@code tfdt} version 1, {@code trun} version 1 with data offset,
 * duration, size and flags per sample (and composition offsets for video). A file is untrusted
 * input (a disk fills, a process dies mid-write, a file is replaced): every size is checked
 * against the bytes present before it is used, and reading stops at the first box that does not
 * fit, a fragment without its whole {@code mdat}, or one whose samples do not fit in it.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>limit</th><th>why</th></tr>
 *   <tr><td>tracks</td><td>{@value #MAX_TRACKS}</td><td>a stream has a handful; more is not a file of ours</td></tr>
 *   <tr><td>box nesting</td><td>the layout's own depth</td><td>boxes are looked up on known paths, never recursed into blindly</td></tr>
 * </table>
 */
public final class Fmp4Recovery {
    /** Most tracks read from a file. */
    public static final int MAX_TRACKS = 64;

    private Fmp4Recovery() {
    }

    /**
     * Reads a fragmented file's init segment and whole fragments.
     *
     * @param file the file's bytes, read from its reader index to its writer index; not consumed
     * @return a writer holding the file's tracks and samples, which finalises and writes no
     *     more fragments; {@link Fmp4Writer#writtenBytes()} is where the whole fragments end
     * @throws MediaFormatException when the file has no whole init segment of this layout
     */
    public static Fmp4Writer recover(ByteBuf file) {
        int base = file.readerIndex();
        int end = file.writerIndex();
        Mp4Box ftyp = Mp4Box.at(file, base, end);
        if (ftyp == null || !ftyp.is(file, "ftyp")) {
            throw new MediaFormatException("not a fragmented MP4 of ours: no ftyp at the start");
        }
        Mp4Box moov = Mp4Box.at(file, ftyp.end(), end);
        if (moov == null || !moov.is(file, "moov")) {
            throw new MediaFormatException("no whole moov after the ftyp");
        }
        List<Track> tracks = new ArrayList<>();
        List<Integer> timescales = new ArrayList<>();
        for (Mp4Box trak : moov.children(file, 0)) {
            if (!trak.is(file, "trak")) {
                continue;
            }
            if (tracks.size() == MAX_TRACKS) {
                throw new MediaFormatException("more than " + MAX_TRACKS + " tracks");
            }
            Mp4Box mdia = trak.child(file, 0, "mdia");
            Mp4Box mdhd = mdia.child(file, 0, "mdhd");
            mdhd.need(24);
            int timescale = file.getInt(mdhd.body() + 12);     // version 0: creation, modification, timescale
            Mp4Box stsd = mdia.child(file, 0, "minf").child(file, 0, "stbl").child(file, 0, "stsd");
            List<Mp4Box> entries = stsd.children(file, 8);
            if (entries.isEmpty()) {
                throw new MediaFormatException("a track without a sample entry");
            }
            tracks.add(new FileTrack(tracks.size() + 1, SampleEntries.format(file, entries.get(0))));
            timescales.add(timescale);
        }
        if (tracks.isEmpty()) {
            throw new MediaFormatException("a moov without tracks");
        }
        Fmp4Writer writer = new Fmp4Writer(tracks);
        for (int i = 0; i < tracks.size(); i++) {
            if (writer.timescale(i) != timescales.get(i)) {
                throw new MediaFormatException("track " + (i + 1) + " counts " + timescales.get(i)
                        + " ticks a second, not " + writer.timescale(i) + ": not written by Fmp4Writer");
            }
        }
        writer.restoreInit(moov.end() - base);
        for (int at = moov.end(); ; ) {
            Mp4Box moof = Mp4Box.at(file, at, end);
            if (moof == null || !moof.is(file, "moof")) {
                break;
            }
            Mp4Box mdat = Mp4Box.at(file, moof.end(), end);
            if (mdat == null || !mdat.is(file, "mdat") || !fragment(file, writer, tracks.size(), moof, mdat)) {
                break;
            }
            writer.restoreFragment(mdat.body() - base, mdat.end() - mdat.body(), mdat.end() - base);
            at = mdat.end();
        }
        return writer;
    }

    /** Reads one fragment's samples into the writer; false when they do not fit, and then nothing was added. */
    private static boolean fragment(ByteBuf file, Fmp4Writer writer, int trackCount, Mp4Box moof, Mp4Box mdat) {
        record Run(int index, long tfdt, int count, int dataOffset, int entry, int first, boolean video) {
        }
        List<Run> runs = new ArrayList<>();
        for (Mp4Box traf : moof.children(file, 0)) {
            if (!traf.is(file, "traf")) {
                continue;
            }
            Mp4Box tfhd = traf.find(file, "tfhd");
            Mp4Box tfdt = traf.find(file, "tfdt");
            Mp4Box trun = traf.find(file, "trun");
            if (tfhd == null || tfdt == null || trun == null || tfhd.size() < 8 || tfdt.size() < 12 || trun.size() < 12) {
                return false;
            }
            int trackId = file.getInt(tfhd.body() + 4);
            if (trackId < 1 || trackId > trackCount) {
                return false;
            }
            int flags = file.getInt(trun.body()) & 0xFF_FFFF;
            boolean video = (flags & 0x800) != 0;
            int entry = video ? 16 : 12;
            if ((flags & 0x701) != 0x701) {
                return false;                                 // not the layout we write
            }
            long count = file.getInt(trun.body() + 4) & 0xFFFF_FFFFL;
            if (count * entry > trun.size() - 12) {
                return false;
            }
            runs.add(new Run(trackId - 1, file.getLong(tfdt.body() + 4), (int) count, file.getInt(trun.body() + 8),
                    entry, trun.body() + 12, video));
        }
        long mdatPayload = mdat.end() - mdat.body();
        long moofToPayload = mdat.body() - moof.start();
        for (Run run : runs) {
            long bytes = 0;
            for (int s = 0; s < run.count; s++) {
                bytes += file.getInt(run.first + s * run.entry + 4) & 0xFFFF_FFFFL;
            }
            long from = run.dataOffset - moofToPayload;
            if (run.dataOffset < moofToPayload || from + bytes > mdatPayload) {
                return false;
            }
        }
        for (Run run : runs) {
            long dts = run.tfdt;
            writer.restoreChunk(run.index, writer.mediaBytes() + run.dataOffset - moofToPayload, run.count);
            for (int s = 0; s < run.count; s++) {
                int at = run.first + s * run.entry;
                long duration = file.getInt(at) & 0xFFFF_FFFFL;
                int size = file.getInt(at + 4);
                boolean sync = (file.getInt(at + 8) & 0x0001_0000) == 0;
                int cts = run.video ? file.getInt(at + 12) : 0;
                writer.restoreSample(run.index, dts, size, sync, cts, duration);
                dts += duration;
            }
        }
        return true;
    }
}
