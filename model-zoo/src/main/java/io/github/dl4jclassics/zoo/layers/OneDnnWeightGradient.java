package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weight gradient of one undilated NCHW float convolution (any stride, explicit padding as DL4J's truncate mode) through oneDNN's backward-weights primitive,
 * called directly (JavaCPP's {@code org.bytedeco:dnnl} 2.5.2 presets, built on ND4J's JavaCPP 1.5.7 and sharing its
 * OpenMP runtime) on ND4J's own buffers: no copies of the input.
 *
 * <p>Why: libnd4j offers this kernel only inside {@code conv2d_bp}, together with an input gradient that a network's
 * first layer throws away; the project's other route ({@link ConvolutionGradients}, a forward convolution of swapped
 * axes) costs 3.5 ms for LeNet-5's conv1 at batch 64 where this primitive takes 0.9 ms, and 22-28 ms against 4.6 ms for
 * lenet-scene's (docs/PERFORMANCE.md, round 4). The primitive and its two reorders (the output gradient into oneDNN's
 * blocked layout, the weight gradient back to DL4J's {@code [out, in, kH, kW]}) are created once per input shape and
 * reused every step; the algorithm is direct, never Winograd, whatever the machine, so the numbers do not depend on a
 * timing. Same results as {@code conv2d_bp}'s weight gradient (the same oneDNN kernel; bit-identical in the probe).
 *
 * <p>CPU backend only: the fast layers are never used on CUDA. {@value #PROPERTY}{@code =false} turns it off (the
 * layer then uses {@link ConvolutionGradients}), for comparisons; so does a failure to load the native library, with
 * one warning.
 */
final class OneDnnWeightGradient {

    /** System property: false keeps first layers on {@link ConvolutionGradients}. */
    static final String PROPERTY = "dl4jclassics.oneDnnDirect";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnWeightGradient.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private static volatile Runtime runtime;
    private static volatile boolean loadFailed;

    private final long[] inputShape;
    private final long[] outputShape;
    private final Handles handles;
    /** The weight gradient in DL4J's layout, written by the last reorder; outside any workspace. */
    private final INDArray weightsPlain;

    /** The engine and stream every primitive runs on (one CPU engine per process, as oneDNN recommends). */
    private record Runtime(dnnl_engine engine, dnnl_stream stream) {
    }

