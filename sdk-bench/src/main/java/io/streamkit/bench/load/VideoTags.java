package io.streamkit.bench.load;

/** Tells what an FLV/RTMP video payload carries from its first two bytes. */
final class VideoTags {
    private static final int CODEC_AVC = 7;
    private static final int CODEC_HEVC = 12;   // the pre-enhanced-RTMP convention some servers use
    private static final int FRAME_TYPE_KEY = 1;
    private static final int FRAME_TYPE_COMMAND = 5;
    private static final int PACKET_TYPE_SEQUENCE_START = 0;
    private static final int PACKET_TYPE_CODED_FRAMES = 1;
    private static final int PACKET_TYPE_SEQUENCE_END = 2;
    private static final int PACKET_TYPE_CODED_FRAMES_X = 3;
    private static final int AVC_END_OF_SEQUENCE = 2;

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
        int frameType = (b0 & 0x80) != 0 ? (b0 >> 4) & 0x07 : b0 >> 4;
        return frameType == FRAME_TYPE_KEY && isCodedFrame(b0, b1);
    }

    /**
     * Whether a video payload carries a picture: not a sequence header, an end of sequence,
     * a command frame or (enhanced RTMP) metadata. One per frame, so its timestamp names it.
     *
     * @param b0 the first payload byte
     * @param b1 the second payload byte, or -1 when the payload has one byte
     */
    static boolean isCodedFrame(int b0, int b1) {
        if ((b0 & 0x80) != 0) {
            int packetType = b0 & 0x0F;
            return ((b0 >> 4) & 0x07) != FRAME_TYPE_COMMAND
                    && (packetType == PACKET_TYPE_CODED_FRAMES || packetType == PACKET_TYPE_CODED_FRAMES_X);
        }
        if ((b0 >> 4) == FRAME_TYPE_COMMAND) {
            return false;
        }
        int codec = b0 & 0x0F;
        return (codec != CODEC_AVC && codec != CODEC_HEVC) || b1 == 1;   // AVCPacketType 1: NALUs
    }

    /** Whether a video payload ends the sequence (AVC/HEVC end of sequence, enhanced SequenceEnd). */
    static boolean isEndOfSequence(int b0, int b1) {
        if ((b0 & 0x80) != 0) {
            return (b0 & 0x0F) == PACKET_TYPE_SEQUENCE_END;
        }
        int codec = b0 & 0x0F;
        return (codec == CODEC_AVC || codec == CODEC_HEVC) && b1 == AVC_END_OF_SEQUENCE;
    }

    /** Whether a video payload is a decoder configuration (AVC/HEVC sequence header, enhanced SequenceStart). */
    static boolean isSequenceHeader(int b0, int b1) {
        if ((b0 & 0x80) != 0) {
            return (b0 & 0x0F) == PACKET_TYPE_SEQUENCE_START;
        }
        int codec = b0 & 0x0F;
        return (codec == CODEC_AVC || codec == CODEC_HEVC) && b1 == 0;
    }
}
