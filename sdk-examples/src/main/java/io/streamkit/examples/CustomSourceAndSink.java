package io.streamkit.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing and subscribing from application code, with no protocol in between: the way
 * to write a custom source (a capture card, a transcoder's output) or a custom sink (an
 * analyser, a recorder of your own).
 */
public final class CustomSourceAndSink {
    private static final Logger log = LoggerFactory.getLogger(CustomSourceAndSink.class);

    /** An H.264 Main 320x240 AVCDecoderConfigurationRecord, as an encoder would hand it over. */
    static final byte[] AVC_CONFIG = HexFormat.of().parseHex(
            "014d400dffe10018674d400deca0a0fd80880000030008000003019078a14cb001000568ebe3cb20");

    private CustomSourceAndSink() {
    }

    /**
     * Publishes 250 frames and counts what a subscriber receives.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try (MediaServer server = MediaServer.builder().start()) {
            StreamKey key = StreamKey.of("live", "custom");
            Publisher publisher = server.streams().publish(key);
            Track video = publisher.addTrack(TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(AVC_CONFIG)));
            log.info("publishing {}: {}", key, video.format());

            LongAdder bytes = new LongAdder();
            Subscription subscription = server.streams().subscribe(key, new Subscriber() {
                @Override
                public void onTrack(Track track) {
                    log.info("sink sees track {}: {}", track.id(), track.format());
                }

                @Override
                public void onFrame(MediaFrame frame) {
                    bytes.add(frame.content().readableBytes());   // lent: read it now, or retain it
                }
            }).toCompletableFuture().join();

            for (int i = 0; i < 250; i++) {
                ByteBuf payload = ByteBufAllocator.DEFAULT.buffer(1_000).writeZero(1_000);
                publisher.write(video, i * 40_000L, i * 40_000L, i % 50 == 0, payload);   // ownership passes
            }
            publisher.close();
            log.info("sink stats: {}; bytes counted {}", subscription.stats(), bytes.sum());
        }
    }
}
