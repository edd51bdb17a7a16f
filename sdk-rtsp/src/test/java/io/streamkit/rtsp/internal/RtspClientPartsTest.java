package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RTSP client's URL and authorization: parsing, what requests carry, RFC 2617's digest example. */
class RtspClientPartsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // url | host | port | request URL | user | password | display
        "rtsp://10.0.0.20/Streaming/Channels/101 | 10.0.0.20 | 554 | rtsp://10.0.0.20/Streaming/Channels/101 | null | null"
                + " | rtsp://10.0.0.20/Streaming/Channels/101",
        "rtsp://admin:s3cret@cam:8554/live?token=x | cam | 8554 | rtsp://cam:8554/live?token=x | admin | s3cret"
                + " | rtsp://cam:8554/live",
        "RTSP://user@[::1]/a | ::1 | 554 | rtsp://[::1]/a | user | '' | rtsp://[::1]/a",
    })
    void readsUrls(String url, String host, int port, String request, String user, String password, String display) {
        RtspUrl u = RtspUrl.parse(url);
        assertEquals(host, u.host());
        assertEquals(port, u.port());
        assertEquals(request, u.requestUrl());
        assertEquals(user, u.user());
        assertEquals(password, u.password());
        assertEquals(display, u.display());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rtsp://cam/live                      | false",
        "rtsp://cam/live#transport=tcp        | false",
        "rtsp://cam/live?x=1#transport=udp    | true",
        "rtsp://cam/live#TRANSPORT=UDP        | true",
    })
    void theFragmentChoosesTheTransportAndNeverLeavesTheClient(String url, boolean udp) {
        RtspUrl u = RtspUrl.parse(url);
        assertEquals(udp, u.udp());
        assertTrue(!u.requestUrl().contains("#") && !u.display().contains("#"), u.requestUrl());
    }

    @org.junit.jupiter.api.Test
    void aPushOverUdpIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RtspRelayModule()
                .pusher("rtsp://server/live/x#transport=udp", io.streamkit.stream.StreamKey.parse("live/x")));
        assertTrue(e.getMessage().contains("a push records over TCP"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"http://cam/a", "rtsp://", "rtsp:///path", "rtsp://cam", "not a url", "rtsp://cam/a#transport=sctp",
        "rtsp://cam/a#udp"})
    void refusesUrlsWithoutHostOrPath(String url) {
        assertThrows(IllegalArgumentException.class, () -> RtspUrl.parse(url));
    }

    @Test
    void digestMatchesRfc2617sExample() {
        // RFC 2617 3.5: the response for Mufasa at testrealm@host.com
        assertEquals("6629fae49393a05397450978507c4ef1", RtspAuthorization.response("Mufasa", "Circle Of Life",
                "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "00000001",
                "0a4f113b"));
    }

    @Test
    void prefersDigestAndAnswersWithoutQopAsOldCamerasAsk() {
        RtspAuthorization a = RtspAuthorization.of(List.of("Basic realm=\"cam\"",
                "Digest realm=\"IP Camera\", nonce=\"abc123\", stale=\"FALSE\""), "admin", "12345");
        String h = a.header("DESCRIBE", "rtsp://cam/live");
        assertTrue(h.startsWith("Digest username=\"admin\", realm=\"IP Camera\", nonce=\"abc123\", uri=\"rtsp://cam/live\""), h);
        assertTrue(h.matches(".*, response=\"[0-9a-f]{32}\"$"), h);
        assertTrue(!h.contains("qop"), h);
    }

    @Test
    void answersBasicWhenThatIsAllThereIs() {
        RtspAuthorization a = RtspAuthorization.of(List.of("Basic realm=\"cam\""), "admin", "12345");
        assertEquals("Basic YWRtaW46MTIzNDU=", a.header("DESCRIBE", "rtsp://cam/live"));
    }

    @Test
    void answersNothingItDoesNotKnow() {
        assertNull(RtspAuthorization.of(List.of("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-256", "Bearer x"), "a", "b"));
        assertNull(RtspAuthorization.of(List.of("Digest realm=\"x\"".repeat(200)), "a", "b"));
    }
}
