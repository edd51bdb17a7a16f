package io.streamkit.examples;

import io.streamkit.record.RecordFailure;
import io.streamkit.record.RecordListener;
import io.streamkit.record.RecordSpec;
import io.streamkit.record.RecordedFile;
import io.streamkit.server.MediaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every stream of app {@code rec} as MP4, a file every ten minutes, and hands each
 * finished file to an uploader: the shape of "record, then ship to object storage". The
 * recorder's callbacks run on one thread, in order; the upload runs on an executor of its own
 * so a slow upload never delays the next callback.
 *
 * <p>Run it with {@code ./mvnw -q -pl sdk-examples exec:java -Ddemo.main=io.streamkit.examples.RecordAndUpload},
 * publish with {@code ffmpeg -re -i input.mp4 -c copy -f flv rtmp://127.0.0.1:1935/rec/cam1}; files
 * go under {@code recordings/}.
 */
public final class RecordAndUpload {
    private static final Logger log = LoggerFactory.getLogger(RecordAndUpload.class);

    /** Where finished recordings go: object storage, a CDN, an archive. */
    public interface Uploader {
        /**
         * Uploads a finished file; may block, it runs on the uploader's executor.
         *
         * @param file the file, complete on disk
         * @throws Exception when the upload fails; the file stays where it is
         */
        void upload(RecordedFile file) throws Exception;
    }

    private RecordAndUpload() {
    }

    /**
     * Starts a server that records app {@code rec} and uploads each finished file.
     *
     * @param root where recordings go
     * @param uploader what to do with each finished file
     * @param rtmpPort the RTMP port, 0 for any
     * @param httpPort the HTTP port (listing and playback of recordings), 0 for any
     * @return the running server; closing it finalises the open files, whose uploads follow
     */
    public static MediaServer start(Path root, Uploader uploader, int rtmpPort, int httpPort) {
        ExecutorService uploads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uploads");
            t.setDaemon(true);
            return t;
        });
        RecordSpec spec = RecordSpec.mp4().toBuilder().rotateAfter(Duration.ofMinutes(10)).build();
        return MediaServer.builder()
                .rtmp(rtmpPort)
                .http(httpPort)
                .record(r -> r.root(root).recordApp("rec", spec).listener(new RecordListener() {
                    @Override
                    public void onStarted(RecordedFile file) {
                        log.info("recording {} into {}", file.stream(), file.path());
                    }

                    @Override
                    public void onFinished(RecordedFile file) {
                        uploads.execute(() -> {
                            try {
                                uploader.upload(file);
                            } catch (Exception e) {
                                log.warn("upload of {} failed; the file stays on disk", file.path(), e);
                            }
                        });
                    }

                    @Override
                    public void onFailed(RecordFailure failure) {
                        log.warn("recording of {} stopped: {}", failure.stream(), failure.cause().toString());
                    }
                }))
                .start();
    }

    /**
     * Runs the example until Ctrl-C, logging each finished file as its "upload".
     *
     * @param args none
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        MediaServer server = start(Path.of("recordings"), file -> log.info("upload {} ({} bytes, {} s, {})",
                file.path(), file.bytes(), file.duration().toSeconds(), file.end().orElseThrow()), 1935, 8080);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
    }
}
