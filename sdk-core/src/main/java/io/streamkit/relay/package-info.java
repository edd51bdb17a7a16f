/**
 * The relay roles: {@link io.streamkit.relay.Puller} brings a remote stream in,
 * {@link io.streamkit.relay.Pusher} sends a local one out. Implementations live beside
 * their protocol in {@code streamkit-protocols}.
 */
package io.streamkit.relay;
