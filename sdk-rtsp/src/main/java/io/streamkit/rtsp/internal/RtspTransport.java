package io.streamkit.rtsp.internal;

import java.util.Locale;

/**
 * The transport a SETUP asks for (RFC 2326 12.39), the first one this server takes of those the
 * {@code Transport} header lists: RTP over TCP interleaved in the connection, or unicast RTP
 * over UDP to the client's ports. Multicast and other profiles are passed over.
 *
 * @param tcp whether RTP goes interleaved in the RTSP connection
 * @param channel the interleaved RTP channel the client asked for (RTCP is the next), or -1
 * @param clientPort the client's RTP port over UDP (RTCP is the next), or -1
 * @param record whether the client sends ({@code mode=record})
 */
record RtspTransport(boolean tcp, int channel, int clientPort, boolean record) {
    /** The longest header read: clients list two or three transports. */
    static final int MAX_LENGTH = 1_024;

    /**
     * Reads a {@code Transport} header.
     *
     * @param header the header, or {@code null}
     * @return the first transport taken, or {@code null} when there is none
     */
    static RtspTransport parse(String header) {
        if (header == null || header.length() > MAX_LENGTH) {
            return null;
        }
        for (String spec : header.split(",")) {
            RtspTransport t = one(spec.trim());
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static RtspTransport one(String spec) {
        String[] parts = spec.split(";");
        if (parts.length == 0) {
            return null;
        }
        String profile = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp;
        if (profile.equals("RTP/AVP/TCP")) {
            tcp = true;
        } else if (profile.equals("RTP/AVP") || profile.equals("RTP/AVP/UDP")) {
            tcp = false;
        } else {
            return null;
        }
        int channel = -1;
        int clientPort = -1;
        boolean record = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            String lower = p.toLowerCase(Locale.ROOT);
            if (lower.equals("multicast")) {
                return null;
            } else if (lower.startsWith("interleaved=")) {
                channel = first(p.substring("interleaved=".length()));
                if (channel < 0 || channel > 255) {
                    return null;
                }
            } else if (lower.startsWith("client_port=")) {
                clientPort = first(p.substring("client_port=".length()));
                if (clientPort < 1 || clientPort > 65_534) {
                    return null;
                }
            } else if (lower.startsWith("mode=")) {
                String mode = lower.substring("mode=".length()).replace("\"", "");
                record = mode.equals("record") || mode.equals("receive");
            }
        }
        if (!tcp && clientPort < 0) {
            return null;
        }
        return new RtspTransport(tcp, channel, clientPort, record);
    }

    /**
     * Reads the server's RTP port from a SETUP answer's {@code Transport} header.
     *
     * @param header the header, or {@code null}
     * @return the first port of its {@code server_port}, or -1 when it has none or it is not a port
     */
    static int serverPort(String header) {
        if (header == null || header.length() > MAX_LENGTH) {
            return -1;
        }
        for (String p : header.split("[;,]")) {
            String part = p.trim();
            if (part.toLowerCase(Locale.ROOT).startsWith("server_port=")) {
                int port = first(part.substring("server_port=".length()));
                return port >= 1 && port <= 65_534 ? port : -1;
            }
        }
        return -1;
    }

    /** The first number of {@code a-b} or {@code a}, or -1. */
    private static int first(String range) {
        int dash = range.indexOf('-');
        String a = (dash < 0 ? range : range.substring(0, dash)).trim();
        if (a.isEmpty() || a.length() > 5) {
            return -1;
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) < '0' || a.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(a);
    }
}
