package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names and URLs as clients send them, and the ones that cost too much or lead nowhere. */
class RtmpUrlsTest {

    @ParameterizedTest
    @CsvSource({"/live/, live", "///a//b///, a//b", "'', ''", "////, ''", "a, a"})
    void trimsLeadingAndTrailingSlashesOnly(String path, String trimmed) {
        assertEquals(trimmed, RtmpUrls.trimSlashes(path));
    }

    /**
     * Found by review while writing RtmpUrlsFuzzTest (too long an input for the fuzzer's
     * lengths): the regex behind trimSlashes backtracked over a run of slashes inside the
     * text, quadratic in its length, on the app and tcUrl of every connect.
     */
    @Test
    void aLongRunOfSlashesInsideTheTextCostsLinearTime() {
        String app = "a" + "/".repeat(1_000_000) + "b";
        String tcUrl = "rtmp://host/a" + "/".repeat(1_000_000) + "b/";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(app, RtmpUrls.trimSlashes(app));
            assertEquals(app, RtmpUrls.appOf(tcUrl));
        });
    }

    /**
     * Found by RtmpUrlsFuzzTest in CI (crash-1c535849...): the app was trimmed before it was
     * decoded, so an escaped slash at its end or start ({@code live%2f}) came back as a slash.
     */
    @ParameterizedTest
    @CsvSource({"rtmp://h/live%2f, live", "rtmp://h/%2Flive, live", "rtmp://h/%2f/live/%2F?x=1, live",
            "rtmp://h/a%2fb, a/b", "rtmp://h/%2f, ''"})
    void anEscapedSlashAtEitherEndOfTheAppIsTrimmedToo(String tcUrl, String app) {
        assertEquals(app, RtmpUrls.appOf(tcUrl));
    }

    /** Found by RtmpUrlsFuzzTest (crash-72c76676...): a port past 65535 passed until the connect failed. */
    @ParameterizedTest
    @CsvSource({"rtmp://host:1931936/app/name", "rtmp://host:0/app/name", "rtmp://host:65536/app/name"})
    void aPortOutsideTheTcpRangeIsRefusedAtOnce(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtmpUrls.target(url));
        assertEquals(true, e.getMessage().contains("outside 1 to 65535"), e.getMessage());
    }

    @Test
    void aUrlWithAPortKeepsIt() {
        assertEquals(new RtmpUrls.Target("host", 65_535, "app", "name", "rtmp://host:65535/app", false),
                RtmpUrls.target("rtmp://host:65535/app/name"));
    }

    @Test
    void rtmpsIsTlsOnPort443UnlessTheUrlNamesOne() {
        assertEquals(new RtmpUrls.Target("live-api-s.facebook.com", 443, "rtmp", "KEY?s_bl=1", "rtmps://live-api-s.facebook.com/rtmp", true),
                RtmpUrls.target("rtmps://live-api-s.facebook.com/rtmp/KEY?s_bl=1"));
        assertEquals(new RtmpUrls.Target("h", 4443, "app", "n", "rtmps://h:4443/app", true), RtmpUrls.target("RTMPS://h:4443/app/n"));
        assertEquals(new RtmpUrls.Target("h", 1935, "app", "n", "rtmp://h/app", false), RtmpUrls.target("rtmp://h/app/n"));
    }

    @Test
    void theDisplayedUrlLeavesTheQueryOut() {
        assertEquals("rtmps://h:443/app/n", RtmpUrls.target("rtmps://h/app/n?key=secret").display());
    }

    @ParameterizedTest
    @CsvSource({"http://h/app/n", "srt://h/app/n", "rtmpt://h/app/n"})
    void otherSchemesAreRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtmpUrls.target(url));
        assertEquals(true, e.getMessage().contains("not an rtmp:// or rtmps:// URL"), e.getMessage());
    }
}
