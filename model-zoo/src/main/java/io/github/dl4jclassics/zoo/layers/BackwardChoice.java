package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.CpuIsa;
import java.util.Locale;

/**
 * Which of the equivalent ways a convolution layer computes its backward pass: oneDNN's backward primitives called
 * directly ({@link OneDnnConvolutionBackward}), libnd4j's {@code conv2d_bp} (oneDNN's own choice of algorithm, made at
 * every call) or {@link ConvolutionGradients} (libnd4j's forward and transposed convolutions, stride 1 only). They
 * round differently, so the choice is a rule of the layer's shape and the CPU's instruction set ({@link CpuIsa}), never
 * a timing taken in the process: the same seed gives the same numbers on a busy machine and after a resume.
 *
 * <p>The rule (docs/PERFORMANCE.md, round 4, {@code BackwardPathProbe}: one backward pass per layer shape of the zoo's
 * models, batch 64, one thread, CPU ms, best of 7; AVX-512 and AVX2): {@link ConvolutionGradients} for 3x3 stride-1
 * convolutions with many output channels on tiny outputs, where oneDNN's blocked kernels waste most of their tiles
 * (AVX-512: 512 channels on 2x2, 26 ms against 40-48 for oneDNN's primitives and 114 for {@code conv2d_bp}; AVX2: from
 * 256 channels on up to 4x4, 30 against 31 ms for ResNet's 4x4 layer, 52 against 79 for its 2x2 one); oneDNN's
 * primitives everywhere else: on AVX-512 they beat {@code conv2d_bp} on every layer shape of the zoo by 5-60 % (VGG's
 * 4x4 512-channel layers most), on AVX2 they tie with it within 2-3 % on the 3x3 layers and win by 20-40 % on
 * strided 1x1 layers and the LeNets. Summed over a model's layers with an input gradient (ms a step, AVX-512 / AVX2):
 * lenet5 1.60 -> 1.28 / 1.84 -> 1.43, lenet-scene 11.0 -> 8.2 / 12.5 -> 7.8, alexnet2-cifar100 63 -> 56 / 111 -> 102,
 * resnet18 305 -> 280 / 586 -> 555, vgg16 (32x32) 577 -> 393 / 987 -> 960, alexnet-scene 1,991 -> 1,699 / 3,211 ->
 * 3,134. Without the presets (switched off, or not loadable), the earlier rule: {@link ConvolutionGradients} on up to
 * 4x4 outputs with 512 channels (AVX-512) or 256 (AVX2), {@code conv2d_bp} everywhere else.
 *
 * <p>{@value #PROPERTY}{@code =rule|onednn|libnd4j|direct|conv2d_bp} overrides the rule for every layer (default
 * {@code rule}; {@code auto}, the old name, means the same), for comparisons: {@code onednn} oneDNN's primitives for
 * every layer (needs the presets, else the rule), {@code libnd4j} the rule without them (the earlier rule), {@code direct}
 * {@link ConvolutionGradients} for stride-1 layers ({@code conv2d_bp} for the others), {@code conv2d_bp} libnd4j's.
 */
final class BackwardChoice {

    /** System property fixing the backward path of every fast convolution layer: rule, onednn, libnd4j, direct, conv2d_bp. */
    static final String PROPERTY = "dl4jclassics.convolutionBackward";

    /** Output images of at most this many pixels (4x4) may take the direct path. */
    static final long SMALL_IMAGE_PIXELS = 16;

    /** On AVX-512 with oneDNN's primitives, only output images of at most this many pixels (2x2) take the direct path. */
    static final long TINY_IMAGE_PIXELS = 4;

    /** The backward paths of a convolution layer that keeps its forward output. */
    enum Path {
        /** {@link OneDnnConvolutionBackward}. */
        ONEDNN("oneDNN primitives"),
        /** {@link ConvolutionGradients}. */
        DIRECT("direct"),
        /** DL4J's own backward pass (its oneDNN helper runs libnd4j's conv2d_bp). */
        CONV2D_BP("conv2d_bp");

        private final String label;

        Path(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private BackwardChoice() {
    }

    /**
     * The path of a convolution with this kernel and stride, producing {@code outChannels} maps of
     * {@code outHeight x outWidth}, on {@code isa}, with oneDNN's presets loaded or not, unless {@value #PROPERTY} says
     * otherwise.
     */
    static Path path(int[] kernel, int[] stride, long outHeight, long outWidth, long outChannels, CpuIsa isa,
            boolean oneDnn) {
        String forced = System.getProperty(PROPERTY, "rule").trim().toLowerCase(Locale.ROOT);
        boolean strideOne = stride[0] == 1 && stride[1] == 1;
        switch (forced) {
            case "onednn":
                return oneDnn ? Path.ONEDNN : byRule(kernel, stride, outHeight, outWidth, outChannels, isa, false);
            case "direct":
                return strideOne ? Path.DIRECT : Path.CONV2D_BP;
            case "conv2d_bp":
                return Path.CONV2D_BP;
            case "libnd4j":
                return byRule(kernel, stride, outHeight, outWidth, outChannels, isa, false);
            case "rule":
            case "auto":
                return byRule(kernel, stride, outHeight, outWidth, outChannels, isa, oneDnn);
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be rule, onednn, libnd4j, direct or conv2d_bp; got \""
                        + forced + "\"");
        }
    }

    /** The rule alone (see the class comment). */
    static Path byRule(int[] kernel, int[] stride, long outHeight, long outWidth, long outChannels, CpuIsa isa,
            boolean oneDnn) {
        boolean strideOne = stride[0] == 1 && stride[1] == 1;
        boolean avx512 = isa == CpuIsa.AVX512;
        long minChannels = avx512 ? 512 : 256;
        // With oneDNN's primitives the direct path keeps only AVX-512's 2x2 images; without them all of 4x4.
        long maxPixels = oneDnn && avx512 ? TINY_IMAGE_PIXELS : SMALL_IMAGE_PIXELS;
        boolean direct = strideOne && kernel[0] == 3 && kernel[1] == 3 && outHeight * outWidth <= maxPixels
                && outChannels >= minChannels;
        return direct ? Path.DIRECT : oneDnn ? Path.ONEDNN : Path.CONV2D_BP;
    }

    /** How a layer on this path describes its backward pass. */
    static String describe(Path path) {
        return path.label() + " (" + CpuIsa.effective().oneDnnName() + " rule)";
    }
}
