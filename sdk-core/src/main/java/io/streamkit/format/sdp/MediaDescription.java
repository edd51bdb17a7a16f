package io.streamkit.format.sdp;

import io.streamkit.format.sdp.SdpText.Attribute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One media description of a session, its {@code m=} line and the {@code a=} lines after it
 * (RFC 8866 5.14): {@code m=<media> <port>[/<ports>] <protocol> <format> ...}.
 *
 * <p>What is kept: the media type, the first port (a {@code /<ports>} count is read and
 * dropped: RTSP puts 0 here and negotiates ports in {@code SETUP}), the protocol, the formats
 * as written and the attributes in order. Other lines of the section ({@code i=}, {@code c=},
 * {@code b=}, {@code k=}) are skipped. Attribute names are compared ignoring case, as some
 * cameras write {@code a=Control}; values are trimmed.
 *
 * <p>The {@code a=rtpmap} and {@code a=fmtp} lines of each payload type are read once, when
 * the description is made; a line of either that cannot be read is skipped (the first
 * readable line of a payload type counts), never an error: a peer's odd attribute costs its
 * payload type, not the session. Instances are immutable.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.14">RFC 8866 5.14</a>
 */
public final class MediaDescription {
    private final String media;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    private final List<Integer> payloadTypes;
    private final List<Attribute> attributes;
    private final Map<Integer, RtpMap> rtpMaps = new HashMap<>();
    private final Map<Integer, Map<String, String>> parameters = new HashMap<>();

    MediaDescription(String media, int port, String protocol, List<String> formats, List<Attribute> attributes) {
        this.media = media;
        this.port = port;
        this.protocol = protocol;
        this.formats = List.copyOf(formats);
        this.attributes = List.copyOf(attributes);
        boolean[] seen = new boolean[128];
        List<Integer> types = new ArrayList<>();
        for (String format : this.formats) {
            int type = SdpText.number(format, 127);
            if (type >= 0 && !seen[type]) {
                seen[type] = true;
                types.add(type);
            }
        }
        this.payloadTypes = List.copyOf(types);
        for (Attribute a : this.attributes) {
            if (a.value() == null) {
                continue;
            }
            if (a.name().equalsIgnoreCase("rtpmap")) {
                RtpMap map = RtpMap.parse(a.value());
                if (map != null) {
                    rtpMaps.putIfAbsent(map.payloadType(), map);
                }
            } else if (a.name().equalsIgnoreCase("fmtp")) {
                readFormatParameters(a.value());
            }
        }
    }

