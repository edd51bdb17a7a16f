package io.streamkit.test;

import io.streamkit.stream.MediaFrame;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A subscriber with a bounded backlog that someone else reads: it keeps each frame in a
 * queue, and is writable while the queue has room. When its reader stops, it fills up.
 */
public final class QueueSubscriber extends RecordingSubscriber {
    public final ArrayBlockingQueue<MediaFrame> queue;

    public QueueSubscriber(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean writable() {
        return queue.remainingCapacity() > 0;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        super.onFrame(frame);
        queue.add(frame.retain());
    }

    /** Reads (and releases) everything queued; returns how many frames that was. */
    public int drain() {
        int n = 0;
        MediaFrame f;
        while ((f = queue.poll()) != null) {
            f.release();
            n++;
        }
        return n;
    }
}
