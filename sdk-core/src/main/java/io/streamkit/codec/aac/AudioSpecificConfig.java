package io.streamkit.codec.aac;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.BitReader;
import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;

/**
 * An MPEG-4 AudioSpecificConfig, the AAC decoder configuration of an FLV AAC sequence
 * header, an MP4 {@code esds} box or an RTSP {@code config=} parameter (ISO/IEC 14496-3
 * 1.6.2.1).
 *
 * <p>It reads the audio object type (with the 6-bit escape for types from 32), the
 * sampling frequency (index or explicit 24-bit value), the channel configuration (counting
 * the channels of a program_config_element when it is 0), GASpecificConfig's
 * frameLengthFlag, and SBR/PS signalling in both explicit forms: hierarchical (object type
 * 5 or 29 first, 1.6.5.2) and backward compatible (a 0x2B7 sync extension after the core
 * configuration, 1.6.6.2). Implicit signalling cannot be seen here: such a stream reports
 * its core rate.
 *
 * <p>{@link #writeTo(ByteBuf)} re-encodes object types 1 to 4 (Main, LC, SSR, LTP) with or
 * without explicit SBR/PS signalling, which covers what live streams carry; other types
 * and program_config_element configurations are read but not written.
 *
 * @param audioObjectType the core object type, for example 2 (AAC LC) for HE-AAC
 * @param samplingFrequencyIndex index into Table 1.18, or 15 when the frequency is explicit
 * @param samplingFrequency the core sampling frequency in Hz
 * @param channelConfiguration channelConfiguration, 0 when a program_config_element says it
 * @param channels output channels: from the channel configuration or the
 *     program_config_element, 2 for a mono core with parametric stereo
 * @param extensionObjectType 5 (SBR) when SBR is signalled explicitly, else 0
 * @param sbrPresent sbrPresentFlag
 * @param psPresent psPresentFlag
 * @param extensionSamplingFrequency the SBR output sampling frequency, or 0 without SBR
 * @param signalling how SBR/PS were signalled
 * @param frameLengthFlag GASpecificConfig frameLengthFlag: 960 instead of 1024 samples per frame
 * @see <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3 1.6.2.1</a>
 */
