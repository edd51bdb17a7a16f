package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The puller's connection, after {@link HttpClientCodec}: sends one {@code GET}, checks that the
 * answer is {@code 200}, reads the body as an FLV stream with core's {@link FlvReader} and
 * publishes its tags through {@link FlvIngest} as a local stream.
 *
 * <p><b>Limits.</b>
 * <table>
 * <caption>What the connection bounds</caption>
 * <tr><th>what</th><th>limit</th><th>on excess</th></tr>
 * <tr><td>status line</td><td>{@value #MAX_STATUS_LINE_LENGTH} bytes</td><td>{@link HttpFlvProtocolException}</td></tr>
 * <tr><td>header block</td><td>{@link HttpFlvClientConfig#maxHeaderSize()}</td><td>{@link HttpFlvProtocolException}</td></tr>
 * <tr><td>status</td><td>200 (1xx answers other than 101 are skipped)</td><td>{@link HttpFlvProtocolException} naming it</td></tr>
 * <tr><td>FLV signature, version, DataOffset</td><td>"FLV", 1, 9 to 1024</td><td>{@link MediaFormatException}</td></tr>
 * <tr><td>tag DataSize</td><td>{@link HttpFlvClientConfig#maxTagSize()}</td><td>{@link MediaFormatException}</td></tr>
 * <tr><td>bytes buffered</td><td>one tag header and body, plus what the last read brought
 *     beyond it: never a size a header announced</td><td>(bounded by the tag limit)</td></tr>
 * <tr><td>time to the first track</td><td>{@link HttpFlvClientConfig#startTimeout()}</td><td>{@link HttpFlvProtocolException}</td></tr>
 * </table>
 * PreviousTagSize back pointers are read past unchecked, as the FLV reader does: writers
 * disagree on them, and a forward reader does not need them. A body that ends inside a tag
 * drops that tag.
 *
 * <p><b>Buffers.</b> Body pieces are handed to the reader, which returns tags as retained
 * slices of them; frames take retained slices of the tags. Nothing is copied unless a tag
 * spans reads, and then only into the reader's bounded cumulation.
 *
 * <p><b>End.</b> The end of the body (the last chunk, the end of a Content-Length, or the
 * connection closing a close-delimited body) ends the pull cleanly: the local publisher
 * closes. A failure (a limit above, silence past the idle timeout, a dropped connection or a
 * chunked body cut short, a local take-over, kick or shutdown of the stream) closes the
 * connection, and the publisher is aborted as a lost source. Either way {@link Events#closed}
 * is called once, when the connection has closed.
 *
 * <p>Confined to the channel's event loop, apart from {@link #mediaBytes()}, read from any thread.
 */
final class HttpFlvPullHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvPullHandler.class);

    /** The protocol the local publisher reports, in the API and events. */
    static final String PROTOCOL = "http-flv-pull";

    /** The {@code User-Agent} sent. */
    static final String USER_AGENT = "Streamkit";

    /** Longest status line read: {@code HTTP/1.1 200 OK} is 15 bytes; Netty's default of 4 KiB bounds a hostile reason phrase. */
    static final int MAX_STATUS_LINE_LENGTH = 4096;

    /**
     * Largest body piece the HTTP decoder passes on at once, 1 MiB: pieces are slices of what a
     * read brought, never copies, so this bounds no memory; it is set above any socket read so
     * that a read's bytes arrive in one piece and the tags inside it stay slices.
     */
    static final int MAX_BODY_PIECE = 1 << 20;

    /** Says when the first track is published, and when the connection has closed (with the cause, or {@code null} for a clean end). */
    interface Events {
        /** The first track was published locally. */
        void firstTrack();

        /**
         * The connection closed; called once.
         *
         * @param cause why, or {@code null} when the body ended or the puller stopped it
         */
        void closed(Throwable cause);
    }

    private final HttpFlvClientConfig settings;
    private final HttpFlvTarget target;
    private final Function<PublishOptions, Publisher> publish;
    private final Events events;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> startTimer;
    private FlvReader reader;
    private FlvIngest ingest;
    private boolean announced;
    private boolean ending;
    private Throwable failure;
    private boolean closedCalled;
    private volatile long mediaBytes;

    /**
     * Creates the handler of one connection.
     *
     * @param settings the limits and timeouts
     * @param target what to ask for
     * @param publish publishes the local stream with the given options, at the first tag
     * @param events told of the first track and the close
     */
    HttpFlvPullHandler(HttpFlvClientConfig settings, HttpFlvTarget target, Function<PublishOptions, Publisher> publish,
                       Events events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
        this.publish = Objects.requireNonNull(publish, "publish");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * The HTTP codec this handler goes after, with the settings' header limit.
     *
     * @param settings the limits
     * @return a new codec for one connection
     */
    static HttpClientCodec codec(HttpFlvClientConfig settings) {
        return new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_STATUS_LINE_LENGTH)
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(MAX_BODY_PIECE), false, false);
    }

    /** Body bytes of the FLV tags read so far (headers and back pointers not counted); any thread. */
    long mediaBytes() {
        return mediaBytes;
    }

    /** Ends the pull without an error: the puller was closed. Event loop only. */
    void stop() {
        if (ctx != null) {
            end(null);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long millis = settings.startTimeout().toMillis();
        startTimer = ctx.executor().schedule(() -> end(new HttpFlvProtocolException(target.display()
                + " sent no track within " + millis + " ms")), millis, TimeUnit.MILLISECONDS);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.requestUri(),
                Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, target.hostHeader())
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*");
        ctx.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!ending && msg instanceof HttpResponse response) {
                response(response);
            }
            if (!ending && msg instanceof HttpContent content) {
                content(content);
            }
        } catch (RuntimeException e) {
            end(e);   // a protocol or media format error, or the local publish refused (a StreamException)
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void response(HttpResponse response) {
        checkDecoded(response.decoderResult(), "response head");
        HttpResponseStatus status = response.status();
        if (status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != 101) {
            return;   // 100 Continue, 103 Early Hints: the answer follows
        }
        if (status.code() != 200) {
            throw new HttpFlvProtocolException(target.display() + " answered " + status.code() + " "
                    + quoted(status.reasonPhrase()) + ", not 200");
        }
        reader = new FlvReader(ctx.alloc(), settings.maxTagSize());
    }

    private void content(HttpContent content) {
        checkDecoded(content.decoderResult(), "body");
        if (reader == null) {
            return;   // the body of an interim answer
        }
        ByteBuf data = content.content();
        if (data.isReadable()) {
            reader.feed(data.retain());
            for (FlvTag tag; !ending && (tag = reader.next()) != null; ) {
                try {
                    tag(tag);
                } finally {
                    tag.release();
                }
            }
        }
        if (!ending && content instanceof LastHttpContent) {
            if (reader.bufferedBytes() > 0) {
                log.debug("http-flv pull {}: the body ended {} bytes into a tag", target.display(), reader.bufferedBytes());
            }
            log.info("http-flv pull {}: the origin ended the stream", target.display());
            end(null);
        }
    }

    private void tag(FlvTag tag) {
        mediaBytes += tag.body().readableBytes();
        if (ingest == null) {
            ingest = new FlvIngest(publishLocally());
        }
        ingest.tag(tag);
        if (!announced && ingest.hasTracks()) {
            announced = true;
            cancelStartTimer();
            events.firstTrack();
        }
    }

    private Publisher publishLocally() {
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        Publisher publisher = publish.apply(PublishOptions.defaults().protocol(PROTOCOL).remoteAddress(remote)
                .timestampWrap(PublishOptions.RTMP_TIMESTAMP_WRAP));
        publisher.closed().thenAccept(reason -> {
            if (reason == EndReason.TAKEN_OVER || reason == EndReason.KICKED || reason == EndReason.SHUTDOWN) {
                ctx.executor().execute(() -> {
                    log.info("http-flv pull {}: local stream {} ended ({}); disconnecting", target.display(),
                            publisher.key(), reason);
                    end(new IllegalStateException("local stream " + publisher.key() + " ended: " + reason));
                });
            }
        });
        return publisher;
    }

    private void checkDecoded(DecoderResult result, String part) {
        if (result.isFailure()) {
            Throwable cause = result.cause();
            throw new HttpFlvProtocolException(target.display() + " sent a malformed HTTP " + part + ": "
                    + cause.getMessage(), cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            end(handshake.cause());   // an untrusted certificate, a name that does not match, no common protocol
            return;
        }
        if (evt instanceof IdleStateEvent) {
            end(new HttpFlvProtocolException("no bytes from " + target.display() + " for "
                    + settings.idleTimeout().toMillis() + " ms"));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof IOException) {
            log.debug("http-flv pull {}: {}", target.display(), c.toString());
        } else if (!(c instanceof HttpFlvProtocolException || c instanceof MediaFormatException)) {
            log.warn("http-flv pull {}: unexpected error; closing", target.display(), c);
        }
        end(c);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!ending) {
            ending = true;
            failure = new HttpFlvProtocolException(target.display() + " closed the connection");
        }
        release();
        if (!closedCalled) {
            closedCalled = true;
            events.closed(failure);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    /** Closes the connection once: cleanly with {@code null}, else failing with the cause. */
    private void end(Throwable cause) {
        if (ending) {
            return;
        }
        ending = true;
        failure = cause;
        cancelStartTimer();
        ctx.close();
    }

    /** Releases the reader and closes the local publisher: cleanly at a clean end, as a lost source otherwise. */
    private void release() {
        cancelStartTimer();
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (ingest != null) {
            Publisher publisher = ingest.publisher();
            ingest = null;
            if (failure == null) {
                publisher.close();
            } else {
                publisher.abort();
            }
        }
    }

    private void cancelStartTimer() {
        if (startTimer != null) {
            startTimer.cancel(false);
            startTimer = null;
        }
    }

    /** Longest piece of a peer's text quoted in a message. */
    private static final int MAX_QUOTED = 64;

    /** A peer's text made safe to quote: control characters replaced, cut at {@value #MAX_QUOTED} characters. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 3);
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > MAX_QUOTED ? out.append("...").toString() : out.toString();
    }
}
