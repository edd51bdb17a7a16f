package io.streamkit.format.sdp;

import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.SdpText.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session description (RFC 8866): what an RTSP server answers to {@code DESCRIBE} and a
 * publisher sends in {@code ANNOUNCE}, read by {@link #parse(String)} and written by
 * {@link #toString()}.
 *
 * <p>What is kept: the origin ({@code o=}), the name ({@code s=}), the session's connection
 * ({@code c=}), the timing ({@code t=}), the session-level attributes in order, and the
 * media descriptions ({@link MediaDescription}). Line types RTSP does not use ({@code i=},
 * {@code u=}, {@code e=}, {@code p=}, {@code b=}, {@code z=}, {@code k=}, {@code r=}) are
 * skipped, and so are types unknown to RFC 8866: more lenient than its section 5, which has a
 * parser ignore or reject the whole description, so that one private line does not cost a
 * camera its session. Lines end with LF or
 * CRLF; whitespace and NULs at a line's end are dropped (cameras pad their SDP with them)
 * and blank lines are skipped. Attribute names are compared ignoring case; values are trimmed.
 *
 * <table>
 *   <caption>Limits of {@link #parse(String)}</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>text</td><td>{@value #MAX_SIZE} bytes in UTF-8</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>{@code m=} sections</td><td>{@value #MAX_MEDIA}</td><td>{@link MediaFormatException} naming the line</td></tr>
 *   <tr><td>{@code a=} lines, all sections</td><td>{@value #MAX_ATTRIBUTES}</td><td>{@link MediaFormatException} naming the line</td></tr>
 *   <tr><td>first line</td><td>{@code v=0}</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>a line</td><td>{@code <letter>=<value>}, no control character but TAB</td><td>{@link MediaFormatException} naming the line</td></tr>
 *   <tr><td>an {@code m=} line</td><td>media, a port 0 to 65,535 (and {@code /<count>}), a protocol</td><td>{@link MediaFormatException} naming the line</td></tr>
 * </table>
 *
 * <p>Immutable and safe to share between threads. The builder writes what the parser reads:
 * {@code parse(d.toString())} gives back the same text.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8866">RFC 8866</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7826#appendix-D">RFC 7826 appendix D, SDP in RTSP</a>
 */
public final class SessionDescription {
    /** Bytes of SDP text accepted: a camera's SDP is 0.5 to 2 KiB; parameter sets of large pictures stay far below 64 KiB. */
    public static final int MAX_SIZE = 65_536;

    /** {@code m=} sections accepted: a camera has one to three (video, audio, metadata); 16 leaves room for multitrack. */
    public static final int MAX_MEDIA = 16;

    /** {@code a=} lines accepted, all sections together: a dozen per section is usual; 256 bounds a hostile one. */
    public static final int MAX_ATTRIBUTES = 256;

    private static final String DEFAULT_ORIGIN = "- 0 0 IN IP4 127.0.0.1";
    private static final String DEFAULT_NAME = "-";
    private static final String DEFAULT_TIMING = "0 0";

    private final String origin;
    private final String name;
    private final String connection;
    private final String connectionAddress;
    private final String timing;
    private final List<Attribute> attributes;
    private final List<MediaDescription> media;

    private SessionDescription(String origin, String name, String connection, String timing,
            List<Attribute> attributes, List<MediaDescription> media) {
        this.origin = origin == null ? DEFAULT_ORIGIN : origin;
        this.name = name == null || name.isBlank() ? DEFAULT_NAME : name;
        this.connection = connection;
        this.connectionAddress = connection == null ? null : addressOf(connection);
        this.timing = timing == null ? DEFAULT_TIMING : timing;
        this.attributes = List.copyOf(attributes);
        this.media = List.copyOf(media);
    }

    /**
     * Reads a session description.
     *
     * <p>Checks what the class description's table lists and nothing of the values: an
     * attribute, an origin or a connection that cannot be read is kept as written, and
     * {@link MediaDescription} skips an {@code a=rtpmap} or {@code a=fmtp} it cannot read.
     * Lines of a type out of place ({@code o=} in a media section) are skipped; of a session
     * line given twice, the first counts.
     *
     * @param text the SDP, for example the body of a {@code DESCRIBE} answer, decoded as UTF-8
     * @return the description
     * @throws MediaFormatException when the text breaks a limit or a rule of the table; the
     *     message names the line's number and what was wrong
     */
    public static SessionDescription parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_SIZE) {
            throw new MediaFormatException("SDP of " + text.length() + " characters exceeds " + MAX_SIZE + " bytes");
        }
        long size = SdpText.utf8Length(text);
        if (size > MAX_SIZE) {
            throw new MediaFormatException("SDP of " + size + " bytes exceeds " + MAX_SIZE);
        }
        Reader reader = new Reader();
        int lineNumber = 0;
        for (int at = 0; at < text.length(); ) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            int last = end;
            while (last > at && text.charAt(last - 1) <= ' ') {
                last--;
            }
            String line = text.substring(at, last);
            at = end + 1;
            lineNumber++;
            reader.line(lineNumber, line);
        }
        return reader.finish(lineNumber);
    }

    /** Reads lines in order, holding the media section being read. */
    private static final class Reader {
        private String origin;
        private String name;
        private String connection;
        private String timing;
        private final List<Attribute> session = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();
        private int attributeCount;
        private boolean versionSeen;
        private String sectionMedia;
        private int sectionPort;
        private String sectionProtocol;
        private List<String> sectionFormats;
        private List<Attribute> sectionAttributes;

        void line(int number, String line) {
            if (number == 1) {
                if (!line.equals("v=0")) {
                    throw fail(number, line, "the first line is not v=0 (RFC 8866 5.1)");
                }
                versionSeen = true;
                return;
            }
            if (line.isEmpty()) {
                return;
            }
            char type = line.charAt(0);
            if (line.length() < 2 || line.charAt(1) != '=' || !(type >= 'a' && type <= 'z' || type >= 'A' && type <= 'Z')) {
                throw fail(number, line, "is not <letter>=<value>");
            }
            for (int i = 2; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c < ' ' && c != '\t' || c == 0x7f) {
                    throw fail(number, line, "has the control character " + (int) c + " at column " + (i + 1));
                }
            }
            String value = line.substring(2);
            boolean inSession = sectionMedia == null;
            switch (type) {
                case 'v' -> throw fail(number, line, "starts a second session; one is read");
                case 'm' -> media(number, line, value);
                case 'a' -> attribute(number, line, value);
                case 'o' -> origin = inSession && origin == null ? value : origin;
                case 's' -> name = inSession && name == null ? value : name;
                case 'c' -> connection = inSession && connection == null ? value : connection;
                case 't' -> timing = inSession && timing == null ? value : timing;
                default -> {
                    // i= u= e= p= b= z= k= r= and unknown types: skipped
                }
            }
        }

        private void media(int number, String line, String value) {
            endSection();
            if (media.size() == MAX_MEDIA) {
                throw fail(number, line, "is media section " + (MAX_MEDIA + 1) + ", over the limit of " + MAX_MEDIA);
            }
            String[] fields = value.strip().split("[ \t]+");
            if (fields.length < 3) {
                throw fail(number, line, "has " + fields.length + " fields, not <media> <port> <protocol> <format>...");
            }
            String port = fields[1];
            int slash = port.indexOf('/');
            int p = SdpText.number(slash < 0 ? port : port.substring(0, slash), 65_535);
            if (p < 0 || slash >= 0 && SdpText.number(port.substring(slash + 1), 65_535) < 1) {
                throw fail(number, line, "has the port " + SdpText.quote(port) + ", not 0 to 65535 with an optional /<count>");
            }
            sectionMedia = fields[0];
            sectionPort = p;
            sectionProtocol = fields[2];
            sectionFormats = List.of(fields).subList(3, fields.length);
            sectionAttributes = new ArrayList<>();
        }

        private void attribute(int number, String line, String value) {
            if (++attributeCount > MAX_ATTRIBUTES) {
                throw fail(number, line, "is attribute " + attributeCount + ", over the limit of " + MAX_ATTRIBUTES);
            }
            Attribute a = Attribute.parse(value);
            if (a == null) {
                throw fail(number, line, "has no attribute name");
            }
            (sectionMedia == null ? session : sectionAttributes).add(a);
        }

        private void endSection() {
            if (sectionMedia != null) {
                media.add(new MediaDescription(sectionMedia, sectionPort, sectionProtocol, sectionFormats,
                        sectionAttributes));
                sectionMedia = null;
            }
        }

        SessionDescription finish(int lines) {
            if (!versionSeen) {
                throw new MediaFormatException("SDP of " + lines + " lines has no v=0 (RFC 8866 5.1)");
            }
            endSection();
            return new SessionDescription(origin, name, connection, timing, session, media);
        }

        private static MediaFormatException fail(int number, String line, String what) {
            return new MediaFormatException("SDP line " + number + " " + SdpText.quote(line) + " " + what);
        }
    }

    /** The address field of {@code IN IP4 <address>[/<ttl>[/<count>]]}; null when there are not three fields. */
    private static String addressOf(String connection) {
        String[] fields = connection.strip().split("[ \t]+");
        if (fields.length < 3) {
            return null;
        }
        int slash = fields[2].indexOf('/');
        return slash < 0 ? fields[2] : fields[2].substring(0, slash);
    }

    /**
     * Returns the session's name, the {@code s=} line.
     *
     * @return the name as written; {@code "-"} when the line is absent or blank (RFC 8866 5.3)
     */
    public String name() {
        return name;
    }

    /**
     * Returns the session-level connection address, the address field of the {@code c=} line
     * (RFC 8866 5.7).
     *
     * @return the address without a multicast {@code /<ttl>} or {@code /<count>}, for example
     *     {@code "192.0.2.10"}; {@code null} when there is no session-level {@code c=} line or
     *     it has no address field
     */
    public String connectionAddress() {
        return connectionAddress;
    }

    /**
     * Returns the value of the first session-level attribute of a name.
     *
     * @param name the attribute's name, compared ignoring case
     * @return the value, trimmed; {@code ""} for a flag such as {@code a=recvonly}; empty when
     *     the session has no such attribute before its first {@code m=} line
     */
    public Optional<String> attribute(String name) {
        return SdpText.first(attributes, name);
    }

    /**
     * Returns the session's {@code a=control} URL (RFC 7826 appendix D.1.1), against which the
     * media's relative control URLs resolve.
     *
     * @return the value as written, often {@code "*"}; {@code null} when absent
     */
    public String control() {
        return attribute("control").orElse(null);
    }

    /**
     * Returns the media descriptions in the order of their {@code m=} lines.
     *
     * @return at most {@value #MAX_MEDIA} descriptions, unmodifiable
     */
    public List<MediaDescription> media() {
        return media;
    }

    /**
     * Returns the description as SDP text: {@code v=0}, {@code o=}, {@code s=}, {@code c=} when
     * there is one, {@code t=}, the session's attributes, then each media section.
     *
     * <p>Lines end with CRLF (RFC 8866 5). An origin or timing that was absent is written as
     * {@code o=- 0 0 IN IP4 127.0.0.1} and {@code t=0 0}; lines that were skipped when reading
     * are not written.
     *
     * @return the text; a built description's is at most {@value #MAX_SIZE} bytes in UTF-8,
     *     a parsed one's may be longer than what was read by the CRs added to LF line ends
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(256);
        out.append("v=0\r\n");
        out.append("o=").append(origin).append("\r\n");
        out.append("s=").append(name).append("\r\n");
        if (connection != null) {
            out.append("c=").append(connection).append("\r\n");
        }
        out.append("t=").append(timing).append("\r\n");
        for (Attribute a : attributes) {
            a.appendTo(out);
        }
        for (MediaDescription m : media) {
            m.appendTo(out);
        }
        return out.toString();
    }

    /**
     * Starts a session description to write.
     *
     * @return a builder of a session with origin {@code - 0 0 IN IP4 127.0.0.1}, name
     *     {@code "-"}, no connection, timing {@code 0 0}, no attribute and no media
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a session description; each method checks its arguments at once, so that nothing a
     * builder accepts can break the SDP text, and {@link #build()} checks the limits a parser
     * applies.
     */
    public static final class Builder {
        private String origin;
        private String name;
        private String connection;
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the {@code o=} line: {@code o=- <sessionId> <sessionId> IN <IP4|IP6> <address>}
         * (RFC 8866 5.2), the version the same number as the id.
         *
         * @param sessionId the session id, 1 to 20 decimal digits (an NTP timestamp, as RFC
         *     8866 suggests, or any number unique to the server)
         * @param address the host's address or name; IP6 when it has a {@code ':'}
         * @return this builder
         * @throws IllegalArgumentException when the id is not digits or the address has a space
         */
        public Builder origin(String sessionId, String address) {
            Objects.requireNonNull(sessionId, "sessionId");
            if (sessionId.isEmpty() || sessionId.length() > 20 || !sessionId.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("session id " + SdpText.quote(sessionId) + " is not 1 to 20 digits");
            }
            this.origin = "- " + sessionId + " " + sessionId + " IN " + addressType(address) + " " + address;
            return this;
        }

        /**
         * Sets the session's name, the {@code s=} line.
         *
         * @param name not blank, no control character
         * @return this builder
         * @throws IllegalArgumentException when the name is blank or has a control character
         */
        public Builder name(String name) {
            if (SdpText.text("session name", name).isBlank()) {
                throw new IllegalArgumentException("session name is blank; leave it out for \"-\"");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets the session-level {@code c=} line: {@code c=IN <IP4|IP6> <address>}.
         *
         * @param address the address; IP6 when it has a {@code ':'}
         * @return this builder
         * @throws IllegalArgumentException when the address has a space or a control character
         */
        public Builder connection(String address) {
            this.connection = "IN " + addressType(address) + " " + address;
            return this;
        }

        /**
         * Adds a session-level attribute line, after those added before.
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
         * Adds a media description, after those added before.
         *
         * @param m the description
         * @return this builder
         */
        public Builder media(MediaDescription m) {
            media.add(Objects.requireNonNull(m, "m"));
            return this;
        }

        /**
         * Builds the description.
         *
         * @return the description
         * @throws IllegalStateException when it breaks a limit of {@link #parse(String)}: more
         *     than {@value #MAX_MEDIA} media, more than {@value #MAX_ATTRIBUTES} attributes in all,
         *     or more than {@value #MAX_SIZE} bytes of text
         */
        public SessionDescription build() {
            if (media.size() > MAX_MEDIA) {
                throw new IllegalStateException(media.size() + " media descriptions exceed " + MAX_MEDIA
                        + "; describe fewer tracks");
            }
            int count = attributes.size();
            for (MediaDescription m : media) {
                count += m.attributeCount();
            }
            if (count > MAX_ATTRIBUTES) {
                throw new IllegalStateException(count + " attributes exceed " + MAX_ATTRIBUTES + "; add fewer");
            }
            SessionDescription d = new SessionDescription(origin, name, connection, null, attributes, media);
            long size = SdpText.utf8Length(d.toString());
            if (size > MAX_SIZE) {
                throw new IllegalStateException("SDP of " + size + " bytes exceeds " + MAX_SIZE
                        + "; shorten the attributes");
            }
            return d;
        }

        private static String addressType(String address) {
            SdpText.token("address", address);
            return address.indexOf(':') >= 0 ? "IP6" : "IP4";
        }
    }
}
