package io.streamkit.format.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.ExternalTool;
import io.streamkit.test.FlvFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The 2 s H.264+AAC FLV fixture (160x120, 50 video and 88 audio frames) written as fragmented
 * MP4, one fragment per video keyframe: the boxes' structure and contents, and what ffprobe and
 * ffmpeg make of the file.
 */
class Fmp4WriterTest {
    private StreamEngine engine;
    private Publisher publisher;
    private Track video;
    private Track audio;
    private FlvFixture fixture;
    private List<MediaFrame> frames;

    @BeforeEach
    void load() {
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("test", "fmp4"));
        fixture = FlvFixture.load(FlvFixture.H264_AAC, publisher);
        video = fixture.video();
        audio = fixture.audio();
        frames = fixture.frames();
    }

    @AfterEach
    void release() {
        fixture.close();
        publisher.close();
        engine.close();
    }

    /** Init segment, then one fragment per video keyframe, as a recorder writes them. */
    private ByteBuf file(Fmp4Writer writer) {
        ByteBuf out = Unpooled.buffer();
        writer.writeInit(out);
        List<MediaFrame> fragment = new ArrayList<>();
        for (MediaFrame frame : frames) {
            if (frame.track() == video && frame.keyframe() && !fragment.isEmpty()) {
                writer.writeFragment(out, fragment);
                fragment.clear();
            }
            fragment.add(frame);
        }
        writer.writeFragment(out, fragment);
        return out;
    }

    @Test
    void theFileIsABoxTreeWithTheTracksConfigurationsAndEveryPayloadInOrder() {
        ByteBuf out = file(new Fmp4Writer(List.of(video, audio)));
        try {
            List<Box> top = Box.children(out, 0, out.writerIndex());
            assertEquals("ftyp", top.get(0).type);
            assertEquals("moov", top.get(1).type);
            assertEquals(out.writerIndex(), top.get(top.size() - 1).end, "the boxes tile the file");
            Box moov = top.get(1);
            assertEquals(List.of("mvhd", "trak", "trak", "mvex"), moov.children(out).stream().map(b -> b.type).toList());
            Box avcC = moov.find(out, "trak", "mdia", "minf", "stbl", "stsd+8", "avc1+78", "avcC");
            assertEquals(ByteBufUtil.hexDump(video.format().config()), ByteBufUtil.hexDump(out, avcC.body, avcC.end - avcC.body));
            Box esds = moov.children(out).get(2).find(out, "mdia", "minf", "stbl", "stsd+8", "mp4a+28", "esds");
            String asc = ByteBufUtil.hexDump(audio.format().config());
            assertTrue(ByteBufUtil.hexDump(out, esds.body, esds.end - esds.body).contains("05" + String.format("%02x",
                    audio.format().configLength()) + asc), "esds carries the AudioSpecificConfig as DecoderSpecificInfo");

            List<Box> fragments = top.subList(2, top.size());
            int moofs = 0;
            ByteBuf videoBytes = Unpooled.buffer();
            ByteBuf audioBytes = Unpooled.buffer();
            for (MediaFrame f : frames) {
                (f.track() == video ? videoBytes : audioBytes).writeBytes(f.payload().duplicate());
            }
            ByteBuf mdatVideo = Unpooled.buffer();
            ByteBuf mdatAudio = Unpooled.buffer();
            int videoSamples = 0;
            int audioSamples = 0;
            for (int i = 0; i < fragments.size(); i += 2) {
                Box moof = fragments.get(i);
                Box mdat = fragments.get(i + 1);
                assertEquals("moof", moof.type);
                assertEquals("mdat", mdat.type);
                moofs++;
                for (Box traf : moof.children(out)) {
                    if (!traf.type.equals("traf")) {
                        continue;
                    }
                    Box tfhd = traf.find(out, "tfhd");
                    int trackId = out.getInt(tfhd.body + 4);
                    Box trun = traf.find(out, "trun");
                    int count = out.getInt(trun.body + 4);
                    int dataOffset = out.getInt(trun.body + 8);
                    int sampleBytes = 0;
                    int entry = trackId == 1 ? 16 : 12;
                    for (int s = 0; s < count; s++) {
                        sampleBytes += out.getInt(trun.body + 12 + s * entry + 4);
                    }
                    (trackId == 1 ? mdatVideo : mdatAudio).writeBytes(out, moof.start + dataOffset, sampleBytes);
                    if (trackId == 1) {
                        videoSamples += count;
                        assertEquals(0x0200_0000, out.getInt(trun.body + 12 + 8), "a fragment starts at a keyframe");
                    } else {
                        audioSamples += count;
                    }
                }
            }
            long keyframes = frames.stream().filter(f -> f.track() == video && f.keyframe()).count();
            boolean leading = frames.get(0).track() != video || !frames.get(0).keyframe();
            assertEquals(2, keyframes, "the fixture's keyframes");
            assertEquals(keyframes + (leading ? 1 : 0), moofs,
                    "one fragment per video keyframe, and one for the frames before the first");
            assertEquals(50, videoSamples);
            assertEquals(88, audioSamples);
            assertEquals(ByteBufUtil.hexDump(videoBytes), ByteBufUtil.hexDump(mdatVideo), "video payloads, in order");
            assertEquals(ByteBufUtil.hexDump(audioBytes), ByteBufUtil.hexDump(mdatAudio), "audio payloads, in order");
            videoBytes.release();
            audioBytes.release();
            mdatVideo.release();
            mdatAudio.release();
        } finally {
            out.release();
        }
    }

    @Test
    void ffprobeReadsTheFileAndFfmpegDecodesItSilently(@TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        ExternalTool.require("ffmpeg");
        Path file = dir.resolve("fixture.mp4");
        ByteBuf out = file(new Fmp4Writer(List.of(video, audio)));
        try {
            Files.write(file, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
        String probe = ExternalTool.run(30, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,sample_rate:format=duration", "-of", "compact", file.toString());
        assertTrue(probe.contains("codec_name=h264|width=160|height=120|") && probe.contains("nb_read_frames=50"), probe);
        assertTrue(probe.contains("codec_name=aac|") && probe.contains("nb_read_frames=88"), probe);
        double duration = Double.parseDouble(probe.replaceAll("(?s).*duration=([0-9.]+).*", "$1"));
        assertEquals(2.0, duration, 0.1, probe);
        String errors = ExternalTool.run(60, "sh", "-c", "ffmpeg -nostdin -v error -i '" + file + "' -f null - 2>&1");
        assertEquals("", errors.trim(), "ffmpeg decodes the file without a message");
    }

    /**
     * The fragmented file finalised: the progressive head and the fragments' media copied after
     * it. ffprobe finds the same frames, the moov comes before the mdat, and ffmpeg decodes to
     * the same pictures and sound, frame for frame, as from the fragmented file.
     */
    @Test
    void theProgressiveFileHoldsTheSameFramesWithItsMoovFirst(@TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        ExternalTool.require("ffmpeg");
        Fmp4Writer writer = new Fmp4Writer(List.of(video, audio));
        ByteBuf fragmented = file(writer);
        ByteBuf progressive = Unpooled.buffer();
        Path fmp4 = dir.resolve("fragmented.mp4");
        Path mp4 = dir.resolve("progressive.mp4");
        try {
            assertEquals(fragmented.writerIndex(), writer.writtenBytes());
            writer.writeProgressiveHead(progressive);
            for (long[] range : writer.mediaRanges()) {
                progressive.writeBytes(fragmented, (int) range[0], (int) range[1]);
            }
            List<Box> top = Box.children(progressive, 0, progressive.writerIndex());
            assertEquals(List.of("ftyp", "moov", "mdat"), top.stream().map(b -> b.type).toList());
            Files.write(fmp4, ByteBufUtil.getBytes(fragmented));
            Files.write(mp4, ByteBufUtil.getBytes(progressive));
        } finally {
            fragmented.release();
            progressive.release();
        }
        String probe = ExternalTool.run(30, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "compact", mp4.toString());
        assertTrue(probe.contains("codec_name=h264|width=160|height=120|") && probe.contains("nb_read_frames=50"), probe);
        assertTrue(probe.contains("codec_name=aac|") && probe.contains("nb_read_frames=88"), probe);
        assertEquals(2.0, Double.parseDouble(probe.replaceAll("(?s).*duration=([0-9.]+).*", "$1")), 0.1, probe);
        assertEquals(decoded(fmp4), decoded(mp4), "the same decoded frames at the same times");
    }

    /**
     * {@link Mp4Reader} reads the progressive file's tables back: the tracks' formats, and for
     * every frame its bytes at the offset the tables give, its size, its keyframe flag, its
     * decode time from the first frame and its composition offset.
     */
    @Test
    void mp4ReaderReadsEverySampleBackFromTheProgressiveTables() {
        Fmp4Writer writer = new Fmp4Writer(List.of(video, audio));
        ByteBuf fragmented = file(writer);
        ByteBuf progressive = Unpooled.buffer();
        try {
            writer.writeProgressiveHead(progressive);
            for (long[] range : writer.mediaRanges()) {
                progressive.writeBytes(fragmented, (int) range[0], (int) range[1]);
            }
            Box moov = Box.children(progressive, 0, progressive.writerIndex()).get(1);
            Mp4Reader reader = Mp4Reader.read(progressive.slice(moov.start, moov.end - moov.start));
            assertEquals(List.of(video.format(), audio.format()), reader.tracks().stream().map(Track::format).toList());
            long origin = frames.get(0).dts();
            int[] next = new int[2];
            for (MediaFrame frame : frames) {
                int t = frame.track() == video ? 0 : 1;
                int i = next[t]++;
                ByteBuf payload = frame.payload();
                assertEquals(payload.readableBytes(), reader.size(t, i), "size of " + t + "/" + i);
                assertEquals(ByteBufUtil.hexDump(payload), ByteBufUtil.hexDump(progressive, (int) reader.offset(t, i),
                        reader.size(t, i)), "bytes of " + t + "/" + i);
                assertEquals(t == 1 || frame.keyframe(), reader.sync(t, i), "sync of " + t + "/" + i);
                long micros = reader.dts(t, i) * 1_000_000 / reader.timescale(t);
                assertEquals(frame.dts() - origin, micros, 1_000_000.0 / reader.timescale(t) + 1, "time of " + t + "/" + i);
                if (t == 0) {
                    assertEquals(frame.compositionOffset(), reader.compositionOffset(t, i) * 1_000_000L / reader.timescale(t),
                            12, "composition offset of " + i);
                }
            }
            assertEquals(50, reader.samples(0));
            assertEquals(88, reader.samples(1));
        } finally {
            fragmented.release();
            progressive.release();
        }
    }

    /**
     * A crash: the fragmented file cut in the middle of its last fragment. Recovery reads the
     * whole fragments before the cut, and the progressive file it makes holds exactly their
     * frames, which ffmpeg decodes to the same frames as the same fragments finalised by the
     * writer that wrote them; a file cut inside its init segment is refused.
     */
    @Test
    void aFileCutMidFragmentIsRecoveredUpToItsLastWholeFragment(@TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        Fmp4Writer writer = new Fmp4Writer(List.of(video, audio));
        ByteBuf whole = file(writer);
        try {
            List<long[]> ranges = writer.mediaRanges();
            long lastFragmentStart = ranges.get(ranges.size() - 1)[0] - 8;   // its mdat's header
            int cut = (int) (lastFragmentStart + 100);
            Fmp4Writer recovered = Fmp4Recovery.recover(whole.slice(0, cut));
            List<long[]> kept = recovered.mediaRanges();
            assertEquals(ranges.size() - 1, kept.size(), "the whole fragments before the cut");
            for (int i = 0; i < kept.size(); i++) {
                assertEquals(ranges.get(i)[0], kept.get(i)[0]);
                assertEquals(ranges.get(i)[1], kept.get(i)[1]);
            }
            ByteBuf mp4 = Unpooled.buffer();
            try {
                recovered.writeProgressiveHead(mp4);
                for (long[] range : kept) {
                    mp4.writeBytes(whole, (int) range[0], (int) range[1]);
                }
                Path file = dir.resolve("recovered.mp4");
                Files.write(file, ByteBufUtil.getBytes(mp4));
                long expectedVideo = 0;
                long expectedAudio = 0;
                int fragmentsKept = 0;
                for (int i = 0; i < frames.size() && fragmentsKept < kept.size() + 1; i++) {
                    MediaFrame f = frames.get(i);
                    if (f.track() == video && f.keyframe() && i > 0) {
                        fragmentsKept++;
                    }
                    if (fragmentsKept < kept.size()) {
                        if (f.track() == video) {
                            expectedVideo++;
                        } else {
                            expectedAudio++;
                        }
                    }
                }
                String probe = ExternalTool.run(30, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                        "stream=codec_name,nb_read_frames", "-of", "compact", file.toString());
                assertTrue(probe.contains("codec_name=h264|nb_read_frames=" + expectedVideo), probe);
                assertTrue(probe.contains("codec_name=aac|nb_read_frames=" + expectedAudio), probe);
            } finally {
                mp4.release();
            }
            ByteBuf cutInit = whole.slice(0, 200);   // inside the moov
            assertThrows(MediaFormatException.class, () -> Fmp4Recovery.recover(cutInit));
        } finally {
            whole.release();
        }
    }

    /** ffmpeg's framemd5 of the decoded frames: stream, pts and hash of each, the header left out. */
    private static List<String> decoded(Path file) {
        String md5 = ExternalTool.run(60, "ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "framemd5", "-");
        List<String> frames = new ArrayList<>();
        for (String line : md5.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(",\\s*");
            frames.add(f[0] + " " + f[2] + " " + f[5]);
        }
        assertTrue(frames.size() > 100, frames.size() + " frames decoded from " + file);
        return frames;
    }

    /**
     * Each sample entry as ffprobe reads it, from a real configuration record (the codec
     * fixtures) and ten frames of filler: codec, picture size, sample rate and channels come from
     * the entry alone.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "H265; /codec/hevc-main-642x362-25.hvcC; codec_name=hevc|width=642|height=362",
        "AV1; /codec/av1-aom-320x240-25.av1C; codec_name=av1|width=320|height=240",
        "AAC; /codec/aac-lc-48000-1.asc; codec_name=aac|sample_rate=48000|channels=1",
        "OPUS; ; codec_name=opus|sample_rate=48000|channels=2",
        "MP3; ; codec_name=mp3",
    })
    void ffprobeReadsEachSampleEntry(Codec codec, String config, String expected, @TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        ByteBuf record;
        if (config != null) {
            try (InputStream in = Fmp4WriterTest.class.getResourceAsStream(config)) {
                record = Unpooled.wrappedBuffer(in.readAllBytes());
            }
        } else if (codec == Codec.OPUS) {
            record = Unpooled.buffer();
            OpusHead.of(2, 312, 48_000, 0, 0, 1, 1, new byte[] {0, 1}).writeTo(record);
        } else {
            record = null;
        }
        Track track = publisher.addTrack(record == null ? TrackFormat.of(codec) : TrackFormat.of(codec, record));
        if (record != null) {
            record.release();
        }
        List<MediaFrame> filler = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            filler.add(MediaFrame.of(track, i * 20_000L, i * 20_000L, i % 5 == 0, io.streamkit.test.TestMedia.payload(i, 100)));
        }
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Writer writer = new Fmp4Writer(List.of(track));
            writer.writeInit(out);
            writer.writeFragment(out, filler);
            Path file = dir.resolve(codec + ".mp4");
            Files.write(file, ByteBufUtil.getBytes(out));
            String probe = ExternalTool.run(30, "ffprobe", "-v", "quiet", "-show_entries",
                    "stream=codec_name,width,height,sample_rate,channels", "-of", "compact", file.toString());
            assertTrue(probe.contains(expected), codec + ": " + probe);
        } finally {
            out.release();
            filler.forEach(MediaFrame::release);
        }
    }

    @Test
    void opusGetsADopsBoxOfItsHeadsFieldsBigEndian() {
        ByteBuf head = Unpooled.buffer();
        OpusHead.of(2, 312, 48_000, 0, 0, 1, 1, new byte[] {0, 1}).writeTo(head);
        Track opus = publisher.addTrack(TrackFormat.of(Codec.OPUS, head));
        head.release();
        ByteBuf out = Unpooled.buffer();
        try {
            new Fmp4Writer(List.of(opus)).writeInit(out);
            Box moov = Box.children(out, 0, out.writerIndex()).get(1);
            Box dops = moov.find(out, "trak", "mdia", "minf", "stbl", "stsd+8", "Opus+28", "dOps");
            // Version 0, 2 channels, pre-skip 312, 48 kHz, gain 0, mapping family 0
            assertEquals("0002013800" + "00bb80" + "000000", ByteBufUtil.hexDump(out, dops.body, dops.end - dops.body));
            Box mdhd = moov.find(out, "trak", "mdia", "mdhd");
            assertEquals(48_000, out.getInt(mdhd.body + 12), "Opus tracks count 48 kHz ticks");
        } finally {
            out.release();
        }
    }

    @Test
    void aCodecWithoutASampleEntryIsRefusedAtOnce() {
        Track vp9 = publisher.addTrack(TrackFormat.of(Codec.VP9));
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> new Fmp4Writer(List.of(vp9)));
        assertTrue(e.getMessage().contains("VP9"), e.getMessage());
    }

    /** A box in a buffer: its type, where it starts, where its body starts and where it ends. */
    private record Box(String type, int start, int body, int end) {

        static List<Box> children(ByteBuf buf, int from, int to) {
            List<Box> boxes = new ArrayList<>();
            for (int at = from; at < to; ) {
                int size = buf.getInt(at);
                assertTrue(size >= 8 && at + size <= to, "box at " + at + " of size " + size + " fits in " + to);
                boxes.add(new Box(buf.toString(at + 4, 4, StandardCharsets.US_ASCII), at, at + 8, at + size));
                at += size;
            }
            return boxes;
        }

        List<Box> children(ByteBuf buf) {
            return children(buf, body, end);
        }

        /**
         * Follows a path of box types down from this box; "type+n" skips n bytes of that box's
         * body (a full box's header, a sample entry's fields) before its children.
         */
        Box find(ByteBuf buf, String... path) {
            Box box = this;
            int skip = 0;
            for (String step : path) {
                String type = step.contains("+") ? step.substring(0, step.indexOf('+')) : step;
                Box parent = box;
                int from = parent.body + skip;
                box = children(buf, from, parent.end).stream().filter(b -> b.type.equals(type)).findFirst()
                        .orElseThrow(() -> new AssertionError("no " + type + " in " + parent.type));
                skip = step.contains("+") ? Integer.parseInt(step.substring(step.indexOf('+') + 1)) : 0;
            }
            return box;
        }
    }
}
