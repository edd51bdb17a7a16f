package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.rtsp.RtspProtocolException;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TestMedia;
import io.streamkit.test.TrackingAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes a whole RTSP connection through the server's own pipeline
 * ({@link RtspServerInitializer#pipeline}: idle timeout, {@link RtspDemuxer}, Netty's RTSP codec
 * and aggregator, {@link RtspConnectionHandler} with {@link RtspIngest} and {@link RtspPlayer}
 * behind it) on an embedded channel, fed as socket reads: requests of every method and
 * {@code $}-interleaved RTP and RTCP.
 *
 * <p>The input's last byte picks a start: none (the fuzzed bytes are all the client says), a
 * well-formed publish ({@code ANNOUNCE rtsp://h/live/f} with an H.264 and AAC SDP, SETUP of both
 * media over TCP in record mode, RECORD, so that fuzzed frames on channels 0 to 3 reach the
 * depacketizers and the engine), or a well-formed play of {@code live/p} (DESCRIBE, SETUP of
 * both tracks, PLAY). Every input also publishes {@code live/p} itself, H.264 and AAC, and
 * writes a frame of each track after every read, so a player started by fuzzed requests gets
 * media too. The byte before may move the channel's clock past the request timeout or the
 * session timeout at the end. The rest is cut into reads ({@link FuzzInput#pieces}); the
 * loop's pending tasks run after each, as an event loop runs them: one after the other, never
 * inside one another's writes (see {@code step}). Once the connection is closed the reads left are
 * not fed: a closed socket reads nothing, and {@code EmbeddedChannel} would only throw a
 * {@code ClosedChannelException}.
 *
 * <p>Properties: each step of a start is answered {@code 200}, and nothing fails but what the
 * connection refuses by design. The handler's {@code exceptionCaught} answers an
 * {@link RtspProtocolException} (the demuxer's limits and deadline) with a 400 and a close, and
 * takes anything else for an unexpected error, which it logs before closing without an answer:
 * through the pipeline a bug would pass unseen. So a probe before the handler hands it each
 * message itself and fails the input on anything the handler throws, and on anything but an
 * {@code RtspProtocolException} (bare or in a {@link DecoderException}) on its way to
 * {@code exceptionCaught}. What the loop's tasks throw (the answers that wait for auth or the
 * engine, and the requests held behind them) comes out of the channel and fails the input too.
 * The one exception expected from the channel is the demuxer's refusal of the rest of a read
 * after the handler closed the connection (see {@code read}). Every buffer is released once the
 * connection is closed and the engine's streams ended: the reads fed, the handler's answers and
 * the player's packets (all read from the channel and released), the ingest's access units and
 * the frames the engine kept ({@link TrackingAllocator} counts them; Netty's leak detector is at
 * paranoid besides), and no player of the connection still holds a track's RTP state on the
 * loop. What an event loop keeps by design beyond a connection (a frame's packets, encoded once
 * for all its players, and the copy its players share) is dropped first, as at the end of the
 * loop's thread.
 *
 * <p>One engine serves every input, as it serves every connection of a server; at the end of
 * an input every stream left is kicked, so the next starts from an empty engine. Seeds, under
 * {@code RtspConnectionFuzzTestInputs/connection}, each the client's bytes followed by the sizes
 * of its reads, their count, the clock byte and the start byte: a whole publish with RTP and
 * RTCP; the same RTP after the publish start; a play of {@code live/p} with PAUSE and TEARDOWN
 * in five reads; garbage after the play start; and interleaved frames and an unfinished request
 * left to both request deadlines, which once made a task's write run the next task inside it.
 */
class RtspConnectionFuzzTest {
    private static final Engine ENGINE = Engine.builder()
            .policy(StreamPolicy.defaults().withPlayWait(Duration.ZERO))
            .build();
    private static final RtspConfig CONFIG = RtspConfig.builder(0).udpPort(RtspConfig.NO_UDP).build();
    private static final RtspServerInitializer SERVER = new RtspServerInitializer(ENGINE, CONFIG, new ClientRegistry(),
            ServerGuard.lenient(), null);
    private static final StreamKey LIVE = StreamKey.parse("live/p");
    private static final Pattern SESSION = Pattern.compile("\r\nSession: ([^;\r\n]+)", Pattern.CASE_INSENSITIVE);
    /**
     * What ffmpeg sends in ANNOUNCE for H.264 (the {@code h264-baseline-320x240-25.avcC}
     * fixture's parameter sets) and AAC LC 44.1 kHz stereo, as in {@code SessionDescriptionTest}.
     */
    private static final String SDP = "v=0\r\n"
            + "o=- 0 0 IN IP4 127.0.0.1\r\n"
            + "s=No Name\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "a=tool:libavformat 59.27.100\r\n"
            + "m=video 0 RTP/AVP 96\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA,aMuDyyA=; "
            + "profile-level-id=42C00D\r\n"
            + "a=control:streamid=0\r\n"
            + "m=audio 0 RTP/AVP 97\r\n"
            + "b=AS:128\r\n"
            + "a=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
            + "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; "
            + "config=121056E500\r\n"
            + "a=control:streamid=1\r\n";
    /** The size of the video frames written to {@code live/p}: over one RTP payload, so players fragment them. */
    private static final int VIDEO_FRAME_SIZE = 2 * RtpEncoding.MAX_PAYLOAD + 100;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void connection(FuzzedDataProvider data) {
        alloc.reset();
        Track heldTrack;
        int start = data.consumeInt(0, 2);
        int clock = data.consumeInt(0, 2);
        List<byte[]> pieces = FuzzInput.pieces(data);
        Live live = new Live();
        Probe probe = new Probe();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.config().setAllocator(alloc);
                SERVER.pipeline(c);
                probe.handler = (RtspConnectionHandler) c.pipeline().get("rtsp");
                c.pipeline().addBefore("rtsp", "fuzz-probe", probe);
                probe.handlerContext = c.pipeline().context("rtsp");
            }
        });
        try {
            if (start == 1) {
                publishStart(ch, probe);
            } else if (start == 2) {
                playStart(ch, probe, live);
            }
            for (byte[] piece : pieces) {
                if (!ch.isOpen()) {
                    break;
                }
                read(ch, alloc.buffer(piece.length).writeBytes(piece));
                step(ch, probe);
                live.frames();
                step(ch, probe);
            }
            if (clock > 0 && ch.isOpen()) {
                Duration past = clock == 1 ? CONFIG.requestTimeout() : CONFIG.sessionTimeout();
                ch.advanceTimeBy(past.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                step(ch, probe);
            }
        } finally {
            List<Track> tracks = ENGINE.streams().stream().flatMap(s -> s.tracks().stream()).toList();
            live.close();
            try {
                drain(ch);
                ch.finishAndReleaseAll();   // throws what a task threw, if the input has not yet
            } finally {
                // the rest runs whatever the input did, so that the next input starts afresh
                ch.runPendingTasks();
                heldTrack = heldTrackState(tracks);
                for (StreamInfo s : ENGINE.streams()) {
                    ENGINE.kick(s.key());
                }
                ch.runPendingTasks();
                ch.releaseOutbound();
                // A loop keeps its last frames' packets (encode once, write many) and the copy its
                // players share (joined frames) by design, until newer ones take their places or its
                // thread ends; dropping the thread's loop-local state, as a loop's end does, leaves
                // what the connection held.
                FastThreadLocal.removeAll();
            }
        }
        ch.checkException();
        probe.check();
        assertNull(heldTrack, "a player of the closed connection still holds the RTP state of a track on the loop");
        alloc.assertAllReleased("the RTSP connection");
    }

    /**
     * Hands the connection one read. When the handler closes the connection in the middle of a
     * read, the demuxer goes on with the rest of it, as it does on any channel; but
     * {@code EmbeddedChannel.close()} runs the loop's pending tasks at once, the channel's
     * deregistration among them, so the pipeline's handlers are gone by then and a refusal of
     * the demuxer's ({@link RtspProtocolException} in a {@link DecoderException}) reaches the
     * pipeline's end, whence {@code writeInbound} throws it. That one exception, on a closed
     * channel, is expected; any other propagates.
     */
    private static void read(EmbeddedChannel ch, ByteBuf bytes) {
        try {
            ch.writeInbound(bytes);
        } catch (DecoderException e) {
            if (ch.isOpen() || !(e.getCause() instanceof RtspProtocolException)) {
                throw e;
            }
        }
    }

    /**
     * Runs the loop's tasks, those whose time has come included, reads what was written, and
     * fails on what the probe saw. While the channel is open the tasks run inside
     * {@code flushOutbound()}, under {@code EmbeddedChannel}'s guard: called from outside,
     * {@code runPendingTasks()} lets a write made by one task run the next task inside that
     * write, a reentrancy no event loop has, which feeds {@code HttpObjectEncoder} a response
     * in the middle of another (it wrote a released buffer in the first second of fuzzing).
     */
    private static void step(EmbeddedChannel ch, Probe probe) {
        if (ch.isOpen()) {
            ch.flushOutbound();
        } else {
            ch.runPendingTasks();
        }
        ch.checkException();
        drain(ch);
        probe.check();
    }

    /**
     * Returns a track whose RTP state on this loop a player of the closed connection still holds
     * ({@code RtpEncoding.use} without its {@code release}), or {@code null}: such a state, with
     * its parameter sets in a direct buffer, would stay for the life of the loop.
     */
    private static Track heldTrackState(List<Track> tracks) {
        for (Track t : tracks) {
            int holders = RtpEncoding.use(t).users - 1;
            RtpEncoding.release(t);
            if (holders > 0) {
                return t;
            }
        }
        return null;
    }

    /** ANNOUNCE, SETUP of both media over TCP in record mode, RECORD: each must be answered 200. */
    private void publishStart(EmbeddedChannel ch, Probe probe) {
        String url = "rtsp://h/live/f";
        request(ch, probe, "ANNOUNCE " + url + " RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: "
                + SDP.length() + "\r\n\r\n" + SDP);
        String session = session(request(ch, probe, "SETUP " + url + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n"));
        request(ch, probe, "SETUP " + url + "/streamid=1 RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record\r\n\r\n");
        request(ch, probe, "RECORD " + url + " RTSP/1.0\r\nCSeq: 4\r\nSession: " + session + "\r\nRange: npt=0.000-\r\n\r\n");
    }

    /** DESCRIBE of {@code live/p}, SETUP of both its tracks over TCP, PLAY: each must be answered 200. */
    private void playStart(EmbeddedChannel ch, Probe probe, Live live) {
        String url = "rtsp://h/live/p";
        request(ch, probe, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n");
        String session = session(request(ch, probe, "SETUP " + url + "/trackID=" + live.video.id() + " RTSP/1.0\r\nCSeq: 2\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"));
        request(ch, probe, "SETUP " + url + "/trackID=" + live.audio.id() + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=2-3\r\n\r\n");
        request(ch, probe, "PLAY " + url + " RTSP/1.0\r\nCSeq: 4\r\nSession: " + session + "\r\nRange: npt=0.000-\r\n\r\n");
    }

    /** Sends a request of a start and returns what came back, which must begin with a 200. */
    private String request(EmbeddedChannel ch, Probe probe, String request) {
        ch.writeInbound(alloc.buffer(request.length()).writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        ch.flushOutbound();
        probe.check();
        StringBuilder answer = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = assertInstanceOf(ByteBuf.class, o, "the encoder passed on a message");
            answer.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        String first = request.substring(0, request.indexOf('\r'));
        assertTrue(answer.toString().startsWith("RTSP/1.0 200 "), () -> first + " was answered " + answer);
        return answer.toString();
    }

    private static String session(String answer) {
        Matcher m = SESSION.matcher(answer);
        assertTrue(m.find(), () -> "no session in " + answer);
        return m.group(1);
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            assertInstanceOf(ByteBuf.class, o, "the encoder passed on a message");
            ReferenceCountUtil.release(o);
        }
    }

    /** {@code live/p}: published here, H.264 and AAC, a frame of each track after every read. */
    private final class Live implements AutoCloseable {
        final Publisher publisher = ENGINE.publish(LIVE, PublishOptions.defaults().protocol("test"));
        final Track video = publisher.addTrack(TestMedia.h264());
        final Track audio = publisher.addTrack(TestMedia.aac());
        private int frame;

        Live() {
            frames();
        }

        /** Writes the next video frame, an IDR every fourth, and an AAC frame. */
        void frames() {
            long micros = frame * 40_000L;
            boolean key = frame % 4 == 0;
            ByteBuf au = alloc.buffer(VIDEO_FRAME_SIZE);
            au.writeInt(VIDEO_FRAME_SIZE - 4).writeByte(key ? 0x65 : 0x41).writeZero(VIDEO_FRAME_SIZE - 5);
            publisher.write(video, micros, micros, key, au);
            ByteBuf aac = alloc.buffer(16);
            aac.writeByte(0x21).writeZero(15);
            publisher.write(audio, micros, micros, true, aac);
            frame++;
        }

        @Override
        public void close() {
            publisher.close();
        }
    }

    /**
     * Sits before the handler and hands it each message itself, so that what the handler throws
     * reaches the fuzz target instead of the handler's own {@code exceptionCaught}; takes note of
     * every exception on its way to the handler that is not a refusal by design.
     */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        RtspConnectionHandler handler;
        ChannelHandlerContext handlerContext;
        private Throwable unexpected;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                handler.channelRead(handlerContext, msg);
            } catch (RuntimeException | Error e) {
                note(e);
                handler.exceptionCaught(handlerContext, e);   // as the pipeline would: the connection closes
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (!(c instanceof RtspProtocolException)) {
                note(cause);
            }
            ctx.fireExceptionCaught(cause);
        }

        private void note(Throwable t) {
            if (unexpected == null) {
                unexpected = t;
            }
        }

        void check() {
            if (unexpected != null) {
                throw new AssertionError("the RTSP connection failed with " + unexpected, unexpected);
            }
        }
    }
}
