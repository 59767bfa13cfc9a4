package io.github.dl4jclassics.training.bench;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.ModelSummary;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.zoo.layers.NativeLayers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and inference throughput of a zoo model on synthetic data (docs/PERFORMANCE.md): the network is built
 * with the fast path on ({@link FastPath}), fed one fixed random float32 batch, warmed up, then each timed step is
 * measured on its own and the median reported, so a step disturbed by other processes does not move the result.
 * The data is created once: what is timed is the network, as in a training loop whose data arrives asynchronously.
 * The network is the model's configuration with {@link NativeLayers#apply native layers} (DL4J's LRN replaced by
 * {@link io.github.dl4jclassics.zoo.layers.NativeLocalResponseNormalization}; a no-op once the zoo uses it).
 */
public final class ModelBenchmark {

    /** Warm-up steps before timing when none are given: workspaces reach their size, oneDNN primitives are cached. */
    public static final int DEFAULT_WARMUP = 3;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ModelBenchmark() {
    }

    /**
     * Benchmarks {@code model} built for {@code spec}, threads chosen by {@link FastPath#threadsFor(long)} from the
     * model's multiply-accumulates per image.
     *
     * @param warmupSteps untimed training steps (and as many inference passes) first
     * @param measuredSteps timed training steps and inference passes; the median of each is reported
     */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, int warmupSteps, int measuredSteps) {
        return run(model, spec, batch, warmupSteps, measuredSteps, 0);
    }

    /** As {@link #run(ClassicModel, ModelSpec, int, int, int)} with a fixed number of native threads; 0 chooses. */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, int warmupSteps, int measuredSteps,
            int threads) {
        return run(model, spec, batch, warmupSteps, measuredSteps, threads, true);
    }

    /**
     * As {@link #run(ClassicModel, ModelSpec, int, int, int, int)}; {@code nativeLayers = false} benchmarks the zoo's
     * configuration as it is (DL4J's own LRN and convolution layers), to measure what {@link NativeLayers} gains.
     */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, int warmupSteps, int measuredSteps,
            int threads, boolean nativeLayers) {
        if (batch < 1 || warmupSteps < 0 || measuredSteps < 1) {
            throw new IllegalArgumentException("need batch >= 1, warm-up >= 0 and measured steps >= 1; got "
                    + batch + ", " + warmupSteps + ", " + measuredSteps);
        }
        FastPath.enable();
        int used = threads > 0 ? FastPath.setThreads(threads)
                : FastPath.useThreadsFor(ModelSummary.of(model, spec).macs());
        NetworkConfiguration configuration = model.configuration(spec);
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(
                nativeLayers ? configuration.forBackend() : configuration);
        DataSet data = syntheticBatch(spec, batch);
        INDArray features = data.getFeatures();

        for (int i = 0; i < warmupSteps; i++) {
            network.fit(data);
        }
        double[] train = new double[measuredSteps];
        double[] trainCpu = new double[measuredSteps];
        for (int i = 0; i < measuredSteps; i++) {
            long cpu = CPU.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            network.fit(data);
            train[i] = (System.nanoTime() - start) / 1e9;
            trainCpu[i] = (CPU.getCurrentThreadCpuTime() - cpu) / 1e9;
        }
        if (!Double.isFinite(network.score())) {
            throw new IllegalStateException(model.id() + ": loss is " + network.score() + " after the benchmark steps");
        }
        for (int i = 0; i < warmupSteps; i++) {
            network.output(features, false).close();
        }
        double[] infer = new double[measuredSteps];
        double[] inferCpu = new double[measuredSteps];
        for (int i = 0; i < measuredSteps; i++) {
            long cpu = CPU.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            INDArray out = network.output(features, false);
            infer[i] = (System.nanoTime() - start) / 1e9;
            inferCpu[i] = (CPU.getCurrentThreadCpuTime() - cpu) / 1e9;
            out.close();
        }
        return new BenchmarkResult(model.id(), spec.input(), batch, batch / median(train), batch / median(infer),
                used, measuredSteps, batch / median(trainCpu), batch / median(inferCpu));
    }

    /** One batch of uniform [0, 1) images and one-hot labels (class i mod classes), float32. */
    static DataSet syntheticBatch(ModelSpec spec, int batch) {
        InputShape in = spec.input();
        Nd4j.getRandom().setSeed(spec.seed());
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, in.channels(), in.height(), in.width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, spec.numClasses());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % spec.numClasses(), 1.0);
        }
        return new DataSet(x, y);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Developer entry point until the CLI's {@code bench} is wired:
     * {@code --model ID [--input CxHxW] [--classes N] [--batch 64] [--warmup 3] [--steps 10] [--threads 0]
     * [--plain-layers] [--json]}.
     */
    public static void main(String[] args) {
        FastPath.enable();
        String id = null;
        String input = null;
        Integer classes = null;
        int batch = 64;
        int warmup = DEFAULT_WARMUP;
        int steps = 10;
        int threads = 0;
        boolean json = false;
        boolean nativeLayers = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> id = args[++i];
                case "--input" -> input = args[++i];
                case "--classes" -> classes = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--json" -> json = true;
                case "--plain-layers" -> nativeLayers = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (id == null) {
            throw new IllegalArgumentException("--model ID is required; ids: " + ModelRegistry.standard().ids());
        }
        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = new ModelSpec(classes != null ? classes : model.defaultClasses(),
                input != null ? InputShape.parse(input) : model.defaultInput(), 1);
        BenchmarkResult result = run(model, spec, batch, warmup, steps, threads, nativeLayers);
        System.out.println(json ? result.toJson() : result.toText());
    }
}
