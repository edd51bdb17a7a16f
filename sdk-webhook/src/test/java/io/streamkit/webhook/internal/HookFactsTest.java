package io.streamkit.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import io.streamkit.webhook.HookEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a hook request says on the wire: SRS's JSON body per event (valid JSON whatever the client sent) and the plain dialect's GET URL, method and headers. */
class HookFactsTest {
    private static final StreamKey KEY = StreamKey.of("live", "cam1");
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 5555);
    private static final URI AUTH = URI.create("http://auth.example:8080/check");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void publishCarriesSrsFields() {
        Map<String, Object> body = Json.parse(facts(HookEvent.PUBLISH, "rtmp", Map.of("token", "abc")).srsBody("edge-1", "svc-9"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("server_id", "edge-1");
        expected.put("service_id", "svc-9");
        expected.put("action", "on_publish");
        expected.put("client_id", "42");
        expected.put("ip", "127.0.0.1");
        expected.put("vhost", "__defaultVhost__");
        expected.put("app", "live");
        expected.put("stream", "cam1");
        expected.put("param", "?token=abc");
        expected.put("stream_url", "/live/cam1");
        expected.put("stream_id", "");
        expected.put("tcUrl", "rtmp://localhost/live?token=abc");
        expected.put("protocol", "rtmp");
        assertEquals(expected, body);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(body.keySet()), "the fields in SRS's order");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "CONNECT; on_connect; server_id service_id action client_id ip vhost app tcUrl pageUrl protocol",
        "CLOSE; on_close; server_id service_id action client_id ip vhost app protocol",
        "PUBLISH; on_publish; server_id service_id action client_id ip vhost app stream param stream_url stream_id tcUrl protocol",
        "UNPUBLISH; on_unpublish; server_id service_id action client_id ip vhost app stream param stream_url stream_id tcUrl protocol",
        "PLAY; on_play; server_id service_id action client_id ip vhost app stream param stream_url stream_id tcUrl pageUrl protocol",
        "STOP; on_stop; server_id service_id action client_id ip vhost app stream param stream_url stream_id tcUrl protocol",
        "DVR; on_dvr; server_id service_id action client_id ip vhost app stream param stream_url stream_id tcUrl cwd file protocol"})
    void eachEventHasItsFields(HookEvent event, String action, String fields) {
        Map<String, Object> body = Json.parse(facts(event, "rtmp", Map.of("token", "abc")).srsBody("s", "v"));
        assertEquals(List.of(fields.split(" ")), List.copyOf(body.keySet()));
        assertEquals(action, body.get("action"));
    }

    @Test
    void connectHasNoStream() {
        Map<String, Object> body = Json.parse(facts(HookEvent.CONNECT, "rtmp", Map.of()).srsBody("s", "v"));
        assertFalse(body.containsKey("stream"));
        assertFalse(body.containsKey("param"));
        assertEquals("live", body.get("app"));
        assertEquals("rtmp://localhost/live", body.get("tcUrl"));
    }

    @Test
    void dvrNamesTheFileAndItsRoot() {
        Path root = Path.of("/var/rec");
        Path file = root.resolve("live/cam1/2026-12-06T10-00-00.mp4");
        HookFacts dvr = new HookFacts(HookEvent.DVR, 0, "recording", null, KEY, Map.of(), file, root);
        Map<String, Object> body = Json.parse(dvr.srsBody("s", "v"));
        assertEquals(root.toString(), body.get("cwd"));
        assertEquals(file.toString(), body.get("file"));
        assertEquals("0", body.get("client_id"));
        assertEquals("", body.get("ip"));
        assertEquals("", body.get("param"));
        assertEquals("http://localhost/live", body.get("tcUrl"));
        assertEquals("recording", body.get("protocol"));
    }

    @Test
    void anUnresolvedAddressGivesItsHostName() {
        HookFacts facts = new HookFacts(HookEvent.PLAY, 1, "hls", InetSocketAddress.createUnresolved("viewer.example", 1), KEY,
                Map.of(), null, null);
        assertEquals("viewer.example", Json.parse(facts.srsBody("s", "v")).get("ip"));
        assertEquals(List.of("viewer.example"), params(facts.plain(AUTH, TIMEOUT, Map.of()).uri()).get("ip"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "quote; `a\"b`",
        "backslash; `a\\b`",
        "newline; `a\nb`",
        "all; `\"\\\n\r\t\u0001\"`",
        "unicode; `caf\u00e9 \u2028`"})
    void oddCharactersKeepTheBodyValidJson(String name, String value) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("token", value);
        query.put(value, "k");
        HookFacts facts = new HookFacts(HookEvent.DVR, 7, "rtmp", REMOTE, KEY, query,
                Path.of("/rec", "we" + value + ".mp4"), Path.of("/rec"));
        String json = facts.srsBody(value, "svc" + value);
        Map<String, Object> body = Json.parse(json);   // strict: throws on any unescaped quote or control character
        assertEquals(value, body.get("server_id"));
        assertEquals("svc" + value, body.get("service_id"));
        assertEquals(facts.file().toString(), body.get("file"));
        String param = (String) body.get("param");
        assertTrue(param.startsWith("?"), param);
        assertEquals(List.of(value), params(URI.create("http://x/" + param)).get("token"), "param decodes to the client's value");
        assertEquals(List.of("k"), params(URI.create("http://x/" + param)).get(value));
    }

    @Test
    void plainAsksWithTheStreamAndTheClient() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("token", "abc");
        query.put("user", "al ice&x=1");
        HttpRequest request = facts(HookEvent.PUBLISH, "rtmp", query)
                .plain(AUTH, TIMEOUT, Map.of("Authorization", "Bearer k", "X-Tenant", "t1"));
        assertEquals("GET", request.method());
        assertEquals(Optional.of(TIMEOUT), request.timeout());
        assertEquals(Optional.of("Bearer k"), request.headers().firstValue("Authorization"));
        assertEquals(Optional.of("t1"), request.headers().firstValue("X-Tenant"));
        assertEquals(Optional.of("streamkit-webhook"), request.headers().firstValue("User-Agent"));
        URI uri = request.uri();
        assertEquals("http://auth.example:8080/check?path=%2Flive%2Fcam1&app=live&name=cam1&ip=127.0.0.1"
                + "&type=rtmp&role=publisher&protocol=rtmp&token=abc&user=al+ice%26x%3D1", uri.toString());
        Map<String, List<String>> params = params(uri);
        assertEquals(List.of("/live/cam1"), params.get("path"));
        assertEquals(List.of("al ice&x=1"), params.get("user"));
        assertNull(params.get("x"), "a client's value cannot add a parameter");
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource(delimiter = ';', value = {
        "rtmp; PUBLISH; rtmp; publisher",
        "rtmps; PLAY; rtmp; player",
        "RTMP; PLAY; rtmp; player",
        "http-flv; PLAY; http; player",
        "ws-flv; PLAY; http; player",
        "recording; PLAY; http; player",
        "hls; PLAY; hls; player",
        "rtsp; PUBLISH; rtsp; publisher",
        "srt; PUBLISH; srt; publisher"})
    void plainTypeAndRole(String protocol, HookEvent event, String type, String role) {
        Map<String, List<String>> params = params(facts(event, protocol, Map.of()).plain(AUTH, TIMEOUT, Map.of()).uri());
        assertEquals(List.of(type), params.get("type"));
        assertEquals(List.of(role), params.get("role"));
        assertEquals(List.of(protocol), params.get("protocol"));
        assertEquals(List.of("live"), params.get("app"));
        assertEquals(List.of("cam1"), params.get("name"));
    }

    @Test
    void aClientCannotSpeakForTheServer() {
        Map<String, String> query = new LinkedHashMap<>();
        for (String reserved : List.of("role", "type", "path", "app", "name", "ip", "protocol")) {
            query.put(reserved, "forged");
        }
        query.put("token", "abc");
        Map<String, List<String>> params = params(facts(HookEvent.PLAY, "hls", query).plain(AUTH, TIMEOUT, Map.of()).uri());
        assertEquals(List.of("player"), params.get("role"));
        assertEquals(List.of("hls"), params.get("type"));
        assertEquals(List.of("/live/cam1"), params.get("path"));
        assertEquals(List.of("live"), params.get("app"));
        assertEquals(List.of("cam1"), params.get("name"));
        assertEquals(List.of("127.0.0.1"), params.get("ip"));
        assertEquals(List.of("hls"), params.get("protocol"));
        assertEquals(List.of("abc"), params.get("token"));
        assertEquals(Set.of("path", "app", "name", "ip", "type", "role", "protocol", "token"), params.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "http://auth.example/check; http://auth.example/check?path=",
        "http://auth.example/check?x=1; http://auth.example/check?x=1&path=",
        "http://auth.example/check?; http://auth.example/check?path=",
        "http://auth.example/check?x=1&; http://auth.example/check?x=1&path=",
        "https://auth.example/a/b?k=v&x=1; https://auth.example/a/b?k=v&x=1&path="})
    void theQueryJoinsTheBaseUrls(String base, String prefix) {
        URI uri = facts(HookEvent.PLAY, "rtmp", Map.of()).plain(URI.create(base), TIMEOUT, Map.of()).uri();
        assertTrue(uri.toString().startsWith(prefix), uri.toString());
        assertEquals(List.of("/live/cam1"), params(uri).get("path"));
    }

    @Test
    void srsPostsItsBody() {
        HookFacts facts = facts(HookEvent.PLAY, "http-flv", Map.of("token", "abc"));
        HttpRequest request = facts.srs(AUTH, "s", "v", TIMEOUT, Map.of("Authorization", "Bearer k"));
        assertEquals("POST", request.method());
        assertEquals(AUTH, request.uri());
        assertEquals(Optional.of(TIMEOUT), request.timeout());
        assertEquals(Optional.of("application/json"), request.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("Bearer k"), request.headers().firstValue("Authorization"));
        long length = facts.srsBody("s", "v").getBytes(StandardCharsets.UTF_8).length;
        assertEquals(length, request.bodyPublisher().orElseThrow().contentLength());
        assertEquals("http://localhost/live?token=abc", Json.parse(facts.srsBody("s", "v")).get("tcUrl"));
    }

    @Test
    void theMiniParserIsStrict() {
        assertEquals(Map.of("a", "b\"c", "d", Map.of("e", List.of(1L, true))), Json.parse("{\"a\":\"b\\\"c\", \"d\":{\"e\":[1,true]}}"));
        for (String bad : List.of("{\"a\":\"b\"c\"}", "{\"a\":\"b\nc\"}", "{\"a\":\"b\\qc\"}", "{\"a\":\"b\"", "{\"a\":\"b\"}x",
                "{\"a\":\"b\",}", "{\"a\":\"b\",\"a\":\"c\"}")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    private static HookFacts facts(HookEvent event, String protocol, Map<String, String> query) {
        return new HookFacts(event, 42, protocol, REMOTE, KEY, query, null, null);
    }

    /** The URL's query parameters, decoded, in order, each name with all of its values. */
    private static Map<String, List<String>> params(URI uri) {
        String raw = uri.getRawQuery();
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** A strict RFC 8259 reader, small: objects (no duplicate names), arrays, strings, integers, true, false, null. */
    private static final class Json {
        /** JSON's {@code null}, which a map made by {@code Map.of} cannot hold. */
        static final Object NULL = new Object();
        private final String s;
        private int at;

        private Json(String s) {
            this.s = s;
        }

        static Map<String, Object> parse(String text) {
            Json json = new Json(text);
            json.blank();
            Object value = json.value();
            json.blank();
            if (json.at != text.length() || !(value instanceof Map)) {
                throw json.error("one object and nothing after it");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value;
            return object;
        }

        private Object value() {
            if (at >= s.length()) {
                throw error("a value");
            }
            char c = s.charAt(at);
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (c == '"') {
                return string();
            }
            for (String word : List.of("true", "false", "null")) {
                if (s.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? NULL : Boolean.valueOf(word);
                }
            }
            int start = at;
            if (c == '-') {
                at++;
            }
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at == start || s.charAt(start) == '-' && at == start + 1) {
                throw error("a value");
            }
            return Long.parseLong(s.substring(start, at));
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            at++;
            blank();
            if (peek() == '}') {
                at++;
                return out;
            }
            while (true) {
                blank();
                if (peek() != '"') {
                    throw error("a name");
                }
                String name = string();
                blank();
                expect(':');
                blank();
                if (out.put(name, value()) != null) {
                    throw error("no second " + name);
                }
                blank();
                if (peek() == '}') {
                    at++;
                    return out;
                }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> out = new ArrayList<>();
            at++;
            blank();
            if (peek() == ']') {
                at++;
                return out;
            }
            while (true) {
                blank();
                out.add(value());
                blank();
                if (peek() == ']') {
                    at++;
                    return out;
                }
                expect(',');
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                if (at >= s.length()) {
                    throw error("a closing quote");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("no raw control character");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = at < s.length() ? s.charAt(at++) : 0;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length() || !s.substring(at, at + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("four hex digits");
                        }
                        out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("a valid escape");
                }
            }
        }

        private void blank() {
            while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
        }

        private char peek() {
            return at < s.length() ? s.charAt(at) : 0;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            at++;
        }

        private IllegalArgumentException error(String wanted) {
            return new IllegalArgumentException("expected " + wanted + " at " + at + " of " + s);
        }
    }
}
