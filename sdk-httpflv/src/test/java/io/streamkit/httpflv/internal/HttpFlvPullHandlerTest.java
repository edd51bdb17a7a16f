package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.stream.EndReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of a puller's connection: the request it sends, the answers it takes and
 * refuses, its timeouts, and how each end closes the local publisher.
 */
class HttpFlvPullHandlerTest {
    private static final String URL = "http://origin.example:8080/live/cam1.flv?token=a%20b";
    private static final HttpFlvClientConfig SETTINGS = HttpFlvClientConfig.defaults();

    @Test
    void sendsOneGetWithHostUserAgentAndAccept() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        assertEquals("GET /live/cam1.flv?token=a%20b HTTP/1.1\r\n"
                + "host: origin.example:8080\r\n"
                + "user-agent: Streamkit\r\n"
                + "accept: */*\r\n"
                + "\r\n", pull.request());
        pull.finish();
    }

    @Test
    void theHostHeaderLeavesOutTheSchemesDefaultPort() {
        for (String[] row : new String[][] {
            {"http://origin.example/a.flv", "origin.example"},
            {"http://origin.example:80/a.flv", "origin.example"},
            {"https://origin.example:8443/a.flv", "origin.example:8443"},
            {"http://[::1]:81/a.flv", "[::1]:81"},
        }) {
            EmbeddedPull pull = new EmbeddedPull(SETTINGS, row[0]);
            assertTrue(pull.request().contains("\r\nhost: " + row[1] + "\r\n"), row[0] + " sent " + pull.request());
            pull.finish();
        }
    }

    @Test
    void aStatusOtherThan200FailsNamingIt() {
        for (String status : List.of("404 Not Found", "302 Found", "500 Internal Server Error", "204 No Content")) {
            EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
            pull.in(FlvBytes.ascii("HTTP/1.1 " + status + "\r\nContent-Length: 4\r\nLocation: /elsewhere\r\n\r\nnope"));
            HttpFlvProtocolException e = pull.assertFailedWith(HttpFlvProtocolException.class);
            assertEquals("http://origin.example:8080/live/cam1.flv answered " + status + ", not 200", e.getMessage());
            assertEquals(0, pull.publishes);
            assertTrue(!pull.ch.isOpen(), "the connection closed");
            pull.finish();
        }
    }

    @Test
    void interimAnswersAreSkipped() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.ascii("HTTP/1.1 100 Continue\r\n\r\n"),
                FlvBytes.chunkedResponse(FlvBytes.shortStream(), 100)));
        assertEquals(4, pull.publisher.frames.size());
        pull.assertEndedCleanly();
        pull.finish();
    }

    @Test
    void headersOverTheLimitFail() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.ascii("HTTP/1.1 200 OK\r\nX-Padding: " + "a".repeat(HttpFlvClientConfig.DEFAULT_MAX_HEADER_SIZE)
                + "\r\n\r\n"));
        HttpFlvProtocolException e = pull.assertFailedWith(HttpFlvProtocolException.class);
        assertInstanceOf(TooLongHttpHeaderException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("http://origin.example:8080/live/cam1.flv sent a malformed HTTP response head: "
                + "HTTP header is larger than 16384 bytes"), e.getMessage());
        pull.finish();
    }

    @Test
    void aStatusLineThatIsNotHttpFails() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.ascii("RTMP/1.0 what\r\n\r\n"));
        pull.assertFailedWith(HttpFlvProtocolException.class);
        pull.finish();
    }

    @Test
    void noTrackWithinTheStartTimeoutFails() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.header().toByteArray(), 100, false)));
        // the timer was set a moment before the embedded clock froze: a second's margin for that moment
        pull.ch.advanceTimeBy(SETTINGS.startTimeout().toMillis() - 1000, TimeUnit.MILLISECONDS);
        pull.ch.runScheduledPendingTasks();
        assertTrue(pull.closes.isEmpty(), "not yet");
        pull.ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        pull.ch.runScheduledPendingTasks();
        pull.ch.runPendingTasks();
        HttpFlvProtocolException e = pull.assertFailedWith(HttpFlvProtocolException.class);
        assertEquals("http://origin.example:8080/live/cam1.flv sent no track within 15000 ms", e.getMessage());
        pull.finish();
    }

    @Test
    void theFirstTrackStopsTheStartTimer() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        assertEquals(1, pull.firstTracks);
        pull.ch.advanceTimeBy(SETTINGS.startTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        pull.ch.runScheduledPendingTasks();
        assertTrue(pull.closes.isEmpty() && pull.ch.isOpen(), "still live");
        pull.finish();
    }

    @Test
    void silenceEndsThePullAndAbortsThePublisher() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        pull.ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        pull.ch.runPendingTasks();
        HttpFlvProtocolException e = pull.assertFailedWith(HttpFlvProtocolException.class);
        assertEquals("no bytes from http://origin.example:8080/live/cam1.flv for 30000 ms", e.getMessage());
        assertEquals("abort", last(pull.publisher.events), "a lost source, not an end");
        pull.finish();
    }

    @Test
    void aChunkedBodyCutShortIsALostSource() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        pull.originCloses();
        HttpFlvProtocolException e = pull.assertFailedWith(HttpFlvProtocolException.class);
        assertEquals("http://origin.example:8080/live/cam1.flv closed the connection", e.getMessage());
        assertEquals("abort", last(pull.publisher.events));
        pull.finish();
    }

    @Test
    void theEndOfTheBodyEndsThePullAndClosesThePublisher() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.chunkedResponse(FlvBytes.shortStream(), 100));
        pull.assertEndedCleanly();
        assertEquals("close", last(pull.publisher.events));
        assertTrue(!pull.ch.isOpen(), "the connection closed");
        pull.finish();
    }

    @Test
    void stoppingClosesThePublisherCleanly() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        pull.handler.stop();
        pull.ch.runPendingTasks();
        pull.assertEndedCleanly();
        assertEquals("close", last(pull.publisher.events));
        pull.in(FlvBytes.chunked(FlvBytes.shortStream(), 100, true));   // a late read is dropped
        pull.finish();
    }

    @Test
    void aLocalTakeOverDisconnects() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        pull.publisher.endedBy(EndReason.TAKEN_OVER);
        pull.ch.runPendingTasks();
        IllegalStateException e = pull.assertFailedWith(IllegalStateException.class);
        assertEquals("local stream pulled/cam1 ended: TAKEN_OVER", e.getMessage());
        assertTrue(!pull.ch.isOpen());
        pull.finish();
    }

    @Test
    void anUnpublishOfItsOwnDoesNotDisconnect() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(FlvBytes.shortStream(), 100, false)));
        pull.publisher.endedBy(EndReason.UNPUBLISHED);
        pull.ch.runPendingTasks();
        assertTrue(pull.closes.isEmpty() && pull.ch.isOpen());
        pull.finish();
    }

    private static String last(List<String> events) {
        return events.get(events.size() - 1);
    }
}
