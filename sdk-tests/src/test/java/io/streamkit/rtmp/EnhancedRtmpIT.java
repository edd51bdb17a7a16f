package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.relay.Pusher;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.Await;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Codecs that legacy FLV cannot carry (AV1, Opus) and H.265 cross RTMP in the Enhanced RTMP
 * form, end to end: application frames, our pusher's Enhanced headers, our server's Enhanced
 * parsing, a subscriber on the far side.
 *
 * <p>Our client against our server: Debian's ffmpeg (5.1) and GStreamer (1.22) predate
 * Enhanced RTMP, so no independent client on this machine can publish it. The configuration
 * records are real ones from ffmpeg's encoders (the codec fixtures).
 */
class EnhancedRtmpIT {

    @Test
    void hevcAv1AndOpusCrossRtmpAsEnhancedRtmp() throws Exception {
        for (Codec video : new Codec[] {Codec.H265, Codec.AV1}) {
            relay(video, video == Codec.H265 ? "hevc-main-642x362-25.hvcC" : "av1-aom-320x240-25.av1C",
                    video == Codec.H265 ? 642 : 320);
        }
    }

    private void relay(Codec videoCodec, String fixture, int width) throws Exception {
        try (MediaServer remote = MediaServer.builder().ioThreads(1).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start();
             MediaServer local = MediaServer.builder().ioThreads(1).start()) {
            StreamKey key = StreamKey.of("live", "enhanced");
            Publisher pub = local.streams().publish(key);
            Track video = pub.addTrack(TrackFormat.of(videoCodec, Unpooled.wrappedBuffer(fixture(fixture))));
            Track audio = pub.addTrack(TrackFormat.of(Codec.OPUS, Unpooled.wrappedBuffer(fixture("opus-stereo-48000.opushead"))));
            pub.write(video, 0, 0, true, videoFrame(videoCodec, 0, true));

            Pusher pusher = local.push(key, "rtmp://127.0.0.1:" + remote.rtmpPort().getAsInt() + "/live/enhanced");
            pusher.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            RecordingSubscriber far = new RecordingSubscriber();
            remote.streams().subscribe(key, far).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 20; i++) {
                pub.write(audio, i * 20_000L, i * 20_000L, true, TestMedia.payload(1000 + i, 120));
                pub.write(video, i * 40_000L, i * 40_000L, i % 10 == 0, videoFrame(videoCodec, i, i % 10 == 0));
            }
            Await.until(Duration.ofSeconds(10), () -> far.frames.stream().anyMatch(f -> f.seq() == 20),
                    () -> "frames relayed: " + far.frames.size());
            Track farVideo = remote.streams().stream(key).orElseThrow().tracks().stream()
                    .filter(t -> t.codec() == videoCodec).findFirst().orElseThrow();
            assertEquals(width, farVideo.format().video().orElseThrow().width(), videoCodec + " width after the relay");
            assertTrue(remote.streams().stream(key).orElseThrow().tracks().stream().anyMatch(t -> t.codec() == Codec.OPUS),
                    "Opus track relayed");
            assertTrue(far.events.contains("track 0 " + videoCodec), far.events::toString);
            assertTrue(far.frames.stream().anyMatch(f -> f.seq() == 1010 && f.size() == 120), "Opus frames intact");
            assertTrue(far.frames.stream().filter(f -> f.seq() == 10).allMatch(f -> f.keyframe() && f.size() == 900),
                    "video keyframe intact");
            assertTrue(far.violations.isEmpty(), far.violations::toString);
            pusher.close();
            pub.close();
        }
    }

    /** 900 bytes numbered {@code seq}; an H.265 access unit holds an IDR exactly when it is a keyframe, as ingest checks. */
    private static io.netty.buffer.ByteBuf videoFrame(Codec codec, long seq, boolean key) {
        return codec == Codec.H265 ? TestMedia.accessUnit(codec, seq, 900, key) : TestMedia.payload(seq, 900);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = EnhancedRtmpIT.class.getResourceAsStream("/codec/" + name)) {
            if (in == null) {
                throw new IOException("fixture " + name + " is not on the test class path");
            }
            return in.readAllBytes();
        }
    }
}
