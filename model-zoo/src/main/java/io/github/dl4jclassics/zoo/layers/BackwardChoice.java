package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.CpuIsa;
import java.util.Locale;

/**
 * Which of two equivalent ways a convolution layer computes its backward pass: libnd4j's {@code conv2d_bp} (oneDNN's
 * own choice of algorithm) or {@link ConvolutionGradients} (direct kernels). The two round differently, so the choice
 * is a rule of the layer's shape and the CPU's instruction set ({@link CpuIsa}), never a timing taken in the process:
 * the same seed gives the same numbers on a busy machine and after a resume.
 *
 * <p>The rule, from one backward pass per layer shape of the zoo's models, batch 64, one thread (docs/PERFORMANCE.md,
 * round 4, {@code BackwardPathProbe}): {@code conv2d_bp} wins everywhere except 3x3 convolutions on images of at most
 * 4x4 pixels with many channels, where oneDNN's Winograd (AVX-512) or its blocked direct kernel (AVX2) wastes most of
 * its tiles: 512 channels 2x2, 91 ms against 22 ms (AVX-512), 62 against 45 (AVX2). On AVX2 the direct path also wins
 * from 256 channels (256 channels 4x4: 26 against 23 ms), on AVX-512 only from 512 (there 11 against 15 ms).
 *
 * <p>{@value #PROPERTY}{@code =rule|direct|conv2d_bp} overrides the rule for every layer (default {@code rule};
 * {@code auto}, the old name, means the same), for comparisons.
 */
final class BackwardChoice {

    /** System property fixing the backward path of every fast convolution layer: rule, direct or conv2d_bp. */
    static final String PROPERTY = "dl4jclassics.convolutionBackward";

    /** Output images of at most this many pixels (4x4) may take the direct path. */
    static final long SMALL_IMAGE_PIXELS = 16;

    private BackwardChoice() {
    }

    /**
     * Whether a stride-1 convolution with this kernel, producing {@code outChannels} maps of
     * {@code outHeight x outWidth}, takes the direct path on {@code isa}, unless {@value #PROPERTY} says otherwise.
     */
    static boolean direct(int[] kernel, long outHeight, long outWidth, long outChannels, CpuIsa isa) {
        String forced = System.getProperty(PROPERTY, "rule").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "direct":
                return true;
            case "conv2d_bp":
                return false;
            case "rule":
            case "auto":
                return byRule(kernel, outHeight, outWidth, outChannels, isa);
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be rule, direct or conv2d_bp; got \""
                        + forced + "\"");
        }
    }

    /** The rule alone (see the class comment). */
    static boolean byRule(int[] kernel, long outHeight, long outWidth, long outChannels, CpuIsa isa) {
        long minChannels = isa == CpuIsa.AVX512 ? 512 : 256;
        return kernel[0] == 3 && kernel[1] == 3 && outHeight * outWidth <= SMALL_IMAGE_PIXELS
                && outChannels >= minChannels;
    }

    /** How a layer with this choice describes its backward path. */
    static String describe(boolean direct) {
        return (direct ? "direct" : "conv2d_bp") + " (" + CpuIsa.effective().oneDnnName() + " rule)";
    }
}