    /** Reads {@code <payload type> k=v;k=v}: keys lower-cased, both sides trimmed, the first of a key kept. */
    private void readFormatParameters(String value) {
        int space = 0;
        while (space < value.length() && value.charAt(space) != ' ' && value.charAt(space) != '\t') {
            space++;
        }
        int type = SdpText.number(value.substring(0, space), 127);
        if (type < 0 || parameters.containsKey(type)) {
            return;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : value.substring(space).split(";")) {
            int equals = pair.indexOf('=');
            String key = (equals < 0 ? pair : pair.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
            if (!key.isEmpty()) {
                map.putIfAbsent(key, equals < 0 ? "" : pair.substring(equals + 1).strip());
            }
        }
        parameters.put(type, Collections.unmodifiableMap(map));
    }

    /**
     * Returns the media type.
     *
     * @return as written, for example {@code "video"}, {@code "audio"} or {@code "application"}
     */
    public String media() {
        return media;
    }

    /**
     * Returns the transport port.
     *
     * @return 0 to 65,535; 0 in RTSP, where {@code SETUP} chooses the ports
     */
    public int port() {
        return port;
    }

    /**
     * Returns the transport protocol.
     *
     * @return as written, for example {@code "RTP/AVP"}, {@code "RTP/AVPF"} or {@code "RTP/SAVP"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the formats that are RTP payload types, in the order of the {@code m=} line.
     *
     * <p>A format that is not a number from 0 to 127 (an {@code application} section's
     * {@code webrtc-datachannel}) is left out, as is a payload type listed twice; a section
     * with no such format has an empty list.
     *
     * @return at most 128 payload types, 0 to 127, no duplicates
     */
    public List<Integer> payloadTypes() {
        return payloadTypes;
    }

    /**
     * Returns the value of this section's first attribute of a name.
     *
     * @param name the attribute's name, compared ignoring case
     * @return the value, trimmed; {@code ""} for a flag such as {@code a=recvonly}; empty when
     *     the section has no such attribute
     */
    public Optional<String> attribute(String name) {
        return SdpText.first(attributes, name);
    }

    /**
     * Returns the values of every attribute of a name in this section, in order.
     *
     * @param name the attribute's name, compared ignoring case
     * @return the values, trimmed, {@code ""} for flags; empty when there is none
     */
    public List<String> attributes(String name) {
        return SdpText.all(attributes, name);
    }

    /**
     * Returns the section's {@code a=control} URL (RFC 7826 appendix D.1.1), the target of its
     * {@code SETUP}.
     *
     * @return the value as written, absolute or relative to the session's; {@code null} when absent
     */
    public String control() {
        return attribute("control").orElse(null);
    }

    /**
     * Returns the {@code a=rtpmap} of a payload type (RFC 8866 6.6).
     *
     * @param payloadType 0 to 127
     * @return the first readable {@code a=rtpmap} line for it; empty when there is none (a
     *     static payload type usually has none)
     */
    public Optional<RtpMap> rtpMap(int payloadType) {
        return Optional.ofNullable(rtpMaps.get(payloadType));
    }

    /**
     * Returns the format parameters of a payload type: its {@code a=fmtp} line (RFC 8866 6.15)
     * read as {@code key=value} pairs separated by {@code ';'}.
     *
     * <p>Keys are lower-cased (media type parameter names are case-insensitive, RFC 4855 3);
     * keys and values are trimmed, so ffmpeg's {@code "; "} separators read the same; a pair
     * without {@code '='} is a key with the value {@code ""}; of a key given twice, the first
     * counts.
     *
     * @param payloadType 0 to 127
     * @return the parameters in the line's order, unmodifiable; an empty map when there is no line
     */
    public Map<String, String> formatParameters(int payloadType) {
        return parameters.getOrDefault(payloadType, Map.of());
    }

    int attributeCount() {
        return attributes.size();
    }

    /** Appends the section's lines: the {@code m=} line, then the attributes, each with CRLF. */
    void appendTo(StringBuilder out) {
        out.append("m=").append(media).append(' ').append(port).append(' ').append(protocol);
        for (String format : formats) {
            out.append(' ').append(format);
        }
        out.append("\r\n");
        for (Attribute a : attributes) {
            a.appendTo(out);
        }
    }

    /**
     * Returns the section as SDP text.
     *
     * @return the {@code m=} line and its attributes, each line ending with CRLF
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out);
        return out.toString();
    }

    /**
     * Starts a media description.
     *
     * @param media the media type, for example {@code "video"}; a token without spaces
     * @param port 0 to 65,535; 0 for RTSP
     * @param protocol for example {@code "RTP/AVP"}; a token without spaces
     * @return a builder with no format and no attribute
     * @throws IllegalArgumentException when a value cannot be written as it is
     */
    public static Builder builder(String media, int port, String protocol) {
        return new Builder(media, port, protocol);
    }

    /**
     * Builds a media description to write; each method checks its arguments at once, so that
     * nothing a builder accepts can break the SDP text.
     */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String protocol;
        private final List<String> formats = new ArrayList<>();
        private final List<Attribute> attributes = new ArrayList<>();

        private Builder(String media, int port, String protocol) {
            this.media = SdpText.token("media", media);
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is outside 0 to 65535");
            }
            this.port = port;
            this.protocol = SdpText.token("protocol", protocol);
        }

