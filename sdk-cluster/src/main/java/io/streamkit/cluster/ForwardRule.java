package io.streamkit.cluster;

import io.streamkit.hook.StreamEvent;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Pushes matching streams to a destination while they are published: restreaming to a
 * platform, feeding another origin. Made with {@link #to(String)} (same app and name under a
 * base URL) or {@link #rewrite(String, Function)} (any URL the application computes), narrowed
 * with {@link #when(Predicate)}.
 *
 * <pre>{@code
 * ForwardRule.to("rtmp://backup.example:1935")                  // rtmp://backup.example:1935/{app}/{name}
 * ForwardRule.rewrite("youtube", e -> "rtmps://a.rtmps.youtube.com/live2/" + keys.youtube(e.key()))
 *         .when(e -> e.key().app().equals("live"))
 * }</pre>
 *
 * <p>Each match is one relay of kind {@link RelayKind#FORWARD}: it starts when the stream is
 * published, retries a failed or dropped connection with the configured backoff, and ends when
 * the publisher leaves. A failing destination never affects another destination or the local
 * players: each push is a subscriber of its own, skipped to the next keyframe when it falls behind.
 */
public final class ForwardRule {
    private final String name;
    private final Predicate<StreamEvent> when;
    private final Function<StreamEvent, String> url;

    private ForwardRule(String name, Predicate<StreamEvent> when, Function<StreamEvent, String> url) {
        this.name = name;
        this.when = when;
        this.url = url;
    }

    /**
     * Forwards every published stream to the same app and name under a base URL.
     *
     * @param baseUrl such as {@code rtmp://10.0.0.2:1935} or {@code rtmps://host:443}; a trailing slash is ignored
     * @return the rule, named after the base URL
     * @throws IllegalArgumentException when the URL has no {@code scheme://}, or carries a query
     */
    public static ForwardRule to(String baseUrl) {
        String base = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        if (!base.contains("://") || base.contains("?") || base.contains("#")) {
            throw new IllegalArgumentException("forward base URL '" + baseUrl
                    + "' must be scheme://host[:port][/path] without a query");
        }
        return new ForwardRule(base, e -> true, e -> base + "/" + e.key().app() + "/" + e.key().name());
    }

    /**
     * Forwards every published stream to a URL the application computes.
     *
     * @param name the rule's name in {@link RelayInfo#rule()}, the API and logs
     * @param url the destination of a stream; {@code null} skips the stream. Called on an event
     *     loop when the stream is published: must be fast and must not block
     * @return the rule
     */
    public static ForwardRule rewrite(String name, Function<StreamEvent, String> url) {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("a forward rule needs a name");
        }
        return new ForwardRule(name, e -> true, Objects.requireNonNull(url, "url"));
    }

    /**
     * Returns a copy that forwards only the streams a predicate accepts.
     *
     * @param predicate the publish event (stream, protocol, the publisher's address, query and
     *     the decision's attributes) to accept; called on an event loop, must be fast
     * @return the narrowed rule
     */
    public ForwardRule when(Predicate<StreamEvent> predicate) {
        return new ForwardRule(name, when.and(Objects.requireNonNull(predicate, "predicate")), url);
    }

    /**
     * Returns the rule's name.
     *
     * @return the name: the base URL of {@link #to}, or the name given to {@link #rewrite}
     */
    public String name() {
        return name;
    }

    /**
     * Tells where a published stream goes under this rule.
     *
     * @param event the publish
     * @return the destination URL, or {@code null} when the rule does not apply
     */
    public String destination(StreamEvent event) {
        return when.test(event) ? url.apply(event) : null;
    }

    @Override
    public String toString() {
        return "forward " + name;
    }
}
