package io.streamkit.stream;

/**
 * A snapshot of one subscription's counters.
 *
 * @param framesDelivered frames passed to {@link Subscriber#onFrame}
 * @param bytesDelivered payload bytes among them
 * @param framesSkipped frames not delivered because the subscriber was not writable or
 *     was waiting for a keyframe after a skip
 * @param skips how many times the subscriber fell behind and had to skip to a keyframe
 */
public record SubscriberStats(long framesDelivered, long bytesDelivered, long framesSkipped, long skips) {
}
