/**
 * HTTP hooks: {@link io.streamkit.webhook.WebhookConfig}, built in
 * {@code MediaServer.builder().webhooks(w -> w.srs("http://backend/api/hooks"))}.
 *
 * <p>Decisions (an RTMP connection's {@code on_connect} at its first publish or play, then each
 * publish and play) are asked before the client is told anything, and a backend's denial reaches
 * the client as the protocol's refusal with the backend's reason. Notifications (close,
 * unpublish, stop, recorded files) are sent in order per client, retried, and
 * never delay a stream.
 */
package io.streamkit.webhook;
