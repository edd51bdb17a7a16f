/**
 * The application's callbacks: authorisation of publish and play ({@link io.streamkit.hook.AuthHandler})
 * and the lifecycle listener ({@link io.streamkit.hook.ServerListener}).
 *
 * <p>Each callback takes one context object (a record), so fields can be added without
 * breaking implementations. Callbacks run on event loops: long work returns a
 * {@link java.util.concurrent.CompletionStage}. Every call is guarded: a throwing callback
 * denies the request it was asked about and is logged; it never kills an event loop.
 */
package io.streamkit.hook;
