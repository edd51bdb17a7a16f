/**
 * The engine behind {@link io.streamkit.stream.StreamEngine}: the stream registry, the
 * per-stream hub, fan-out to executors, the GOP cache and timestamp normalisation.
 * Exported to {@code io.streamkit.protocols} only; no compatibility promise.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>{@link io.streamkit.internal.engine.Hub}: all stream state (publisher, tracks, GOP
 *       cache, the set of executors with subscribers) is guarded by the hub's monitor. A
 *       write holds it for a normalisation, a cache append and one queue offer per
 *       executor; nothing under it calls application code or blocks.</li>
 *   <li>{@link io.streamkit.internal.engine.LoopFanOut}: one per (stream, executor). The hub
 *       offers each frame once, retained, to its multi-producer queue; the executor drains
 *       it, hands the frame to every local subscriber, releases it, and calls
 *       {@code onFlush} once per batch. Control events (join, leave, track changes, end)
 *       travel through the same queue, so each subscriber sees them in order with frames.</li>
 *   <li>{@link io.streamkit.internal.engine.Sub}: a subscription's delivery state is
 *       confined to its executor; its counters have that one writer and are read anywhere.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A subscriber's backlog is its own (an unwritable channel, a full queue); the engine
 *       asks {@code writable()} before each frame, so skipping costs no buffering here. The
 *       one queue the engine owns, per executor, is bounded by {@code loopBacklog}: past it
 *       frames for that executor are dropped and its subscribers resume at a keyframe.</li>
 *   <li>The first publisher's timestamps pass through; a returning publisher's timeline is
 *       shifted to continue just after the last frame the stream delivered.</li>
 * </ul>
 */
package io.streamkit.internal.engine;
