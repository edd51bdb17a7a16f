package io.streamkit.codec;

/**
 * What a video decoder configuration says about the picture, in one codec-neutral form.
 *
 * @param width coded width in pixels after cropping
 * @param height coded height in pixels after cropping
 * @param frameRate frames per second as signalled in the bitstream, or {@code 0} when the
 *     bitstream does not signal it (common: encoders often leave timing info out)
 * @param profile the codec's profile name, for example {@code "High"} or {@code "Main 10"}
 * @param level the codec's level as usually written, for example {@code "3.1"}
 * @param bitDepth luma bit depth, 8 for most streams
 */
public record VideoParameters(int width, int height, double frameRate, String profile, String level, int bitDepth) {
}
