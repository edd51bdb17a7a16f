/**
 * Relays and clusters: forwarding rules ({@link io.streamkit.cluster.ForwardRule}), static and
 * on-demand pulls, edges and origins that meet in a {@link io.streamkit.relay.StreamDirectory},
 * configured with {@link io.streamkit.cluster.RelayConfig} and managed at runtime through
 * {@link io.streamkit.cluster.Relays}.
 */
package io.streamkit.cluster;
