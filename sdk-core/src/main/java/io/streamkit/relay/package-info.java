/**
 * The relay roles and the cluster's directory: a {@link io.streamkit.relay.Relay} is a
 * {@link io.streamkit.relay.Puller}, which brings a remote stream in, or a
 * {@link io.streamkit.relay.Pusher}, which sends a local one out; each reports a
 * {@link io.streamkit.relay.RelayStatus}. Implementations live beside their protocol in
 * {@code streamkit-protocols}, found by URL scheme. {@link io.streamkit.relay.StreamDirectory}
 * is where the origins of a cluster claim their streams, with
 * {@link io.streamkit.relay.MemoryStreamDirectory} for one JVM.
 */
package io.streamkit.relay;
