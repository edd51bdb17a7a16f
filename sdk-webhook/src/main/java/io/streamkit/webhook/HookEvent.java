package io.streamkit.webhook;

/** What a hook is called for; the SRS dialect names each as SRS does ({@link #srsName()}). */
public enum HookEvent {
    /**
     * An RTMP client's connection (SRS {@code on_connect}), with its app and tcUrl: asked once, at the
     * connection's first publish or play, when both are known; a refusal refuses every stream of
     * the connection, as SRS's does (its token auth reads the tcUrl here).
     */
    CONNECT("on_connect"),
    /** An RTMP connection whose {@code on_connect} was asked closed (SRS {@code on_close}); a notification. */
    CLOSE("on_close"),
    /** A client asks to publish (SRS {@code on_publish}); a decision, asked before the client is answered. */
    PUBLISH("on_publish"),
    /** A publisher stopped (SRS {@code on_unpublish}); a notification. */
    UNPUBLISH("on_unpublish"),
    /** A client asks to play (SRS {@code on_play}); a decision, asked before the client is answered. */
    PLAY("on_play"),
    /** A player stopped (SRS {@code on_stop}); a notification, after its play. */
    STOP("on_stop"),
    /** A recorded file is complete (SRS {@code on_dvr}); a notification. */
    DVR("on_dvr");

    private final String srsName;

    HookEvent(String srsName) {
        this.srsName = srsName;
    }

    /**
     * Returns the event's name in SRS's hooks, its {@code action} field.
     *
     * @return for example {@code "on_publish"}
     */
    public String srsName() {
        return srsName;
    }

    /**
     * Returns whether the backend decides on it (connect, publish, play) rather than is told of it.
     *
     * @return whether it is a decision
     */
    public boolean decision() {
        return this == CONNECT || this == PUBLISH || this == PLAY;
    }
}
