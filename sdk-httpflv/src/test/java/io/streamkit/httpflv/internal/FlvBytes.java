package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.stream.Codec;
import io.streamkit.test.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds FLV streams and HTTP responses for the puller's tests, with core's FLV writers: a
 * header, then tags each followed by its back pointer (the right one unless told otherwise).
 */
final class FlvBytes {
    /** The 2 s H.264 + AAC golden of core's tests: 160x120, 50 video and 88 audio frames, legacy FLV. */
    static final String GOLDEN_H264_AAC = "/format/flv/h264-aac-160x120-2s.flv";

    /** Core's Enhanced FLV golden: H.264 track 0 and two Opus tracks (0 plain, 1 multitrack), 50, 101 and 101 frames. */
    static final String GOLDEN_H264_OPUS_MULTITRACK = "/format/flv/h264-opusx2-multitrack-2s.flv";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private FlvBytes() {
    }

    /** Starts a stream with the 9-byte header (audio and video flags set) and PreviousTagSize0. */
    static FlvBytes header() {
        FlvBytes b = new FlvBytes();
        ByteBuf h = Unpooled.buffer(FlvHeader.SIZE_WITH_FIRST_TAG_SIZE);
        FlvHeader.writeTo(h, true, true);
        b.out.writeBytes(ByteBufUtil.getBytes(h));
        return b;
    }

    /** Appends a tag and its correct back pointer. */
    FlvBytes tag(int type, long timestampMs, byte[] body) {
        return tag(type, timestampMs, body, FlvTagHeader.SIZE + body.length);
    }

    /** Appends a tag and the back pointer given, right or not. */
    FlvBytes tag(int type, long timestampMs, byte[] body, int backPointer) {
        ByteBuf h = Unpooled.buffer(FlvTagHeader.SIZE);
        FlvTagHeader.write(h, type, body.length, timestampMs);
        out.writeBytes(ByteBufUtil.getBytes(h));
        out.writeBytes(body);
        out.writeBytes(new byte[] {(byte) (backPointer >>> 24), (byte) (backPointer >>> 16), (byte) (backPointer >>> 8),
            (byte) backPointer});
        return this;
    }

    /** Appends bytes as they are. */
    FlvBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A short stream: metadata, H.264 (320x240) and AAC sequence headers, a keyframe, audio, an inter frame with a composition time. */
    static byte[] shortStream() {
        return header()
                .tag(FlvTagHeader.TYPE_SCRIPT, 0, metadata(Map.of("width", 320.0, "encoder", "test")))
                .tag(FlvTagHeader.TYPE_VIDEO, 0, avcSequenceHeader())
                .tag(FlvTagHeader.TYPE_AUDIO, 0, aacSequenceHeader())
                .tag(FlvTagHeader.TYPE_VIDEO, 0, avcFrame(1, 40, true, 80))
                .tag(FlvTagHeader.TYPE_AUDIO, 3, aacFrame(17))
                .tag(FlvTagHeader.TYPE_AUDIO, 26, aacFrame(19))
                .tag(FlvTagHeader.TYPE_VIDEO, 40, avcFrame(2, 30, false, 40))
                .toByteArray();
    }

    static byte[] avcSequenceHeader() {
        ByteBuf b = Unpooled.buffer();
        FlvTags.writeVideoSequenceStart(b, Codec.H264, false);
        b.writeBytes(TestMedia.AVC_320x240);
        return ByteBufUtil.getBytes(b);
    }

    /** A legacy AVC frame tag body; the access unit holds an IDR slice exactly when {@code key}. */
    static byte[] avcFrame(long seq, int size, boolean key, int compositionTimeMs) {
        ByteBuf b = Unpooled.buffer();
        FlvTags.writeVideoHeader(b, Codec.H264, key, compositionTimeMs, false);
        ByteBuf au = TestMedia.accessUnit(Codec.H264, seq, size, key);
        try {
            b.writeBytes(au);
        } finally {
            au.release();
        }
        return ByteBufUtil.getBytes(b);
    }

    static byte[] aacSequenceHeader() {
        ByteBuf b = Unpooled.buffer();
        FlvTags.writeAudioHeader(b, Codec.AAC, 44_100, 1, true);
        b.writeBytes(TestMedia.AAC_LC_44100_MONO);
        return ByteBufUtil.getBytes(b);
    }

    static byte[] aacFrame(int size) {
        ByteBuf b = Unpooled.buffer();
        FlvTags.writeAudioHeader(b, Codec.AAC, 44_100, 1, false);
        for (int i = 0; i < size; i++) {
            b.writeByte(i);
        }
        return ByteBufUtil.getBytes(b);
    }

    static byte[] metadata(Map<String, Object> values) {
        ByteBuf b = Unpooled.buffer();
        Amf0Writer.writeAll(b, "onMetaData", values);
        return ByteBufUtil.getBytes(b);
    }

    /** A test resource's bytes, core's goldens included. */
    static byte[] resource(String path) {
        try (InputStream in = FlvBytes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code 200} response head announcing a chunked body. */
    static byte[] chunkedHead() {
        return ascii("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    /** A {@code 200} response head of a body that ends when the connection closes. */
    static byte[] closeDelimitedHead() {
        return ascii("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\n");
    }

    /** A body in chunks of {@code chunk} bytes, then the last chunk when {@code last}. */
    static byte[] chunked(byte[] body, int chunk, boolean last) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            wire.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
            wire.write(body, at, n);
            wire.writeBytes(ascii("\r\n"));
        }
        if (last) {
            wire.writeBytes(ascii("0\r\n\r\n"));
        }
        return wire.toByteArray();
    }

    /** A whole chunked {@code 200} response of a body. */
    static byte[] chunkedResponse(byte[] body, int chunk) {
        return concat(chunkedHead(), chunked(body, chunk, true));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
