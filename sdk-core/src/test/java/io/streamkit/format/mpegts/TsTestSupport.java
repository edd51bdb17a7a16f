package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.format.flv.FlvAudioTag;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Tracks, the FLV fixture as frames, the muxing the golden test does, and a TS packet view. */
final class TsTestSupport {
    static final String FLV = "/format/flv/h264-aac-160x120-2s.flv";

    private TsTestSupport() {
    }

    /** A track whose format the test sets. */
    static final class TestTrack implements Track {
        private final int id;
        volatile TrackFormat format;

        TestTrack(int id, TrackFormat format) {
            this.id = id;
            this.format = format;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public StreamKey stream() {
            return StreamKey.of("test", "ts");
        }

        @Override
        public TrackFormat format() {
            return format;
        }

        @Override
        public TrackStats stats() {
            return new TrackStats(0, 0, 0, 0, 0);
        }
    }

    /** The FLV fixture's tracks and frames, in file order; close releases the frames. */
    static final class Fixture implements AutoCloseable {
        final TestTrack video = new TestTrack(0, null);
        final TestTrack audio = new TestTrack(1, null);
        final List<MediaFrame> frames = new ArrayList<>();
        /** FLV timestamps of the frames, milliseconds, in file order: dts and pts. */
        final List<long[]> flvTimes = new ArrayList<>();

        @Override
        public void close() {
            frames.forEach(MediaFrame::release);
            frames.clear();
        }

        List<Track> tracks() {
            return List.of(video, audio);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TsTestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Fixture loadFlv() {
        Fixture f = new Fixture();
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(resource(FLV)));
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf body = tag.body();
                    long ms = tag.timestamp();
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        FlvVideoTag v = FlvVideoTag.parse(body);
                        if (v.kind() == FlvPacketKind.CONFIG) {
                            f.video.format = TrackFormat.of(v.codec(), v.payload(body));
                        } else if (v.kind() == FlvPacketKind.FRAME) {
                            long pts = ms + v.compositionTime();
                            f.frames.add(MediaFrame.of(f.video, ms * 1000, pts * 1000, v.keyframe(),
                                    v.retainedPayload(body)));
                            f.flvTimes.add(new long[] {ms, pts});
                        }
                    } else if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
                        FlvAudioTag a = FlvAudioTag.parse(body);
                        if (a.kind() == FlvPacketKind.CONFIG) {
                            f.audio.format = TrackFormat.of(a.codec(), a.payload(body));
                        } else if (a.kind() == FlvPacketKind.FRAME) {
                            f.frames.add(MediaFrame.of(f.audio, ms * 1000, ms * 1000, true,
                                    a.retainedPayload(body)));
                            f.flvTimes.add(new long[] {ms, ms});
                        }
                    }
                } finally {
                    tag.release();
                }
            }
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        if (f.video.format == null || f.audio.format == null || f.video.codec() != Codec.H264) {
            f.close();
            throw new IllegalStateException("fixture lacks an H.264 or AAC sequence header");
        }
        return f;
    }

    /**
     * Muxes the fixture as the HLS segmenter will: one muxer, PAT and PMT at the start of
     * every segment, a new segment at each video keyframe; the segments concatenated.
     */
    static ByteBuf mux(Fixture f) {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(f.tracks());
        ByteBuf out = Unpooled.buffer();
        boolean tablesFresh = false;
        for (MediaFrame frame : f.frames) {
            boolean cut = frame.track() == f.video && frame.keyframe();
            if (out.writerIndex() == 0 || cut && !tablesFresh) {
                muxer.writeTables(out);
                tablesFresh = true;
            }
            muxer.writeFrame(out, frame);
            tablesFresh = false;
        }
        return out;
    }

    /** A parsed TS packet header with its adaptation field's flags and PCR. */
    record Packet(int index, int pid, boolean start, int continuity, boolean hasPayload, boolean hasAdaptation,
            boolean randomAccess, long pcr, int payloadOffset) {
    }

    static List<Packet> packets(ByteBuf ts) {
        if (ts.readableBytes() % 188 != 0) {
            throw new AssertionError("TS of " + ts.readableBytes() + " bytes is not a multiple of 188");
        }
        List<Packet> out = new ArrayList<>();
        for (int i = ts.readerIndex(), n = 0; i < ts.writerIndex(); i += 188, n++) {
            if (ts.getUnsignedByte(i) != 0x47) {
                throw new AssertionError("packet " + n + " has no sync byte");
            }
            int pid = ts.getUnsignedShort(i + 1) & 0x1fff;
            boolean start = (ts.getByte(i + 1) & 0x40) != 0;
            int b3 = ts.getUnsignedByte(i + 3);
            boolean af = (b3 & 0x20) != 0;
            boolean payload = (b3 & 0x10) != 0;
            boolean rai = false;
            long pcr = -1;
            int p = i + 4;
            if (af) {
                int length = ts.getUnsignedByte(p);
                if (length > 0) {
                    int flags = ts.getUnsignedByte(p + 1);
                    rai = (flags & 0x40) != 0;
                    if ((flags & 0x10) != 0) {
                        pcr = ts.getUnsignedInt(p + 2) << 1 | ts.getUnsignedByte(p + 6) >> 7;
                    }
                }
                p += 1 + length;
            }
            out.add(new Packet(n, pid, start, b3 & 0xf, payload, af, rai, pcr, p - i));
        }
        return out;
    }
}
