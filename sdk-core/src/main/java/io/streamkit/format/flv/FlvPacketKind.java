package io.streamkit.format.flv;

/**
 * What an FLV audio or video tag body carries, in the terms of Enhanced RTMP's packet
 * types; legacy AVCPacketType and AACPacketType map onto the same values.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, VideoPacketType and AudioPacketType</a>
 */
public enum FlvPacketKind {
    /**
     * A decoder configuration record: AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord,
     * AV1CodecConfigurationRecord, VPCodecConfigurationRecord, AudioSpecificConfig or an Opus
     * header (SequenceStart, legacy AVCPacketType/AACPacketType 0).
     */
    CONFIG,
    /** Coded media in the codec's canonical form (CodedFrames, CodedFramesX, legacy packet type 1, MP3). */
    FRAME,
    /** The end of a sequence: no more frames until the next configuration (SequenceEnd, legacy AVCPacketType 2). */
    END_OF_SEQUENCE,
    /** AMF-encoded video metadata such as {@code colorInfo} (VideoPacketType Metadata); frame type is ignored. */
    METADATA,
    /**
     * Nothing to map, with a reason: an empty body, a video command frame (FrameType 5), a
     * multitrack packet without track 0, or a packet type Streamkit has no use for
     * (MPEG2TSSequenceStart, MultichannelConfig).
     */
    IGNORED
}
