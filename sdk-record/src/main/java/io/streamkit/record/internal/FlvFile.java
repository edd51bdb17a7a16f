package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.format.flv.FlvMuxer;
import io.streamkit.record.RecordSpec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An FLV recording: the muxer's tags, buffered and written at each video keyframe, every
 * {@code fragmentDuration} and every {@value RecordFile#WRITE_CHUNK} bytes. An FLV file is
 * playable as it grows, so a crash loses only what was buffered.
 */
final class FlvFile extends RecordFile {
    private final FileChannel channel;
    private final FlvMuxer muxer;
    private final long flushMicros;
    private ByteBuf buffer;
    private long written;
    private long bufferStart = Long.MIN_VALUE;

    FlvFile(Path path, List<Track> tracks, RecordSpec spec, ByteBufAllocator alloc) throws IOException {
        super(path, alloc);
        this.muxer = new FlvMuxer(tracks);
        this.flushMicros = spec.fragmentDuration().toNanos() / 1000;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        buffer = alloc.directBuffer(WRITE_CHUNK);
        muxer.writeHeader(buffer);
    }

    static boolean takes(Track track) {
        return switch (track.codec()) {
            case H264, H265, AV1, VP9 -> true;
            case AAC, OPUS -> track.format().hasConfig();
            case MP3 -> track.format().audio().isPresent();
            // FLV's G.711 is 8 kHz: a track at another rate would play at the wrong speed
            case PCMA, PCMU -> track.format().audio().map(a -> a.sampleRate() == 8_000).orElse(true);
        };
    }

    @Override
    void write(MediaFrame frame) throws IOException {
        try {
            boolean cut = frame.track().type() == MediaType.VIDEO && frame.keyframe()
                    || bufferStart != Long.MIN_VALUE && frame.dts() - bufferStart >= flushMicros;
            if (cut || buffer.readableBytes() >= WRITE_CHUNK) {
                flush();
            }
            if (bufferStart == Long.MIN_VALUE) {
                bufferStart = frame.dts();
            }
            muxer.writeFrame(buffer, frame);
        } finally {
            frame.release();
        }
    }

    private void flush() throws IOException {
        if (buffer.isReadable()) {
            written += buffer.readableBytes();
            ByteBuf out = buffer;
            buffer = alloc.directBuffer(WRITE_CHUNK);
            writeAll(channel, out);
        }
        bufferStart = Long.MIN_VALUE;
    }

    @Override
    long bytes() {
        return written + buffer.readableBytes();
    }

    @Override
    long finish(boolean clean) throws IOException {
        try (channel) {
            flush();
            if (clean) {
                channel.force(true);
            }
        } finally {
            buffer.release();
        }
        return Files.size(path);
    }

    @Override
    void abandon() {
        if (buffer.refCnt() > 0) {
            buffer.release();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure: the failure is what is reported
        }
    }
}
