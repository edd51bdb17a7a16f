/**
 * The engine's face: {@link io.streamkit.engine.StreamEngine}, where publishers start and
 * subscribers attach, and where the application's auth checks are run for any protocol.
 *
 * <p>Layers: {@code io.streamkit.stream} holds the values and roles (keys, frames, tracks,
 * publishers, subscribers, policies); the hook package the application's callbacks
 * over them; this package the engine's interface over both; the implementation lives in
 * core's internal engine package, which depends on all three and on which none of them
 * depends. A server's engine comes from {@code MediaServer.builder()...start().streams()}.
 */
package io.streamkit.engine;
