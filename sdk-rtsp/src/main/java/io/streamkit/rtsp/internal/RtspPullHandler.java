package io.streamkit.rtsp.internal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The RTSP client's side of a pull: DESCRIBE, a SETUP per track this server takes (RTP over TCP,
 * interleaved), PLAY, then the interleaved RTP into an {@link RtspIngest} that publishes the local
 * stream. Requests, authorization, keep-alives and deadlines are {@link RtspClientHandler}'s.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>time from the connection to PLAY's answer</td><td>{@value RtspClientHandler#START_TIMEOUT_SECONDS} s</td><td>the pull fails</td></tr>
 *   <tr><td>silence once playing</td><td>{@value RtspClientHandler#IDLE_TIMEOUT_SECONDS} s</td><td>the pull ends</td></tr>
 *   <tr><td>response head, SDP</td><td>{@value RtspClientHandler#MAX_HEAD} bytes, {@value RtspClientHandler#MAX_BODY} bytes</td><td>the pull fails</td></tr>
 *   <tr><td>tracks set up</td><td>{@value RtspConnectionHandler#MAX_TRACKS}</td><td>the rest are not set up</td></tr>
 * </table>
 */
final class RtspPullHandler extends RtspClientHandler {
    /** The protocol the local publisher reports. */
    static final String PROTOCOL = "rtsp-pull";

    private final Function<PublishOptions, Publisher> publish;
    private final int maxAccessUnitSize;
    private String base;
    private String aggregate;   // the session's control URL: PLAY, keep-alives, TEARDOWN
    private final List<RtpTrackFormat> tracks = new ArrayList<>();
    private final List<String> controls = new ArrayList<>();
    private final List<Integer> channels = new ArrayList<>();
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
        if (ingest == null) {
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
            throw new MediaFormatException(url.display() + " offers no track this server takes (H.264, H.265, AAC, Opus)");
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
        request("SETUP", controls.get(channels.size()), null,
                "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1));
    }

    private void setUp(FullHttpResponse r) {
        RtspTransport t = RtspTransport.parse(r.headers().get("Transport"));
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
