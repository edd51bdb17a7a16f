package io.streamkit.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A track's codec with its decoder configuration record and what that record says
 * (picture size and frame rate, or sample rate and channels).
 *
 * <p>Immutable and validated: {@link #of(Codec, ByteBuf)} parses the record with the
 * codec's parser and throws {@link MediaFormatException} when it is malformed, so a
 * track never carries a configuration a player would choke on. The record is copied
 * (it is tens of bytes, set once per publish), so the caller keeps its buffer.
 */
public final class TrackFormat {

    /** Longest configuration record accepted: parameter sets are small; 64 KiB bounds a hostile one. */
    public static final int MAX_CONFIG_LENGTH = 65_536;

    /** Highest sample rate of {@link #of(Codec, int, int)}: 384 kHz, the highest any audio format here defines. */
    public static final int MAX_SAMPLE_RATE = 384_000;
    /** Most channels of {@link #of(Codec, int, int)}: 8, a 7.1 layout. */
    public static final int MAX_CHANNELS = 8;

    private static final byte[] EMPTY = new byte[0];

    private final Codec codec;
    private final byte[] config;
    private final VideoParameters video;
    private final AudioParameters audio;

    private TrackFormat(Codec codec, byte[] config, VideoParameters video, AudioParameters audio) {
        this.codec = codec;
        this.config = config;
        this.video = video;
        this.audio = audio;
    }

    /**
     * Creates a format from a codec and its configuration record, parsing the record.
     *
     * <p>The buffer's readable bytes are copied; its reader index and reference count
     * are left alone.
     *
     * @param codec the codec
     * @param config the decoder configuration record in the form {@link Codec} names
     * @return the format with its parsed parameters
     * @throws MediaFormatException when the record is malformed or longer than {@value #MAX_CONFIG_LENGTH}
     */
    public static TrackFormat of(Codec codec, ByteBuf config) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(config, "config");
        if (config.readableBytes() > MAX_CONFIG_LENGTH) {
            throw new MediaFormatException(codec + " configuration of " + config.readableBytes()
                    + " bytes exceeds " + MAX_CONFIG_LENGTH);
        }
        byte[] bytes = ByteBufUtil.getBytes(config);
        return CodecConfigs.parse(codec, bytes);
    }

    /**
     * Creates a format for a codec that carries no configuration record (MP3), or whose
     * record is not known yet.
     *
     * @param codec the codec
     * @return a format without parameters
     */
    public static TrackFormat of(Codec codec) {
        return new TrackFormat(Objects.requireNonNull(codec, "codec"), EMPTY, null, null);
    }

    /**
     * Creates a format for an audio codec whose sample rate and channels are not in a
     * configuration record: G.711 ({@link Codec#PCMA}, {@link Codec#PCMU}), whose rate SDP's
     * {@code rtpmap} or FLV's sound flags give, or MP3 where the rate is known.
     *
     * @param codec PCMA, PCMU or MP3
     * @param sampleRate samples per second, 1 to {@value #MAX_SAMPLE_RATE}
     * @param channels 1 to {@value #MAX_CHANNELS}
     * @return a format whose {@link #audio()} says the rate and channels
     * @throws IllegalArgumentException when the codec has a configuration record or a number is out of range
     */
    public static TrackFormat of(Codec codec, int sampleRate, int channels) {
        if (Objects.requireNonNull(codec, "codec") != Codec.PCMA && codec != Codec.PCMU && codec != Codec.MP3) {
            throw new IllegalArgumentException(codec + " carries its rate and channels in its configuration record");
        }
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " is outside 1 to " + MAX_SAMPLE_RATE);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException(channels + " channels is outside 1 to " + MAX_CHANNELS);
        }
        return new TrackFormat(codec, EMPTY, null, new AudioParameters(sampleRate, channels, ""));
    }

    static TrackFormat video(Codec codec, byte[] config, VideoParameters video) {
        return new TrackFormat(codec, config, video, null);
    }

    static TrackFormat audio(Codec codec, byte[] config, AudioParameters audio) {
        return new TrackFormat(codec, config, null, audio);
    }

    /**
     * Returns the codec.
     *
     * @return the codec
     */
    public Codec codec() {
        return codec;
    }

    /**
     * Returns whether this is a video or an audio format.
     *
     * @return the codec's media type
     */
    public MediaType type() {
        return codec.type();
    }

    /**
     * Returns whether a configuration record is present.
     *
     * @return {@code true} when {@link #configLength()} is above zero
     */
    public boolean hasConfig() {
        return config.length > 0;
    }

    /**
     * Returns the length of the configuration record.
     *
     * @return bytes, 0 when there is none
     */
    public int configLength() {
        return config.length;
    }

    /**
     * Returns a read-only view of the configuration record.
     *
     * <p>The view wraps this format's own bytes: it needs no release and costs no copy.
     *
     * @return the record, empty when there is none
     */
    public ByteBuf config() {
        return Unpooled.wrappedBuffer(config).asReadOnly();
    }

    /**
     * Writes the configuration record into a buffer, the form encoders want.
     *
     * @param out where to write; its writer index advances by {@link #configLength()}
     */
    public void writeConfig(ByteBuf out) {
        out.writeBytes(config);
    }

    /**
     * Returns the picture parameters of a video format.
     *
     * @return width, height, frame rate and profile; empty for audio or without a record
     */
    public Optional<VideoParameters> video() {
        return Optional.ofNullable(video);
    }

    /**
     * Returns the sound parameters of an audio format.
     *
     * @return sample rate and channels; empty for video or without a record
     */
    public Optional<AudioParameters> audio() {
        return Optional.ofNullable(audio);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackFormat other && codec == other.codec && Arrays.equals(config, other.config)
                && Objects.equals(audio, other.audio);
    }

    @Override
    public int hashCode() {
        return codec.hashCode() * 31 + Arrays.hashCode(config);
    }

    @Override
    public String toString() {
        if (video != null) {
            return codec + " " + video.width() + "x" + video.height()
                    + (video.frameRate() > 0 ? " @" + video.frameRate() : "") + " " + video.profile();
        }
        if (audio != null) {
            return codec + " " + audio.sampleRate() + " Hz " + audio.channels() + " ch " + audio.profile();
        }
        return codec.toString();
    }
}
