package io.streamkit.format.fmp4;

import static io.streamkit.format.fmp4.Mp4Boxes.begin;
import static io.streamkit.format.fmp4.Mp4Boxes.beginFull;
import static io.streamkit.format.fmp4.Mp4Boxes.end;
import static io.streamkit.format.fmp4.Mp4Boxes.writeType;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes fragmented MP4 (ISO/IEC 14496-12, ISO BMFF): an initialization segment ({@code ftyp}
 * and a {@code moov} with one track per stream track and {@code mvex}), then fragments
 * ({@code moof} with one {@code traf} per track that has samples, and the {@code mdat} they
 * describe). A file of an init segment and fragments plays as it grows and after a crash, up to
 * its last whole fragment; HLS-fMP4 and DASH serve the same boxes.
 *
 * <table>
 *   <caption>Sample entries</caption>
 *   <tr><th>codec</th><th>sample entry</th><th>configuration box</th></tr>
 *   <tr><td>H.264</td><td>{@code avc1}</td><td>{@code avcC}: the track's AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3)</td></tr>
 *   <tr><td>H.265</td><td>{@code hvc1}</td><td>{@code hvcC}: the HEVCDecoderConfigurationRecord (14496-15 8.3.3)</td></tr>
 *   <tr><td>AV1</td><td>{@code av01}</td><td>{@code av1C}: the AV1CodecConfigurationRecord (AV1 in ISOBMFF 2.3)</td></tr>
 *   <tr><td>AAC</td><td>{@code mp4a}</td><td>{@code esds}: object type 0x40 with the AudioSpecificConfig (ISO/IEC 14496-1 7.2.6)</td></tr>
 *   <tr><td>MP3</td><td>{@code mp4a}</td><td>{@code esds}: object type 0x6B, no decoder specific info</td></tr>
 *   <tr><td>Opus</td><td>{@code Opus}</td><td>{@code dOps}: the OpusHead's fields, big-endian (Opus in ISOBMFF 4.3)</td></tr>
 * </table>
 *
 * <p>Timing: video tracks use a 90 kHz timescale, audio tracks their sample rate (48 kHz for
 * Opus). Every track's timeline starts at 0 at the first frame the writer is given, whichever
 * track it belongs to, so the tracks keep their offset to each other. A sample lasts until its
 * track's next sample; the last sample of a track in a fragment lasts as long as the one before
 * it (or a default), and the next fragment's {@code tfdt} puts the track back on its exact
 * timeline, so no error accumulates.
 *
 * <p>Finalising: the writer keeps each sample's time, size and flags (about 20 bytes a sample),
 * so that at a clean close {@link #writeProgressiveHead} can describe the same media as a
 * progressive MP4 with its {@code moov} before its {@code mdat}, which plays and seeks at once
 * everywhere. That file is the head followed by the fragments' media, {@link #mediaRanges()},
 * copied from the fragmented file: no sample is rewritten.
 *
 * <p>Not thread-safe: one writer per output, called from one thread at a time. Frames are lent
 * to {@link #writeFragment}; nothing is retained.
 */
public final class Fmp4Writer {
    /** Timescale of video tracks: the MPEG-TS clock, a multiple of every usual frame rate's tick. */
    public static final int VIDEO_TIMESCALE = 90_000;

    private static final int MOVIE_TIMESCALE = 1000;
    private static final int SAMPLE_FLAGS_SYNC = 0x0200_0000;           // sample_depends_on = 2
    private static final int SAMPLE_FLAGS_NON_SYNC = 0x0101_0000;       // depends_on = 1, is_non_sync_sample
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;
    private static final int TRUN_DATA_OFFSET = 0x001;
    private static final int TRUN_DURATION = 0x100;
    private static final int TRUN_SIZE = 0x200;
    private static final int TRUN_FLAGS = 0x400;
    private static final int TRUN_CTS = 0x800;
    private static final int[] IDENTITY_MATRIX = {0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000};

    private final List<Track> tracks;
    private final int[] timescales;
    private final long[] lastDuration;
    private final SampleTable[] tables;
    private final List<long[]> mediaRanges = new ArrayList<>();
    private long origin = Long.MIN_VALUE;
    private int sequence;
    private long written;
    private long media;
    private boolean recovered;

    /**
     * Creates a writer for a stream's tracks.
     *
     * @param tracks the tracks, in the order they get track ids 1, 2, ...; each with its format
     * @throws MediaFormatException when a track's codec has no sample entry here (VP9) or a
     *     configuration it needs is missing
     */
    public Fmp4Writer(List<Track> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no tracks");
        }
        this.tracks = List.copyOf(tracks);
        this.timescales = new int[tracks.size()];
        this.lastDuration = new long[tracks.size()];
        this.tables = new SampleTable[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            TrackFormat format = tracks.get(i).format();
            Codec codec = format.codec();
            switch (codec) {
                case H264, H265, AV1, AAC, OPUS -> {
                    if (!format.hasConfig()) {
                        throw new MediaFormatException(codec + " track " + tracks.get(i).id() + " has no configuration record");
                    }
                }
                case MP3 -> { }
                default -> throw new MediaFormatException(codec + " has no sample entry in fragmented MP4 here");
            }
            timescales[i] = timescale(format);
            lastDuration[i] = defaultDuration(format, timescales[i]);
            tables[i] = new SampleTable();
        }
    }

    /**
     * Returns the timescale of a track: ticks per second of its timestamps in the file.
     *
     * @param index the track's index in the list the writer was created with
     * @return the timescale
     */
    public int timescale(int index) {
        return timescales[index];
    }

    /**
     * Returns the tracks, in the order of their track ids.
     *
     * @return the tracks
     */
    public List<Track> tracks() {
        return tracks;
    }

    /**
     * Returns how many samples of a track the fragments written so far hold.
     *
     * @param index the track's index in {@link #tracks()}
     * @return the count
     */
    public long samples(int index) {
        return tables[index].count;
    }

    /**
     * Returns the media's duration so far: from the file's first sample to the end of its
     * last, over every track.
     *
     * @return microseconds
     */
    public long durationMicros() {
        long end = 0;
        for (int i = 0; i < tables.length; i++) {
            SampleTable t = tables[i];
            if (t.count > 0) {
                long ticks = t.dts[t.count - 1] + lastDuration[i];
                end = Math.max(end, ticks * 1_000_000L / timescales[i]);
            }
        }
        return end;
    }

    /**
     * Writes the initialization segment: {@code ftyp} and {@code moov}.
     *
     * @param out where to write
     */
    public void writeInit(ByteBuf out) {
        int start = out.writerIndex();
        writeFtyp(out, "iso5", new String[] {"iso5", "iso6", "mp41"});
        writeMoov(out, -1, false);
        written += out.writerIndex() - start;
    }

    /**
     * Returns how many bytes {@link #writeInit} and {@link #writeFragment} have written: where
     * the next fragment starts in the file, when every buffer goes to one file in order.
     *
     * @return the bytes written so far
     */
    public long writtenBytes() {
        return written;
    }

    /**
     * Returns where the fragments' media are in the fragmented file: for each fragment the
     * offset and length of its {@code mdat}'s payload. The {@code mdat} of the progressive file
     * {@link #writeProgressiveHead} describes is these ranges one after the other.
     *
     * @return {offset, length} pairs, in file order; a copy
     */
    public List<long[]> mediaRanges() {
        List<long[]> copy = new ArrayList<>(mediaRanges.size());
        for (long[] range : mediaRanges) {
            copy.add(range.clone());
        }
        return copy;
    }

    /**
     * Writes the head of a progressive MP4 of every fragment written so far, for a recording's
     * clean close: {@code ftyp}, a {@code moov} with each track's whole sample table (with an
     * edit list where a track starts after the file's first frame) and the header of the
     * {@code mdat}. The file is this head followed by the bytes of {@link #mediaRanges()}, copied
     * from the fragmented file in order; its {@code moov} comes before its {@code mdat}, so a
     * player can start and seek at once.
     *
     * @param out where to write
     */
    public void writeProgressiveHead(ByteBuf out) {
        boolean large = media + (long) tracks.size() * 1024 + totalSamples() * 24L > 0xFFFF_FFF0L;
        ByteBuf scratch = out.alloc().heapBuffer();
        int moovSize;
        try {
            writeMoov(scratch, 0, large);
            moovSize = scratch.readableBytes();
        } finally {
            scratch.release();
        }
        int ftypStart = out.writerIndex();
        writeFtyp(out, "isom", new String[] {"isom", "iso2", "mp41"});
        int ftypSize = out.writerIndex() - ftypStart;
        int mdatHeader = large ? 16 : 8;
        writeMoov(out, ftypSize + moovSize + mdatHeader, large);
        if (large) {
            out.writeInt(1);
            writeType(out, "mdat");
            out.writeLong(16 + media);
        } else {
            out.writeInt((int) (8 + media));
            writeType(out, "mdat");
        }
    }

    private long totalSamples() {
        long n = 0;
        for (SampleTable t : tables) {
            n += t.count;
        }
        return n;
    }

    private static void writeFtyp(ByteBuf out, String major, String[] brands) {
        int ftyp = begin(out, "ftyp");
        writeType(out, major);
        out.writeInt(512);
        for (String brand : brands) {
            writeType(out, brand);
        }
        end(out, ftyp);
    }

    /**
     * Writes the {@code moov}: for the fragmented file ({@code base} below 0) with empty sample
     * tables and {@code mvex}; for a progressive one with the tables of every sample written,
     * chunk offsets counted from {@code base}.
     */
    private void writeMoov(ByteBuf out, long base, boolean co64) {
        boolean progressive = base >= 0;
        long movieDuration = 0;
        if (progressive) {
            for (int i = 0; i < tracks.size(); i++) {
                SampleTable t = tables[i];
                if (t.count > 0) {
                    movieDuration = Math.max(movieDuration, toMovie(t.dts[0] + t.duration(lastDuration[i]), i));
                }
            }
        }
        int moov = begin(out, "moov");
        int mvhd = beginFull(out, "mvhd", 1, 0);
        out.writeLong(0).writeLong(0);                     // creation, modification time
        out.writeInt(MOVIE_TIMESCALE).writeLong(movieDuration);   // 0 for fragments: they give it
        out.writeInt(0x0001_0000).writeShort(0x0100);      // rate 1.0, volume 1.0
        out.writeZero(10);
        writeMatrix(out);
        out.writeZero(24);                                 // pre_defined
        out.writeInt(tracks.size() + 1);                   // next_track_ID
        end(out, mvhd);
        for (int i = 0; i < tracks.size(); i++) {
            if (!progressive || tables[i].count > 0) {
                writeTrak(out, i, progressive ? base : -1, co64);
            }
        }
        if (!progressive) {
            int mvex = begin(out, "mvex");
            for (int i = 0; i < tracks.size(); i++) {
                int trex = beginFull(out, "trex", 0, 0);
                out.writeInt(i + 1).writeInt(1).writeInt(0).writeInt(0).writeInt(0);
                end(out, trex);
            }
            end(out, mvex);
        }
        end(out, moov);
    }

    /** For {@link Fmp4Recovery}: the init segment was read back, ending at {@code end}. */
    void restoreInit(long end) {
        recovered = true;
        written = end;
    }

    /** For {@link Fmp4Recovery}: a sample read back from a fragment, in ticks of the file. */
    void restoreSample(int index, long dts, int size, boolean sync, int cts, long duration) {
        recovered = true;
        tables[index].add(dts, size, sync, cts);
        lastDuration[index] = duration;
    }

    /** For {@link Fmp4Recovery}: a track's run of samples in a fragment, at an offset of the progressive mdat. */
    void restoreChunk(int index, long mediaOffset, int samples) {
        tables[index].chunk(mediaOffset, samples);
    }

    /** For {@link Fmp4Recovery}: a whole fragment's media, and the file's length up to its end. */
    void restoreFragment(long mediaOffset, long mediaLength, long end) {
        recovered = true;
        mediaRanges.add(new long[] {mediaOffset, mediaLength});
        media += mediaLength;
        written = end;
    }

    /** The media bytes of the fragments so far: where the next fragment's media go in the progressive mdat. */
    long mediaBytes() {
        return media;
    }

    /** Ticks of a track as milliseconds of the movie timescale. */
    private long toMovie(long ticks, int index) {
        return ticks * MOVIE_TIMESCALE / timescales[index];
    }

    /**
     * Writes one fragment: a {@code moof} with a {@code traf} for each track that has frames in
     * it, and the {@code mdat} with their payloads, track by track.
     *
     * @param out where to write
     * @param frames the fragment's frames, of this writer's tracks, each track's in decode order; lent
     * @return the fragment's bytes; 0 when there were no frames (nothing is written)
     * @throws IllegalArgumentException when a frame belongs to no track of this writer
     */
    public int writeFragment(ByteBuf out, List<MediaFrame> frames) {
        if (recovered) {
            throw new IllegalStateException("a writer recovered from a file finalises it; it writes no more fragments");
        }
        if (frames.isEmpty()) {
            return 0;
        }
        List<List<MediaFrame>> byTrack = new ArrayList<>(tracks.size());
        for (int i = 0; i < tracks.size(); i++) {
            byTrack.add(new ArrayList<>());
        }
        for (MediaFrame frame : frames) {
            int index = tracks.indexOf(frame.track());
            if (index < 0) {
                throw new IllegalArgumentException("frame of track " + frame.track().id() + ", not one of this writer's");
            }
            byTrack.get(index).add(frame);
            if (origin == Long.MIN_VALUE || frame.dts() < origin && sequence == 0) {
                origin = frame.dts();
            }
        }
        int start = out.writerIndex();
        int moof = begin(out, "moof");
        int mfhd = beginFull(out, "mfhd", 0, 0);
        out.writeInt(++sequence);
        end(out, mfhd);
        int[] dataOffsetAt = new int[tracks.size()];
        int[] dataBytes = new int[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            List<MediaFrame> samples = byTrack.get(i);
            if (samples.isEmpty()) {
                continue;
            }
            boolean video = tracks.get(i).format().type() == MediaType.VIDEO;
            int traf = begin(out, "traf");
            int tfhd = beginFull(out, "tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF);
            out.writeInt(i + 1);
            end(out, tfhd);
            long first = ticks(samples.get(0).dts(), i);
            int tfdt = beginFull(out, "tfdt", 1, 0);
            out.writeLong(Math.max(0, first));
            end(out, tfdt);
            tables[i].chunk(media + mediaBefore(dataBytes, i), samples.size());
            int trun = beginFull(out, "trun", 1,
                    TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | (video ? TRUN_CTS : 0));
            out.writeInt(samples.size());
            dataOffsetAt[i] = out.writerIndex();
            out.writeInt(0);                               // data_offset, set once the moof's size is known
            for (int s = 0; s < samples.size(); s++) {
                MediaFrame frame = samples.get(s);
                long at = ticks(frame.dts(), i);
                long duration;
                if (s + 1 < samples.size()) {
                    duration = Math.max(0, ticks(samples.get(s + 1).dts(), i) - at);
                    lastDuration[i] = duration;
                } else {
                    duration = lastDuration[i];
                }
                int size = frame.payload().readableBytes();
                dataBytes[i] += size;
                boolean sync = !video || frame.keyframe();
                long cts = video ? ticks(frame.pts(), i) - at : 0;
                tables[i].add(at, size, sync, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, cts)));
                out.writeInt((int) Math.min(duration, 0xFFFF_FFFFL));
                out.writeInt(size);
                out.writeInt(sync ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC);
                if (video) {
                    out.writeInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, cts)));
                }
            }
            end(out, trun);
            end(out, traf);
        }
        end(out, moof);
        int moofSize = out.writerIndex() - moof;
        long offset = moofSize + 8L;                        // past the moof and the mdat's header
        long mdatSize = 8;
        for (int i = 0; i < tracks.size(); i++) {
            if (dataBytes[i] > 0 || !byTrack.get(i).isEmpty()) {
                out.setInt(dataOffsetAt[i], (int) offset);
                offset += dataBytes[i];
                mdatSize += dataBytes[i];
            }
        }
        if (mdatSize > 0xFFFF_FFFFL) {
            throw new MediaFormatException("fragment of " + mdatSize + " bytes: over 4 GiB");
        }
        out.writeInt((int) mdatSize);
        writeType(out, "mdat");
        mediaRanges.add(new long[] {written + (out.writerIndex() - start), mdatSize - 8});
        media += mdatSize - 8;
        for (List<MediaFrame> samples : byTrack) {
            for (MediaFrame frame : samples) {
                ByteBuf payload = frame.payload();
                out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            }
        }
        written += out.writerIndex() - start;
        return out.writerIndex() - start;
    }

    /** The media bytes of the tracks before {@code index} in the fragment being written. */
    private static long mediaBefore(int[] dataBytes, int index) {
        long n = 0;
        for (int i = 0; i < index; i++) {
            n += dataBytes[i];
        }
        return n;
    }

    /** A timestamp in µs as ticks of a track's timescale, on the file's timeline (from the first frame). */
    private long ticks(long micros, int index) {
        return Math.floorDiv((micros - origin) * timescales[index], 1_000_000L);
    }

    private void writeTrak(ByteBuf out, int index, long base, boolean co64) {
        boolean progressive = base >= 0;
        SampleTable table = tables[index];
        long duration = progressive ? table.duration(lastDuration[index]) : 0;
        long start = progressive ? table.dts[0] : 0;
        Track track = tracks.get(index);
        TrackFormat format = track.format();
        boolean video = format.type() == MediaType.VIDEO;
        VideoParameters picture = format.video().orElse(null);
        int width = picture == null ? 0 : picture.width();
        int height = picture == null ? 0 : picture.height();

        int trak = begin(out, "trak");
        int tkhd = beginFull(out, "tkhd", progressive ? 1 : 0, 0x3);   // enabled, in movie
        if (progressive) {
            out.writeLong(0).writeLong(0);                 // creation, modification time
            out.writeInt(index + 1).writeInt(0);           // track_ID, reserved
            out.writeLong(toMovie(start + duration, index));
        } else {
            out.writeInt(0).writeInt(0);
            out.writeInt(index + 1).writeInt(0);
            out.writeInt(0);                               // duration: given by the fragments
        }
        out.writeZero(8);
        out.writeShort(0).writeShort(0);                   // layer, alternate_group
        out.writeShort(video ? 0 : 0x0100).writeShort(0);  // volume, reserved
        writeMatrix(out);
        out.writeInt(width << 16).writeInt(height << 16);
        end(out, tkhd);
        if (progressive && start > 0) {
            // the track starts after the file's first frame: an empty edit keeps it in place
            int edts = begin(out, "edts");
            int elst = beginFull(out, "elst", 1, 0);
            out.writeInt(2);
            out.writeLong(toMovie(start, index)).writeLong(-1).writeInt(0x0001_0000);
            out.writeLong(toMovie(duration, index)).writeLong(0).writeInt(0x0001_0000);
            end(out, elst);
            end(out, edts);
        }

        int mdia = begin(out, "mdia");
        int mdhd = beginFull(out, "mdhd", progressive ? 1 : 0, 0);
        if (progressive) {
            out.writeLong(0).writeLong(0);
            out.writeInt(timescales[index]).writeLong(duration);
        } else {
            out.writeInt(0).writeInt(0);
            out.writeInt(timescales[index]).writeInt(0);
        }
        out.writeShort(0x55C4).writeShort(0);              // language "und" (ISO 639-2/T, packed), pre_defined
        end(out, mdhd);
        int hdlr = beginFull(out, "hdlr", 0, 0);
        out.writeInt(0);
        writeType(out, video ? "vide" : "soun");
        out.writeZero(12);
        out.writeCharSequence(video ? "VideoHandler" : "SoundHandler", StandardCharsets.US_ASCII);
        out.writeByte(0);
        end(out, hdlr);

        int minf = begin(out, "minf");
        if (video) {
            int vmhd = beginFull(out, "vmhd", 0, 1);
            out.writeZero(8);                              // graphicsmode, opcolor
            end(out, vmhd);
        } else {
            int smhd = beginFull(out, "smhd", 0, 0);
            out.writeZero(4);                              // balance, reserved
            end(out, smhd);
        }
        int dinf = begin(out, "dinf");
        int dref = beginFull(out, "dref", 0, 0);
        out.writeInt(1);
        int url = beginFull(out, "url ", 0, 1);            // the media is in this file
        end(out, url);
        end(out, dref);
        end(out, dinf);

        int stbl = begin(out, "stbl");
        int stsd = beginFull(out, "stsd", 0, 0);
        out.writeInt(1);
        if (video) {
            writeVisualSampleEntry(out, format, width, height);
        } else {
            writeAudioSampleEntry(out, format);
        }
        end(out, stsd);
        if (progressive) {
            table.writeTo(out, video, lastDuration[index], base, co64);
        } else {
            for (String empty : new String[] {"stts", "stsc", "stco"}) {
                int box = beginFull(out, empty, 0, 0);
                out.writeInt(0);
                end(out, box);
            }
            int stsz = beginFull(out, "stsz", 0, 0);
            out.writeInt(0).writeInt(0);
            end(out, stsz);
        }
        end(out, stbl);
        end(out, minf);
        end(out, mdia);
        end(out, trak);
    }

    private static void writeVisualSampleEntry(ByteBuf out, TrackFormat format, int width, int height) {
        Codec codec = format.codec();
        int entry = begin(out, codec.fourCc());
        out.writeZero(6).writeShort(1);                    // reserved, data_reference_index
        out.writeZero(16);                                 // pre_defined, reserved, pre_defined[3]
        out.writeShort(width).writeShort(height);
        out.writeInt(0x0048_0000).writeInt(0x0048_0000);   // 72 dpi
        out.writeInt(0).writeShort(1);                     // reserved, frame_count
        out.writeZero(32);                                 // compressorname
        out.writeShort(0x0018).writeShort(0xFFFF);         // depth, pre_defined = -1
        int config = begin(out, switch (codec) {
            case H264 -> "avcC";
            case H265 -> "hvcC";
            default -> "av1C";
        });
        format.writeConfig(out);
        end(out, config);
        end(out, entry);
    }

    private static void writeAudioSampleEntry(ByteBuf out, TrackFormat format) {
        Codec codec = format.codec();
        AudioParameters audio = format.audio().orElse(new AudioParameters(44_100, 2, ""));
        int rate = codec == Codec.OPUS ? 48_000 : audio.sampleRate();
        int entry = begin(out, codec == Codec.OPUS ? "Opus" : "mp4a");
        out.writeZero(6).writeShort(1);                    // reserved, data_reference_index
        out.writeZero(8);                                  // reserved
        out.writeShort(audio.channels()).writeShort(16);   // channelcount, samplesize
        out.writeShort(0).writeShort(0);                   // pre_defined, reserved
        out.writeInt(rate <= 0xFFFF ? rate << 16 : 0);     // samplerate, 16.16; the timescale says a higher one
        if (codec == Codec.OPUS) {
            writeDops(out, format);
        } else {
            writeEsds(out, format);
        }
        end(out, entry);
    }

    /** The elementary stream descriptor of AAC or MP3 (ISO/IEC 14496-1 7.2.6.5, 7.2.6.6; 14496-14 3.1.2). */
    private static void writeEsds(ByteBuf out, TrackFormat format) {
        boolean aac = format.codec() == Codec.AAC;
        int specific = aac ? format.configLength() : 0;
        int decoderConfig = 13 + (aac ? descriptorSize(specific) : 0);
        int esDescriptor = 3 + descriptorSize(decoderConfig) + descriptorSize(1);
        int esds = beginFull(out, "esds", 0, 0);
        writeDescriptorHeader(out, 0x03, esDescriptor);     // ES_Descriptor
        out.writeShort(0).writeByte(0);                    // ES_ID, flags
        writeDescriptorHeader(out, 0x04, decoderConfig);    // DecoderConfigDescriptor
        out.writeByte(aac ? 0x40 : 0x6B);                  // objectTypeIndication: AAC, MPEG-1 audio
        out.writeByte(0x15);                               // streamType audio (5), upStream 0, reserved 1
        out.writeMedium(0).writeInt(0).writeInt(0);        // bufferSizeDB, maxBitrate, avgBitrate
        if (aac) {
            writeDescriptorHeader(out, 0x05, specific);     // DecoderSpecificInfo: the AudioSpecificConfig
            format.writeConfig(out);
        }
        writeDescriptorHeader(out, 0x06, 1);                // SLConfigDescriptor
        out.writeByte(0x02);                               // predefined: MP4
        end(out, esds);
    }

    /** The Opus specific box: the OpusHead's fields, big-endian, without its magic (Opus in ISOBMFF 4.3.2). */
    private static void writeDops(ByteBuf out, TrackFormat format) {
        OpusHead head = OpusHead.parse(format.config());
        int dops = begin(out, "dOps");
        out.writeByte(0);                                  // Version
        out.writeByte(head.channelCount());
        out.writeShort(head.preSkip());
        out.writeInt((int) head.inputSampleRate());
        out.writeShort(head.outputGain());
        out.writeByte(head.mappingFamily());
        if (head.mappingFamily() != 0) {
            out.writeByte(head.streamCount()).writeByte(head.coupledCount());
            out.writeBytes(head.channelMapping());
        }
        end(out, dops);
    }

    private static int descriptorSize(int payload) {
        int lengthBytes = payload < 0x80 ? 1 : payload < 0x4000 ? 2 : payload < 0x20_0000 ? 3 : 4;
        return 1 + lengthBytes + payload;
    }

    /** A descriptor's tag and its size in as few 7-bit groups as it needs (14496-1 8.3.3). */
    private static void writeDescriptorHeader(ByteBuf out, int tag, int size) {
        out.writeByte(tag);
        int groups = size < 0x80 ? 1 : size < 0x4000 ? 2 : size < 0x20_0000 ? 3 : 4;
        for (int g = groups - 1; g >= 0; g--) {
            out.writeByte((size >>> (7 * g)) & 0x7F | (g > 0 ? 0x80 : 0));
        }
    }

    private static int timescale(TrackFormat format) {
        if (format.type() == MediaType.VIDEO) {
            return VIDEO_TIMESCALE;
        }
        if (format.codec() == Codec.OPUS) {
            return 48_000;
        }
        return format.audio().map(AudioParameters::sampleRate).filter(r -> r > 0).orElse(44_100);
    }

    /** A sample's duration until a track has shown its own: 1/25 s of video, an AAC frame, 20 ms of Opus, an MP3 frame. */
    private static long defaultDuration(TrackFormat format, int timescale) {
        return switch (format.codec()) {
            case AAC -> 1024;
            case OPUS -> 960;
            case MP3 -> 1152;
            default -> timescale / 25;
        };
    }

    private static void writeMatrix(ByteBuf out) {
        for (int v : IDENTITY_MATRIX) {
            out.writeInt(v);
        }
    }
}
