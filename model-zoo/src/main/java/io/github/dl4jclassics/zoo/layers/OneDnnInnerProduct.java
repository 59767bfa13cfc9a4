package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_inner_product_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_inner_product_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_inner_product_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oi;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_inner_product_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense layer's {@code a = f(x W + b)} (f: ReLU, fused as a post-op, or identity) and its gradients through oneDNN's
 * inner-product primitives called directly (JavaCPP's presets, see {@link OneDnn}), on ND4J's buffers, for one batch
 * size, phase and thread count.
 *
 * <p>Why: DL4J's dense layer multiplies through libnd4j's {@code matmul} on OpenBLAS, whose calling thread waits for
 * its worker with {@code sched_yield}, and its backward pass computes {@code x W + b} a second time (four matrix
 * products a step instead of three). oneDNN's primitives run in libnd4j's OpenMP pool, are made once, and the backward
 * pass starts from the kept output. DL4J's weights {@code [nIn, nOut]} in 'f' order are oneDNN's {@code oi} layout as
 * they are, so weights and their gradient are read and written in place.
 */
final class OneDnnInnerProduct {

    private final long batch;
    private final boolean training;
    private final int threads;
    private final OneDnn.Handles handles;
    private final dnnl_memory src;
    private final dnnl_memory weights;
    private final dnnl_memory bias;
    private final dnnl_memory dst;
    private final dnnl_memory diffDst;
    private final dnnl_memory diffSrc;
    private final dnnl_memory diffWeights;
    private final dnnl_memory diffBias;
    private final dnnl_primitive forward;
    private final dnnl_primitive backwardData;
    private final dnnl_primitive backwardWeights;
    private final dnnl_exec_arg_t forwardArgs;
    private final dnnl_exec_arg_t backwardDataArgs;
    private final dnnl_exec_arg_t backwardWeightsArgs;
    private final int forwardArgCount;
    private final int backwardWeightsArgCount;

    OneDnnInnerProduct(long batch, long nIn, long nOut, boolean hasBias, boolean relu, boolean training) {
        OneDnn.Runtime rt = OneDnn.runtime();
        this.batch = batch;
        this.training = training;
        this.threads = OneDnn.threads();
        this.handles = new OneDnn.Handles();
        try {
            dnnl_memory_desc_t srcDesc = OneDnn.desc(new long[]{batch, nIn}, dnnl_nc);
            dnnl_memory_desc_t weightsDesc = OneDnn.desc(new long[]{nOut, nIn}, dnnl_oi);
            dnnl_memory_desc_t biasDesc = hasBias ? OneDnn.desc(new long[]{nOut}, dnnl_x) : null;
            dnnl_memory_desc_t dstDesc = OneDnn.desc(new long[]{batch, nOut}, dnnl_nc);
            dnnl_inner_product_desc_t forwardDesc = new dnnl_inner_product_desc_t();
            OneDnn.check(dnnl_inner_product_forward_desc_init(forwardDesc,
                    training ? dnnl_forward_training : dnnl_forward_inference, srcDesc, weightsDesc, biasDesc, dstDesc),
                    "inner product forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            dnnl_primitive_attr attr = null;
            dnnl_post_ops postOps = null;
            try {
                if (relu) {
                    attr = new dnnl_primitive_attr();
                    OneDnn.check(dnnl_primitive_attr_create(attr), "primitive attributes");
                    postOps = new dnnl_post_ops();
                    OneDnn.check(dnnl_post_ops_create(postOps), "post-ops");
                    OneDnn.check(dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_relu, 0f, 0f), "ReLU post-op");
                    OneDnn.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
                }
                OneDnn.check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forwardDesc), attr,
                        rt.engine(), null), "inner product forward primitive descriptor");
            } finally {
                if (postOps != null && !postOps.isNull()) {
                    dnnl_post_ops_destroy(postOps);
                }
                if (attr != null && !attr.isNull()) {
                    dnnl_primitive_attr_destroy(attr);
                }
            }
            src = handles.memory(srcDesc, rt, null);
            weights = handles.memory(weightsDesc, rt, null);
            bias = hasBias ? handles.memory(biasDesc, rt, null) : null;
            dst = handles.memory(dstDesc, rt, null);
            forward = handles.primitive(forwardPd);
            if (hasBias) {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_BIAS, bias,
                        DNNL_ARG_DST, dst);
                forwardArgCount = 4;
            } else {
                forwardArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_DST, dst);
                forwardArgCount = 3;
            }
            if (training) {
                dnnl_inner_product_desc_t dataDesc = new dnnl_inner_product_desc_t();
                OneDnn.check(dnnl_inner_product_backward_data_desc_init(dataDesc, srcDesc, weightsDesc, dstDesc),
                        "inner product backward-data descriptor");
                dnnl_primitive_desc dataPd = handles.pd();
                OneDnn.check(dnnl_primitive_desc_create(dataPd, new const_dnnl_op_desc_t(dataDesc), null,
                        rt.engine(), forwardPd), "inner product backward-data primitive descriptor");
                dnnl_inner_product_desc_t weightsGradDesc = new dnnl_inner_product_desc_t();
                OneDnn.check(dnnl_inner_product_backward_weights_desc_init(weightsGradDesc, srcDesc, weightsDesc,
                        biasDesc, dstDesc), "inner product backward-weights descriptor");
                dnnl_primitive_desc weightsPd = handles.pd();
                OneDnn.check(dnnl_primitive_desc_create(weightsPd, new const_dnnl_op_desc_t(weightsGradDesc), null,
                        rt.engine(), forwardPd), "inner product backward-weights primitive descriptor");
                diffDst = handles.memory(dstDesc, rt, null);
                diffSrc = handles.memory(srcDesc, rt, null);
                diffWeights = handles.memory(weightsDesc, rt, null);
                diffBias = hasBias ? handles.memory(biasDesc, rt, null) : null;
                backwardData = handles.primitive(dataPd);
                backwardWeights = handles.primitive(weightsPd);
                backwardDataArgs = OneDnn.args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, weights,
                        DNNL_ARG_DIFF_SRC, diffSrc);
                if (hasBias) {
                    backwardWeightsArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst,
                            DNNL_ARG_DIFF_WEIGHTS, diffWeights, DNNL_ARG_DIFF_BIAS, diffBias);
                    backwardWeightsArgCount = 4;
                } else {
                    backwardWeightsArgs = OneDnn.args(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst,
                            DNNL_ARG_DIFF_WEIGHTS, diffWeights);
                    backwardWeightsArgCount = 3;
                }
            } else {
                diffDst = null;
                diffSrc = null;
                diffWeights = null;
                diffBias = null;
                backwardData = null;
                backwardWeights = null;
                backwardDataArgs = null;
                backwardWeightsArgs = null;
                backwardWeightsArgCount = 0;
            }
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        OneDnn.cleanWith(this, handles);
    }

    /** Whether this primitive set was made for this batch size and phase, with the calling thread's thread count. */
    boolean fits(long batchSize, boolean forTraining) {
        return batch == batchSize && training == forTraining && threads == OneDnn.threads();
    }

    /**
     * {@code out = f(x W + b)}. {@code x} and {@code out} c-order {@code [batch, nIn]} / {@code [batch, nOut]},
     * {@code w} 'f'-order {@code [nIn, nOut]}, each addressable in place ({@link OneDnn#address}); {@code b} null
     * without bias.
     */
    void forward(INDArray x, INDArray w, INDArray b, INDArray out) {
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, 'c', "input");
            set(weights, w, 'f', "weights");
            if (bias != null) {
                set(bias, b, 'c', "bias");
            }
            set(dst, out, 'c', "output");
            OneDnn.check(dnnl_primitive_execute(forward, rt.stream(), forwardArgCount, forwardArgs),
                    "inner product forward");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    /**
     * From {@code delta = dL/dz} ({@code [batch, nOut]}, c-order): writes {@code dL/dW} into {@code weightGrad} ('f'
     * {@code [nIn, nOut]}), {@code dL/db} into {@code biasGrad} (null without bias) and {@code dL/dx} into
     * {@code inputGrad} (c-order {@code [batch, nIn]}).
     */
    void backward(INDArray x, INDArray w, INDArray delta, INDArray weightGrad, INDArray biasGrad, INDArray inputGrad) {
        if (!training) {
            throw new IllegalStateException("inner product made for inference has no backward pass");
        }
        OneDnn.Runtime rt = OneDnn.runtime();
        synchronized (handles) {
            set(src, x, 'c', "input");
            set(weights, w, 'f', "weights");
            set(diffDst, delta, 'c', "output gradient");
            set(diffWeights, weightGrad, 'f', "weight gradient");
            if (diffBias != null) {
                set(diffBias, biasGrad, 'c', "bias gradient");
            }
            set(diffSrc, inputGrad, 'c', "input gradient");
            OneDnn.check(dnnl_primitive_execute(backwardWeights, rt.stream(), backwardWeightsArgCount,
                    backwardWeightsArgs), "inner product backward-weights");
            OneDnn.check(dnnl_primitive_execute(backwardData, rt.stream(), 3, backwardDataArgs),
                    "inner product backward-data");
            OneDnn.check(dnnl_stream_wait(rt.stream()), "stream wait");
        }
    }

    private static void set(dnnl_memory memory, INDArray a, char order, String what) {
        Pointer p = OneDnn.address(a, order);
        if (p == null) {
            throw new IllegalArgumentException("oneDNN inner product: " + what + " is not a dense float '" + order
                    + "'-order array");
        }
        OneDnn.check(dnnl_memory_set_data_handle(memory, p), "set " + what);
    }
}
