package io.streamkit.server.spi;

import io.netty.channel.ChannelFuture;
import io.streamkit.stream.MediaFrame;

/**
 * A player's one way to its connection: every player type (RTMP, HTTP-FLV, WS-FLV, and a
 * module's own) writes through it. Opened with {@link PlayerOutputs#open}.
 *
 * <ul>
 *   <li><b>Frames</b> ({@link #frame}) are queued as their shared wire form (built once per
 *   frame, form and event loop by the player's {@link WireFormat}, and shared by every player
 *   of the loop that wants the same form) and written at the end of an engine batch, or in the
 *   player's slot of the write-batch window. Where the transport allows, they go straight to
 *   the socket in one system call.
 *   <li><b>Control messages</b> ({@link #control}: a status, a sequence header, metadata, the
 *   end of a response) are written after every frame queued before them: order holds by
 *   construction.
 *   <li><b>Writability</b> ({@link #writable}) answers {@code Subscriber.writable()}: whether
 *   the connection is below its high water mark.
 *   <li><b>End of batch</b> ({@link #endOfBatch}) answers {@code Subscriber.onFlush()}.
 *   <li>A player ends with {@link #finish()} (what is queued is written; control messages may
 *   follow) or {@link #abandon()} (the play was cancelled or the connection is gone).
 * </ul>
 *
 * <p>Threading: every method on the connection's event loop (the subscription's executor),
 * never concurrently. Buffers: a frame is lent for the call to {@link #frame}; a control
 * message passes to the output.
 */
public interface PlayerOutput {

    /**
     * Queues a frame, in the form the player's wire format builds, for the next flush.
     *
     * @param frame the frame, lent
     * @param form which of the format's forms (for RTMP: chunk stream, chunk size, header type)
     * @param time the time the form carries, in the format's terms; part of the form's identity
     * @return the frame's bytes on the wire; 0 once the output is finished
     */
    int frame(MediaFrame frame, long form, long time);

    /**
     * Writes a message the connection takes (an RTMP message, a {@code ByteBuf}, a WebSocket
     * frame) after every frame queued before it, without a flush; also after {@link #finish()}.
     *
     * @param message the message, passed to the output
     * @return the write's future
     */
    ChannelFuture control(Object message);

    /**
     * Writes a message as {@link #control} does, then flushes.
     *
     * @param message the message, passed to the output
     * @return the write's future
     */
    ChannelFuture controlAndFlush(Object message);

    /**
     * The end of an engine batch: flushes now (no batching, or the player's first frames: the
     * GOP cache a new player starts with), or asks for the player's slot of the window.
     */
    void endOfBatch();

    /**
     * Tells whether the connection takes more frames: below its high water mark.
     *
     * @return the answer for {@code Subscriber.writable()}
     */
    boolean writable();

    /** Writes what is queued, without a flush, and takes no more frames; control messages may follow. */
    void finish();

    /** Drops what is queued and takes no more frames: the play was cancelled or the connection is gone. */
    void abandon();
}
