package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordSpec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * One file being recorded, in one format. Called from one writer thread at a time.
 */
abstract class RecordFile {
    /** Buffered bytes written at once: one system call per 256 KiB at most, not one per frame. */
    static final int WRITE_CHUNK = 256 << 10;

    final Path path;
    final ByteBufAllocator alloc;

    RecordFile(Path path, ByteBufAllocator alloc) {
        this.path = path;
        this.alloc = alloc;
    }

    /**
     * Opens a file of a format.
     *
     * @param spec the format and its settings
     * @param path the final path
     * @param tracks the tracks to write, each of a codec the format takes
     * @param alloc where buffers come from
     * @return the open file, its header written
     * @throws IOException when the file cannot be created or written
     */
    static RecordFile open(RecordSpec spec, Path path, List<Track> tracks, ByteBufAllocator alloc) throws IOException {
        return switch (spec.format()) {
            case MP4 -> new Mp4File(path, tracks, spec, alloc);
            case FLV -> new FlvFile(path, tracks, spec, alloc);
            case HLS -> new HlsFile(path, tracks, spec, alloc);
        };
    }

    /** Whether a format can hold a track's codec. */
    static boolean takes(RecordFormat format, Track track) {
        return switch (format) {
            case MP4 -> Mp4File.takes(track);
            case FLV -> FlvFile.takes(track);
            case HLS -> HlsFile.takes(track);
        };
    }

    /**
     * Writes a frame.
     *
     * @param frame the frame, owned by this call: released here, now or once written
     * @throws IOException when writing fails
     */
    abstract void write(MediaFrame frame) throws IOException;

    /**
     * Returns the bytes of the file so far, written or buffered.
     *
     * @return bytes
     */
    abstract long bytes();

    /**
     * Ends the file.
     *
     * @param clean whether to complete it (an MP4 finalised, a playlist ended); otherwise only
     *     what is buffered is written and the file closed, as a crash would leave it
     * @return the size of the finished file
     * @throws IOException when writing fails; the file is closed either way
     */
    abstract long finish(boolean clean) throws IOException;

    /** Releases what the file holds after a failure; the file is closed. */
    abstract void abandon();

    /** Writes a buffer whole to a channel and releases it. */
    static void writeAll(FileChannel channel, ByteBuf buf) throws IOException {
        try {
            int n = buf.nioBufferCount();
            ByteBuffer[] buffers = n == 1 ? new ByteBuffer[] {buf.nioBuffer()} : buf.nioBuffers();
            long remaining = buf.readableBytes();
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
        } finally {
            buf.release();
        }
    }
}