        /**
         * Adds a payload type to the {@code m=} line's formats.
         *
         * @param payloadType 0 to 127, not added before
         * @return this builder
         * @throws IllegalArgumentException when it is out of range or already listed
         */
        public Builder payloadType(int payloadType) {
            checkPayloadType(payloadType);
            String format = Integer.toString(payloadType);
            if (formats.contains(format)) {
                throw new IllegalArgumentException("payload type " + payloadType + " is listed already");
            }
            formats.add(format);
            return this;
        }

        /**
         * Adds an attribute line, after those added before.
         *
         * @param name the name: not empty, no space, no control character, no {@code ':'}
         * @param value the value, without control characters; {@code null} for a flag ({@code a=name})
         * @return this builder
         * @throws IllegalArgumentException when the name or the value cannot be written as it is
         */
        public Builder attribute(String name, String value) {
            attributes.add(SdpText.attribute(name, value));
            return this;
        }

        /**
         * Adds the {@code a=control} line.
         *
         * @param url the control URL, absolute or relative, for example {@code "streamid=0"}
         * @return this builder
         * @throws IllegalArgumentException when the URL has a control character
         */
        public Builder control(String url) {
            return attribute("control", Objects.requireNonNull(url, "url"));
        }

        /**
         * Adds an {@code a=rtpmap} line; the payload type is not added to the formats.
         *
         * @param payloadType 0 to 127
         * @param encoding the encoding name, for example {@code "H264"}
         * @param clockRate the RTP clock in Hz, above 0
         * @param channels the audio channels to write, or 0 to write none
         * @return this builder
         * @throws IllegalArgumentException as {@link RtpMap#RtpMap}
         */
        public Builder rtpMap(int payloadType, String encoding, int clockRate, int channels) {
            return attribute("rtpmap", new RtpMap(payloadType, encoding, clockRate, channels).value());
        }

        /**
         * Adds an {@code a=fmtp} line: {@code a=fmtp:<payload type> k=v;k=v}.
         *
         * @param payloadType 0 to 127
         * @param parameters the pairs, written in the map's iteration order (a
         *     {@link LinkedHashMap} keeps the order they were put in); keys are not empty and
         *     have no space, {@code '='} or {@code ';'}; values have no {@code ';'} and no
         *     control character
         * @return this builder
         * @throws IllegalArgumentException when a key or a value cannot be written as it is, or
         *     the map is empty
         */
        public Builder formatParameters(int payloadType, Map<String, String> parameters) {
            checkPayloadType(payloadType);
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("format parameters of payload type " + payloadType + " are empty");
            }
            StringBuilder value = new StringBuilder().append(payloadType).append(' ');
            String separator = "";
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                String key = SdpText.token("format parameter name", e.getKey());
                String v = SdpText.text("format parameter " + key, Objects.requireNonNull(e.getValue(), key)).strip();
                if (key.indexOf('=') >= 0 || key.indexOf(';') >= 0 || v.indexOf(';') >= 0) {
                    throw new IllegalArgumentException("format parameter " + SdpText.quote(key + "=" + v)
                            + " has a ';', or a '=' in its name");
                }
                value.append(separator).append(key).append('=').append(v);
                separator = ";";
            }
            return attribute("fmtp", value.toString());
        }

        /**
         * Builds the description.
         *
         * @return the description, read back as {@link SessionDescription#parse} would read it
         * @throws IllegalStateException when it has more than
         *     {@value SessionDescription#MAX_ATTRIBUTES} attributes, which no session could hold
         */
        public MediaDescription build() {
            if (attributes.size() > SessionDescription.MAX_ATTRIBUTES) {
                throw new IllegalStateException(attributes.size() + " attributes exceed the "
                        + SessionDescription.MAX_ATTRIBUTES + " of a session; add fewer");
            }
            return new MediaDescription(media, port, protocol, formats, attributes);
        }

        private static void checkPayloadType(int payloadType) {
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type " + payloadType + " is outside 0 to 127");
            }
        }
    }
}
