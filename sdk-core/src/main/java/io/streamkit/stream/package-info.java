/**
 * Live streams and the roles around them: the engine, where
 * {@link io.streamkit.stream.Publisher}s write {@link io.streamkit.stream.MediaFrame}s to
 * {@link io.streamkit.stream.Track}s and {@link io.streamkit.stream.Subscriber}s receive them.
 *
 * <h2>Buffers</h2>
 * A {@code MediaFrame} is a {@link io.netty.buffer.ByteBufHolder}. Whoever holds a frame or
 * a buffer owns one reference and releases it:
 * <ul>
 *   <li>{@link io.streamkit.stream.Publisher#write} takes ownership of the payload it is
 *       given, accepted or not;</li>
 *   <li>{@link io.streamkit.stream.Subscriber#onFrame} lends the frame for the duration of
 *       the call; a subscriber that keeps it retains it and releases it later.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * A publisher is driven by one thread at a time and never waits for subscribers. Each
 * frame is handed once to each executor that hosts subscribers of its stream; there every
 * local subscriber receives it in turn, and {@link io.streamkit.stream.Subscriber#onFlush}
 * ends the batch. A subscriber that cannot keep up skips to the next keyframe; nothing it
 * does slows anyone else.
 *
 * <h2>Time</h2>
 * Timestamps are microseconds. The engine makes each track's dts rise strictly: 32-bit
 * wraps are continued, B-frame-like jitter is nudged forward, jumps back and jumps forward
 * beyond {@link io.streamkit.stream.StreamPolicy#maxTimestampJump()} are smoothed over by
 * continuing one frame interval on (audio and video of one publisher together), and frames
 * whose timestamp repeats (zero or constant clocks) are timed by the track's frame interval
 * and their arrival. {@link io.streamkit.stream.TrackStats#timestampCorrections()} counts
 * every repaired frame.
 */
package io.streamkit.stream;
