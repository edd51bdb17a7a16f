package io.streamkit.rtmp.internal;

import io.streamkit.rtmp.RtmpClientConfig;

/**
 * The pusher's connection: {@code releaseStream} and {@code FCPublish} (which nginx-rtmp,
 * Wowza and the CDNs expect from an encoder), then {@code publish} as a live stream; at
 * {@code NetStream.Publish.Start} it hands itself to the {@link RtmpPushSession}, which writes
 * the local stream's media. Runs on the event loop shared with that session.
 */
final class RtmpPushHandler extends RtmpClientHandler {
    /** Says when the publish was accepted and when the connection closed. */
    interface Events {
        void publishing(RtmpPushHandler handler);

        void closed(Throwable cause);
    }

    private final RtmpPushSession session;
    private final Events events;

    RtmpPushHandler(RtmpClientConfig config, RtmpUrls.Target target, RtmpChunkDecoder decoder, RtmpPushSession session,
                    Events events) {
        super(config, target, decoder);
        this.session = session;
        this.events = events;
    }

    @Override
    String flashVer() {
        return "FMLE/3.0 (compatible; Streamkit)";
    }

    @Override
    void connected() {
        call("releaseStream", null, target.name());
        call("FCPublish", null, target.name());
    }

    @Override
    void streamCreated(int streamId) {
        streamCommand("publish", target.name(), "live");
    }

    @Override
    void status(String code, String description) {
        if (code.equals("NetStream.Publish.Start") && !isStarted()) {
            started();
            session.publishing(ctx, streamId(), config.chunkSize());
            events.publishing(this);
        }
    }

    /** Ends the publish politely ({@code FCUnpublish}, {@code deleteStream}), then closes. */
    void unpublish() {
        if (ctx.channel().isActive() && streamId() >= 0) {
            ctx.write(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "FCUnpublish", 0.0, null,
                    target.name()));
            ctx.write(RtmpMessages.command(ctx.alloc(), RtmpMessages.CSID_COMMAND, 0, "deleteStream", 0.0, null,
                    (double) streamId()));
            ctx.flush();
        }
        end();
    }

    @Override
    void closed(Throwable cause) {
        session.disconnected();
        events.closed(cause);
    }
}