    /** Whether the direct path is on: not switched off and the native library loaded. */
    static boolean available() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true").trim())) {
            return false;
        }
        return runtime() != null;
    }

    private static Runtime runtime() {
        Runtime r = runtime;
        if (r != null || loadFailed) {
            return r;
        }
        synchronized (OneDnnWeightGradient.class) {
            if (runtime == null && !loadFailed) {
                try {
                    dnnl_engine engine = new dnnl_engine();
                    check(dnnl_engine_create(engine, dnnl_cpu, 0), "dnnl_engine_create");
                    dnnl_stream stream = new dnnl_stream();
                    check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "dnnl_stream_create");
                    runtime = new Runtime(engine, stream);
                } catch (Throwable e) { // UnsatisfiedLinkError on a platform without the natives, or a oneDNN error
                    loadFailed = true;
                    LOG.warn("oneDNN presets unavailable ({}); first convolution layers use ConvolutionGradients", e.toString());
                }
            }
            return runtime;
        }
    }

    /**
     * A primitive for inputs of {@code inputShape} ({@code [n, in, h, w]}) and weights {@code [out, in, kH, kW]},
     * with {@code padding} before each spatial axis and DL4J's truncate-mode output size (rows and columns that do not
     * fill a whole stride at the end are dropped, which oneDNN expresses as less padding after).
     */
    OneDnnWeightGradient(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding) {
        Runtime rt = runtime();
        if (rt == null) {
            throw new IllegalStateException("oneDNN presets are not available (check available() first)");
        }
        this.inputShape = inputShape.clone();
        long n = inputShape[0];
        long oh = (inputShape[2] + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long ow = (inputShape[3] + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        this.outputShape = new long[]{n, outChannels, oh, ow};
        long[] weightShape = {outChannels, inputShape[1], kernel[0], kernel[1]};
        long[] strides = {stride[0], stride[1]};
        long[] pads = {padding[0], padding[1]};
        long[] padsAfter = {(oh - 1) * stride[0] + kernel[0] - inputShape[2] - padding[0],
                (ow - 1) * stride[1] + kernel[1] - inputShape[3] - padding[1]};
        this.handles = new Handles();
        try {
            dnnl_memory_desc_t src = desc(this.inputShape, dnnl_nchw);
            dnnl_memory_desc_t weightsPlainDesc = desc(weightShape, dnnl_oihw);
            dnnl_memory_desc_t dstPlain = desc(outputShape, dnnl_nchw);
            // Forward descriptor: oneDNN's hint for the backward primitive (which layouts the forward pass would use).
            dnnl_convolution_desc_t forward = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(forward, dnnl_forward_training, dnnl_convolution_direct, src,
                    desc(weightShape, dnnl_format_tag_any), null, desc(outputShape, dnnl_format_tag_any), strides,
                    pads, padsAfter), "forward descriptor");
            dnnl_primitive_desc forwardPd = handles.pd();
            check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), null, rt.engine(), null),
                    "forward primitive descriptor");
            dnnl_convolution_desc_t backward = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_weights_desc_init(backward, dnnl_convolution_direct, src,
                    desc(weightShape, dnnl_format_tag_any), null, desc(outputShape, dnnl_format_tag_any), strides,
                    pads, padsAfter), "backward-weights descriptor");
            dnnl_primitive_desc backwardPd = handles.pd();
            check(dnnl_primitive_desc_create(backwardPd, new const_dnnl_op_desc_t(backward), null, rt.engine(),
                    forwardPd), "backward-weights primitive descriptor");
            dnnl_memory_desc_t dstBlocked = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_dst_md, 0);
            dnnl_memory_desc_t weightsBlocked = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_weights_md, 0);

            handles.dstBlocked = handles.scratch(dnnl_memory_desc_get_size(dstBlocked));
            handles.weightsBlocked = handles.scratch(dnnl_memory_desc_get_size(weightsBlocked));
            this.weightsPlain = Nd4j.createUninitializedDetached(DataType.FLOAT, weightShape);
            handles.srcMemory = handles.memory(src, rt, null);
            handles.dstPlainMemory = handles.memory(dstPlain, rt, null);
            dnnl_memory dstBlockedMemory = handles.memory(dstBlocked, rt, handles.dstBlocked);
            dnnl_memory weightsBlockedMemory = handles.memory(weightsBlocked, rt, handles.weightsBlocked);
            dnnl_memory weightsPlainMemory = handles.memory(weightsPlainDesc, rt, this.weightsPlain.data().addressPointer());

            handles.reorderDst = handles.reorder(dstPlain, dstBlocked, rt);
            handles.backward = handles.primitive(backwardPd);
            handles.reorderWeights = handles.reorder(weightsBlocked, weightsPlainDesc, rt);
            handles.reorderDstArgs = args(DNNL_ARG_FROM, handles.dstPlainMemory, DNNL_ARG_TO, dstBlockedMemory);
            handles.backwardArgs = args(DNNL_ARG_SRC, handles.srcMemory, DNNL_ARG_DIFF_DST, dstBlockedMemory,
                    DNNL_ARG_DIFF_WEIGHTS, weightsBlockedMemory);
            handles.reorderWeightsArgs = args(DNNL_ARG_FROM, weightsBlockedMemory, DNNL_ARG_TO, weightsPlainMemory);
        } catch (RuntimeException e) {
            handles.run();
            throw e;
        }
        CLEANER.register(this, handles);
    }

    /** Whether this primitive was made for inputs of this shape. */
    boolean fits(long[] shape) {
        return Arrays.equals(inputShape, shape);
    }

    /**
     * Writes {@code dL/dW} into {@code weightGrad} ({@code [out, in, kH, kW]}, any view).
     *
     * @param x the layer's input, {@code [n, in, h, w]} float
     * @param delta the gradient with respect to the pre-activation, {@code [n, out, h', w']} float
     */
    void compute(INDArray x, INDArray delta, INDArray weightGrad) {
        if (!fits(x.shape()) || !Arrays.equals(outputShape, delta.shape())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "oneDNN weight gradient made for input %s and output %s; got %s and %s",
                    Arrays.toString(inputShape), Arrays.toString(outputShape), Arrays.toString(x.shape()),
                    Arrays.toString(delta.shape())));
        }
        INDArray src = plain(x);
        INDArray diffDst = plain(delta);
        Runtime rt = runtime;
        synchronized (handles) {
            check(dnnl_memory_set_data_handle(handles.srcMemory, address(src)), "set input");
            check(dnnl_memory_set_data_handle(handles.dstPlainMemory, address(diffDst)), "set output gradient");
            check(dnnl_primitive_execute(handles.reorderDst, rt.stream(), 2, handles.reorderDstArgs), "reorder");
            check(dnnl_primitive_execute(handles.backward, rt.stream(), 3, handles.backwardArgs), "backward weights");
            check(dnnl_primitive_execute(handles.reorderWeights, rt.stream(), 2, handles.reorderWeightsArgs), "reorder");
            check(dnnl_stream_wait(rt.stream()), "stream wait");
            // The weights are small (LeNet-5's conv1: 450 values): copied into the gradient view by ND4J.
            weightGrad.assign(weightsPlain);
        }
    }

    /** {@code a} itself when it owns its buffer as a c-order float array, else a c-order copy (a view's buffer is not
     * its own: where its first element lies is ND4J's business). */
    private static INDArray plain(INDArray a) {
        if (a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.offset() == 0
                && Shape.hasDefaultStridesForShape(a) && a.length() == a.data().length()) {
            return a;
        }
        return a.castTo(DataType.FLOAT).dup('c');
    }

    private static Pointer address(INDArray a) {
        return a.data().addressPointer();
    }

    private static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "memory descriptor " + Arrays.toString(dims));
        return d;
    }

    private static dnnl_exec_arg_t args(Object... pairs) {
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(pairs.length / 2);
        for (int i = 0; i < pairs.length / 2; i++) {
            args.position(i).arg((Integer) pairs[2 * i]).memory((dnnl_memory) pairs[2 * i + 1]);
        }
        return args.position(0);
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + status);
        }
    }

    /** Every native object of one primitive set, destroyed together when the owner is collected. */
    private static final class Handles implements Runnable {
        private final List<dnnl_primitive_desc> pds = new ArrayList<>();
        private final List<dnnl_primitive> primitives = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Pointer> buffers = new ArrayList<>();
        FloatPointer dstBlocked;
        FloatPointer weightsBlocked;
        dnnl_memory srcMemory;
        dnnl_memory dstPlainMemory;
        dnnl_primitive reorderDst;
        dnnl_primitive backward;
        dnnl_primitive reorderWeights;
        dnnl_exec_arg_t reorderDstArgs;
        dnnl_exec_arg_t backwardArgs;
        dnnl_exec_arg_t reorderWeightsArgs;

        dnnl_primitive_desc pd() {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            pds.add(pd);
            return pd;
        }

        FloatPointer scratch(long bytes) {
            FloatPointer p = new FloatPointer((bytes + 3) / 4);
            buffers.add(p);
            return p;
        }

        dnnl_memory memory(dnnl_memory_desc_t desc, Runtime rt, Pointer buffer) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, desc, rt.engine(), buffer), "memory");
            memories.add(m);
            return m;
        }

        dnnl_primitive primitive(dnnl_primitive_desc pd) {
            dnnl_primitive p = new dnnl_primitive();
            check(dnnl_primitive_create(p, pd), "primitive");
            primitives.add(p);
            return p;
        }

        dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to, Runtime rt) {
            dnnl_primitive_desc pd = pd();
            check(dnnl_reorder_primitive_desc_create(pd, from, rt.engine(), to, rt.engine(), null), "reorder descriptor");
            return primitive(pd);
        }

        @Override
        public void run() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            pds.stream().filter(pd -> !pd.isNull()).forEach(pd -> dnnl_primitive_desc_destroy(pd));
            memories.forEach(m -> dnnl_memory_destroy(m));
            buffers.forEach(Pointer::close);
        }
    }
}
