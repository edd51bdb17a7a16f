package io.streamkit.rtmp.internal;

import io.streamkit.engine.StreamEngine;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The puller's connection: plays the remote stream and publishes what arrives as a local
 * stream through {@link RtmpIngest}, so payloads stay slices of the read buffers (no copy).
 *
 * <p>The local publisher is created at {@code NetStream.Play.Start} and closed when the remote
 * stream ends ({@code NetStream.Play.UnpublishNotify}, {@code Play.Stop}, {@code Play.Complete}
 * or Stream EOF), which also ends the connection, or when the connection drops. A local
 * take-over, kick or shutdown of the stream closes the connection. Runs on the event loop.
 */
final class RtmpPullHandler extends RtmpClientHandler {
    private static final Logger log = LoggerFactory.getLogger(RtmpPullHandler.class);

    /** Says when the first track is published (with {@code null}) and when the connection closed (with the cause or {@code null}). */
    interface Events {
        void firstTrack();

        void closed(Throwable cause);
    }

    private final StreamEngine engine;
    private final StreamKey localKey;
    private final Events events;
    private RtmpIngest ingest;
    private boolean announced;

    RtmpPullHandler(RtmpClientConfig config, RtmpUrls.Target target, RtmpChunkDecoder decoder, StreamEngine engine,
                    StreamKey localKey, Events events) {
        super(config, target, decoder);
        this.engine = engine;
        this.localKey = localKey;
        this.events = events;
    }

    @Override
    String flashVer() {
        return "LNX 9,0,124,2";
    }

    @Override
    void streamCreated(int streamId) {
        streamCommand("play", target.name(), -2000.0);
    }

    @Override
    void status(String code, String description) {
        switch (code) {
            case "NetStream.Play.Start" -> {
                if (ingest == null) {
                    publishLocally();
                }
            }
            case "NetStream.Play.UnpublishNotify", "NetStream.Play.Stop", "NetStream.Play.Complete" -> remoteEnded(code);
            default -> log.debug("rtmp pull {}: {} {}", localKey, code, description);
        }
    }

    @Override
    void streamEof() {
        if (announced) {
            remoteEnded("Stream EOF");
        }
    }

    private void publishLocally() {
        Publisher publisher = engine.publish(localKey, PublishOptions.defaults().protocol("rtmp-pull")
                .remoteAddress((InetSocketAddress) ctx.channel().remoteAddress())
                .timestampWrap(PublishOptions.RTMP_TIMESTAMP_WRAP));
        ingest = new RtmpIngest(publisher);
        publisher.closed().thenAccept(reason -> {
            if (reason == EndReason.TAKEN_OVER || reason == EndReason.KICKED || reason == EndReason.SHUTDOWN) {
                ctx.executor().execute(() -> {
                    log.info("rtmp pull {}: local stream ended ({}); disconnecting", localKey, reason);
                    end();
                });
            }
        });
    }

    private void remoteEnded(String why) {
        log.info("rtmp pull {}: rtmp://{}/{} ended ({})", localKey, remote(), target.name(), why);
        closeLocal();
        end();
    }

    /** Media payload bytes received; written on the connection's loop, read by the relay's status from any thread. */
    volatile long mediaBytes;

    @Override
    void media(RtmpMessage m) {
        if (ingest == null) {
            return;   // before NetStream.Play.Start
        }
        mediaBytes += m.payload().readableBytes();
        switch (m.type()) {
            case RtmpMessage.VIDEO -> ingest.video(m.payload(), m.timestamp());
            case RtmpMessage.AUDIO -> ingest.audio(m.payload(), m.timestamp());
            default -> ingest.data(m.payload());
        }
        if (!announced && ingest.hasTracks()) {
            announced = true;
            started();
            events.firstTrack();
        }
    }

    @Override
    void closed(Throwable cause) {
        closeLocal();
        events.closed(cause);
    }

    private void closeLocal() {
        if (ingest != null) {
            ingest.publisher().close();
            ingest = null;
        }
    }

    /** Helper so a caller can hand events to a lambda pair. */
    static Events events(Runnable firstTrack, Consumer<Throwable> closed) {
        return new Events() {
            @Override
            public void firstTrack() {
                firstTrack.run();
            }

            @Override
            public void closed(Throwable cause) {
                closed.accept(cause);
            }
        };
    }
}
