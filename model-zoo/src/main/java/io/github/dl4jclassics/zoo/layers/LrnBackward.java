package io.github.dl4jclassics.zoo.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of local response normalisation, fused into one pass per example over NCHW data.
 *
 * <p>libnd4j's {@code lrn_bp} of 1.0.0-M2.1 gets the cross-channel term wrong (it fails DL4J's numerical gradient
 * check; see NativeLocalResponseNormalizationTest), so the gradient is computed here. With
 * {@code s_c = k + alpha * sum_{c' in W(c)} x_c'^2} and {@code y_c = x_c s_c^-beta}, the window {@code W} being
 * symmetric:
 * <pre>dL/dx_c = g_c s_c^-beta - 2 alpha beta x_c sum_{c' in W(c)} g_c' y_c' / s_c'</pre>
 * Each example is copied into heap scratch arrays (reused across calls, one set per thread), computed in double
 * precision and written back: a few sequential passes instead of DL4J's dozen full-array operations on strided views.
 * Examples run in parallel when ND4J is allowed more than one master thread ({@code FastPath.setThreads}).
 */
final class LrnBackward {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private LrnBackward() {
    }

    /**
     * Writes the gradient with respect to {@code input} into {@code gradIn}; all three are NCHW arrays of one shape,
     * float or double. {@code gradIn} must be a plain c-order array (not a view).
     */
    static void compute(INDArray input, INDArray epsilon, INDArray gradIn, int radius, double k, double alpha, double beta) {
        INDArray x = contiguous(input);
        INDArray g = contiguous(epsilon.castTo(input.dataType()));
        if (!isPlain(gradIn)) {
            throw new IllegalArgumentException("gradient output must be a c-order array that is not a view");
        }
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int pixels = (int) (x.size(2) * x.size(3));
        IntStream examples = IntStream.range(0, n);
        if (Nd4j.getEnvironment().maxMasterThreads() > 1 && n > 1) {
            examples = examples.parallel();
        }
        examples.forEach(e -> SCRATCH.get().example(x, g, gradIn, e, channels, pixels, radius, k, alpha, beta));
    }

    private static INDArray contiguous(INDArray a) {
        return isPlain(a) ? a : a.dup('c');
    }

    private static boolean isPlain(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }

    /** Per-thread working arrays, grown as needed and reused. */
    private static final class Scratch {
        private double[] x = new double[0];
        private double[] g = new double[0];
        private double[] sum = new double[0];
        private double[] tmp = new double[0];
        private double[] out = new double[0];
        private float[] io = new float[0];

        private void ensure(int size) {
            if (x.length < size) {
                x = new double[size];
                g = new double[size];
                sum = new double[size];
                tmp = new double[size];
                out = new double[size];
                io = new float[size];
            }
        }

        void example(INDArray input, INDArray epsilon, INDArray gradIn, int e, int channels, int pixels, int radius,
                double k, double alpha, double beta) {
            int size = channels * pixels;
            ensure(size);
            read(input, e, size, x);
            read(epsilon, e, size, g);

            for (int i = 0; i < size; i++) {
                tmp[i] = x[i] * x[i];
            }
            windowSum(tmp, sum, channels, pixels, radius);
            for (int i = 0; i < size; i++) {
                double s = k + alpha * sum[i];
                double p = powMinusBeta(s, beta);
                out[i] = g[i] * p;
                tmp[i] = g[i] * x[i] * p / s;
            }
            windowSum(tmp, sum, channels, pixels, radius);
            double c = 2 * alpha * beta;
            for (int i = 0; i < size; i++) {
                out[i] -= c * x[i] * sum[i];
            }
            write(gradIn, e, size, out);
        }

        /** {@code out[c][p] = sum of in[c'][p] for c' in [c - radius, c + radius] clipped to the channels}. */
        private static void windowSum(double[] in, double[] out, int channels, int pixels, int radius) {
            for (int c = 0; c < channels; c++) {
                int base = c * pixels;
                int from = Math.max(0, c - radius);
                int to = Math.min(channels - 1, c + radius);
                System.arraycopy(in, from * pixels, out, base, pixels);
                for (int cc = from + 1; cc <= to; cc++) {
                    int src = cc * pixels;
                    for (int p = 0; p < pixels; p++) {
                        out[base + p] += in[src + p];
                    }
                }
            }
        }

        private static double powMinusBeta(double s, double beta) {
            if (beta == 0.75) {
                double r = Math.sqrt(s);
                return 1.0 / (r * Math.sqrt(r));
            }
            if (beta == 0.5) {
                return 1.0 / Math.sqrt(s);
            }
            if (beta == 1.0) {
                return 1.0 / s;
            }
            return Math.pow(s, -beta);
        }

        private void read(INDArray a, int e, int size, double[] dst) {
            if (a.dataType() == DataType.DOUBLE) {
                DoubleBuffer b = a.data().asNioDouble();
                b.get(b.position() + e * size, dst, 0, size);
            } else if (a.dataType() == DataType.FLOAT) {
                FloatBuffer b = a.data().asNioFloat();
                b.get(b.position() + e * size, io, 0, size);
                for (int i = 0; i < size; i++) {
                    dst[i] = io[i];
                }
            } else {
                throw new IllegalArgumentException("LRN supports float and double, got " + a.dataType());
            }
        }

        private void write(INDArray a, int e, int size, double[] src) {
            if (a.dataType() == DataType.DOUBLE) {
                DoubleBuffer b = a.data().asNioDouble();
                b.put(b.position() + e * size, src, 0, size);
            } else {
                FloatBuffer b = a.data().asNioFloat();
                for (int i = 0; i < size; i++) {
                    io[i] = (float) src[i];
                }
                b.put(b.position() + e * size, io, 0, size);
            }
        }
    }
}
