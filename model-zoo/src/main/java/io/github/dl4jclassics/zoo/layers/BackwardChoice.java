package io.github.dl4jclassics.zoo.layers;

import java.util.Locale;

/**
 * Which of two equivalent ways one convolution layer computes its backward pass: libnd4j's {@code conv2d_bp}
 * (oneDNN's own choice of algorithm) or {@link ConvolutionGradients} (direct kernels). Which is faster depends on the
 * layer's shape and the CPU (oneDNN's Winograd kernels exist only for AVX-512), so each layer measures: its first
 * {@value #TRIALS} backward passes alternate between the two, then it keeps the one with the shorter best time.
 * Both compute the same gradients, so the trials are ordinary training steps.
 *
 * <p>{@value #PROPERTY}{@code =auto|direct|conv2d_bp} overrides the choice for every layer (default {@code auto}).
 */
final class BackwardChoice {

    /** System property fixing the backward path of every fast convolution layer: auto, direct or conv2d_bp. */
    static final String PROPERTY = "dl4jclassics.convolutionBackward";

    /** Backward passes spent measuring (alternating, conv2d_bp first) before the choice is fixed. */
    static final int TRIALS = 4;

    private int trials;
    private long bestDirect = Long.MAX_VALUE;
    private long bestLibnd4j = Long.MAX_VALUE;
    private Boolean direct;

    /** Whether the next backward pass should take the direct path. */
    boolean nextIsDirect() {
        String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "direct":
                return true;
            case "conv2d_bp":
                return false;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, direct or conv2d_bp; got \""
                        + forced + "\"");
        }
        return direct != null ? direct : trials % 2 == 1;
    }

    /** Records how long a backward pass on the given path took (nanoseconds) while still measuring. */
    void record(boolean wasDirect, long nanos) {
        if (direct != null) {
            return;
        }
        if (wasDirect) {
            bestDirect = Math.min(bestDirect, nanos);
        } else {
            bestLibnd4j = Math.min(bestLibnd4j, nanos);
        }
        if (++trials >= TRIALS) {
            direct = bestDirect < bestLibnd4j;
        }
    }

    /** The path chosen, or null while measuring. */
    Boolean chosenDirect() {
        return direct;
    }

    @Override
    public String toString() {
        return direct == null ? "measuring (" + trials + "/" + TRIALS + ")"
                : String.format(Locale.ROOT, "%s (best direct %.1f ms, conv2d_bp %.1f ms)", direct ? "direct" : "conv2d_bp",
                        bestDirect / 1e6, bestLibnd4j / 1e6);
    }
}
