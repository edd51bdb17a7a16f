package io.streamkit.rtsp.internal;

import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SDP this server sends for a stream: in a DESCRIBE's answer to its players, and in the
 * ANNOUNCE of a push. Of a multitrack stream, the first video and the first audio track RTP
 * carries here, as FLV players get; each track's control is {@code trackID=<its id>}.
 */
final class RtspSdp {
    private RtspSdp() {
    }

    /**
     * Describes a stream.
     *
     * @param name the session name: the stream's path
     * @param sessionId the origin's session id
     * @param tracks the stream's tracks
     * @param described takes the tracks described, by id
     * @return the description; without media when no track is carried
     */
    static SessionDescription describe(String name, long sessionId, List<Track> tracks, Map<Integer, Track> described) {
        SessionDescription.Builder sdp = SessionDescription.builder()
                .origin(Long.toString(sessionId), "127.0.0.1")
                .name(name)
                .connection("0.0.0.0")
                .attribute("tool", "Streamkit")
                .attribute("range", "npt=0-")
                .attribute("control", "*");
        boolean video = false;
        boolean audio = false;
        for (Track t : tracks) {
            boolean isVideo = t.type() == MediaType.VIDEO;
            if ((isVideo ? video : audio) || !RtpEncoding.carries(t.codec())) {
                continue;
            }
            Optional<MediaDescription> m = RtpFormats.describe(t.format(), RtpEncoding.payloadType(t), "trackID=" + t.id());
            if (m.isPresent()) {
                sdp.media(m.get());
                described.put(t.id(), t);
                video |= isVideo;
                audio |= !isVideo;
            }
        }
        return sdp.build();
    }
}
