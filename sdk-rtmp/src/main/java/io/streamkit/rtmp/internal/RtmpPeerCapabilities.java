package io.streamkit.rtmp.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an RTMP peer said in its {@code connect} that it can take in Enhanced RTMP form
 * (Enhanced RTMP v2, "Enhancing NetConnection connect Command"): the FourCCs of
 * {@code fourCcList} and of {@code videoFourCcInfoMap}/{@code audioFourCcInfoMap} entries with
 * CanDecode (0x01) or CanForward (0x04), {@code "*"} for any, and the Multitrack bit (0x02) of
 * {@code capsEx}.
 *
 * <p>A server sends a peer nothing in a form it did not announce where a legacy form exists:
 * H.265 goes with the legacy CodecID 12 (which SRS-era players and FFmpeg 8 read) unless the
 * peer announced {@code hvc1} (FFmpeg 6.1 to 7.1 read only that, when given
 * {@code -rtmp_enhanced_codecs}); codecs without a legacy form (AV1, VP9, Opus) go enhanced
 * whatever it said, as the only form there is. At most {@value #MAX_ENTRIES} entries of each
 * list or map are read; a peer's lists are untrusted and a real one names a handful.
 *
 * @param fourCcs the FourCCs the peer takes, as strings ({@code "hvc1"}); {@code "*"} for any,
 *     {@code "*video"} or {@code "*audio"} for any of one media (an info map's wildcard)
 * @param multitrack whether the peer takes multitrack packets
 */
record RtmpPeerCapabilities(Set<String> fourCcs, boolean multitrack) {
    /** Entries read from each list or map: more FourCCs than exist, fewer than a flood. */
    static final int MAX_ENTRIES = 64;
    /** No Enhanced RTMP announced: a legacy peer. */
    static final RtmpPeerCapabilities LEGACY = new RtmpPeerCapabilities(Set.of(), false);

    private static final Set<String> AUDIO_FOURCCS = Set.of("Opus", "mp4a", ".mp3", "fLaC", "ac-3", "ec-3");
    private static final int CAN_DECODE = 0x01;
    private static final int CAN_FORWARD = 0x04;
    private static final int CAPS_EX_MULTITRACK = 0x02;

    RtmpPeerCapabilities {
        fourCcs = Set.copyOf(fourCcs);
    }

    /**
     * Reads the capabilities from a connect command object.
     *
     * @param props the command object's properties
     * @return what the peer announced; {@link #LEGACY} when nothing
     */
    static RtmpPeerCapabilities of(Map<?, ?> props) {
        Set<String> fourCcs = new HashSet<>();
        if (props.get("fourCcList") instanceof List<?> list) {
            int n = 0;
            for (Object o : list) {
                if (n++ >= MAX_ENTRIES) {
                    break;
                }
                if (o instanceof String s && (s.length() == 4 || s.equals("*"))) {
                    fourCcs.add(s);
                }
            }
        }
        for (String media : new String[] {"video", "audio"}) {
            if (props.get(media + "FourCcInfoMap") instanceof Map<?, ?> map) {
                int n = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (n++ >= MAX_ENTRIES) {
                        break;
                    }
                    if (e.getKey() instanceof String s && (s.length() == 4 || s.equals("*"))
                            && e.getValue() instanceof Number flags
                            && (flags.intValue() & (CAN_DECODE | CAN_FORWARD)) != 0) {
                        fourCcs.add(s.equals("*") ? "*" + media : s);   // a map's wildcard covers its media only
                    }
                }
            }
        }
        boolean multitrack = props.get("capsEx") instanceof Number caps
                && (caps.intValue() & CAPS_EX_MULTITRACK) != 0;
        return fourCcs.isEmpty() && !multitrack ? LEGACY : new RtmpPeerCapabilities(fourCcs, multitrack);
    }

    /**
     * Returns whether the peer takes a FourCC.
     *
     * @param fourCc such as {@code "hvc1"}
     * @return whether it was announced, itself or as {@code "*"}
     */
    boolean takes(String fourCc) {
        return fourCcs.contains(fourCc) || fourCcs.contains("*")
                || fourCcs.contains(AUDIO_FOURCCS.contains(fourCc) ? "*audio" : "*video");
    }

    /**
     * Returns whether H.265 may go to this peer with the legacy CodecID 12: unless it announced {@code hvc1}.
     *
     * @return {@code true} for the legacy form
     */
    boolean hevcCodecId12() {
        return !takes("hvc1");
    }
}
