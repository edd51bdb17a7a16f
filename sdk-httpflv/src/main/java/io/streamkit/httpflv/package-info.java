/**
 * The HTTP-FLV relay client's settings ({@link io.streamkit.httpflv.HttpFlvClientConfig}); the
 * players' options are part of {@code io.streamkit.http.HttpConfig}.
 */
package io.streamkit.httpflv;
