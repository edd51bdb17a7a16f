package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.fmp4.Fmp4Recovery;
import io.streamkit.format.fmp4.Fmp4Writer;
import io.streamkit.record.RecordSpec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An MP4 recording: fragmented MP4 in {@code <name>.fmp4} while recording, one fragment per
 * video keyframe and at most {@code fragmentDuration} long, finalised at a clean end into the
 * progressive {@code <name>.mp4}.
 */
final class Mp4File extends RecordFile {
    /** Largest fragmented file recovery maps: a {@code ByteBuf} indexes 2 GiB. */
    static final long MAX_RECOVERED_BYTES = Integer.MAX_VALUE;

    private final Path working;
    private final FileChannel channel;
    private final Fmp4Writer writer;
    private final long fragmentMicros;
    private final List<MediaFrame> pending = new ArrayList<>();
    private long pendingBytes;
    private long pendingStart;

    Mp4File(Path path, List<Track> tracks, RecordSpec spec, ByteBufAllocator alloc) throws IOException {
        super(path, alloc);
        this.working = workingPath(path);
        this.writer = new Fmp4Writer(tracks);
        this.fragmentMicros = spec.fragmentDuration().toNanos() / 1000;
        this.channel = FileChannel.open(working, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        ByteBuf init = alloc.heapBuffer(1024);
        try {
            writer.writeInit(init);
        } catch (RuntimeException e) {
            init.release();
            channel.close();
            Files.deleteIfExists(working);
            throw e;
        }
        writeAll(channel, init);
    }

    /** The fragmented file recorded into for a final MP4 path: its {@code .mp4} replaced by {@code .fmp4}. */
    static Path workingPath(Path path) {
        String name = path.getFileName().toString();
        String base = name.endsWith(".mp4") ? name.substring(0, name.length() - 4) : name;
        return path.resolveSibling(base + ".fmp4");
    }

    static boolean takes(Track track) {
        return switch (track.codec()) {
            case H264, H265, AV1, AAC, OPUS -> track.format().hasConfig();
            case MP3 -> true;
            default -> false;
        };
    }

    @Override
    void write(MediaFrame frame) throws IOException {
        boolean video = frame.track().type() == MediaType.VIDEO;
        if (!pending.isEmpty() && (video && frame.keyframe() || frame.dts() - pendingStart >= fragmentMicros)) {
            try {
                flush();
            } catch (IOException | RuntimeException e) {
                frame.release();
                throw e;
            }
        }
        if (pending.isEmpty()) {
            pendingStart = frame.dts();
        }
        pending.add(frame);
        pendingBytes += frame.payload().readableBytes();
    }

    private void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuf out = alloc.directBuffer((int) Math.min(Integer.MAX_VALUE - 1, pendingBytes + 64L * pending.size() + 512));
        try {
            writer.writeFragment(out, pending);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            releasePending();
        }
        writeAll(channel, out);
    }

    private void releasePending() {
        for (MediaFrame f : pending) {
            f.release();
        }
        pending.clear();
        pendingBytes = 0;
    }

    @Override
    long bytes() {
        return writer.writtenBytes() + pendingBytes;
    }

    @Override
    long finish(boolean clean) throws IOException {
        try {
            flush();
        } finally {
            releasePending();
            if (!clean) {
                channel.close();
            }
        }
        if (!clean) {
            return Files.size(working);
        }
        long size;
        try (channel) {
            channel.force(false);
            size = finalise(writer, channel, path, alloc);
        }
        // only once the progressive file is in place: a failed finalising leaves the fragmented file to recover
        Files.delete(working);
        return size;
    }

    @Override
    void abandon() {
        releasePending();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure: the failure is what is reported
        }
    }

    /**
     * Writes the progressive MP4 of a fragmented file: the head to {@code <path>.part}, the
     * fragments' media copied after it, synced, then moved over {@code path}.
     *
     * @return the progressive file's size
     */
    static long finalise(Fmp4Writer writer, FileChannel fragmented, Path path, ByteBufAllocator alloc) throws IOException {
        Path part = path.resolveSibling(path.getFileName() + ".part");
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuf head = alloc.heapBuffer(64 << 10);
            try {
                writer.writeProgressiveHead(head);
            } catch (RuntimeException e) {
                head.release();
                throw e;
            }
            writeAll(out, head);
            for (long[] range : writer.mediaRanges()) {
                long at = range[0];
                long left = range[1];
                while (left > 0) {
                    long n = fragmented.transferTo(at, left, out);
                    if (n <= 0) {
                        throw new IOException(path + ": fragmented file ends inside its media at " + at);
                    }
                    at += n;
                    left -= n;
                }
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(path);
    }

    /**
     * Finalises a fragmented file a crash left: reads it up to its last whole fragment and
     * writes the progressive file, then deletes the fragmented one.
     *
     * @param working the {@code .fmp4}
     * @param path the final {@code .mp4}
     * @return the writer read back (its sample counts and times), the file written
     * @throws IOException when the file cannot be read or written, is larger than
     *     {@link #MAX_RECOVERED_BYTES}, or holds no whole init segment
     */
    static Fmp4Writer recover(Path working, Path path, ByteBufAllocator alloc) throws IOException {
        try (FileChannel in = FileChannel.open(working, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > MAX_RECOVERED_BYTES) {
                throw new IOException(working + " has " + size + " bytes; recovery maps at most " + MAX_RECOVERED_BYTES
                        + " (it stays playable as fragmented MP4)");
            }
            MappedByteBuffer map = in.map(FileChannel.MapMode.READ_ONLY, 0, size);
            Fmp4Writer writer;
            try {
                writer = Fmp4Recovery.recover(Unpooled.wrappedBuffer(map));
            } catch (MediaFormatException e) {
                throw new IOException(working + " cannot be recovered: " + e.getMessage(), e);
            }
            if (writer.mediaRanges().isEmpty()) {
                throw new IOException(working + " holds no whole fragment");
            }
            finalise(writer, in, path, alloc);
            Files.delete(working);
            return writer;
        }
    }
}
