/**
 * The recorder: one subscriber per recorded stream, files written off the event loops, the
 * index of recordings, crash recovery, and the playback routes. No compatibility promise; not
 * exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>An event loop only queues: a recorded stream's subscriber retains each frame and
 *       appends it to the recording's queue; a writer thread drains the queue (one drain per
 *       recording at a time, so its files see frames in order). The bytes waiting are counted;
 *       past {@code maxQueueBytes} the recording stops with a failure and the stream goes on.
 *       No event loop ever touches a file.</li>
 *   <li>A file opens at the stream's first video keyframe (at the first frame of an audio-only
 *       stream); audio that arrived before that keyframe, up to
 *       {@value StreamRecording#MAX_PREROLL_MICROS} µs of it, opens the file with it, so a
 *       file from a publish's start holds every frame the publisher sent. Rotation happens at a
 *       keyframe, in arrival order: the keyframe is the next file's first frame and the frame
 *       before it the last of the previous file, so none is lost or repeated.</li>
 *   <li>MP4 is written as fragmented MP4 to {@code <name>.fmp4} beside the final name. At a
 *       clean end the progressive file is written to {@code <name>.mp4.part} (the writer's head,
 *       then the fragments' media copied with {@code transferTo}), synced, moved over the final
 *       name, and the fragmented file deleted. A crash leaves the {@code .fmp4}, playable as
 *       it is; the next start finalises it through {@code Fmp4Recovery}.</li>
 *   <li>The index of recordings is a tab-separated file, {@value RecordingIndex#FILE_NAME}, in
 *       the root: a line when a file starts and one when it finishes. A start without its
 *       finish is what recovery looks at, so the tree is never walked.</li>
 *   <li>Callbacks run on one thread of the recorder's, in order, behind a guard.</li>
 * </ul>
 */
package io.streamkit.record.internal;
