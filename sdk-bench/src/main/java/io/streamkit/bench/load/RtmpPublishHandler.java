package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvTagHeader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load tool as publisher: after {@link RtmpClientHandler}'s connect and createStream,
 * publish (type {@code live}), and once {@code NetStream.Publish.Start} has arrived, an FLV
 * file sent in real time, looped.
 *
 * <p>Pacing: a tag is due at the time of Publish.Start plus its timestamp's distance from
 * the file's first, on {@link System#nanoTime()}; every tag that is due is sent, and the
 * event loop is woken for the next. Timestamps rise across loops by
 * {@link FlvFile#loopMillis()}; script data and sequence headers go on the first pass only.
 * Script data starting with {@code onMetaData} is sent as {@code @setDataFrame onMetaData}
 * as encoders do.
 *
 * <p>Messages: one per tag, type 8, 9 or 18 as the tag, a format-0 header each and format-3
 * continuations at {@value #OUT_CHUNK_SIZE} bytes; audio on chunk stream
 * {@value #CSID_AUDIO}, video on {@value #CSID_VIDEO}, data on {@value #CSID_DATA}.
 *
 * <p>Latency: for each video frame carrying a picture, {@link SendTimes#sent} is called with
 * the timestamp sent and {@link System#nanoTime()} taken just before the message is written
 * to the channel, after it is built; the flush follows in the same event loop task. So a
 * latency includes our socket write of the frame, the server's work and the player's read,
 * and never our message building.
 *
 * <p>Threads: the publisher's own event loop; {@link #started()} and {@link #failure()} may
 * be waited on anywhere, the counters are read once that loop has shut down.
 */
final class RtmpPublishHandler extends RtmpClientHandler {
    static final int CSID_AUDIO = 4;
    static final int CSID_DATA = 5;
    static final int CSID_VIDEO = 6;
    /**
     * Bytes queued unsent (the channel's high water mark) before the publisher gives up:
     * a minute of a 1 Mbps stream, which only a server that has stopped reading builds up.
     */
    static final int MAX_QUEUED_BYTES = 8 << 20;

    private final FlvFile file;
    private final String name;
    private final SendTimes sendTimes;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private int streamId;
    /** When Publish.Start arrived: the file's first timestamp is due then. */
    private long startNanos;
    /** The next tag to send, and the pass of the file it belongs to. */
    private int next;
    private long loop;
    /** The latest due time so far: a tag whose timestamp goes back (audio a little behind video) is not late. */
    private long lastDue;
    private ScheduledFuture<?> timer;
    /** Coded video frames and audio messages sent, the payload bytes of all messages, and how late a send came at worst. */
    long videoFrames;
    long audioMessages;
    long bytes;
    long maxLateNanos;

    RtmpPublishHandler(FlvFile file, String app, String tcUrl, String name, SendTimes sendTimes) {
        super(app, tcUrl);
        this.file = file;
        this.name = name;
        this.sendTimes = sendTimes;
    }

    /** Completes when the server has answered publish with {@code NetStream.Publish.Start}. */
    CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the reason when the connection fails or is closed before the tool stops it. */
    CompletableFuture<String> failure() {
        return failure;
    }

    /** Passes of the file begun. */
    long loops() {
        return loop + 1;
    }

    @Override
    void streamCreated(ChannelHandlerContext ctx, int streamId) {
        this.streamId = streamId;
        command(ctx, streamId, "publish", 0.0, null, name, "live");
        ctx.flush();
    }

    @Override
    void status(ChannelHandlerContext ctx, String code) {
        if ("NetStream.Publish.Start".equals(code) && !started.isDone()) {
            startNanos = System.nanoTime();
            lastDue = startNanos;
            started.complete(null);
            pump(ctx);
        }
    }

    /** Sends every tag that is due, then sleeps until the next one is. */
    private void pump(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        List<FlvFile.Tag> tags = file.tags();
        long now = System.nanoTime();
        boolean wrote = false;
        while (true) {
            FlvFile.Tag tag = tags.get(next);
            if (loop > 0 && tag.firstLoopOnly()) {
                advance(tags.size());
                continue;
            }
            long millis = tag.timestamp() - file.firstTimestamp() + loop * file.loopMillis();
            long due = startNanos + millis * 1_000_000L;
            if (due - now > 0) {
                timer = ctx.executor().schedule(() -> pump(ctx), due - now, TimeUnit.NANOSECONDS);
                break;
            }
            if (due - lastDue > 0) {
                lastDue = due;
            }
            maxLateNanos = Math.max(maxLateNanos, now - lastDue);
            send(ctx, tag, (tag.timestamp() + loop * file.loopMillis()) & 0xFFFFFFFFL);
            wrote = true;
            advance(tags.size());
        }
        if (wrote) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                fail(ctx, "the server is not reading: over " + MAX_QUEUED_BYTES + " bytes queued unsent");
            }
        }
    }

    private void advance(int size) {
        if (++next == size) {
            next = 0;
            loop++;
        }
    }

    private void send(ChannelHandlerContext ctx, FlvFile.Tag tag, long timestamp) {
        ByteBuf body = tag.body();
        ByteBuf data = null;
        if (tag.onMetaData()) {
            data = ctx.alloc().heapBuffer(16 + body.readableBytes());
            Amf0Writer.write(data, "@setDataFrame");
            data.writeBytes(body, body.readerIndex(), body.readableBytes());
            body = data;
        }
        int length = body.readableBytes();
        int csid = switch (tag.type()) {
            case FlvTagHeader.TYPE_AUDIO -> CSID_AUDIO;
            case FlvTagHeader.TYPE_VIDEO -> CSID_VIDEO;
            default -> CSID_DATA;
        };
        ByteBuf out = ctx.alloc().buffer(chunkedSize(length, timestamp));
        writeMessage(out, csid, tag.type(), streamId, timestamp, body, body.readerIndex(), length);
        if (data != null) {
            data.release();
        }
        bytes += length;
        if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
            audioMessages++;
        } else if (tag.codedVideoFrame()) {
            videoFrames++;
            sendTimes.sent(timestamp, System.nanoTime());
        }
        ctx.write(out);
    }

    @Override
    void failed(String reason) {
        failure.complete(reason);
        started.completeExceptionally(new IllegalStateException(reason));
    }

    @Override
    void closed() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
