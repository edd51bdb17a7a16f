package io.streamkit.record;

import io.streamkit.server.MediaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A recording server in a JVM of its own, for {@link RecordCrashIT}, which kills it: RTMP and
 * HTTP on the ports given (0 for any), app {@code rec} recorded as MP4 with the default 2 s
 * fragments and no rotation by time, under the root given. Prints
 * {@code READY rtmp=<port> http=<port>} once started and a line per file event, and closes the
 * server on SIGTERM.
 *
 * <p>Usage: {@code RecordingServerMain <rtmpPort> <httpPort> <root>}.
 */
public final class RecordingServerMain {
    private RecordingServerMain() {
    }

    /**
     * Runs the server until the JVM is stopped.
     *
     * @param args the RTMP port, the HTTP port, the recordings' root
     * @throws InterruptedException never in practice: the main thread waits for ever
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: RecordingServerMain <rtmpPort> <httpPort> <root>");
            System.exit(2);
        }
        int rtmp = Integer.parseInt(args[0]);
        int http = Integer.parseInt(args[1]);
        Path root = Path.of(args[2]);
        MediaServer server = MediaServer.builder().ioThreads(2).rtmp(rtmp).http(http)
                .record(r -> r.root(root)
                        .recordApp("rec", RecordSpec.builder(RecordFormat.MP4).rotateAfter(Duration.ZERO).build())
                        .listener(new RecordListener() {
                            @Override
                            public void onStarted(RecordedFile file) {
                                System.out.println("STARTED " + file.name());
                            }

                            @Override
                            public void onFinished(RecordedFile file) {
                                System.out.println("FINISHED " + file.name() + " " + file.end().orElseThrow() + " "
                                        + file.videoFrames() + " " + file.audioFrames());
                            }

                            @Override
                            public void onFailed(RecordFailure failure) {
                                System.out.println("FAILED " + failure);
                            }
                        }))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-server"));
        System.out.println("READY rtmp=" + server.rtmpPort().getAsInt() + " http=" + server.httpPort().getAsInt());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
