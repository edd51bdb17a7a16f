/**
 * The engine behind {@link io.streamkit.engine.StreamEngine}: the stream registry, the
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
 *   <li>Publisher clocks are repaired per track, by steps ({@link io.streamkit.internal.engine.TrackClock}
 *       has the table): a believable step is kept, jitter is nudged forward without moving the
 *       timeline, a jump back past B-frame reordering or forward past
 *       {@code StreamPolicy.maxTimestampJump} rebases the track to one frame interval after its
 *       last frame, and repeated (zero or constant) timestamps are timed by the frame interval
 *       the format tells and by arrival on the engine's ticker. Each repaired frame counts in
 *       the track's {@code timestampCorrections}.</li>
 *   <li>A/V stay together through a rebase by a <em>shared session offset with per-track
 *       offsets</em>: each track keeps its own offset (an interleaved frame that still carries
 *       the old clock maps as before), and the track that first sees a jump publishes its new
 *       offset on the session. A track that then sees a jump of its own first tries the
 *       session's offset and takes it when its frame lands within a second after its last
 *       one, so it keeps the publisher's own A/V relation exactly; only when that does not fit
 *       (the tracks' clocks jumped apart) does it rebase on its own, which still lands it within
 *       a frame interval of where its own timeline was. Per-track offsets alone would let each
 *       repair add up to an interval of skew; one shared offset alone would rebase a track whose
 *       clock did not jump. A forward jump that lands no later than the stream's latest frame is
 *       a silent track catching up with the others, and is kept.</li>
 *   <li>A forward step below {@code maxTimestampJump} is believed, even when it outruns
 *       arrival: encoders drop frames under congestion while their audio goes on, and
 *       squeezing such a gap would shift video against audio by its length.</li>
 * </ul>
 */
package io.streamkit.internal.engine;
