package io.github.dl4jclassics.zoo.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The backward pass of local response normalisation over NCHW data, in whole-array ND4J operations.
 *
 * <p>libnd4j's {@code lrn_bp} of 1.0.0-M2.1 gets the cross-channel term wrong (it fails DL4J's numerical gradient
 * check; see NativeLocalResponseNormalizationTest), so the gradient is computed here. With
 * {@code s_c = k + alpha * sum_{c' in W(c)} x_c'^2} and {@code y_c = x_c s_c^-beta}, the window {@code W} being
 * symmetric:
 * <pre>dL/dx_c = g_c s_c^-beta - 2 alpha beta x_c sum_{c' in W(c)} g_c' y_c' / s_c'</pre>
 * Two scratch arrays from the layer's backward working memory, every operation in place: an ND4J operation that
 * allocates its result outside a workspace costs as much as the arithmetic here (fresh memory each time).
 */
final class LrnBackward {

    private LrnBackward() {
    }

    /**
     * Writes the gradient with respect to {@code input} into {@code gradIn}; all three are NCHW arrays of one shape,
     * float or double. Scratch arrays come from {@code workspaceMgr}'s {@link ArrayType#BP_WORKING_MEM}.
     */
    static void compute(INDArray input, INDArray epsilon, INDArray gradIn, int radius, double k, double alpha, double beta,
            LayerWorkspaceMgr workspaceMgr) {
        DataType type = input.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("LRN supports float and double, got " + type);
        }
        INDArray x = input;
        INDArray g = epsilon.castTo(type);
        INDArray a = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, x.shape(), 'c');
        INDArray b = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, x.shape(), 'c');
        a.assign(x).muli(x);
        windowSum(a, b, radius);
        INDArray s = b.muli(alpha).addi(k);
        INDArray sPowMinusBeta = powMinusBeta(s, beta, a);
        gradIn.assign(g).muli(sPowMinusBeta);
        INDArray gYOverS = sPowMinusBeta.muli(x).muli(g).divi(s); // g_c y_c / s_c
        windowSum(gYOverS, b, radius);
        gradIn.subi(b.muli(x).muli(2 * alpha * beta));
    }

    /** {@code s^-beta} into {@code target} (overwritten); beta 0.75 (every zoo network) as {@code s^(1/4) / s}. */
    private static INDArray powMinusBeta(INDArray s, double beta, INDArray target) {
        target.assign(s);
        if (beta == 0.75) {
            return Transforms.sqrt(Transforms.sqrt(target, false), false).divi(s); // 5x faster than pow here
        }
        return Transforms.pow(target, -beta, false);
    }

    /**
     * {@code out[n, c] = sum of in[n, c'] for c' in [c - radius, c + radius] clipped to the channels}; both plain
     * c-order arrays. Each shift by d channels is one addition of contiguous ranges of the flattened arrays (strided
     * 4-d views are several times slower in libnd4j), then what crossed from one example into the next is taken back.
     */
    static void windowSum(INDArray in, INDArray out, int radius) {
        long n = in.size(0);
        long channels = in.size(1);
        long pixels = in.size(2) * in.size(3);
        long total = n * channels * pixels;
        INDArray inFlat = in.reshape('c', new long[]{total});
        INDArray outFlat = out.reshape('c', new long[]{total});
        INDArray in3 = in.reshape('c', new long[]{n, channels, pixels});
        INDArray out3 = out.reshape('c', new long[]{n, channels, pixels});
        outFlat.assign(inFlat);
        for (long d = 1; d <= radius && d < channels; d++) {
            long shift = d * pixels;
            outFlat.get(interval(shift, total)).addi(inFlat.get(interval(0, total - shift)));
            outFlat.get(interval(0, total - shift)).addi(inFlat.get(interval(shift, total)));
            if (n > 1) {
                out3.get(interval(1, n), interval(0, d), all()).subi(in3.get(interval(0, n - 1), interval(channels - d, channels), all()));
                out3.get(interval(0, n - 1), interval(channels - d, channels), all()).subi(in3.get(interval(1, n), interval(0, d), all()));
            }
        }
    }
}
