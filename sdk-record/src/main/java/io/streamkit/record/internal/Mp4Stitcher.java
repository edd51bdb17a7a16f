package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.fmp4.Fmp4Writer;
import io.streamkit.format.fmp4.Mp4Reader;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordedFile;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One MP4 of a time range, stitched from the MP4 recordings that cover it: from the last video
 * keyframe at or before the range's start to its end, each file's samples placed after the
 * previous file's (a gap between files of more than {@value #MAX_JOINED_GAP_MILLIS} ms stays a
 * gap), written as fragments and finalised into a progressive MP4 like a recording. Stitching
 * stops at a file whose tracks differ from the first one's (a new resolution or codec): one
 * file has one set of tracks.
 *
 * <p>Files are read through {@link Mp4Reader}; a file that does not read is skipped with its
 * reason in the log, a {@code moov} over {@value #MAX_MOOV_BYTES} bytes is refused.
 */
final class Mp4Stitcher {
    /** The largest moov read: 256 MiB describes over ten million samples. */
    static final long MAX_MOOV_BYTES = 256L << 20;
    /** Files closer than this are joined end to start: rotation leaves no gap, the clocks a few ms. */
    static final long MAX_JOINED_GAP_MILLIS = 1_000;
    /** One fragment a second of output at most: memory holds one second of media. */
    private static final long FRAGMENT_MICROS = 1_000_000;

    private Mp4Stitcher() {
    }

    /**
     * Stitches a range.
     *
     * @param files the stream's finished recordings, any format, any order
     * @param from the range's start
     * @param to the range's end
     * @param out the file to write, in a directory the caller owns
     * @param alloc where buffers come from
     * @return whether anything was written: false when no MP4 covers the range
     * @throws IOException when reading or writing fails
     */
    static boolean stitch(List<RecordedFile> files, Instant from, Instant to, Path out, ByteBufAllocator alloc)
            throws IOException {
        List<RecordedFile> covering = new ArrayList<>();
        for (RecordedFile f : files) {
            Instant end = f.start().plus(f.duration());
            if (f.format() == RecordFormat.MP4 && f.start().isBefore(to) && end.isAfter(from)) {
                covering.add(f);
            }
        }
        covering.sort((a, b) -> a.start().compareTo(b.start()));
        if (covering.isEmpty()) {
            return false;
        }
        Path fragmented = out.resolveSibling(out.getFileName() + ".fmp4");
        Fmp4Writer writer = null;
        List<TrackFormat> formats = null;
        long placed = 0;                      // where the next file starts on the output's timeline, µs
        Instant previousEnd = null;
        try (FileChannel fmp4 = FileChannel.open(fragmented, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            for (RecordedFile f : covering) {
                try (FileChannel in = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                    Mp4Reader reader;
                    try {
                        reader = read(in, alloc);
                    } catch (MediaFormatException e) {
                        org.slf4j.LoggerFactory.getLogger(Mp4Stitcher.class).warn("record: {} skipped in a stitch: {}",
                                f.path(), e.getMessage());
                        continue;
                    }
                    List<TrackFormat> these = reader.tracks().stream().map(Track::format).toList();
                    if (writer == null) {
                        writer = new Fmp4Writer(reader.tracks());
                        formats = these;
                        ByteBuf init = alloc.heapBuffer(1024);
                        writer.writeInit(init);
                        RecordFile.writeAll(fmp4, init);
                    } else if (!these.equals(formats)) {
                        break;
                    }
                    if (previousEnd != null) {
                        long gap = Duration.between(previousEnd, f.start()).toMillis();
                        if (gap > MAX_JOINED_GAP_MILLIS) {
                            placed += gap * 1000;
                        }
                    }
                    long first = startSample(reader, f, from);
                    long last = Duration.between(f.start(), to).toNanos() / 1000;
                    placed = copy(reader, in, writer, fmp4, first, last, placed, alloc);
                    previousEnd = f.start().plus(f.duration());
                }
            }
            if (writer == null || writer.mediaRanges().isEmpty()) {
                return false;
            }
            Mp4File.finalise(writer, fmp4, out, alloc);
            return true;
        } finally {
            Files.deleteIfExists(fragmented);
        }
    }

    /** Reads a progressive file's moov. */
    private static Mp4Reader read(FileChannel in, ByteBufAllocator alloc) throws IOException {
        long size = in.size();
        ByteBuffer header = ByteBuffer.allocate(16);
        for (long at = 0; at + 8 <= size; ) {
            header.clear();
            in.read(header, at);
            long box = Integer.toUnsignedLong(header.getInt(0));
            String type = new String(header.array(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (box == 1) {
                box = header.getLong(8);
            }
            if (box < 8 || at + box > size) {
                throw new MediaFormatException("a box of " + box + " bytes at " + at + " in a file of " + size);
            }
            if (type.equals("moov")) {
                if (box > MAX_MOOV_BYTES) {
                    throw new MediaFormatException("moov of " + box + " bytes, over " + MAX_MOOV_BYTES);
                }
                ByteBuf moov = alloc.heapBuffer((int) box);
                try {
                    moov.writeBytes(in, at, (int) box);
                    return Mp4Reader.read(moov);
                } finally {
                    moov.release();
                }
            }
            at += box;
        }
        throw new MediaFormatException("no moov");
    }

    /** The time (µs from the file's start) of the last video sync sample at or before the range's start; 0 if before the file. */
    private static long startSample(Mp4Reader reader, RecordedFile f, Instant from) {
        long target = Duration.between(f.start(), from).toNanos() / 1000;
        if (target <= 0) {
            return 0;
        }
        long start = 0;
        for (int t = 0; t < reader.tracks().size(); t++) {
            if (reader.tracks().get(t).type() != MediaType.VIDEO) {
                continue;
            }
            for (int i = 0; i < reader.samples(t); i++) {
                long at = micros(reader, t, i);
                if (at > target) {
                    break;
                }
                if (reader.sync(t, i)) {
                    start = at;
                }
            }
            return start;
        }
        return target;
    }

    private static long micros(Mp4Reader reader, int track, int sample) {
        return reader.dts(track, sample) * 1_000_000 / reader.timescale(track);
    }

    /**
     * Copies a file's samples from {@code first} to before {@code last} (µs of the file), in
     * time order across tracks, placed at {@code placed}; returns where the next file goes.
     */
    private static long copy(Mp4Reader reader, FileChannel in, Fmp4Writer writer, FileChannel out, long first, long last,
                             long placed, ByteBufAllocator alloc) throws IOException {
        int tracks = reader.tracks().size();
        int[] next = new int[tracks];
        long[] lastStep = new long[tracks];
        long end = placed;
        List<MediaFrame> fragment = new ArrayList<>();
        long fragmentStart = Long.MIN_VALUE;
        try {
            for (;;) {
                int pick = -1;
                long pickAt = Long.MAX_VALUE;
                for (int t = 0; t < tracks; t++) {
                    while (next[t] < reader.samples(t) && micros(reader, t, next[t]) < first) {
                        next[t]++;
                    }
                    if (next[t] < reader.samples(t)) {
                        long at = micros(reader, t, next[t]);
                        if (at < last && at < pickAt) {
                            pick = t;
                            pickAt = at;
                        }
                    }
                }
                if (pick < 0) {
                    break;
                }
                int i = next[pick]++;
                Track track = writer.tracks().get(pick);
                boolean video = track.type() == MediaType.VIDEO;
                boolean sync = reader.sync(pick, i);
                if (!fragment.isEmpty() && (video && sync || pickAt - fragmentStart >= FRAGMENT_MICROS)) {
                    flush(writer, out, fragment, alloc);
                }
                if (fragment.isEmpty()) {
                    fragmentStart = pickAt;
                }
                ByteBuf payload = alloc.directBuffer(reader.size(pick, i));
                try {
                    int size = reader.size(pick, i);
                    while (payload.readableBytes() < size) {
                        if (payload.writeBytes(in, reader.offset(pick, i) + payload.readableBytes(),
                                size - payload.readableBytes()) < 0) {
                            throw new IOException("sample past the end of the file");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    payload.release();
                    throw e;
                }
                long dts = placed + pickAt - first;
                long pts = dts + (long) reader.compositionOffset(pick, i) * 1_000_000 / reader.timescale(pick);
                fragment.add(MediaFrame.of(track, dts, pts, video && sync, payload));
                long step = i + 1 < reader.samples(pick) ? micros(reader, pick, i + 1) - pickAt : lastStep[pick];
                lastStep[pick] = Math.max(step, 0);
                end = Math.max(end, dts + lastStep[pick]);
            }
            flush(writer, out, fragment, alloc);
        } finally {
            fragment.forEach(MediaFrame::release);
        }
        return end;
    }

    private static void flush(Fmp4Writer writer, FileChannel out, List<MediaFrame> fragment, ByteBufAllocator alloc)
            throws IOException {
        if (fragment.isEmpty()) {
            return;
        }
        ByteBuf buf = alloc.directBuffer();
        try {
            writer.writeFragment(buf, fragment);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        } finally {
            fragment.forEach(MediaFrame::release);
            fragment.clear();
        }
        RecordFile.writeAll(out, buf);
    }
}
