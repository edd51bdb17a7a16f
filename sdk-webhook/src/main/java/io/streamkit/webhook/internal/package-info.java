/**
 * The webhook module's insides: the module, the ordered and bounded sender, the two dialects.
 * No compatibility promise; exported to {@code io.streamkit.protocols} only.
 */
package io.streamkit.webhook.internal;
