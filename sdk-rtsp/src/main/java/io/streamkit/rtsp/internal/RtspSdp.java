package io.streamkit.rtsp.internal;

import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.engine.StreamEngine;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The SDP this server sends for a stream: in a DESCRIBE's answer to its players, and in the
 * ANNOUNCE of a push. Of a multitrack stream, the first video and the first audio track RTP
 * carries here, as FLV players get; each track's control is {@code trackID=<its id>}.
 */
final class RtspSdp {
    private RtspSdp() {
    }

    /**
     * A stream's tracks, to describe: at once when it is live, else once it is (a subscriber waits
     * for a stream up to its play wait, and its wait may start a pull on demand).
     *
     * @param engine the engine
     * @param key the stream
     * @param options the waiting subscription's options (its executor, protocol, auth attributes)
     * @return the tracks; fails when the stream did not come within the play wait
     */
    static CompletionStage<List<Track>> tracks(StreamEngine engine, StreamKey key, SubscribeOptions options) {
        Optional<StreamInfo> info = engine.stream(key);
        if (info.isPresent() && info.get().live() && !info.get().tracks().isEmpty()) {
            return CompletableFuture.completedFuture(info.get().tracks());
        }
        Subscriber probe = new Subscriber() {
            @Override
            public void onTrack(Track track) {
            }

            @Override
            public void onFrame(MediaFrame frame) {
            }
        };
        return engine.subscribe(key, probe, options).thenApply(sub -> {
            List<Track> tracks = engine.stream(key).map(StreamInfo::tracks).orElse(List.of());
            sub.close();
            return tracks;
        });
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
