package io.streamkit.rtsp.internal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.rtsp.RtspProtocolException;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The RTSP client's side of a pull: DESCRIBE, a SETUP per track this server takes, PLAY, then the
 * RTP into an {@link RtspIngest} that publishes the local stream. RTP comes interleaved in the
 * connection, or over UDP to a port pair per track ({@link RtspClientUdp}) when the URL says
 * {@code #transport=udp}. Requests, authorization, keep-alives and deadlines are
 * {@link RtspClientHandler}'s.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>time from the connection to PLAY's answer</td><td>{@value RtspClientHandler#START_TIMEOUT_SECONDS} s</td><td>the pull fails</td></tr>
 *   <tr><td>silence once playing</td><td>{@value RtspClientHandler#IDLE_TIMEOUT_SECONDS} s</td><td>the pull ends</td></tr>
 *   <tr><td>packets over UDP before PLAY's answer</td><td>{@value #MAX_EARLY_PACKETS}</td><td>held, then taken in
 *     order; the rest dropped</td></tr>
 *   <tr><td>no RTP over UDP, from PLAY on</td><td>{@value #UDP_SILENCE_SECONDS} s</td><td>the pull fails, saying
 *     that UDP may not pass between the camera and this server</td></tr>
 *   <tr><td>response head, SDP</td><td>{@value RtspClientHandler#MAX_HEAD} bytes, {@value RtspClientHandler#MAX_BODY} bytes</td><td>the pull fails</td></tr>
 *   <tr><td>tracks set up</td><td>{@value RtspConnectionHandler#MAX_TRACKS}</td><td>the rest are not set up</td></tr>
 * </table>
 */
final class RtspPullHandler extends RtspClientHandler {
    /** The protocol the local publisher reports. */
    static final String PROTOCOL = "rtsp-pull";
    /**
     * Packets over UDP held until PLAY's answer: a camera starts sending as it answers, and the
     * first packets, a keyframe's, can come on their socket before the answer on the connection.
     * A keyframe of a few hundred kilobytes; past it they are dropped.
     */
    static final int MAX_EARLY_PACKETS = 256;
    /** Time without RTP over UDP that ends a pull: the RTSP connection's keep-alives would hide a dead UDP path. */
    static final int UDP_SILENCE_SECONDS = 10;

    private final Function<PublishOptions, Publisher> publish;
    private final int maxAccessUnitSize;
    private String base;
    private String aggregate;   // the session's control URL: PLAY, keep-alives, TEARDOWN
    private final List<RtpTrackFormat> tracks = new ArrayList<>();
    private final List<String> controls = new ArrayList<>();
    private final List<Integer> channels = new ArrayList<>();
    private final List<RtspClientUdp> udp = new ArrayList<>();
    private final List<Integer> serverPorts = new ArrayList<>();
    private ScheduledFuture<?> udpWatch;
    private long udpPacketsSeen = -1;
    private boolean ended;
    private final java.util.ArrayDeque<InterleavedFrame> early = new java.util.ArrayDeque<>();   // UDP before PLAY's answer
    private RtspIngest ingest;
    private volatile long mediaBytes;

    RtspPullHandler(RtspUrl url, Function<PublishOptions, Publisher> publish, int maxAccessUnitSize, Events events) {
        super(url, events);
        this.publish = publish;
        this.maxAccessUnitSize = maxAccessUnitSize;
    }

    @Override
    long mediaBytes() {
        return mediaBytes;
    }

    @Override
    void begin() {
        request("DESCRIBE", url.requestUrl(), null, "Accept: application/sdp");
    }

    @Override
    void answered(String method, FullHttpResponse r) {
        switch (method) {
            case "DESCRIBE" -> described(r);
            case "SETUP" -> setUp(r);
            case "PLAY" -> playing();
            default -> {
            }
        }
    }

    @Override
    void frame(InterleavedFrame frame) {
        if (ingest == null && !ended && url.udp() && early.size() < MAX_EARLY_PACKETS) {
            early.add(frame);
            return;
        }
        if (ingest == null || ended) {
            frame.release();
            return;
        }
        mediaBytes += frame.content().readableBytes();
        try {
            ingest.frame(frame);
        } catch (MediaFormatException e) {
            fail(e);
        }
    }

    private void described(FullHttpResponse r) {
        SessionDescription sdp = SessionDescription.parse(r.content().toString(StandardCharsets.UTF_8));
        String contentBase = r.headers().get("Content-Base");
        String location = r.headers().get("Content-Location");
        base = contentBase != null ? contentBase : location != null ? location : url.requestUrl();
        aggregate = resolve(sdp.control());
        for (MediaDescription m : sdp.media()) {
            if (tracks.size() >= RtspConnectionHandler.MAX_TRACKS) {
                break;
            }
            RtpFormats.parse(m).ifPresent(f -> {
                tracks.add(f);
                controls.add(resolve(f.control() != null ? f.control() : m.control()));
            });
        }
        if (tracks.isEmpty()) {
            throw new MediaFormatException(url.display() + " offers no track this server takes (H.264, H.265, AAC, Opus, MP3, G.711)");
        }
        setupNext();
    }

    /** A control URL, absolute (RFC 2326 C.1.1). */
    private String resolve(String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        if (control.toLowerCase(Locale.ROOT).startsWith("rtsp://")) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    private void setupNext() {
        int channel = channels.size() * 2;
        String control = controls.get(channels.size());
        if (!url.udp()) {
            request("SETUP", control, null, "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1));
            return;
        }
        InetAddress local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress();
        InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        RtspClientUdp.bind(ctx.channel().eventLoop(), local, peer, channel, this::frame).addListener(
                (Future<RtspClientUdp> f) -> {
                    if (!f.isSuccess()) {
                        fail(f.cause());
                    } else if (ended || !ctx.channel().isActive()) {
                        f.getNow().close();
                    } else {
                        RtspClientUdp pair = f.getNow();
                        udp.add(pair);
                        request("SETUP", control, null, "Transport: RTP/AVP;unicast;client_port=" + pair.rtpPort()
                                + "-" + (pair.rtpPort() + 1));
                    }
                });
    }

    private void setUp(FullHttpResponse r) {
        String transport = r.headers().get("Transport");
        RtspTransport t = RtspTransport.parse(transport);
        if (url.udp()) {
            if (t != null && t.tcp()) {
                throw new RtspProtocolException("SETUP " + url.display() + " answered RTP over TCP to a request for UDP");
            }
            int serverPort = RtspTransport.serverPort(transport);
            serverPorts.add(serverPort < 0 ? -1 : serverPort + 1);
        }
        channels.add(t != null && t.tcp() && t.channel() >= 0 ? t.channel() : channels.size() * 2);
        if (channels.size() < tracks.size()) {
            setupNext();
        } else {
            request("PLAY", aggregate, null, "Range: npt=0.000-");
        }
    }

    private void playing() {
        if (ingest != null) {
            return;
        }
        Publisher publisher = publish.apply(PublishOptions.defaults().protocol(PROTOCOL));
        RtspIngest in = new RtspIngest(publisher, ctx.alloc(), maxAccessUnitSize);
        try {
            for (int i = 0; i < tracks.size(); i++) {
                in.add(channels.get(i), tracks.get(i));
            }
        } catch (RuntimeException e) {
            in.close();
            publisher.abort();
            throw e;
        }
        ingest = in;
        started(aggregate);
        for (InterleavedFrame f; (f = early.poll()) != null; ) {
            frame(f);
        }
        for (int i = 0; i < udp.size(); i++) {
            udp.get(i).start(serverPorts.get(i));
        }
        if (url.udp()) {
            udpPacketsSeen = 0;
            udpWatch = ctx.executor().scheduleAtFixedRate(this::watchUdp, UDP_SILENCE_SECONDS, UDP_SILENCE_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    /** Fails the pull when no RTP came over UDP since the last look. */
    private void watchUdp() {
        long packets = 0;
        for (RtspClientUdp pair : udp) {
            packets += pair.packets();
        }
        if (packets == udpPacketsSeen) {
            fail(new RtspProtocolException(url.display() + " sent no RTP over UDP for " + UDP_SILENCE_SECONDS
                    + " s" + (packets == 0 ? " (does UDP pass between it and this server? #transport=tcp pulls over"
                    + " the RTSP connection)" : "")));
        }
        udpPacketsSeen = packets;
    }

    @Override
    void stop() {
        if (ingest != null) {
            ingest.publisher().close();
        }
        stop(aggregate);
    }

    @Override
    void ended(Throwable failure) {
        ended = true;
        early.forEach(InterleavedFrame::release);
        early.clear();
        if (udpWatch != null) {
            udpWatch.cancel(false);
        }
        for (RtspClientUdp pair : udp) {
            pair.close();
        }
        if (ingest != null) {
            if (failure != null) {
                ingest.publisher().abort();
            } else {
                ingest.publisher().close();
            }
            ingest.close();
        }
    }
}
