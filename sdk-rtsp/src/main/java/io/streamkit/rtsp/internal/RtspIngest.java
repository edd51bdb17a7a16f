package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.format.rtp.AacRtpDepacketizer;
import io.streamkit.format.rtp.LatmRtpDepacketizer;
import io.streamkit.format.rtp.H264RtpDepacketizer;
import io.streamkit.format.rtp.H265RtpDepacketizer;
import io.streamkit.format.rtp.RtcpPacket;
import io.streamkit.format.rtp.RtpAccessUnit;
import io.streamkit.format.rtp.RtpPacket;
import io.streamkit.format.rtp.RtpUnwrapper;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a publisher's RTP (RECORD over TCP interleaved) into tracks and frames: each media of the
 * announced SDP is depacketized ({@code io.streamkit.format.rtp}), its RTP times put on the
 * session's clock, and its access units written to the engine. Runs on the connection's event
 * loop; packets are owned here once handed in.
 *
 * <p><b>Times.</b> A track's times start at its first access unit. Where the publisher has
 * sent a sender report (RTCP SR) for the track by then, as ffmpeg does before its first packet,
 * the report's wall clock places that unit, so tracks line up as the publisher captured them;
 * otherwise its arrival does. Each track's clock then runs on its RTP timestamps, unwrapped to
 * 64 bits. Video gets decoding times from {@link DecodeTimes}.
 *
 * <p><b>Tracks.</b> A track is added when its format is known: at once from the SDP's
 * parameters, or, for H.264 and H.265 without {@code sprop-*} (cameras that send parameter sets
 * in band), from the first access unit that holds them. Access units before then are dropped and
 * counted.
 */
final class RtspIngest implements AutoCloseable {
    private final Publisher publisher;
    private final ByteBufAllocator alloc;
    private final int maxAccessUnitSize;
    private final Media[] byChannel = new Media[128];
    private final List<Media> media = new ArrayList<>(2);
    private final long startNanos = System.nanoTime();
    private long senderClockOffset = Long.MIN_VALUE;   // sender's wall clock minus our session clock, µs
    private long dropped;

    RtspIngest(Publisher publisher, ByteBufAllocator alloc, int maxAccessUnitSize) {
        this.publisher = publisher;
        this.alloc = alloc;
        this.maxAccessUnitSize = maxAccessUnitSize;
    }

    Publisher publisher() {
        return publisher;
    }

    /** Access units and packets dropped: before their track's format, of unknown channels, or malformed. */
    long dropped() {
        return dropped;
    }

    /**
     * Adds an announced media on its interleaved channels.
     *
     * @param rtpChannel the even channel of its RTP; RTCP is the next
     * @param format what the SDP says it carries
     * @throws MediaFormatException when the engine's track limit is reached
     */
    void add(int rtpChannel, RtpTrackFormat format) {
        Media m = new Media(format, depacketizer(format));
        byChannel[rtpChannel >> 1] = m;
        media.add(m);
        if (format.format() != null) {
            m.track = addTrack(format.format());
        }
    }

    private Depacketizer depacketizer(RtpTrackFormat format) {
        Codec codec = format.codec();
        return switch (codec) {
            case H264 -> {
                H264RtpDepacketizer d = new H264RtpDepacketizer(alloc, maxAccessUnitSize);
                yield new Depacketizer(d::feed, d::next, d::close);
            }
            case H265 -> {
                H265RtpDepacketizer d = new H265RtpDepacketizer(alloc, maxAccessUnitSize);
                yield new Depacketizer(d::feed, d::next, d::close);
            }
            case AAC -> {
                if (format.latm() != null) {
                    LatmRtpDepacketizer d = new LatmRtpDepacketizer(alloc, LatmRtpDepacketizer.DEFAULT_MAX_ELEMENT_SIZE,
                            format.latm(), format.clockRate());
                    yield new Depacketizer(d::feed, d::next, d::close);
                }
                AacRtpDepacketizer d = new AacRtpDepacketizer();
                yield new Depacketizer(d::feed, d::next, d::close);
            }
            default -> {
                // Opus (RFC 7587): a payload is a frame. MP3 (RFC 2250 3.5): a frame behind 4 bytes, 2 of
                // them the offset of a fragment; fragments of frames over a packet are dropped.
                boolean mpa = codec == Codec.MP3;
                ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>(2);
                yield new Depacketizer(packet -> {
                    try {
                        RtpPacket p = RtpPacket.parse(packet);
                        ByteBuf payload = p.payload(packet);
                        if (mpa && (payload.readableBytes() <= 4 || payload.getUnsignedShort(payload.readerIndex() + 2) != 0)) {
                            dropped++;
                        } else if (payload.isReadable()) {
                            ByteBuf frame = mpa ? payload.skipBytes(4) : payload;
                            ready.add(new RtpAccessUnit(frame.retain(), p.timestamp(), true));
                        }
                    } catch (MediaFormatException e) {
                        dropped++;
                    } finally {
                        packet.release();
                    }
                }, ready::poll, () -> ready.forEach(RtpAccessUnit::release));
            }
        };
    }

