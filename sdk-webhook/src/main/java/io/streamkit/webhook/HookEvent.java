package io.streamkit.webhook;

/** What a hook is called for; the SRS dialect names each as SRS does ({@link #srsName()}). */
public enum HookEvent {
    /** An RTMP client connected (SRS {@code on_connect}); a notification. */
    CONNECT("on_connect"),
    /** An RTMP client's connection closed (SRS {@code on_close}); a notification. */
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
     * Returns whether the backend decides on it (publish, play) rather than is told of it.
     *
     * @return whether it is a decision
     */
    public boolean decision() {
        return this == PUBLISH || this == PLAY;
    }
}
