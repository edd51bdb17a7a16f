package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import java.nio.charset.StandardCharsets;
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

    private static final StreamKey KEY = StreamKey.of("recovered", "mp4");

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
        Box ftyp = Box.at(file, base, end);
        if (ftyp == null || !ftyp.is(file, "ftyp")) {
            throw new MediaFormatException("not a fragmented MP4 of ours: no ftyp at the start");
        }
        Box moov = Box.at(file, ftyp.end, end);
        if (moov == null || !moov.is(file, "moov")) {
            throw new MediaFormatException("no whole moov after the ftyp");
        }
        List<Track> tracks = new ArrayList<>();
        List<Integer> timescales = new ArrayList<>();
        for (Box trak : moov.children(file, 0)) {
            if (!trak.is(file, "trak")) {
                continue;
            }
            if (tracks.size() == MAX_TRACKS) {
                throw new MediaFormatException("more than " + MAX_TRACKS + " tracks");
            }
            Box mdia = trak.child(file, 0, "mdia");
            Box mdhd = mdia.child(file, 0, "mdhd");
            mdhd.need(24);
            int timescale = file.getInt(mdhd.body + 12);     // version 0: creation, modification, timescale
            Box stsd = mdia.child(file, 0, "minf").child(file, 0, "stbl").child(file, 0, "stsd");
            List<Box> entries = stsd.children(file, 8);
            if (entries.isEmpty()) {
                throw new MediaFormatException("a track without a sample entry");
            }
            tracks.add(new RecoveredTrack(tracks.size() + 1, format(file, entries.get(0))));
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
        writer.restoreInit(moov.end - base);
        for (int at = moov.end; ; ) {
            Box moof = Box.at(file, at, end);
            if (moof == null || !moof.is(file, "moof")) {
                break;
            }
            Box mdat = Box.at(file, moof.end, end);
            if (mdat == null || !mdat.is(file, "mdat") || !fragment(file, writer, tracks.size(), moof, mdat)) {
                break;
            }
            writer.restoreFragment(mdat.body - base, mdat.end - mdat.body, mdat.end - base);
            at = mdat.end;
        }
        return writer;
    }

    /** Reads one fragment's samples into the writer; false when they do not fit, and then nothing was added. */
    private static boolean fragment(ByteBuf file, Fmp4Writer writer, int trackCount, Box moof, Box mdat) {
        record Run(int index, long tfdt, int count, int dataOffset, int entry, int first, boolean video) {
        }
        List<Run> runs = new ArrayList<>();
        for (Box traf : moof.children(file, 0)) {
            if (!traf.is(file, "traf")) {
                continue;
            }
            Box tfhd = traf.find(file, "tfhd");
            Box tfdt = traf.find(file, "tfdt");
            Box trun = traf.find(file, "trun");
            if (tfhd == null || tfdt == null || trun == null || tfhd.size() < 8 || tfdt.size() < 12 || trun.size() < 12) {
                return false;
            }
            int trackId = file.getInt(tfhd.body + 4);
            if (trackId < 1 || trackId > trackCount) {
                return false;
            }
            int flags = file.getInt(trun.body) & 0xFF_FFFF;
            boolean video = (flags & 0x800) != 0;
            int entry = video ? 16 : 12;
            if ((flags & 0x701) != 0x701) {
                return false;                                 // not the layout we write
            }
            long count = file.getInt(trun.body + 4) & 0xFFFF_FFFFL;
            if (count * entry > trun.size() - 12) {
                return false;
            }
            runs.add(new Run(trackId - 1, file.getLong(tfdt.body + 4), (int) count, file.getInt(trun.body + 8),
                    entry, trun.body + 12, video));
        }
        long mdatPayload = mdat.end - mdat.body;
        long moofToPayload = mdat.body - moof.start;
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

    /** The track format a sample entry describes. */
    private static TrackFormat format(ByteBuf file, Box entry) {
        String type = entry.type(file);
        switch (type) {
            case "avc1", "hvc1", "av01" -> {
                Codec codec = type.equals("avc1") ? Codec.H264 : type.equals("hvc1") ? Codec.H265 : Codec.AV1;
                String config = type.equals("avc1") ? "avcC" : type.equals("hvc1") ? "hvcC" : "av1C";
                Box box = entry.child(file, 78, config);
                return TrackFormat.of(codec, file.slice(box.body, box.end - box.body));
            }
            case "mp4a" -> {
                Box esds = entry.child(file, 28, "esds");
                return esdsFormat(file, esds.body + 4, esds.end);
            }
            case "Opus" -> {
                Box dops = entry.child(file, 28, "dOps");
                dops.need(11);
                int channels = file.getUnsignedByte(dops.body + 1);
                int family = file.getUnsignedByte(dops.body + 10);
                int streams = 1;
                int coupled = channels == 2 ? 1 : 0;
                byte[] mapping = channels == 2 ? new byte[] {0, 1} : new byte[] {0};
                if (family != 0) {
                    dops.need(13 + channels);
                    streams = file.getUnsignedByte(dops.body + 11);
                    coupled = file.getUnsignedByte(dops.body + 12);
                    mapping = new byte[channels];
                    file.getBytes(dops.body + 13, mapping);
                }
                ByteBuf head = Unpooled.buffer();
                try {
                    OpusHead.of(channels, file.getUnsignedShort(dops.body + 2), file.getUnsignedInt(dops.body + 4),
                            file.getShort(dops.body + 8), family, streams, coupled, mapping).writeTo(head);
                    return TrackFormat.of(Codec.OPUS, head);
                } finally {
                    head.release();
                }
            }
            default -> throw new MediaFormatException("sample entry '" + type + "' is not one Fmp4Writer writes");
        }
    }

    /** AAC with its AudioSpecificConfig, or MP3, from an ES_Descriptor (14496-1 7.2.6.5). */
    private static TrackFormat esdsFormat(ByteBuf file, int at, int end) {
        int[] cursor = {at};
        if (descriptor(file, cursor, end, 0x03) < 0) {
            throw new MediaFormatException("esds without an ES_Descriptor");
        }
        cursor[0] += 3;                                      // ES_ID, flags (none set by the writer)
        if (descriptor(file, cursor, end, 0x04) < 13 || cursor[0] + 13 > end) {
            throw new MediaFormatException("esds without a DecoderConfigDescriptor");
        }
        int objectType = file.getUnsignedByte(cursor[0]);
        cursor[0] += 13;
        if (objectType == 0x6B) {
            return TrackFormat.of(Codec.MP3);
        }
        int length = descriptor(file, cursor, end, 0x05);
        if (objectType != 0x40 || length <= 0 || cursor[0] + length > end) {
            throw new MediaFormatException("esds of object type 0x" + Integer.toHexString(objectType)
                    + " without an AudioSpecificConfig");
        }
        return TrackFormat.of(Codec.AAC, file.slice(cursor[0], length));
    }

    /** Reads a descriptor's tag and size at the cursor, leaves the cursor at its payload; the size, or -1 for another tag. */
    private static int descriptor(ByteBuf file, int[] cursor, int end, int tag) {
        if (cursor[0] >= end || file.getUnsignedByte(cursor[0]) != tag) {
            return -1;
        }
        int at = cursor[0] + 1;
        int size = 0;
        for (int i = 0; i < 4; i++) {
            if (at >= end) {
                return -1;
            }
            int b = file.getUnsignedByte(at++);
            size = size << 7 | b & 0x7F;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        cursor[0] = at;
        return size <= end - at ? size : -1;
    }

    /** A box in the file: where it starts, where its body starts and where it ends. */
    private record Box(int start, int body, int end) {

        /** The box at {@code at}, or null when none fits before {@code limit}. */
        static Box at(ByteBuf file, int at, int limit) {
            if (at < 0 || limit - at < 8) {
                return null;
            }
            long size = file.getUnsignedInt(at);
            int header = 8;
            if (size == 1) {
                if (limit - at < 16) {
                    return null;
                }
                size = file.getLong(at + 8);
                header = 16;
            } else if (size == 0) {
                size = limit - at;
            }
            if (size < header || size > limit - at) {
                return null;
            }
            return new Box(at, at + header, (int) (at + size));
        }

        boolean is(ByteBuf file, String type) {
            return type(file).equals(type);
        }

        String type(ByteBuf file) {
            return file.toString(start + 4, 4, StandardCharsets.ISO_8859_1);
        }

        int size() {
            return end - body;
        }

        void need(int bytes) {
            if (size() < bytes) {
                throw new MediaFormatException("a box of " + size() + " bytes where " + bytes + " are needed");
            }
        }

        List<Box> children(ByteBuf file, int skip) {
            List<Box> boxes = new ArrayList<>();
            for (int at = body + skip; at < end; ) {
                Box b = at(file, at, end);
                if (b == null) {
                    break;
                }
                boxes.add(b);
                at = b.end;
            }
            return boxes;
        }

        /** The first child of a type, after {@code skip} bytes of this box's own fields; throws when there is none. */
        Box child(ByteBuf file, int skip, String type) {
            if (skip > size()) {
                throw new MediaFormatException("a box of " + size() + " bytes too short for its fields");
            }
            for (Box b : children(file, skip)) {
                if (b.type(file).equals(type)) {
                    return b;
                }
            }
            throw new MediaFormatException("no " + type + " where one belongs");
        }

        /** The first child of a type, or null. */
        Box find(ByteBuf file, String type) {
            for (Box b : children(file, 0)) {
                if (b.type(file).equals(type)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** A track of a recovered file: its place and format; nothing is published. */
    private record RecoveredTrack(int id, TrackFormat format) implements Track {
        @Override
        public StreamKey stream() {
            return KEY;
        }

        @Override
        public TrackStats stats() {
            return new TrackStats(0, 0, 0, 0, 0);
        }
    }
}
