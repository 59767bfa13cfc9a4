package io.github.dl4jclassics.training.bench;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
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
 * The network is the model's configuration with {@link NativeLayers native layers} (DL4J's LRN replaced by
 * {@link io.github.dl4jclassics.zoo.layers.NativeLocalResponseNormalization}; a no-op once the zoo uses it).
 */
public final class ModelBenchmark {

    /** Warm-up steps before timing when none are given: workspaces reach their size, oneDNN primitives are cached. */
    public static final int DEFAULT_WARMUP = 3;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ModelBenchmark() {
    }

    /**
     * Benchmarks {@code model} built for {@code spec}, native threads chosen as a run chooses them
     * ({@link FastPath#trainingThreads()}, {@link FastPath#inferenceThreads()}; OpenBLAS by
     * {@link FastPath#blasThreadsFor(long)}), {@code warmupSteps} untimed steps and {@code measuredSteps} timed ones.
     */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, int warmupSteps, int measuredSteps) {
        return run(model, spec, batch, warmupSteps, measuredSteps, 0);
    }

    /** As {@link #run(ClassicModel, ModelSpec, int, int, int)} with a fixed number of native threads; 0 chooses. */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, int warmupSteps, int measuredSteps,
            int threads) {
        return run(model, spec, batch, new Settings(warmupSteps, 0, measuredSteps, 0, threads, true));
    }

    /**
     * How long and how to measure.
     *
     * @param warmupSteps untimed training steps (and as many inference passes) at least
     * @param warmupSeconds ... and untimed for at least this long: the JIT compiler and the layers' own choices
     *        (convolution backward paths, workspaces) settle in the first seconds, not the first steps
     * @param measuredSteps timed training steps and inference passes at least; the median of each is reported
     * @param measuredSeconds ... and timed for at least this long (a LeNet step takes milliseconds)
     * @param threads native threads for both phases; 0 chooses as a run does ({@link FastPath#trainingThreads()},
     *        {@link FastPath#inferenceThreads()})
     * @param nativeLayers false benchmarks the zoo's configuration as it is (DL4J's own LRN and convolution layers),
     *        to measure what {@link NativeLayers} gains
     */
    public record Settings(int warmupSteps, double warmupSeconds, int measuredSteps, double measuredSeconds, int threads,
            boolean nativeLayers) {

        public Settings {
            if (warmupSteps < 0 || measuredSteps < 1 || warmupSeconds < 0 || measuredSeconds < 0) {
                throw new IllegalArgumentException("need warm-up >= 0 and measured steps >= 1 (seconds >= 0); got "
                        + warmupSteps + ", " + measuredSteps);
            }
        }
    }

    /** Benchmarks {@code model} built for {@code spec} at batch size {@code batch} as {@code settings} say. */
    public static BenchmarkResult run(ClassicModel model, ModelSpec spec, int batch, Settings settings) {
        if (batch < 1) {
            throw new IllegalArgumentException("need batch >= 1; got " + batch);
        }
        FastPath.enable();
        NetworkConfiguration configuration = model.configuration(spec);
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(
                settings.nativeLayers() ? configuration.forBackend() : configuration);
        int trainThreads = settings.threads() > 0 ? FastPath.setThreads(settings.threads())
                : useThreadsFor(ModelSummary.of(model, spec));
        DataSet data = syntheticBatch(spec, batch);
        INDArray features = data.getFeatures();

        warmUp(() -> network.fit(data), settings);
        double[][] train = timed(() -> network.fit(data), settings);
        if (!Double.isFinite(network.score())) {
            throw new IllegalStateException(model.id() + ": loss is " + network.score() + " after the benchmark steps");
        }
        // Inference as the product runs it (ClassifierNetwork.output: FastPath.inferenceThreads()), unless fixed.
        int inferThreads = settings.threads() > 0 ? settings.threads() : FastPath.inferenceThreads();
        Runnable inference = settings.threads() > 0 ? () -> network.outputOnCurrentThreads(features, false).close()
                : () -> network.output(features, false).close();
        // Switched once for the phase, as Evaluator does (ClassifierNetwork.output then finds the count it wants).
        double[][] infer = settings.threads() > 0 ? warmUpAndTime(inference, settings)
                : FastPath.withInferenceThreads(() -> warmUpAndTime(inference, settings));
        return new BenchmarkResult(model.id(), spec.input(), batch, batch / median(train[0]), batch / median(infer[0]),
                trainThreads, inferThreads, train[0].length, batch / median(train[1]),
                batch / median(infer[1]));
    }

    private static int useThreadsFor(ModelSummary summary) {
        return FastPath.useThreadsFor(summary.largestDenseWeights());
    }

    private static double[][] warmUpAndTime(Runnable step, Settings settings) {
        warmUp(step, settings);
        return timed(step, settings);
    }

    private static void warmUp(Runnable step, Settings settings) {
        long end = System.nanoTime() + (long) (settings.warmupSeconds() * 1e9);
        for (int i = 0; i < settings.warmupSteps() || System.nanoTime() < end; i++) {
            step.run();
        }
    }

    /** Wall and calling-thread CPU seconds of each timed step. */
    private static double[][] timed(Runnable step, Settings settings) {
        java.util.List<double[]> steps = new java.util.ArrayList<>();
        long end = System.nanoTime() + (long) (settings.measuredSeconds() * 1e9);
        while (steps.size() < settings.measuredSteps() || System.nanoTime() < end) {
            long cpu = CPU.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            step.run();
            steps.add(new double[]{(System.nanoTime() - start) / 1e9, (CPU.getCurrentThreadCpuTime() - cpu) / 1e9});
        }
        double[][] result = new double[2][steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            result[0][i] = steps.get(i)[0];
            result[1][i] = steps.get(i)[1];
        }
        return result;
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
}
