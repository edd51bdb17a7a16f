package io.streamkit.bench.load;

/** Tells a video keyframe from the first two bytes of an FLV/RTMP video payload. */
final class VideoTags {
    private static final int CODEC_AVC = 7;
    private static final int CODEC_HEVC = 12;   // the pre-enhanced-RTMP convention some servers use

    private VideoTags() {
    }

    /**
     * Whether a video payload is a keyframe carrying picture data (not a sequence header).
     *
     * @param b0 the first payload byte
     * @param b1 the second payload byte, or -1 when the payload has one byte
     * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP</a>
     */
    static boolean isKeyframe(int b0, int b1) {
        if ((b0 & 0x80) != 0) {   // enhanced RTMP: IsExHeader, frame type in bits 4-6, packet type low nibble
            int frameType = (b0 >> 4) & 0x07;
            int packetType = b0 & 0x0F;
            return frameType == 1 && (packetType == 1 || packetType == 3);
        }
        int frameType = (b0 >> 4) & 0x0F;
        int codec = b0 & 0x0F;
        if (frameType != 1) {
            return false;
        }
        if (codec == CODEC_AVC || codec == CODEC_HEVC) {
            return b1 == 1;   // AVCPacketType 1: NALUs; 0 is the sequence header
        }
        return true;
    }
}
