package io.streamkit.format.sdp;

/**
 * An {@code a=rtpmap} attribute: what a dynamic payload type carries and at which clock
 * (RFC 8866 6.6), {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]}.
 *
 * <p>Encoding names are compared ignoring case (RFC 4855 3), so this keeps the name as the
 * peer wrote it. The optional encoding parameters are the channel count for audio;
 * {@code channels} is 0 when they are absent (RFC 8866 6.6: audio without it is one channel,
 * video has none), so that "absent" and "one" stay apart when the line is written again.
 *
 * @param payloadType the RTP payload type, 0 to 127
 * @param encoding the encoding name as written, for example {@code "H264"} or {@code "MPEG4-GENERIC"}
 * @param clockRate the RTP timestamp clock in Hz, above 0
 * @param channels the audio channels, 1 to {@value #MAX_CHANNELS}, or 0 when the line gives none
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8866#section-6.6">RFC 8866 6.6</a>
 */
public record RtpMap(int payloadType, String encoding, int clockRate, int channels) {
    /** Most channels: RFC 3551 numbers up to 6 and Opus's mapping families up to 255, one byte. */
    public static final int MAX_CHANNELS = 255;

    /** Highest clock rate read: 9 digits, far above the 90 kHz of video and the 384 kHz of audio. */
    static final int MAX_CLOCK_RATE = 999_999_999;

    /**
     * Creates a mapping, checking each field.
     *
     * @param payloadType 0 to 127
     * @param encoding not empty, without a space, a control character or a {@code '/'}
     * @param clockRate 1 to 999,999,999
     * @param channels 0 (none written) to {@value #MAX_CHANNELS}
     * @throws IllegalArgumentException when a field is out of its range
     */
    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0 to 127");
        }
        SdpText.token("encoding name", encoding);
        if (encoding.indexOf('/') >= 0) {
            throw new IllegalArgumentException("encoding name " + SdpText.quote(encoding) + " has a '/'");
        }
        if (clockRate < 1 || clockRate > MAX_CLOCK_RATE) {
            throw new IllegalArgumentException("clock rate " + clockRate + " is outside 1 to " + MAX_CLOCK_RATE);
        }
        if (channels < 0 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels " + channels + " is outside 0 to " + MAX_CHANNELS);
        }
    }

    /** Reads the value of an {@code a=rtpmap} line; null when it is not one this record can hold. */
    static RtpMap parse(String value) {
        int space = firstSpace(value);
        if (space < 0) {
            return null;
        }
        int payloadType = SdpText.number(value.substring(0, space), 127);
        String[] parts = value.substring(space + 1).strip().split("/", -1);
        if (payloadType < 0 || parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || firstSpace(parts[0]) >= 0) {
            return null;
        }
        int clockRate = SdpText.number(parts[1], MAX_CLOCK_RATE);
        int channels = parts.length == 3 ? SdpText.number(parts[2], MAX_CHANNELS) : 0;
        if (clockRate < 1 || channels < 0) {
            return null;
        }
        for (int i = 0; i < parts[0].length(); i++) {
            if (parts[0].charAt(i) < ' ' || parts[0].charAt(i) == 0x7f) {
                return null;
            }
        }
        return new RtpMap(payloadType, parts[0], clockRate, channels);
    }

    /** The attribute's value as written: {@code "96 H264/90000"}. */
    String value() {
        return payloadType + " " + encoding + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }
}
