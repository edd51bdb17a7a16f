package io.streamkit.codec;

/**
 * What an audio decoder configuration says about the sound, in one codec-neutral form.
 *
 * @param sampleRate output sample rate in Hz (for HE-AAC, the extension rate)
 * @param channels number of output channels
 * @param profile the codec's profile name, for example {@code "AAC LC"}
 */
public record AudioParameters(int sampleRate, int channels, String profile) {
}
