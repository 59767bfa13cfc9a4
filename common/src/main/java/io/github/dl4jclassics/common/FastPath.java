package io.github.dl4jclassics.common;

import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns on Deeplearning4j 1.0.0-M2.1's fast CPU path (docs/PERFORMANCE.md):
 * <ol>
 *   <li>the layer helpers, which M2.1 disables unless the system property
 *       {@value #HELPERS_PROPERTY} is {@code false}. {@code HelperUtils.createHelper} reads the property each time a
 *       layer is instantiated ({@code network.init()} / model restore), so it must be set before any network is built;
 *       networks built earlier keep running without helpers;</li>
 *   <li>oneDNN: the {@code linux-x86_64-onednn} native jar (root pom, {@code nd4j.backend.classifier}) plus the
 *       compatibility class {@link org.nd4j.nativeblas.Nd4jCpu}, without which every oneDNN helper reports
 *       "not supported";</li>
 *   <li>the number of native threads, at run time ({@link #setThreads(int)}); {@code OMP_NUM_THREADS} still works
 *       and wins when it is set, as does {@value #THREADS_PROPERTY}.</li>
 * </ol>
 * Every {@code main} enables it first thing through {@link io.github.dl4jclassics.common.workarounds.Dl4jWorkarounds#install()}
 * (which also checks the DL4J version); {@link #status()} enables it too. It is idempotent and cheap after the first call. An explicit {@code -D}{@value #HELPERS_PROPERTY}{@code =true}
 * on the command line is respected (slow path, for comparisons).
 */
public final class FastPath {

    /** DL4J's {@code DL4JSystemProperties.DISABLE_HELPER_PROPERTY} (default {@code "true"} in M2.1). */
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    /** Optional fixed number of native threads, e.g. {@code -Ddl4jclassics.threads=1}; overrides the automatic choice. */
    public static final String THREADS_PROPERTY = "dl4jclassics.threads";


    /**
     * Weights of a network's largest dense layer from which OpenBLAS (DL4J's matrix products on the CPU) gets every
     * core; below it, one thread. OpenBLAS's calling thread waits for its workers with {@code sched_yield}, and for
     * the zoo's small dense layers that wait costs more than the second thread gains: measured on the idle 2-core
     * machine, LeNet-5 inference 28,550 img/s with one OpenBLAS thread against 8,114-11,638 with two, alexnet2-cifar100
     * (9.4 M weights in fc1) inference +9 %; alexnet-scene (51 M in fc1) trains 10 % faster with two.
     */
    public static final long LARGE_DENSE_WEIGHTS = 16_000_000L;

    /**
     * JavaCPP's limit on the process's physical memory. Set (JavaCPP's default), every native allocation reads the
     * memory use from {@code /proc} under a global lock; {@link #enable()} sets it to 0 (off) on the CPU backend unless
     * given; JavaCPP's {@code maxBytes} (default: the heap size) still bounds what it allocates.
     */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    /** {@code -Ddl4jclassics.shapeCache=false} keeps ND4J's own shape-information provider (for comparisons). */
    public static final String SHAPE_CACHE_PROPERTY = "dl4jclassics.shapeCache";

    private static final Logger LOG = LoggerFactory.getLogger(FastPath.class);

    private static volatile Status status;

    private FastPath() {
    }

    /**
     * What {@link #enable()} found.
     *
     * @param helpersEnabled layer helpers will be created for networks built from now on
     * @param oneDnnBuild the loaded libnd4j was built with oneDNN ({@code HAVE_ONEDNN} in its build information)
     * @param oneDnnHelpersUsable DL4J's check ({@code BaseMKLDNNHelper.mklDnnEnabled()}) will pass: the compatibility
     *        class answers and libnd4j has oneDNN switched on
     * @param backend "CPU" or "CUDA"
     * @param threads native threads in use
     */
    public record Status(boolean helpersEnabled, boolean oneDnnBuild, boolean oneDnnHelpersUsable, String backend,
            int threads) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "backend %s, layer helpers %s, oneDNN build %s, oneDNN helpers %s, %d thread(s)",
                    backend, helpersEnabled ? "on" : "OFF", oneDnnBuild ? "yes" : "NO",
                    oneDnnHelpersUsable ? "usable" : "NOT usable", threads);
        }
    }

    /** Turns the fast path on (idempotent) and returns what is in effect; logs a warning for anything missing. */
    public static Status enable() {
        Status current = status;
        if (current != null) {
            return current;
        }
        synchronized (FastPath.class) {
            if (status != null) {
                return status;
            }
            if (System.getProperty(HELPERS_PROPERTY) == null) {
                System.setProperty(HELPERS_PROPERTY, "false");
            }
            boolean cpuBackendOnly = onClassPath("org.nd4j.linalg.cpu.nativecpu.CpuBackend")
                    && !onClassPath("org.nd4j.linalg.jcublas.JCublasBackend");
            if (cpuBackendOnly && System.getProperty(MAX_PHYSICAL_BYTES) == null
                    && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT)) == null) {
                // Must precede JavaCPP's first use (read once by Pointer's static initialiser); see CachedShapeInfoProvider.
                System.setProperty(MAX_PHYSICAL_BYTES, "0");
            }
            boolean helpers = !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY));
            String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "?");
            boolean cpu = "CPU".equalsIgnoreCase(backend);
            boolean oneDnnBuild = cpu && Nd4j.getBackend().buildInfo().contains("HAVE_ONEDNN");
            boolean usable = cpu && Nd4j.getEnvironment().helpersAllowed() && legacyIsUseMklDnn();
            int threads = cpu ? NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                    : Nd4j.getEnvironment().maxThreads();
            Integer fixed = Integer.getInteger(THREADS_PROPERTY);
            if (cpu && fixed != null) {
                threads = applyThreads(fixed);
            }
            if (cpu && !"false".equalsIgnoreCase(System.getProperty(SHAPE_CACHE_PROPERTY))) {
                installShapeCache();
            }
            status = new Status(helpers, oneDnnBuild, usable, backend, threads);
            if (cpu && (!helpers || !oneDnnBuild || !usable)) {
                LOG.warn("DL4J fast path incomplete ({}); training runs several times slower. See docs/PERFORMANCE.md", status);
            } else {
                LOG.debug("DL4J fast path: {}", status);
            }
            return status;
        }
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, FastPath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Replaces ND4J's CPU shape-information provider by {@link CachedShapeInfoProvider} (ND4J reads its provider from
     * a private static field on every array creation; there is no setter). Only over the provider it was written
     * for, {@code DirectShapeInfoProvider} of ND4J 1.0.0-M2.1; anything else is left alone.
     */
    private static void installShapeCache() {
        try {
            java.lang.reflect.Field field = Nd4j.class.getDeclaredField("shapeInfoProvider");
            field.setAccessible(true);
            Object current = field.get(null);
            if (current != null && current.getClass().getName().equals(
                    "org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider")) {
                field.set(null, new CachedShapeInfoProvider());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("shape-information cache not installed: {}", e.toString());
        }
    }

    /** Whether {@link CachedShapeInfoProvider} serves ND4J's shape information. */
    public static boolean shapeCacheInstalled() {
        return Nd4j.getShapeInfoProvider() instanceof CachedShapeInfoProvider;
    }

    /** What DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} asks, asked the same way (by reflection on the old name). */
    private static boolean legacyIsUseMklDnn() {
        try {
            Class<?> environment = Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment");
            Object instance = environment.getMethod("getInstance").invoke(null);
            return (boolean) environment.getMethod("isUseMKLDNN").invoke(instance);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** The status of the last {@link #enable()}, enabling first if needed. */
    public static Status status() {
        return enable();
    }

    /**
     * The number of native threads (libnd4j's OpenMP pool, oneDNN's too) to train with: {@value #THREADS_PROPERTY} or
     * {@code OMP_NUM_THREADS} when set, else every core, for every zoo network. Rounds 2-3 trained LeNet- and
     * AlexNet2-sized networks on one thread; that was faster only while OpenBLAS's second thread spun beside them and
     * oneDNN primitives made on one thread ran in two-thread passes (both fixed in round 4: {@link #blasThreadsFor},
     * primitives keyed by thread count). Measured after, idle 2-core machine: LeNet-5 trains 8,121-8,639 img/s on two
     * threads against 7,394-7,775 on one (AVX2 cap: 6,863-7,571 against 6,406-6,496). Never a function of the load:
     * the same setting, and so the same numbers, every time. On a machine shared with other busy processes, OpenMP
     * threads that busy-wait for a descheduled partner can make two threads far slower than one: set
     * {@value #THREADS_PROPERTY}{@code =1} there (docs/PERFORMANCE.md).
     */
    public static int trainingThreads() {
        Integer fixed = fixedThreads();
        return fixed != null ? fixed : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The number of native threads for inference ({@code output} in evaluation, prediction, the per-epoch validation):
     * {@value #THREADS_PROPERTY} or {@code OMP_NUM_THREADS} when set, else every core. Measured faster than one thread
     * for every zoo network, LeNet-5 included (+35-66 % on the idle 2-core machine, docs/PERFORMANCE.md round 4).
     */
    public static int inferenceThreads() {
        Integer fixed = fixedThreads();
        return fixed != null ? fixed : Runtime.getRuntime().availableProcessors();
    }

    /** {@value #THREADS_PROPERTY}, else {@code OMP_NUM_THREADS}, else null. */
    private static Integer fixedThreads() {
        Integer fixed = Integer.getInteger(THREADS_PROPERTY);
        if (fixed != null) {
            return Math.max(1, fixed);
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && omp.trim().matches("\\d+")) {
            return Math.max(1, Integer.parseInt(omp.trim()));
        }
        return null;
    }

    /**
     * OpenBLAS threads for a network whose largest dense layer has {@code largestDenseWeights} weights:
     * {@value #THREADS_PROPERTY} or {@code OMP_NUM_THREADS} when set, else every core from
     * {@link #LARGE_DENSE_WEIGHTS}, else one. The same in training and inference.
     */
    public static int blasThreadsFor(long largestDenseWeights) {
        Integer fixed = fixedThreads();
        if (fixed != null) {
            return fixed;
        }
        return largestDenseWeights >= LARGE_DENSE_WEIGHTS ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /**
     * Sets the {@link #trainingThreads() training threads} and the OpenBLAS threads {@link #blasThreadsFor(long)}
     * chooses for a network whose largest dense layer has {@code largestDenseWeights} weights; returns the training
     * thread count. No-op on a non-CPU backend.
     */
    public static int useThreadsFor(long largestDenseWeights) {
        int threads = setThreads(trainingThreads());
        if ("CPU".equalsIgnoreCase(status.backend())) {
            Nd4j.factory().blas().setMaxThreads(blasThreadsFor(largestDenseWeights));
        }
        return threads;
    }

    /**
     * Runs {@code inference} on {@link #inferenceThreads()} native threads, then restores the calling thread's previous
     * count (the training loop's). On a non-CPU backend it only runs {@code inference}.
     */
    public static <T> T withInferenceThreads(Supplier<T> inference) {
        Status s = enable();
        if (!"CPU".equalsIgnoreCase(s.backend())) {
            return inference.get();
        }
        int before = s.threads();
        int wanted = inferenceThreads();
        if (wanted == before) {
            return inference.get();
        }
        applyThreads(wanted);
        try {
            return inference.get();
        } finally {
            applyThreads(before);
        }
    }

    /**
     * Sets the number of native threads at run time: libnd4j's OpenMP regions (oneDNN included; {@code omp_set_num_threads}),
     * ND4J's master threads and OpenBLAS. Measured equal to starting the JVM with {@code OMP_NUM_THREADS}.
     * ({@code Nd4j.getEnvironment().setMaxThreads} alone does nothing useful: libnd4j ignores lowering it.)
     * OpenMP's setting belongs to the calling thread: call this on the thread that trains.
     * No-op (returns the current value) on a non-CPU backend.
     */
    public static int setThreads(int threads) {
        enable();
        if (!"CPU".equalsIgnoreCase(status.backend())) {
            return Nd4j.getEnvironment().maxThreads();
        }
        int n = applyThreads(threads);
        Nd4j.factory().blas().setMaxThreads(n);
        return n;
    }

    /** libnd4j's OpenMP threads (oneDNN's too) and ND4J's master threads; OpenBLAS's are left as they are. */
    private static int applyThreads(int threads) {
        int n = Math.max(1, threads);
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Status s = status;
        if (s != null) {
            status = new Status(s.helpersEnabled(), s.oneDnnBuild(), s.oneDnnHelpersUsable(), s.backend(), n);
        }
        return n;
    }
}
