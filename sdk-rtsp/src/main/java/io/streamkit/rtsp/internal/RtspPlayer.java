package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.socket.DatagramPacket;
import io.streamkit.format.rtp.RtcpPacket;
import io.streamkit.server.internal.LoopPlayerOutput;
import io.streamkit.server.internal.LoopPlayerOutputs;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One RTSP player: a {@link Subscriber} on its connection's event loop that sends the tracks it
 * set up as RTP, each frame's packets shared with the loop's other RTSP players
 * ({@link RtpEncoding}): over TCP interleaved in the connection, through the server's one player
 * write path; over UDP from the server's RTP port to the player's.
 *
 * <p>A sender report (RTCP SR) maps the track's RTP time to one wall clock shared by the
 * player's tracks, which is how RTP receivers line audio up with video. One goes before a track's
 * first packet (ffmpeg times every packet from it), one before its second frame (GStreamer's
 * rtpbin syncs only on a report that comes after the first packet, and at the next one, had it
 * waited, it would move a track's times by what it got wrong meanwhile), then every
 * {@value #REPORT_SECONDS} s.
 */
final class RtspPlayer implements Subscriber {
    static final int REPORT_SECONDS = 5;
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    /** Where one track goes: interleaved channels, or the player's UDP ports. */
    static final class Out {
        final int rtpChannel;
        final InetSocketAddress rtp;
        final InetSocketAddress rtcp;
        RtpEncoding.TrackState state;
        Track track;
        long lastReportNanos;
        int reports;
        long frames;
        long packets;
        long octets;

        private Out(int rtpChannel, InetSocketAddress rtp, InetSocketAddress rtcp) {
            this.rtpChannel = rtpChannel;
            this.rtp = rtp;
            this.rtcp = rtcp;
        }

        static Out tcp(int rtpChannel) {
            return new Out(rtpChannel, null, null);
        }

        static Out udp(InetSocketAddress rtp, InetSocketAddress rtcp) {
            return new Out(-1, rtp, rtcp);
        }

        boolean isUdp() {
            return rtp != null;
        }
    }

    private final Channel channel;
    private final ChannelOutboundInvoker media;
    private final Map<Integer, Out> outs;   // by track id
    private final RtspUdp udp;
    private final LoopPlayerOutput output;
    private final boolean anyTcp;
    private final String cname;
    private final List<DatagramPacket> datagrams = new ArrayList<>();
    private long wallOriginMicros;
    private long mediaOriginMicros = Long.MIN_VALUE;
    private boolean ended;
    private Runnable onEnd = () -> { };

    /**
     * @param channel the player's RTSP connection
     * @param media where interleaved bytes are written from: below the RTSP encoder
     * @param outs where each track id's packets go
     * @param udp the server's UDP ports, or {@code null} when the player is all TCP
     * @param batch the loop's write batch, or {@code null}
     */
    RtspPlayer(Channel channel, ChannelOutboundInvoker media, Map<Integer, Out> outs, RtspUdp udp, WriteBatch batch) {
        this.channel = channel;
        this.media = media;
        this.outs = new HashMap<>(outs);
        this.udp = udp;
        this.anyTcp = outs.values().stream().anyMatch(o -> !o.isUdp());
        this.output = LoopPlayerOutputs.open(media, channel, RtpEncoding.CACHE, batch);
        this.cname = "streamkit";
    }

    @Override
    public void onTrack(Track track) {
        if (ended) {
            return;   // stopped before the engine attached it (a PAUSE or TEARDOWN right after PLAY)
        }
        Out out = outs.get(track.id());
        if (out != null && out.track == null) {
            out.track = track;
            out.state = RtpEncoding.use(track);
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        Out out = outs.get(frame.track().id());
        if (out == null || ended || !RtpEncoding.carries(frame.track().codec())) {
            return;
        }
        if (out.track != frame.track()) {
            if (out.track != null) {
                RtpEncoding.release(out.track);
            }
            out.track = frame.track();
            out.state = RtpEncoding.use(out.track);
            out.reports = 0;
            out.frames = 0;
        }
        if (mediaOriginMicros == Long.MIN_VALUE) {
            mediaOriginMicros = frame.pts();
            wallOriginMicros = System.currentTimeMillis() * 1000;
        }
        long now = System.nanoTime();
        if (out.reports == 0 || out.reports == 1 && out.frames == 1
                || now - out.lastReportNanos > TimeUnit.SECONDS.toNanos(REPORT_SECONDS)) {
            out.lastReportNanos = now;
            out.reports++;
            report(out, frame);
        }
        out.frames++;
        if (out.isUdp()) {
            SharedEncoding.Parts parts = RtpEncoding.CACHE.acquire(channel.alloc(), frame, RtpEncoding.UDP, out.state.ssrc);
            try {
                for (int i = 0; i + 1 < parts.count(); i += 2) {
                    ByteBuf packet = channel.alloc().compositeDirectBuffer(2)
                            .addComponent(true, parts.get(i).retainedDuplicate())
                            .addComponent(true, parts.get(i + 1).retainedDuplicate());
                    out.octets += packet.readableBytes() - io.streamkit.format.rtp.RtpPacket.HEADER_SIZE;
                    out.packets++;
                    datagrams.add(new DatagramPacket(packet, out.rtp));
                }
            } finally {
                parts.release();
            }
        } else {
            int bytes = output.frame(frame, out.rtpChannel, out.state.ssrc);   // the SSRC keys the form to the state
            out.octets += bytes;
            out.packets += (frame.payload().readableBytes() + RtpEncoding.MAX_PAYLOAD - 1) / RtpEncoding.MAX_PAYLOAD;
        }
    }

    /** Sends a track's sender report, at the time of the frame about to go. */
    private void report(Out out, MediaFrame frame) {
        long micros = wallOriginMicros + frame.pts() - mediaOriginMicros;
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long fraction = (Math.floorMod(micros, 1_000_000L) << 32) / 1_000_000L;
        long ntp = (seconds + NTP_UNIX_OFFSET_SECONDS) << 32 | fraction;
        out.state.format(frame.track().format());   // the clock of the track's format now
        long rtpTime = RtpEncoding.rtpTime(frame.pts(), out.state.clockRate);
        ByteBuf report = channel.alloc().buffer(64);
        int at = out.isUdp() ? 0 : InterleavedFrame.HEADER_SIZE;
        report.writerIndex(at);
        RtcpPacket.writeSenderReport(report, out.state.ssrc, ntp, rtpTime, out.packets, out.octets, cname);
        if (out.isUdp()) {
            datagrams.add(new DatagramPacket(report, out.rtcp));
        } else {
            report.setByte(0, '$').setByte(1, out.rtpChannel + 1).setShort(2, report.readableBytes() - at);
            output.control(report);
        }
    }

    @Override
    public void onFlush() {
        if (anyTcp) {
            output.endOfBatch();
        }
        if (!datagrams.isEmpty()) {
            udp.send(datagrams);
            datagrams.clear();
        }
    }

    @Override
    public boolean writable() {
        return anyTcp ? output.writable() : udp.writable();
    }

    /** Runs a task when the stream ends this player (a push closes its connection then). */
    void onEnd(Runnable task) {
        this.onEnd = task;
    }

    /** RTP and RTCP bytes sent so far. */
    long bytes() {
        long sum = 0;
        for (Out out : outs.values()) {
            sum += out.octets;
        }
        return sum;
    }

    @Override
    public void onEnd(EndReason reason) {
        end(channel.isActive() && reason != EndReason.CANCELLED);
        onEnd.run();
    }

    /** Stops sending: what is queued is written ({@code flush}) or dropped. On the event loop; idempotent. */
    void end(boolean flush) {
        if (ended) {
            return;
        }
        ended = true;
        if (flush) {
            output.finish();
            if (!datagrams.isEmpty()) {
                udp.send(datagrams);
            }
        } else {
            output.abandon();
            datagrams.forEach(DatagramPacket::release);
        }
        datagrams.clear();
        for (Out out : outs.values()) {
            if (out.track != null) {
                RtpEncoding.release(out.track);
                out.track = null;
            }
        }
    }
}
