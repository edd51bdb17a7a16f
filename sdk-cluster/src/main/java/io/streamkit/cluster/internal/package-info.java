/**
 * The relay module's insides: {@link io.streamkit.cluster.internal.RelayModule}, the retrying
 * relay over a scheme's pullers and pushers, on-demand pulls, the API mount and the metrics.
 * Not API: exported only to {@code io.streamkit.protocols}, with no compatibility promise.
 */
package io.streamkit.cluster.internal;
