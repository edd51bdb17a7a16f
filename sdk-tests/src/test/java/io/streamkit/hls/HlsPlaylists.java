package io.streamkit.hls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Follows a stream's playlist URL to the media playlist a viewer reloads, as a player does. */
public final class HlsPlaylists {
    private HlsPlaylists() {
    }

    /**
     * Opens a viewer's session: GETs the playlist URL and, when it answers a multivariant playlist
     * (viewer sessions, the default), returns its one variant's URL, the session's media playlist.
     *
     * @param http the client
     * @param url the stream's playlist URL, for example {@code http://127.0.0.1:8080/live/a.m3u8?token=t}
     * @return the media playlist's URL, or {@code url} when it already is one
     * @throws AssertionError when the playlist does not answer 200
     */
    public static String media(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return variant(url, r.body());
    }

    /**
     * Returns the URL of a multivariant playlist's first variant, resolved against the playlist's.
     *
     * @param url where the playlist came from
     * @param body the playlist
     * @return the variant's URL, or {@code url} when the body is a media playlist
     */
    public static String variant(String url, String body) {
        if (!body.contains("#EXT-X-STREAM-INF")) {
            return url;
        }
        boolean next = false;
        for (String line : body.split("\n")) {
            if (line.startsWith("#EXT-X-STREAM-INF")) {
                next = true;
            } else if (next && !line.isBlank() && !line.startsWith("#")) {
                return URI.create(url).resolve(line.trim()).toString();
            }
        }
        throw new AssertionError("multivariant playlist without a variant URI:\n" + body);
    }
}
