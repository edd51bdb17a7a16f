package io.streamkit.rtmp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two seconds of what a 2.5 Mbps H.264 + AAC publisher sends, as a list of access units in
 * send order (by dts, audio first on a tie): the input of both RTMP benchmarks.
 *
 * <p>Video: {@value #VIDEO_FPS} fps, one GOP of {@value #GOP_FRAMES} frames, the first a
 * keyframe of {@value #KEYFRAME_BYTES} bytes, the others {@value #MIN_FRAME_BYTES} to
 * {@value #MAX_FRAME_BYTES} bytes (mean 11 KB), which makes about 2.5 Mbps. Audio: AAC-LC at
 * 44.1 kHz, 1,024 samples a frame (43 frames a second), {@value #MIN_AUDIO_BYTES} to
 * {@value #MAX_AUDIO_BYTES} bytes (128 kbps). Payloads are AVCC (one length-prefixed NAL unit
 * a frame) and raw AAC, filled with seeded random bytes so every run is the same.
 */
final class SyntheticStream {
    static final int VIDEO_FPS = 25;
    /** A keyframe every 2 s at 25 fps, what live encoders are told to do. */
    static final int GOP_FRAMES = 50;
    /** An IDR picture of a 720p 2.5 Mbps stream. */
    static final int KEYFRAME_BYTES = 80_000;
    static final int MIN_FRAME_BYTES = 9_000;
    static final int MAX_FRAME_BYTES = 13_000;
    static final int MIN_AUDIO_BYTES = 360;
    static final int MAX_AUDIO_BYTES = 440;
    static final int AUDIO_SAMPLE_RATE = 44_100;
    static final int AUDIO_FRAME_SAMPLES = 1_024;

    /** One access unit: its kind, timestamps in ms, and its payload in the codec's canonical form. */
    record Unit(boolean video, boolean keyframe, long dtsMillis, int ctsMillis, byte[] payload) {
    }

    private SyntheticStream() {
    }

    /** The units of one GOP (2 s), video and audio interleaved by dts. */
    static List<Unit> oneGop() {
        Random random = new Random(42);
        List<Unit> units = new ArrayList<>();
        long gopMillis = 1000L * GOP_FRAMES / VIDEO_FPS;
        int v = 0;
        int a = 0;
        while (true) {
            long videoDts = 1000L * v / VIDEO_FPS;
            long audioDts = 1000L * a * AUDIO_FRAME_SAMPLES / AUDIO_SAMPLE_RATE;
            boolean moreVideo = v < GOP_FRAMES;
            boolean moreAudio = audioDts < gopMillis;
            if (!moreVideo && !moreAudio) {
                return units;
            }
            if (moreAudio && (!moreVideo || audioDts <= videoDts)) {
                int size = MIN_AUDIO_BYTES + random.nextInt(MAX_AUDIO_BYTES - MIN_AUDIO_BYTES + 1);
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                units.add(new Unit(false, true, audioDts, 0, payload));
                a++;
            } else {
                boolean key = v == 0;
                int size = key ? KEYFRAME_BYTES
                        : MIN_FRAME_BYTES + random.nextInt(MAX_FRAME_BYTES - MIN_FRAME_BYTES + 1);
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                int nal = size - 4;
                payload[0] = (byte) (nal >>> 24);
                payload[1] = (byte) (nal >>> 16);
                payload[2] = (byte) (nal >>> 8);
                payload[3] = (byte) nal;
                payload[4] = (byte) (key ? 0x65 : 0x41);   // IDR slice, or non-IDR slice with nal_ref_idc 2
                units.add(new Unit(true, key, videoDts, 80, payload));   // B-frames: pts 80 ms after dts
                v++;
            }
        }
    }

    /**
     * The FLV tag body RTMP carries for a unit (video: frame type, codec id 7, AVC NALU,
     * composition time; audio: AAC, 44 kHz, stereo, raw): what a publisher sends.
     */
    static byte[] flvBody(Unit unit) {
        byte[] p = unit.payload();
        byte[] body;
        if (unit.video()) {
            body = new byte[5 + p.length];
            body[0] = (byte) (unit.keyframe() ? 0x17 : 0x27);
            body[1] = 1;
            body[2] = (byte) (unit.ctsMillis() >>> 16);
            body[3] = (byte) (unit.ctsMillis() >>> 8);
            body[4] = (byte) unit.ctsMillis();
            System.arraycopy(p, 0, body, 5, p.length);
        } else {
            body = new byte[2 + p.length];
            body[0] = (byte) 0xAF;
            body[1] = 1;
            System.arraycopy(p, 0, body, 2, p.length);
        }
        return body;
    }
}
