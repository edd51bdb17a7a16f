package io.streamkit.codec.opus;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Opus identification header, the decoder configuration of Ogg, Matroska and
 * enhanced-RTMP Opus streams (RFC 7845 5.1).
 *
 * <p>It is 19 bytes for mapping family 0 (mono or stereo) and 21 + channel count bytes
 * for the others, which add the stream counts and the channel mapping table (5.1.1).
 * Multi-byte fields are little-endian. An Opus decoder always outputs 48 kHz, so
 * {@link #audioParameters()} reports 48000 whatever {@link #inputSampleRate()} says.
 *
 * <p>Rejected: a magic other than {@code "OpusHead"}, a major version other than 0 (the
 * high nibble of the version byte, 5.1 item 2), 0 channels, a family 0 header with more
 * than 2 channels, a family 1 header with more than 8, a stream count of 0, a coupled
 * count above the stream count, a mapping entry naming a missing decoded channel, mapping
 * family {@value #FAMILY_AMBISONICS_PROJECTION} (whose demixing matrix we do not read),
 * and a header shorter than its fields. Bytes after the header are ignored, as 5.1
 * requires for later minor versions.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7845#section-5.1">RFC 7845 5.1</a>
 */
public final class OpusHead {
    /** The 8-byte magic signature. */
    public static final String MAGIC = "OpusHead";

    /** Length of a mapping family 0 header. */
    public static final int MIN_LENGTH = 19;

    /** The sample rate of every Opus decoder's output (RFC 7845 5.1 item 5). */
    public static final int OUTPUT_SAMPLE_RATE = 48_000;

    /** Mapping family 0: mono or stereo, one stream (RFC 7845 5.1.1.1). */
    public static final int FAMILY_RTP = 0;
    /** Mapping family 1: 1 to 8 channels in Vorbis order (RFC 7845 5.1.1.2). */
    public static final int FAMILY_VORBIS = 1;
    /** Mapping family 3: ambisonics with a demixing matrix (RFC 8486 3.2), not supported. */
    public static final int FAMILY_AMBISONICS_PROJECTION = 3;
    /** Mapping family 255: unidentified channels (RFC 7845 5.1.1.3). */
    public static final int FAMILY_UNDEFINED = 255;

    /** Most channels family 1 defines (RFC 7845 5.1.1.2). */
    public static final int MAX_VORBIS_CHANNELS = 8;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    private static final int UNUSED_CHANNEL = 255;

    private final int version;
    private final int channelCount;
    private final int preSkip;
    private final long inputSampleRate;
    private final int outputGain;
    private final int mappingFamily;
    private final int streamCount;
    private final int coupledCount;
    private final byte[] channelMapping;

    private OpusHead(int version, int channelCount, int preSkip, long inputSampleRate, int outputGain,
            int mappingFamily, int streamCount, int coupledCount, byte[] channelMapping) {
        this.version = version;
        this.channelCount = channelCount;
        this.preSkip = preSkip;
        this.inputSampleRate = inputSampleRate;
        this.outputGain = outputGain;
        this.mappingFamily = mappingFamily;
        this.streamCount = streamCount;
        this.coupledCount = coupledCount;
        this.channelMapping = channelMapping;
    }

    /**
     * Parses a header from the readable bytes of {@code buf}.
     *
     * <p>The reader index is not moved.
     *
     * @param buf the header; borrowed, not released
     * @return the parsed header
     * @throws MediaFormatException if it breaks a rule listed in the class description
     */
    public static OpusHead parse(ByteBuf buf) {
        int index = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < MIN_LENGTH) {
            throw new MediaFormatException("OpusHead length " + length + " is below " + MIN_LENGTH);
        }
        for (int i = 0; i < MAGIC_BYTES.length; i++) {
            if (buf.getByte(index + i) != MAGIC_BYTES[i]) {
                throw new MediaFormatException("OpusHead magic " + buf.toString(index, 8, StandardCharsets.ISO_8859_1)
                        + " is not " + MAGIC);
            }
        }
        int version = buf.getUnsignedByte(index + 8);
        if (version >> 4 != 0) {
            throw new MediaFormatException("OpusHead major version " + (version >> 4) + " is not 0");
        }
        int channels = buf.getUnsignedByte(index + 9);
        int preSkip = buf.getUnsignedShortLE(index + 10);
        long inputSampleRate = buf.getUnsignedIntLE(index + 12);
        int outputGain = buf.getShortLE(index + 16);
        int family = buf.getUnsignedByte(index + 18);
        if (family == FAMILY_RTP) {
            return create(version, channels, preSkip, inputSampleRate, outputGain, family, 1, channels - 1,
                    channels == 2 ? new byte[] {0, 1} : new byte[] {0});
        }
        int needed = MIN_LENGTH + 2 + channels;
        if (length < needed) {
            throw new MediaFormatException("OpusHead of mapping family " + family + " and " + channels
                    + " channels needs " + needed + " bytes, has " + length);
        }
        byte[] mapping = new byte[channels];
        buf.getBytes(index + 21, mapping);
        return create(version, channels, preSkip, inputSampleRate, outputGain, family,
                buf.getUnsignedByte(index + 19), buf.getUnsignedByte(index + 20), mapping);
    }

    /**
     * Builds a header, checking it as {@link #parse(ByteBuf)} does.
     *
     * @param channelCount output channels, 1 to 255
     * @param preSkip samples at 48 kHz to drop at the start
     * @param inputSampleRate the original sample rate, informational, 0 when unknown
     * @param outputGain gain in Q7.8 dB to apply to the output
     * @param mappingFamily 0, 1, 2 or 255
     * @param streamCount Opus streams, at least 1 (1 for family 0)
     * @param coupledCount stereo streams among them (channelCount - 1 for family 0)
     * @param channelMapping decoded channel index for each output channel; copied
     * @return the header, version 1
     * @throws MediaFormatException if the values break a rule of RFC 7845 5.1
     */
    public static OpusHead of(int channelCount, int preSkip, long inputSampleRate, int outputGain, int mappingFamily,
            int streamCount, int coupledCount, byte[] channelMapping) {
        return create(1, channelCount, preSkip, inputSampleRate, outputGain, mappingFamily, streamCount,
                coupledCount, channelMapping.clone());
    }

    private static OpusHead create(int version, int channels, int preSkip, long inputSampleRate, int outputGain,
            int family, int streamCount, int coupledCount, byte[] mapping) {
        if (channels == 0) {
            throw new MediaFormatException("OpusHead channel count 0, needs at least 1");
        }
        if (family == FAMILY_RTP && channels > 2) {
            throw new MediaFormatException("OpusHead mapping family 0 channel count " + channels + " exceeds 2");
        }
        if (family == FAMILY_VORBIS && channels > MAX_VORBIS_CHANNELS) {
            throw new MediaFormatException("OpusHead mapping family 1 channel count " + channels + " exceeds "
                    + MAX_VORBIS_CHANNELS);
        }
        if (family == FAMILY_AMBISONICS_PROJECTION) {
            throw new MediaFormatException("OpusHead mapping family 3 (ambisonics projection) is not supported");
        }
        if (streamCount == 0) {
            throw new MediaFormatException("OpusHead stream count 0, needs at least 1");
        }
        if (coupledCount > streamCount) {
            throw new MediaFormatException("OpusHead coupled count " + coupledCount + " exceeds stream count "
                    + streamCount);
        }
        if (mapping.length != channels) {
            throw new MediaFormatException("OpusHead channel mapping has " + mapping.length + " entries for "
                    + channels + " channels");
        }
        int decodedChannels = streamCount + coupledCount;
        for (int i = 0; i < mapping.length; i++) {
            int m = mapping[i] & 0xff;
            if (m != UNUSED_CHANNEL && m >= decodedChannels) {
                throw new MediaFormatException("OpusHead channel " + i + " maps to decoded channel " + m
                        + ", beyond the " + decodedChannels + " decoded channels");
            }
        }
        return new OpusHead(version, channels, preSkip, inputSampleRate, outputGain, family, streamCount,
                coupledCount, mapping);
    }

    /**
     * Writes the header: 19 bytes for family 0, 21 + channel count bytes otherwise.
     *
     * @param out the buffer to append to at its writer index
     */
    public void writeTo(ByteBuf out) {
        out.writeBytes(MAGIC_BYTES);
        out.writeByte(version);
        out.writeByte(channelCount);
        out.writeShortLE(preSkip);
        out.writeIntLE((int) inputSampleRate);
        out.writeShortLE(outputGain);
        out.writeByte(mappingFamily);
        if (mappingFamily != FAMILY_RTP) {
            out.writeByte(streamCount);
            out.writeByte(coupledCount);
            out.writeBytes(channelMapping);
        }
    }

    /**
     * Returns the version byte.
     *
     * @return 1 for RFC 7845 headers; the major version, the high nibble, is always 0
     */
    public int version() {
        return version;
    }

    /**
     * Returns the output channel count.
     *
     * @return 1 to 255
     */
    public int channelCount() {
        return channelCount;
    }

    /**
     * Returns the pre-skip: samples at 48 kHz to drop from the decoder output at the start.
     *
     * @return 0 to 65535
     */
    public int preSkip() {
        return preSkip;
    }

    /**
     * Returns the original input sample rate, for information only.
     *
     * @return Hz, or 0 when unknown
     */
    public long inputSampleRate() {
        return inputSampleRate;
    }

    /**
     * Returns the output gain.
     *
     * @return gain in Q7.8 dB (256 is +1 dB)
     */
    public int outputGain() {
        return outputGain;
    }

    /**
     * Returns the channel mapping family.
     *
     * @return 0, 1, 2 or 255
     */
    public int mappingFamily() {
        return mappingFamily;
    }

    /**
     * Returns the number of Opus streams in each packet.
     *
     * @return at least 1; 1 for family 0
     */
    public int streamCount() {
        return streamCount;
    }

    /**
     * Returns the number of stereo streams among them.
     *
     * @return 0 to {@link #streamCount()}
     */
    public int coupledCount() {
        return coupledCount;
    }

    /**
     * Returns the channel mapping: for each output channel, its decoded channel (255 silent).
     *
     * @return a fresh copy; for family 0 the implied {@code [0]} or {@code [0, 1]}
     */
    public byte[] channelMapping() {
        return channelMapping.clone();
    }

    /**
     * Returns the codec-neutral summary.
     *
     * @return 48000 Hz, the channel count and the profile name {@code "Opus"}
     */
    public AudioParameters audioParameters() {
        return new AudioParameters(OUTPUT_SAMPLE_RATE, channelCount, "Opus");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpusHead other && version == other.version && channelCount == other.channelCount
                && preSkip == other.preSkip && inputSampleRate == other.inputSampleRate
                && outputGain == other.outputGain && mappingFamily == other.mappingFamily
                && streamCount == other.streamCount && coupledCount == other.coupledCount
                && Arrays.equals(channelMapping, other.channelMapping);
    }

    @Override
    public int hashCode() {
        return ((channelCount * 31 + preSkip) * 31 + mappingFamily) * 31 + Arrays.hashCode(channelMapping);
    }

    @Override
    public String toString() {
        return "OpusHead[channels=" + channelCount + ", preSkip=" + preSkip + ", inputSampleRate=" + inputSampleRate
                + ", outputGain=" + outputGain + ", mappingFamily=" + mappingFamily + "]";
    }
}
