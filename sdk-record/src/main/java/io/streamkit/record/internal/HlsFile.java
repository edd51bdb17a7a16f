package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.mpegts.MpegTsMuxer;
import io.streamkit.record.RecordSpec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HLS recording: MPEG-TS segments {@code <name>-00000.ts}, ... beside the playlist
 * {@code <name>.m3u8}, a segment cut at the first video keyframe past {@code segmentDuration}
 * (any frame of an audio-only stream). The playlist is rewritten (to a temporary file, then
 * moved over) after each segment: an {@code EVENT} playlist while recording, a {@code VOD} one
 * ending in {@code EXT-X-ENDLIST} when finished (RFC 8216 4.3.3.5).
 *
 * <p>Each recording's clock starts at 0: its PCR starts at 0 and its first frame is decoded at
 * the muxer's delay ({@link MpegTsMuxer#MUX_DELAY_90K}, 0.7 s), wherever the stream's clock was.
 */
final class HlsFile extends RecordFile {
    private final MpegTsMuxer muxer = new MpegTsMuxer();
    private final long segmentMicros;
    private final String base;
    private final List<String> names = new ArrayList<>();
    private final List<Long> durations = new ArrayList<>();
    private final boolean hasVideo;
    private ByteBuf segment;
    private long segmentStart;
    private long lastDts;
    private long lastStep;
    private long written;
    private long origin = Long.MIN_VALUE;

    HlsFile(Path path, List<Track> tracks, RecordSpec spec, ByteBufAllocator alloc) throws IOException {
        super(path, alloc);
        String name = path.getFileName().toString();
        this.base = name.endsWith(".m3u8") ? name.substring(0, name.length() - 5) : name;
        this.segmentMicros = spec.segmentDuration().toNanos() / 1000;
        muxer.setTracks(tracks);
        this.hasVideo = tracks.stream().anyMatch(t -> t.type() == MediaType.VIDEO);
        writePlaylist(false);
    }

    static boolean takes(Track track) {
        return new MpegTsMuxer().supports(track.codec()) && (track.codec() != io.streamkit.stream.Codec.AAC
                || track.format().hasConfig());
    }

    @Override
    void write(MediaFrame original) throws IOException {
        if (origin == Long.MIN_VALUE) {
            origin = original.dts() - MpegTsMuxer.MUX_DELAY_90K * 100L / 9;
        }
        MediaFrame frame = MediaFrame.of(original.track(), original.dts() - origin, original.pts() - origin,
                original.keyframe(), original.payload().retainedDuplicate());
        original.release();
        try {
            boolean cutHere = !hasVideo || frame.track().type() == MediaType.VIDEO && frame.keyframe();
            if (segment != null && cutHere && frame.dts() - segmentStart >= segmentMicros) {
                endSegment(frame.dts() - segmentStart);
                writePlaylist(false);
            }
            if (segment == null) {
                segment = alloc.directBuffer(256 << 10);
                muxer.writeTables(segment);
                segmentStart = frame.dts();
                lastDts = frame.dts();
            }
            try {
                muxer.writeFrame(segment, frame);
            } catch (MediaFormatException e) {
                return;   // a malformed access unit costs that frame; the muxer wrote nothing
            }
            if (frame.dts() > lastDts) {
                lastStep = frame.dts() - lastDts;
                lastDts = frame.dts();
            }
        } finally {
            frame.release();
        }
    }

    private void endSegment(long micros) throws IOException {
        ByteBuf out = segment;
        segment = null;
        String name = String.format(Locale.ROOT, "%s-%05d.ts", base, names.size());
        long size = out.readableBytes();
        try (FileChannel c = FileChannel.open(path.resolveSibling(name), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writeAll(c, out);
        } catch (IOException | RuntimeException e) {
            if (out.refCnt() > 0) {
                out.release();
            }
            throw e;
        }
        written += size;
        names.add(name);
        durations.add(Math.max(1_000, micros));
    }

    private void writePlaylist(boolean ended) throws IOException {
        long longest = segmentMicros;
        for (long d : durations) {
            longest = Math.max(longest, d);
        }
        StringBuilder m3u8 = new StringBuilder(128 + names.size() * 48);
        m3u8.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:").append((longest + 999_999) / 1_000_000)
                .append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:").append(ended ? "VOD" : "EVENT").append('\n');
        for (int i = 0; i < names.size(); i++) {
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", durations.get(i) / 1e6)).append(names.get(i)).append('\n');
        }
        if (ended) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, m3u8, StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    long bytes() {
        return written + (segment == null ? 0 : segment.readableBytes());
    }

    @Override
    long finish(boolean clean) throws IOException {
        if (segment != null) {
            endSegment(lastDts + lastStep - segmentStart);
        }
        writePlaylist(clean);
        return written + Files.size(path);
    }

    @Override
    void abandon() {
        if (segment != null) {
            segment.release();
            segment = null;
        }
    }

    /**
     * Ends a playlist a crash left as an {@code EVENT} playlist: {@code VOD} and {@code EXT-X-ENDLIST}.
     *
     * @param playlist the playlist
     * @return the recording's size: the playlist and the segments it lists
     */
    static long recover(Path playlist) throws IOException {
        String text = Files.readString(playlist, StandardCharsets.UTF_8);
        long bytes = 0;
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#") && line.indexOf('/') < 0) {
                Path segment = playlist.resolveSibling(line);
                if (Files.exists(segment)) {
                    bytes += Files.size(segment);
                }
            }
        }
        if (!text.contains("#EXT-X-ENDLIST")) {
            text = text.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD") + "#EXT-X-ENDLIST\n";
            Path tmp = playlist.resolveSibling(playlist.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, playlist, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return bytes + Files.size(playlist);
    }
}
