package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Batch normalisation of one NCHW float shape through oneDNN's batch-normalisation primitives, called directly on
 * ND4J's buffers: the training forward pass (which computes the batch mean and biased variance itself), its backward
 * pass (input gradient, gamma and beta gradients, from the saved batch statistics) and the inference forward pass with
 * the running statistics. Each primitive is created once per input shape and reused every step.
 *
 * <p>Why: DL4J's {@code MKLDNNBatchNormHelper} computes the batch statistics with ND4J reductions, then runs libnd4j's
 * {@code batchnorm} with them as global statistics, and its {@code batchnorm_bp} adds reductions, broadcasts and
 * memsets of its own around oneDNN's kernel: together ~31 % of a ResNet-18 training step where oneDNN's kernel is
 * ~4.5 %. Plain NCHW ({@code ncsp}) kernels: the layout DL4J's activations have, so no reorders.
 *
 * <p>The arrays passed in are the caller's: per-channel arrays c-order float of {@code [C]} values, tensors c-order
 * float without offset (as {@link OneDnn#plain} makes them).
 */
final class OneDnnBatchNormalization {

    private final long[] shape;
    private final OneDnn.Handles handles;
    private final dnnl_primitive forwardTraining;
    private final dnnl_primitive backward;
    private final dnnl_primitive forwardInference;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory mean;
    private final dnnl_memory variance;
    private final dnnl_memory scale;
    private final dnnl_memory shift;
    private final dnnl_memory diffDst;
    private final dnnl_memory diffSrc;
    private final dnnl_memory diffScale;
    private final dnnl_memory diffShift;
    private final dnnl_exec_arg_t forwardTrainingArgs;
    private final dnnl_exec_arg_t backwardArgs;
    private final dnnl_exec_arg_t forwardInferenceArgs;

    /** Primitives for inputs of {@code inputShape} ({@code [n, c, h, w]}, or {@code [n, c]}) and the layer's {@code eps}. */
    OneDnnBatchNormalization(long[] inputShape, double eps) {
        long[] shape = asImages(inputShape);
        if (shape.length != 4) {
            throw new IllegalArgumentException("oneDNN batch normalisation takes [n, c, h, w]; got " + Arrays.toString(shape));
        }
        OneDnn.Runtime rt = OneDnn.runtime();
        this.shape = shape.clone();
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t data = OneDnn.desc(this.shape, dnnl_nchw);
            dnnl_memory_desc_t channels = OneDnn.desc(new long[] {shape[1]}, dnnl_x);
            int flags = dnnl_use_scale | dnnl_use_shift;

            dnnl_batch_normalization_desc_t training = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(training, dnnl_forward_training, data, (float) eps,
                    flags), "batch normalisation training descriptor");
            dnnl_primitive_desc trainingPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(trainingPd, new const_dnnl_op_desc_t(training), null, rt.engine(), null),
                    "batch normalisation training primitive descriptor");

            dnnl_batch_normalization_desc_t backwardDesc = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(backwardDesc, dnnl_backward, data, data, (float) eps,
                    flags), "batch normalisation backward descriptor");
            dnnl_primitive_desc backwardPd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backwardDesc), null, rt.engine(),
                    trainingPd), "batch normalisation backward primitive descriptor");

            dnnl_batch_normalization_desc_t inference = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(inference, dnnl_forward_inference, data, (float) eps,
                    flags | dnnl_use_global_stats), "batch normalisation inference descriptor");
            dnnl_primitive_desc inferencePd = handles.pd();
            OneDnn.check(dnnl_primitive_desc_create(inferencePd, new const_dnnl_op_desc_t(inference), null, rt.engine(),
                    null), "batch normalisation inference primitive descriptor");

            // Every buffer is the caller's, set at each call.
            src = handles.memory(data, rt, null);
            dst = handles.memory(data, rt, null);
            diffDst = handles.memory(data, rt, null);
            diffSrc = handles.memory(data, rt, null);
            mean = handles.memory(channels, rt, null);
            variance = handles.memory(channels, rt, null);
            scale = handles.memory(channels, rt, null);
            shift = handles.memory(channels, rt, null);
            diffScale = handles.memory(channels, rt, null);
            diffShift = handles.memory(channels, rt, null);

            forwardTraining = handles.primitive(trainingPd);
            backward = handles.primitive(backwardPd);
            forwardInference = handles.primitive(inferencePd);
            forwardTrainingArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_DST, dst, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance);
            backwardArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DIFF_SRC, diffSrc,
                    DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT, diffShift);
            forwardInferenceArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DST, dst);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** Whether these primitives were made for inputs of this shape. */
    boolean fits(long[] inputShape) {
        return Arrays.equals(shape, asImages(inputShape));
    }

    /** {@code [n, c, h, w]} for an image batch, {@code [n, c, 1, 1]} for a dense layer's {@code [n, c]}. */
    static long[] asImages(long[] inputShape) {
        return inputShape.length == 2 ? new long[] {inputShape[0], inputShape[1], 1, 1} : inputShape;
    }

    /**
     * Training forward pass: {@code out = gamma * (x - mean) / sqrt(var + eps) + beta} with the batch mean and biased
     * variance over N, H and W, which it writes into {@code batchMean} and {@code batchVar}.
     */
    void forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray out, INDArray batchMean, INDArray batchVar) {
        check(x, out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(dst, out, "output");
            set(mean, batchMean, "batch mean");
            set(variance, batchVar, "batch variance");
            OneDnn.check(dnnl_primitive_execute(forwardTraining, rt.stream(), 6, forwardTrainingArgs),
                    "batch normalisation forward");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Backward pass of {@link #forwardTraining} with its batch statistics: the gradients of input, gamma and beta. */
    void backward(INDArray x, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar, INDArray epsilon,
            INDArray inputGradient, INDArray gammaGradient, INDArray betaGradient) {
        check(x, epsilon);
        check(x, inputGradient);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(mean, batchMean, "batch mean");
            set(variance, batchVar, "batch variance");
            set(diffDst, epsilon, "output gradient");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(diffSrc, inputGradient, "input gradient");
            set(diffScale, gammaGradient, "gamma gradient");
            set(diffShift, betaGradient, "beta gradient");
            OneDnn.check(dnnl_primitive_execute(backward, rt.stream(), 9, backwardArgs), "batch normalisation backward");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Inference forward pass with the running statistics {@code runningMean} and {@code runningVar}. */
    void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
            INDArray out) {
        check(x, out);
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, "input");
            set(mean, runningMean, "running mean");
            set(variance, runningVar, "running variance");
            set(scale, gamma, "gamma");
            set(shift, beta, "beta");
            set(dst, out, "output");
            OneDnn.check(dnnl_primitive_execute(forwardInference, rt.stream(), 6, forwardInferenceArgs),
                    "batch normalisation inference");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /** Whether {@code a} can be handed to oneDNN as it is: a c-order float array owning its buffer from the start. */
    static boolean isPlain(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.offset() == 0
                && Shape.hasDefaultStridesForShape(a) && a.length() == a.data().length();
    }

    /** {@code x} and {@code other} hold this shape's values ({@code [n, c]} for {@code [n, c, 1, 1]}). */
    private void check(INDArray x, INDArray other) {
        if (!fits(x.shape()) || !fits(other.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN batch normalisation made for %s; got %s and %s", Arrays.toString(shape),
                    Arrays.toString(x.shape()), Arrays.toString(other.shape())));
        }
    }

    private static void set(dnnl_memory memory, INDArray array, String what) {
        if (!isPlain(array)) {
            throw new IllegalArgumentException("oneDNN batch normalisation: " + what + " must be a c-order float array "
                    + "owning its buffer");
        }
        OneDnn.check(dnnl_memory_set_data_handle(memory, array.data().addressPointer()), "set " + what);
    }
}
