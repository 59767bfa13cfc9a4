package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the layers' direct oneDNN primitives share ({@link OneDnnConvolutionBackward}, {@link OneDnnConvolutionForward}):
 * oneDNN 2.5.2 from JavaCPP's {@code org.bytedeco:dnnl} presets, loaded beside libnd4j (its own oneDNN is linked
 * inside {@code libnd4jcpu.so}; the presets' {@code libdnnl.so.2} binds to the {@code libgomp.so.1} ND4J already
 * loaded, so both run in one OpenMP pool whose size {@code FastPath.setThreads} sets), one CPU engine and stream per
 * process, and the bookkeeping of native handles.
 *
 * <p>{@value #PROPERTY}{@code =false} switches every direct primitive off (the layers then use libnd4j's operations),
 * for comparisons; so does a failure to load the native library, with one warning.
 */
final class OneDnn {

    /** System property: false keeps the layers on libnd4j's operations. */
    static final String PROPERTY = "dl4jclassics.oneDnnDirect";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private static volatile Runtime runtime;
    private static volatile boolean loadFailed;

    private OneDnn() {
    }

    /** The engine and stream every primitive runs on (one CPU engine per process, as oneDNN recommends). */
    record Runtime(dnnl_engine engine, dnnl_stream stream) {
    }

    /** Whether the direct primitives are on: not switched off, and the native library loaded. */
    static boolean available() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true").trim())) {
            return false;
        }
        return load() != null;
    }

    /** The runtime; throws if {@link #available()} would say false for loading reasons. */
    static Runtime runtime() {
        Runtime r = load();
        if (r == null) {
            throw new IllegalStateException("oneDNN presets are not available (check available() first)");
        }
        return r;
    }

    private static Runtime load() {
        Runtime r = runtime;
        if (r != null || loadFailed) {
            return r;
        }
        synchronized (OneDnn.class) {
            if (runtime == null && !loadFailed) {
                try {
                    dnnl_engine engine = new dnnl_engine();
                    check(dnnl_engine_create(engine, dnnl_cpu, 0), "dnnl_engine_create");
                    dnnl_stream stream = new dnnl_stream();
                    check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "dnnl_stream_create");
                    runtime = new Runtime(engine, stream);
                } catch (Throwable e) { // UnsatisfiedLinkError on a platform without the natives, or a oneDNN error
                    loadFailed = true;
                    LOG.warn("oneDNN presets unavailable ({}); convolution layers use libnd4j's operations", e.toString());
                }
            }
            return runtime;
        }
    }

    /**
     * The OpenMP threads a primitive made now would use: oneDNN fixes a primitive's thread count when it is created
     * (a convolution made on one training thread keeps one thread in a two-thread inference pass), so the layers key
     * their primitives by it as well as by shape.
     */
    static int threads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** {@code a} itself when oneDNN can use it in place as a c-order float array ({@link #address}), else a copy. */
    static INDArray plain(INDArray a) {
        return address(a, 'c') != null ? a : a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * The address of {@code a}'s first element when oneDNN can read or write it in place as a dense {@code order}
     * array: float, laid out with {@code order}'s default strides, covering its whole buffer. ND4J keeps a view's offset
     * in the view's own buffer, whose address already includes it (a parameter view of a network's flat parameter
     * vector qualifies). Null otherwise.
     */
    static Pointer address(INDArray a, char order) {
        if (a == null || a.dataType() != DataType.FLOAT || a.length() != a.data().length() || !dense(a, order)) {
            return null;
        }
        return a.data().addressPointer();
    }

    /** Whether {@code a}'s strides are {@code order}'s default ones, ignoring axes of size 1 (a row vector's). */
    private static boolean dense(INDArray a, char order) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int k = 0; k < shape.length; k++) {
            int i = order == 'c' ? shape.length - 1 - k : k;
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** DL4J's truncate-mode output shape {@code [n, outChannels, h', w']} of a convolution or pooling window. */
    static long[] outputShape(long[] inputShape, long outChannels, int[] kernel, int[] stride, int[] padding) {
        long oh = (inputShape[2] + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long ow = (inputShape[3] + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        return new long[]{inputShape[0], outChannels, oh, ow};
    }

    /**
     * The padding after each spatial axis that gives {@code outputShape} with {@code padding} before it, as oneDNN's
     * descriptors take it (negative: input rows that truncate mode leaves unread).
     */
    static long[] padsAfter(long[] inputShape, long[] outputShape, int[] kernel, int[] stride, int[] padding) {
        return new long[]{(outputShape[2] - 1) * stride[0] + kernel[0] - inputShape[2] - padding[0],
                (outputShape[3] - 1) * stride[1] + kernel[1] - inputShape[3] - padding[1]};
    }

    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "memory descriptor " + Arrays.toString(dims));
        return d;
    }

    /** Execution arguments from (argument id, memory) pairs. */
    static dnnl_exec_arg_t args(Object... pairs) {
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(pairs.length / 2);
        for (int i = 0; i < pairs.length / 2; i++) {
            args.position(i).arg((Integer) pairs[2 * i]).memory((dnnl_memory) pairs[2 * i + 1]);
        }
        return args.position(0);
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + status);
        }
    }

    /** Destroys {@code handles} once {@code owner} is unreachable. */
    static void cleanWith(Object owner, Handles handles) {
        CLEANER.register(owner, handles);
    }

    /** Every native object of one primitive set, destroyed together when the owner is collected. */
    static final class Handles implements Runnable {
        private static final long SCRATCH_ALIGNMENT = 64;
        private final List<dnnl_primitive_desc> pds = new ArrayList<>();
        private final List<dnnl_primitive> primitives = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Pointer> buffers = new ArrayList<>();

        dnnl_primitive_desc pd() {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            pds.add(pd);
            return pd;
        }

        /**
         * Native memory of at least {@code bytes} on a 64-byte boundary, owned by these handles: oneDNN's AVX-512
         * kernels may use aligned loads (its Winograd kernels crashed on the 16-byte alignment of a plain allocation).
         */
        Pointer scratch(long bytes) {
            BytePointer p = new BytePointer(bytes + SCRATCH_ALIGNMENT);
            buffers.add(p);
            long skip = (SCRATCH_ALIGNMENT - p.address() % SCRATCH_ALIGNMENT) % SCRATCH_ALIGNMENT;
            return new BytePointer(p).position(skip); // a non-owning pointer into the owned allocation
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
            primitives.stream().filter(p -> !p.isNull()).forEach(p -> dnnl_primitive_destroy(p));
            pds.stream().filter(pd -> !pd.isNull()).forEach(pd -> dnnl_primitive_desc_destroy(pd));
            memories.stream().filter(m -> !m.isNull()).forEach(m -> dnnl_memory_destroy(m));
            buffers.forEach(Pointer::close);
        }
    }
}