    /**
     * Takes an interleaved frame of the publisher.
     *
     * @param frame the frame; released here
     */
    void frame(InterleavedFrame frame) {
        int channel = frame.channel();
        Media m = byChannel[(channel >> 1) & 0x7F];
        if (m == null) {
            dropped++;
            frame.release();
            return;
        }
        if ((channel & 1) == 1) {
            try {
                List<RtcpPacket.SenderReport> reports = RtcpPacket.senderReports(frame.content());
                if (!reports.isEmpty()) {
                    RtcpPacket.SenderReport sr = reports.get(reports.size() - 1);
                    long sender = RtcpPacket.epochMicros(sr.ntpTime());
                    if (senderClockOffset == Long.MIN_VALUE) {
                        senderClockOffset = sender - sessionMicros();
                    }
                    m.report = sr;
                }
            } finally {
                frame.release();
            }
            return;
        }
        m.depacketizer.feed.accept(frame.content());
        RtpAccessUnit au;
        while ((au = m.depacketizer.next.get()) != null) {
            write(m, au);
        }
    }

    private long sessionMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    private void write(Media m, RtpAccessUnit au) {
        try {
            if (m.track == null) {
                TrackFormat inBand = inBandFormat(m.format.codec(), au.content());
                if (inBand == null) {
                    dropped++;
                    return;
                }
                m.track = addTrack(inBand);
            }
            long ticks = m.clock.unwrap(au.timestamp());
            if (!m.timed) {
                m.timed = true;
                m.originTicks = ticks;
                if (m.report != null && senderClockOffset != Long.MIN_VALUE) {
                    int sinceReport = (int) (au.timestamp() - m.report.rtpTime());
                    m.originMicros = RtcpPacket.epochMicros(m.report.ntpTime()) - senderClockOffset
                            + (long) sinceReport * 1_000_000 / m.format.clockRate();
                } else {
                    m.originMicros = sessionMicros();
                }
                m.originMicros = Math.max(0, m.originMicros);
            }
            long pts = m.originMicros + (ticks - m.originTicks) * 1_000_000 / m.format.clockRate();
            long dts = m.times.next(Math.max(0, pts));
            ByteBuf payload = au.content().retain();
            publisher.write(m.track, dts, m.times.pts(), au.keyframe(), payload);
        } finally {
            au.release();
        }
    }

    /** The format an access unit's parameter sets make (4-byte NAL lengths), or {@code null} when it lacks them. */
    static TrackFormat inBandFormat(Codec codec, ByteBuf au) {
        if (codec != Codec.H264 && codec != Codec.H265) {
            return null;
        }
        List<byte[]> vps = new ArrayList<>(1);
        List<byte[]> sps = new ArrayList<>(1);
        List<byte[]> pps = new ArrayList<>(1);
        int at = au.readerIndex();
        int end = au.writerIndex();
        while (end - at >= 4) {
            long size = au.getUnsignedInt(at);
            at += 4;
            if (size == 0 || size > end - at) {
                return null;
            }
            int header = au.getUnsignedByte(at);
            int type = codec == Codec.H264 ? header & 0x1F : (header >> 1) & 0x3F;
            byte[] nal = new byte[(int) size];
            if (codec == Codec.H264 ? type == 7 || type == 8 : type >= 32 && type <= 34) {
                au.getBytes(at, nal);
                (codec == Codec.H264 ? (type == 7 ? sps : pps) : (type == 32 ? vps : type == 33 ? sps : pps)).add(nal);
            }
            at += (int) size;
        }
        if (sps.isEmpty() || pps.isEmpty() || codec == Codec.H265 && vps.isEmpty()) {
            return null;
        }
        ByteBuf config = io.netty.buffer.Unpooled.buffer();
        try {
            if (codec == Codec.H264) {
                AvcDecoderConfigurationRecord.of(sps, pps, 4).writeTo(config);
            } else {
                HevcDecoderConfigurationRecord.of(vps, sps, pps, 4).writeTo(config);
            }
            return TrackFormat.of(codec, config);
        } catch (MediaFormatException e) {
            return null;
        } finally {
            config.release();
        }
    }

    private Track addTrack(TrackFormat format) {
        try {
            return publisher.addTrack(format);
        } catch (IllegalStateException tooMany) {
            throw new MediaFormatException(format.codec() + " track: " + tooMany.getMessage());
        }
    }

    @Override
    public void close() {
        for (Media m : media) {
            m.depacketizer.close.run();
        }
        media.clear();
    }

    /** A depacketizer's three operations, whatever its codec. */
    private record Depacketizer(java.util.function.Consumer<ByteBuf> feed,
                                java.util.function.Supplier<RtpAccessUnit> next, Runnable close) {
    }

    /** One announced media. */
    private static final class Media {
        final RtpTrackFormat format;
        final Depacketizer depacketizer;
        final RtpUnwrapper clock = RtpUnwrapper.timestamp();
        final DecodeTimes times = new DecodeTimes();
        Track track;
        RtcpPacket.SenderReport report;
        boolean timed;
        long originTicks;
        long originMicros;

        Media(RtpTrackFormat format, Depacketizer depacketizer) {
            this.format = format;
            this.depacketizer = depacketizer;
        }
    }
}
