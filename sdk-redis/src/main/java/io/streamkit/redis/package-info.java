/**
 * A stream directory on Redis.
 */
package io.streamkit.redis;
