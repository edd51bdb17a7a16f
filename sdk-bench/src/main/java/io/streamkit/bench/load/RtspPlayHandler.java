package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RTSP player over TCP interleaved (RFC 2326 10.12): DESCRIBE, SETUP of every track
 * the SDP offers, each on its own pair of channels ({@code interleaved=2k-2k+1}), PLAY with the
 * session; then every interleaved frame parsed as bytes arrive, and a GET_PARAMETER keep-alive
 * at half the session's timeout.
 *
 * <p>A byte-level state machine with no cumulation: responses (status line, headers, SDP body)
 * are gathered as text, up to {@value #MAX_RESPONSE_SIZE} bytes; an interleaved frame's 4-byte
 * header is read into fields, the first {@value #RTP_HEAD} bytes of an RTP packet are copied
 * into a reused array (its header and the first bytes of its payload, for the keyframe test)
 * and the rest is counted and skipped, so nothing is allocated per packet.
 *
 * <p>What counts into the player's {@link PlayerStats}:
 * <ul>
 *   <li>{@code bytes}: RTP packets (header and payload) on the even channels set up; the
 *   interleaved frame headers, RTCP and responses go to {@code rtspWireBytes} only, with
 *   everything else read;
 *   <li>{@code messages}: RTP packets; {@code rtspRtcpPackets} the server's RTCP;
 *   {@code rtspLostPackets} the gaps in each track's sequence numbers (over TCP nothing is
 *   lost on the way: a gap is packets the server did not send, such as frames it skipped for a
 *   player that fell behind); {@code rtspSsrcChanges} the times a track's SSRC changed within
 *   the session (a new numbering, so no gap is counted across it; a server should not do it);
 *   <li>time to first keyframe: at the last packet (marker bit) of a video access unit holding
 *   an IDR (H.264 type 5, alone, in an FU-A or first in a STAP-A) or IRAP picture (H.265 16-21,
 *   alone, in an FU or first in an AP);
 *   <li>lag, as for RTMP ({@link PlayerStats#media}), on the audio track when there is one:
 *   its RTP timestamps rise steadily, while video's are presentation times, out of order with
 *   B-frames by up to the reorder depth, which would read as lag that RTMP's decode timestamps
 *   do not show. Without audio, on video. Timestamps go to milliseconds on the track's clock
 *   ({@code a=rtpmap}), extended past 32 bits.
 * </ul>
 *
 * <p>Threads: every method runs on the channel's event loop.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>response, head and body</td><td>{@value #MAX_RESPONSE_SIZE} bytes</td><td>player fails</td></tr>
 *   <tr><td>tracks set up</td><td>{@value #MAX_TRACKS}</td><td>the rest are not set up</td></tr>
 * </table>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2326">RFC 2326</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550">RFC 3550 (RTP)</a>
 */
final class RtspPlayHandler extends ChannelInboundHandlerAdapter {
    /** Responses are a few hundred bytes, DESCRIBE's a kilobyte with its SDP. */
    static final int MAX_RESPONSE_SIZE = 64 << 10;
    /** The server's limit too; a stream has a video and an audio track. */
    static final int MAX_TRACKS = 8;
    /** Bytes of an RTP packet looked at: the 12-byte header, some CSRCs, 3 bytes of payload. */
    static final int RTP_HEAD = 32;
    /** The session timeout when the server names none (RFC 2326 12.37). */
    static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 60;

    private static final String USER_AGENT = "streamkit-load";

    private enum State { IDLE, RESPONSE_HEAD, RESPONSE_BODY, FRAME_HEADER, FRAME_BODY }

    /** One track of the SDP. */
    private static final class Track {
        final boolean video;
        String control;
        String encoding = "";
        int clockRate = 90_000;
        boolean h265;
        // per packet stream
        int lastSequence = -1;
        boolean keyInUnit;
        boolean started;
        long lastTimestamp;
        long extendedTimestamp;
        int ssrc;

        Track(boolean video) {
            this.video = video;
        }
    }

    private final PlayerStats stats;
    private final String url;
    private final List<Track> tracks = new ArrayList<>();
    private final Track[] byChannel = new Track[256];
    private final byte[] head = new byte[RTP_HEAD];
    private State state = State.IDLE;
    private boolean failed;
    private ScheduledFuture<?> keepAlive;
    // requests
    private int cseq;
    private String pending = "";   // the method of the request whose response is awaited
    private int setUp;             // tracks set up so far
    private String base;           // where tracks' controls are, with a trailing slash
    private String session;
    private int timeoutSeconds = DEFAULT_SESSION_TIMEOUT_SECONDS;
    private Track lagTrack;
    // the response being read
    private final StringBuilder text = new StringBuilder();
    private int bodyLeft;
    private String statusLine = "";
    private String headers = "";
    // the interleaved frame being read
    private int headerPos;
    private int channel;
    private int length;
    private int left;
    private int headLength;
    private Track frameTrack;
    private boolean rtcp;

    RtspPlayHandler(PlayerStats stats, URI url) {
        this.stats = stats;
        this.url = url.toString();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connectedNanos = System.nanoTime();
        request(ctx, "DESCRIBE", url, "Accept: application/sdp\r\n");
        ctx.fireChannelActive();
    }

    private void request(ChannelHandlerContext ctx, String method, String target, String extra) {
        pending = method;
        String r = method + " " + target + " RTSP/1.0\r\nCSeq: " + (++cseq) + "\r\nUser-Agent: " + USER_AGENT + "\r\n"
                + (session != null ? "Session: " + session + "\r\n" : "") + extra + "\r\n";
        ctx.writeAndFlush(ctx.alloc().buffer(r.length()).writeBytes(r.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            stats.rtspWireBytes += in.readableBytes();
            while (in.isReadable() && !failed) {
                switch (state) {
                    case IDLE -> {
                        headerPos = 0;
                        state = in.getByte(in.readerIndex()) == '$' ? State.FRAME_HEADER : State.RESPONSE_HEAD;
                    }
                    case FRAME_HEADER -> frameHeader(in.readUnsignedByte());
                    case FRAME_BODY -> frameBody(in);
                    case RESPONSE_HEAD -> responseHead(ctx, in);
                    case RESPONSE_BODY -> responseBody(ctx, in);
                }
            }
        } finally {
            in.release();
        }
    }

    // ---- interleaved frames ----

    private void frameHeader(int c) {
        switch (headerPos++) {
            case 0 -> {
            }
            case 1 -> channel = c;
            case 2 -> length = c << 8;
            default -> {
                length |= c;
                Track t = byChannel[channel & ~1];
                rtcp = (channel & 1) == 1;
                frameTrack = rtcp ? null : t;
                left = length;
                headLength = 0;
                state = State.FRAME_BODY;
                if (left == 0) {
                    frameEnd();
                }
            }
        }
    }

    private void frameBody(ByteBuf in) {
        int k = Math.min(left, in.readableBytes());
        if (frameTrack != null) {
            int copy = Math.min(k, RTP_HEAD - headLength);
            if (copy > 0) {
                in.getBytes(in.readerIndex(), head, headLength, copy);
                headLength += copy;
            }
            stats.bytes += k;
        }
        in.skipBytes(k);
        left -= k;
        if (left == 0) {
            frameEnd();
        }
    }

    private void frameEnd() {
        state = State.IDLE;
        if (rtcp) {
            if (byChannel[channel & ~1] != null) {
                stats.rtspRtcpPackets++;
            }
            return;
        }
        Track t = frameTrack;
        if (t == null || headLength < 12 || (head[0] & 0xC0) != 0x80) {
            return;   // not on a channel set up, or not RTP version 2
        }
        stats.messages++;
        boolean marker = (head[1] & 0x80) != 0;
        int sequence = (head[2] & 0xFF) << 8 | head[3] & 0xFF;
        long timestamp = ((long) (head[4] & 0xFF) << 24 | (head[5] & 0xFF) << 16 | (head[6] & 0xFF) << 8 | head[7] & 0xFF);
        int ssrc = (head[8] & 0xFF) << 24 | (head[9] & 0xFF) << 16 | (head[10] & 0xFF) << 8 | head[11] & 0xFF;
        if (t.lastSequence >= 0 && ssrc != t.ssrc) {
            stats.rtspSsrcChanges++;   // a new source, with sequence numbers of its own (RFC 3550 8)
        } else if (t.lastSequence >= 0) {
            int gap = (sequence - t.lastSequence - 1) & 0xFFFF;
            if (gap < 0x8000) {   // else a step back: not expected over TCP, not counted
                stats.rtspLostPackets += gap;
            }
        }
        t.ssrc = ssrc;
        t.lastSequence = sequence;
        if (t.video) {
            int payload = 12 + 4 * (head[0] & 0x0F);
            if ((head[0] & 0x10) == 0 && isKey(t, payload)) {   // with a header extension: not looked into
                t.keyInUnit = true;
            }
        }
        if (!marker) {
            return;
        }
        boolean key = t.keyInUnit;
        t.keyInUnit = false;
        long now = System.nanoTime();
        if (t == lagTrack) {
            if (!t.started) {
                t.started = true;
                t.lastTimestamp = timestamp;
            }
            t.extendedTimestamp += (int) (timestamp - t.lastTimestamp);   // signed 32-bit step: wraps extend
            t.lastTimestamp = timestamp;
            stats.media(Math.floorDiv(t.extendedTimestamp * 1000, t.clockRate), key, now);
        } else if (key && stats.firstKeyframeNanos == 0) {
            stats.firstKeyframeNanos = now;
        }
    }

    /** Whether a video packet's payload, at {@code at} in the head, carries (the start of) a keyframe. */
    private boolean isKey(Track t, int at) {
        if (headLength < at + 1) {
            return false;
        }
        int b0 = head[at] & 0xFF;
        if (!t.h265) {   // RFC 6184 5.2: NAL unit type in the low five bits
            int type = b0 & 0x1F;
            if (type == 28) {   // FU-A: the start fragment names the type
                return headLength >= at + 2 && (head[at + 1] & 0x80) != 0 && (head[at + 1] & 0x1F) == 5;
            }
            if (type == 24) {   // STAP-A: the first unit, after its 2-byte size
                return headLength >= at + 4 && (head[at + 3] & 0x1F) == 5;
            }
            return type == 5;
        }
        int type = b0 >> 1 & 0x3F;   // RFC 7798 4.4
        if (type == 49) {   // FU
            return headLength >= at + 3 && (head[at + 2] & 0x80) != 0 && isIrap(head[at + 2] & 0x3F);
        }
        if (type == 48) {   // AP: the first unit, after its 2-byte size
            return headLength >= at + 5 && isIrap(head[at + 4] >> 1 & 0x3F);
        }
        return isIrap(type);
    }

    private static boolean isIrap(int type) {
        return type >= 16 && type <= 21;
    }

    // ---- responses ----

    private void responseHead(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            text.append((char) in.readUnsignedByte());
            int n = text.length();
            if (n >= 4 && text.charAt(n - 1) == '\n' && text.charAt(n - 2) == '\r'
                    && text.charAt(n - 3) == '\n' && text.charAt(n - 4) == '\r') {
                String h = text.toString();
                text.setLength(0);
                int eol = h.indexOf('\r');
                statusLine = h.substring(0, eol);
                headers = h.substring(eol);
                String contentLength = header("Content-Length");
                try {
                    bodyLeft = contentLength == null ? 0 : Integer.parseInt(contentLength.trim());
                } catch (NumberFormatException e) {
                    fail(ctx, "RTSP " + pending + ": bad Content-Length " + contentLength);
                    return;
                }
                if (bodyLeft < 0 || bodyLeft > MAX_RESPONSE_SIZE - n) {
                    fail(ctx, "RTSP " + pending + ": response of " + (n + bodyLeft) + " bytes over " + MAX_RESPONSE_SIZE);
                    return;
                }
                if (bodyLeft == 0) {
                    response(ctx, "");
                } else {
                    state = State.RESPONSE_BODY;
                }
                return;
            }
            if (n > MAX_RESPONSE_SIZE) {
                fail(ctx, "RTSP " + pending + ": response head over " + MAX_RESPONSE_SIZE + " bytes");
                return;
            }
        }
    }

    private void responseBody(ChannelHandlerContext ctx, ByteBuf in) {
        int k = Math.min(bodyLeft, in.readableBytes());
        text.append(in.readCharSequence(k, StandardCharsets.UTF_8));
        bodyLeft -= k;
        if (bodyLeft == 0) {
            String body = text.toString();
            text.setLength(0);
            response(ctx, body);
        }
    }

    /** A header's value (the first of that name, case-insensitive), or {@code null}. */
    private String header(String name) {
        String lower = headers.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("\n" + name.toLowerCase(Locale.ROOT) + ":");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 2;
        int end = headers.indexOf('\r', start);
        return headers.substring(start, end < 0 ? headers.length() : end).trim();
    }

    private void response(ChannelHandlerContext ctx, String body) {
        state = State.IDLE;
        if (!statusLine.matches("RTSP/1\\.0 200.*")) {
            fail(ctx, "RTSP " + pending + ": " + statusLine);
            return;
        }
        switch (pending) {
            case "DESCRIBE" -> described(ctx, body);
            case "SETUP" -> {
                if (!setUpAnswered(ctx)) {
                    return;
                }
                setUpNext(ctx);
            }
            case "PLAY" -> {
                long every = Math.max(1, timeoutSeconds / 2);
                keepAlive = ctx.executor().scheduleAtFixedRate(() -> request(ctx, "GET_PARAMETER", url, ""),
                        every, every, TimeUnit.SECONDS);
            }
            default -> {   // a keep-alive's answer
            }
        }
    }

    private void described(ChannelHandlerContext ctx, String sdp) {
        String contentBase = header("Content-Base");
        base = contentBase != null ? contentBase : url;
        if (!base.endsWith("/")) {
            base += "/";
        }
        Track current = null;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                current = null;
                if (tracks.size() < MAX_TRACKS && (line.startsWith("m=video ") || line.startsWith("m=audio "))) {
                    current = new Track(line.startsWith("m=video "));
                    tracks.add(current);
                }
            } else if (current != null && line.startsWith("a=control:")) {
                current.control = line.substring("a=control:".length()).trim();
            } else if (current != null && line.startsWith("a=rtpmap:")) {
                // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
                String[] map = line.substring("a=rtpmap:".length()).trim().split("[ /]");
                if (map.length >= 3) {
                    current.encoding = map[1].toUpperCase(Locale.ROOT);
                    current.h265 = current.encoding.equals("H265") || current.encoding.equals("HEVC");
                    try {
                        current.clockRate = Math.max(1, Integer.parseInt(map[2]));
                    } catch (NumberFormatException e) {
                        fail(ctx, "SDP: bad clock rate in " + line);
                        return;
                    }
                }
            }
        }
        if (tracks.isEmpty()) {
            fail(ctx, "SDP without an audio or video track");
            return;
        }
        for (Track t : tracks) {
            if (!t.video) {
                lagTrack = t;
                break;
            }
        }
        if (lagTrack == null) {
            lagTrack = tracks.get(0);
        }
        setUpNext(ctx);
    }

    /** SETUP of the next track, or PLAY once all are set up. */
    private void setUpNext(ChannelHandlerContext ctx) {
        if (setUp < tracks.size()) {
            Track t = tracks.get(setUp);
            String control = t.control == null ? "" : t.control;
            String target = control.startsWith("rtsp://") ? control : control.isEmpty() || control.equals("*") ? url
                    : base + control;
            request(ctx, "SETUP", target, "Transport: RTP/AVP/TCP;unicast;interleaved=" + 2 * setUp + "-" + (2 * setUp + 1)
                    + "\r\n");
        } else {
            request(ctx, "PLAY", url, "Range: npt=0.000-\r\n");
        }
    }

    /** Takes a SETUP's answer: the session, and the channel the server chose; false when it failed. */
    private boolean setUpAnswered(ChannelHandlerContext ctx) {
        String s = header("Session");
        if (s == null) {
            fail(ctx, "RTSP SETUP: no Session in the answer");
            return false;
        }
        int semicolon = s.indexOf(';');
        session = (semicolon < 0 ? s : s.substring(0, semicolon)).trim();
        int timeout = s.toLowerCase(Locale.ROOT).indexOf("timeout=");
        if (timeout >= 0) {
            try {
                timeoutSeconds = Integer.parseInt(s.substring(timeout + "timeout=".length()).replaceAll("[^0-9].*", ""));
            } catch (NumberFormatException e) {
                timeoutSeconds = DEFAULT_SESSION_TIMEOUT_SECONDS;
            }
        }
        String transport = header("Transport");
        int at = transport == null ? -1 : transport.toLowerCase(Locale.ROOT).indexOf("interleaved=");
        int rtpChannel = 2 * setUp;
        if (at >= 0) {
            try {
                rtpChannel = Integer.parseInt(transport.substring(at + "interleaved=".length()).replaceAll("[^0-9].*", ""));
            } catch (NumberFormatException e) {
                fail(ctx, "RTSP SETUP: bad Transport " + transport);
                return false;
            }
        }
        if (rtpChannel > 254 || byChannel[rtpChannel & ~1] != null) {
            fail(ctx, "RTSP SETUP: interleaved channel " + rtpChannel + " not usable");
            return false;
        }
        byChannel[rtpChannel & ~1] = tracks.get(setUp++);
        return true;
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        failed = true;
        stats.fail(reason);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (!LoadTool.stopping && !failed) {
            stats.fail("connection closed by the server");
        }
        stats.closed = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        stats.fail(cause.toString());
        ctx.close();
    }
}