public record AudioSpecificConfig(int audioObjectType, int samplingFrequencyIndex, int samplingFrequency,
        int channelConfiguration, int channels, int extensionObjectType, boolean sbrPresent, boolean psPresent,
        int extensionSamplingFrequency, Signalling signalling, boolean frameLengthFlag) {

    /** How SBR and PS presence was signalled (ISO/IEC 14496-3 1.6.5 and 1.6.6). */
    public enum Signalling {
        /** No explicit signalling: SBR may still be present implicitly. */
        NONE,
        /** Object type 5 or 29 first, the core object type after (1.6.5.2). */
        EXPLICIT_HIERARCHICAL,
        /** The core configuration, then a 0x2B7 sync extension (1.6.6.2). */
        EXPLICIT_BACKWARD_COMPATIBLE
    }

    /** AAC Main object type. */
    public static final int AAC_MAIN = 1;
    /** AAC LC object type. */
    public static final int AAC_LC = 2;
    /** SBR object type (HE-AAC). */
    public static final int SBR = 5;
    /** PS object type (HE-AACv2). */
    public static final int PS = 29;

    /** Length of an ADTS header without CRC (ISO/IEC 13818-7 6.2, ISO/IEC 14496-3 1.A.2.2). */
    public static final int ADTS_HEADER_LENGTH = 7;

    /** Largest ADTS frame, header included: frame_length is a 13-bit field. */
    public static final int MAX_ADTS_FRAME_LENGTH = 8191;

    /** Sampling frequencies of Table 1.18 by index; 13 and 14 are reserved. */
    private static final int[] SAMPLING_FREQUENCIES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };
    private static final int EXPLICIT_FREQUENCY = 15;
    private static final int SYNC_EXTENSION_SBR = 0x2b7;
    private static final int SYNC_EXTENSION_PS = 0x548;
    private static final int ER_BSAC = 22;

    /**
     * Parses a configuration from the readable bytes of {@code buf}.
     *
     * <p>The reader index is not moved.
     *
     * @param buf the configuration; borrowed, not released
     * @return the parsed configuration
     * @throws MediaFormatException if it is truncated or uses a reserved value
     */
    public static AudioSpecificConfig parse(ByteBuf buf) {
        return parse(BitReader.of(buf, buf.readerIndex(), buf.readableBytes()));
    }

    /**
     * Parses a configuration from an array.
     *
     * @param bytes the configuration
     * @return the parsed configuration
     * @throws MediaFormatException if it is truncated or uses a reserved value
     */
    public static AudioSpecificConfig parse(byte[] bytes) {
        return parse(BitReader.of(bytes));
    }

    private static AudioSpecificConfig parse(BitReader r) {
        int objectType = readObjectType(r);
        int sfIndex = r.readBits(4);
        int frequency = readFrequency(r, sfIndex);
        int channelConfiguration = r.readBits(4);
        int extensionObjectType = 0;
        boolean sbr = false;
        boolean ps = false;
        int extensionFrequency = 0;
        Signalling signalling = Signalling.NONE;
        if (objectType == SBR || objectType == PS) {
            signalling = Signalling.EXPLICIT_HIERARCHICAL;
            extensionObjectType = SBR;
            sbr = true;
            ps = objectType == PS;
            extensionFrequency = readFrequency(r, r.readBits(4));
            objectType = readObjectType(r);
            if (objectType == ER_BSAC) {
                r.skipBits(4); // extensionChannelConfiguration
            }
        }
        boolean frameLengthFlag = false;
        int pceChannels = -1;
        if (isGeneralAudio(objectType)) {
            // GASpecificConfig, 4.4.1
            frameLengthFlag = r.readFlag();
            if (r.readFlag()) { // dependsOnCoreCoder
                r.skipBits(14); // coreCoderDelay
            }
            boolean extensionFlag = r.readFlag();
            if (channelConfiguration == 0) {
                pceChannels = readProgramConfigElementChannels(r);
            }
            if (objectType == 6 || objectType == 20) {
                r.skipBits(3); // layerNr
            }
            if (extensionFlag) {
                if (objectType == ER_BSAC) {
                    r.skipBits(5 + 11); // numOfSubFrame, layer_length
                }
                if (objectType == 17 || objectType == 19 || objectType == 20 || objectType == 23) {
                    r.skipBits(3); // the three resilience flags
                }
                r.readBit(); // extensionFlag3
            }
            if (objectType >= 17 && objectType <= 27) {
                r.skipBits(2); // epConfig
            }
            // Backward compatible signalling, 1.6.6.2, only after a configuration we walked fully.
            if (signalling == Signalling.NONE && r.bitsLeft() >= 16) {
                if (r.readBits(11) == SYNC_EXTENSION_SBR) {
                    int ext = readObjectType(r);
                    if (ext == SBR) {
                        signalling = Signalling.EXPLICIT_BACKWARD_COMPATIBLE;
                        extensionObjectType = SBR;
                        sbr = r.readFlag();
                        if (sbr) {
                            extensionFrequency = readFrequency(r, r.readBits(4));
                            if (r.bitsLeft() >= 12 && r.readBits(11) == SYNC_EXTENSION_PS) {
                                ps = r.readFlag();
                            }
                        }
                    }
                }
            }
        }
        int channels = pceChannels >= 0 ? pceChannels : channelsOf(channelConfiguration);
        if (ps && channels == 1) {
            channels = 2;
        }
        return new AudioSpecificConfig(objectType, sfIndex, frequency, channelConfiguration, channels,
                extensionObjectType, sbr, ps, extensionFrequency, signalling, frameLengthFlag);
    }

    /**
     * Builds the plain configuration of a core object type with no SBR signalling, as an
     * ingest does from an ADTS header.
     *
     * @param audioObjectType the object type, 1 to 4 for {@link #writeTo(ByteBuf)} to work
     * @param samplingFrequency the sampling frequency in Hz; a Table 1.18 rate gets its index,
     *     any other is written explicitly
     * @param channelConfiguration the channel configuration, 1 to 7
     * @return the configuration
     */
    public static AudioSpecificConfig of(int audioObjectType, int samplingFrequency, int channelConfiguration) {
        if (channelConfiguration < 1 || channelConfiguration > 7) {
            throw new IllegalArgumentException("channel configuration " + channelConfiguration + " is outside 1..7");
        }
        return new AudioSpecificConfig(audioObjectType, indexOf(samplingFrequency), samplingFrequency,
                channelConfiguration, channelsOf(channelConfiguration), 0, false, false, 0, Signalling.NONE, false);
    }

    private static int readObjectType(BitReader r) {
        int type = r.readBits(5);
        return type == 31 ? 32 + r.readBits(6) : type;
    }

    private static int readFrequency(BitReader r, int index) {
        if (index == EXPLICIT_FREQUENCY) {
            int frequency = r.readBits(24);
            if (frequency == 0) {
                throw new MediaFormatException("AAC explicit sampling frequency 0");
            }
            return frequency;
        }
        if (index >= SAMPLING_FREQUENCIES.length) {
            throw new MediaFormatException("AAC samplingFrequencyIndex " + index + " is reserved");
        }
        return SAMPLING_FREQUENCIES[index];
    }

    private static int indexOf(int frequency) {
        for (int i = 0; i < SAMPLING_FREQUENCIES.length; i++) {
            if (SAMPLING_FREQUENCIES[i] == frequency) {
                return i;
            }
        }
        return EXPLICIT_FREQUENCY;
    }

    private static boolean isGeneralAudio(int objectType) {
        return switch (objectType) {
            case 1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23 -> true;
            default -> false;
        };
    }

    /** Channels of channelConfiguration 1 to 14 (Table 1.19 and ISO/IEC 23001-8). */
    private static int channelsOf(int channelConfiguration) {
        return switch (channelConfiguration) {
            case 1, 2, 3, 4, 5, 6 -> channelConfiguration;
            case 7, 12, 14 -> 8;
            case 11 -> 7;
            case 13 -> 24;
            case 0 -> 0;
            default -> throw new MediaFormatException("AAC channelConfiguration " + channelConfiguration
                    + " is reserved");
        };
    }

    /** Reads a program_config_element (4.4.1.1) and counts its output channels. */
    private static int readProgramConfigElementChannels(BitReader r) {
        r.skipBits(4 + 2 + 4); // element_instance_tag, object_type, sampling_frequency_index
        int front = r.readBits(4);
        int side = r.readBits(4);
        int back = r.readBits(4);
        int lfe = r.readBits(2);
        int assoc = r.readBits(3);
        int cc = r.readBits(4);
        if (r.readFlag()) {
            r.skipBits(4); // mono_mixdown_element_number
        }
        if (r.readFlag()) {
            r.skipBits(4); // stereo_mixdown_element_number
        }
        if (r.readFlag()) {
            r.skipBits(3); // matrix_mixdown_idx, pseudo_surround_enable
        }
        int channels = lfe;
        for (int i = 0; i < front + side + back; i++) {
            channels += r.readFlag() ? 2 : 1; // is_cpe
            r.skipBits(4); // element_tag_select
        }
        r.skipBits(4L * lfe + 4L * assoc + 5L * cc);
        r.byteAlign();
        r.skipBits(8L * r.readBits(8)); // comment_field_bytes
        return channels;
    }

    /**
     * Returns the sample rate a decoder outputs: the SBR rate when SBR is signalled, else
     * the core rate.
     *
     * @return the output sample rate in Hz
     */
    public int outputSampleRate() {
        return sbrPresent ? extensionSamplingFrequency : samplingFrequency;
    }

    /**
     * Returns the profile's usual name.
     *
     * @return {@code "HE-AACv2"} with PS, {@code "HE-AAC"} with SBR, else the object type's
     *     name, such as {@code "AAC LC"}, or {@code "AOT N"}
     */
    public String profileName() {
        if (psPresent) {
            return "HE-AACv2";
        }
        if (sbrPresent) {
            return "HE-AAC";
        }
        return switch (audioObjectType) {
            case 1 -> "AAC Main";
            case 2 -> "AAC LC";
            case 3 -> "AAC SSR";
            case 4 -> "AAC LTP";
            case 6 -> "AAC Scalable";
            case 17 -> "ER AAC LC";
            case 19 -> "ER AAC LTP";
            case 20 -> "ER AAC Scalable";
            case 22 -> "ER BSAC";
            case 23 -> "ER AAC LD";
            case 39 -> "ER AAC ELD";
            case 42 -> "USAC";
            default -> "AOT " + audioObjectType;
        };
    }

    /**
     * Returns the codec-neutral summary.
     *
     * @return output sample rate, output channels and profile name
     */
    public AudioParameters audioParameters() {
        return new AudioParameters(outputSampleRate(), channels, profileName());
    }

    /**
     * Writes the configuration, padded to a whole byte.
     *
     * @param out the buffer to append to at its writer index
     * @throws UnsupportedOperationException for object types other than 1 to 4, or channel
     *     configuration 0 (a program_config_element is read but not written)
     */
    public void writeTo(ByteBuf out) {
        out.writeBytes(toByteArray());
    }

    /**
     * Returns the configuration as {@link #writeTo(ByteBuf)} writes it.
     *
     * @return the encoded bytes
     * @throws UnsupportedOperationException as {@link #writeTo(ByteBuf)}
     */
    public byte[] toByteArray() {
        if (audioObjectType < 1 || audioObjectType > 4 || channelConfiguration == 0) {
            throw new UnsupportedOperationException("writing AudioSpecificConfig of object type " + audioObjectType
                    + " and channel configuration " + channelConfiguration + " is not supported");
        }
        BitWriter w = new BitWriter();
        if (signalling == Signalling.EXPLICIT_HIERARCHICAL) {
            w.writeBits(psPresent ? PS : SBR, 5);
            writeFrequency(w, samplingFrequencyIndex, samplingFrequency);
            w.writeBits(channelConfiguration, 4);
            writeFrequency(w, indexOf(extensionSamplingFrequency), extensionSamplingFrequency);
            w.writeBits(audioObjectType, 5);
        } else {
            w.writeBits(audioObjectType, 5);
            writeFrequency(w, samplingFrequencyIndex, samplingFrequency);
            w.writeBits(channelConfiguration, 4);
        }
        w.writeFlag(frameLengthFlag).writeFlag(false).writeFlag(false); // no core coder, no extension
        if (signalling == Signalling.EXPLICIT_BACKWARD_COMPATIBLE) {
            w.writeBits(SYNC_EXTENSION_SBR, 11).writeBits(SBR, 5).writeFlag(sbrPresent);
            if (sbrPresent) {
                writeFrequency(w, indexOf(extensionSamplingFrequency), extensionSamplingFrequency);
                if (psPresent) {
                    w.writeBits(SYNC_EXTENSION_PS, 11).writeFlag(true);
                }
            }
        }
        return w.toByteArray();
    }

    private static void writeFrequency(BitWriter w, int index, int frequency) {
        w.writeBits(index, 4);
        if (index == EXPLICIT_FREQUENCY) {
            w.writeBits(frequency, 24);
        }
    }

    /**
     * Writes the ADTS header for one raw AAC frame of this configuration, as MPEG-TS and HLS
     * carry AAC.
     *
     * <p>ADTS signals SBR and PS implicitly, so the core object type and rate are written.
     *
     * @param out the buffer to append the {@value #ADTS_HEADER_LENGTH} bytes to
     * @param payloadLength length of the raw frame that follows the header
     * @throws MediaFormatException if ADTS cannot describe this configuration or frame
     */
    public void writeAdtsHeader(ByteBuf out, int payloadLength) {
        writeAdtsHeader(out, audioObjectType, samplingFrequencyIndex, channelConfiguration, payloadLength);
    }

    /**
     * Writes an ADTS header without CRC for one raw AAC frame (ISO/IEC 14496-3 1.A.2.2, the
     * MPEG-4 form: ID 0, layer 0, protection_absent 1, one raw data block, buffer fullness
     * 0x7FF for variable rate).
     *
     * @param out the buffer to append the {@value #ADTS_HEADER_LENGTH} bytes to
     * @param audioObjectType 1 to 4; ADTS stores object type - 1 in 2 bits
     * @param samplingFrequencyIndex 0 to 12; ADTS has no explicit frequency
     * @param channelConfiguration 0 to 7
     * @param payloadLength length of the raw frame that follows, at most
     *     {@value #MAX_ADTS_FRAME_LENGTH} - {@value #ADTS_HEADER_LENGTH}
     * @throws MediaFormatException if a value does not fit its ADTS field
     */
    public static void writeAdtsHeader(ByteBuf out, int audioObjectType, int samplingFrequencyIndex,
            int channelConfiguration, int payloadLength) {
        if (audioObjectType < 1 || audioObjectType > 4) {
            throw new MediaFormatException("ADTS cannot carry AAC object type " + audioObjectType + ", only 1..4");
        }
        if (samplingFrequencyIndex < 0 || samplingFrequencyIndex >= SAMPLING_FREQUENCIES.length) {
            throw new MediaFormatException("ADTS sampling frequency index " + samplingFrequencyIndex
                    + " is outside 0.." + (SAMPLING_FREQUENCIES.length - 1));
        }
        if (channelConfiguration < 0 || channelConfiguration > 7) {
            throw new MediaFormatException("ADTS channel configuration " + channelConfiguration + " exceeds 7");
        }
        int frameLength = payloadLength + ADTS_HEADER_LENGTH;
        if (payloadLength < 0 || frameLength > MAX_ADTS_FRAME_LENGTH) {
            throw new MediaFormatException("ADTS frame length " + frameLength + " exceeds "
                    + MAX_ADTS_FRAME_LENGTH);
        }
        out.writeByte(0xff);
        out.writeByte(0xf1); // syncword end, ID 0 (MPEG-4), layer 00, protection_absent 1
        out.writeByte((audioObjectType - 1) << 6 | samplingFrequencyIndex << 2 | channelConfiguration >> 2);
        out.writeByte((channelConfiguration & 0x3) << 6 | frameLength >> 11);
        out.writeByte(frameLength >> 3);
        out.writeByte((frameLength & 0x7) << 5 | 0x1f); // buffer fullness 0x7FF, high bits
        out.writeByte(0xfc); // buffer fullness low bits, number_of_raw_data_blocks_in_frame 0
    }
}
