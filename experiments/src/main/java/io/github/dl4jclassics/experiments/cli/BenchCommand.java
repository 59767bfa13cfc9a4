package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.data.bench.DataBenchmark;
import io.github.dl4jclassics.training.bench.BenchmarkResult;
import io.github.dl4jclassics.training.bench.ModelBenchmark;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench --model ID}: training and inference images/s of a model on synthetic data (warm-up, then the median
 * of timed steps); {@code bench data [--fashion-mnist DIR]}: images/s of each reader and augmentation chain.
 */
@Command(name = "bench", description = "Measure training/inference throughput of a model, or of the data pipeline (`bench data`).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "data", description = "`data` benchmarks the data pipeline instead of a model.")
    String what;

    @Option(names = "--model", description = "Model id (see `list --models`).")
    String modelId;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape (default: the model's).")
    String input;

    @Option(names = "--classes", description = "Number of classes (default: the model's).")
    Integer classes;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "2", paramLabel = "S", description = "... and warm up for at least"
            + " this long: the JIT and the layers' own choices settle in seconds, not steps (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--min-seconds", defaultValue = "2", paramLabel = "S", description = "... and time steps for at least"
            + " this long; the median step is reported (default: ${DEFAULT-VALUE}).")
    double minSeconds;

    @Option(names = "--threads", defaultValue = "0", description = "Native threads; 0 chooses by model size (default).")
    int threads;

    @Option(names = "--fashion-mnist", paramLabel = "DIR", description = "With `data`: real Fashion-MNIST files to read.")
    Path fashionMnist;

    @Option(names = "--stock-layers", description = "Benchmark the zoo's configuration with DL4J's own LRN and"
            + " convolution layers instead of the project's native ones (to measure what they gain).")
    boolean stockLayers;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ("data".equals(what)) {
            Path work = Files.createTempDirectory("bench-data");
            for (DataBenchmark.Result result : DataBenchmark.run(work, fashionMnist)) {
                System.out.println(json ? io.github.dl4jclassics.common.Json.mapper().writer().writeValueAsString(result)
                        : result.toString());
            }
            return 0;
        }
        if (what != null) {
            throw new IllegalArgumentException("unknown benchmark '" + what + "'; use `bench --model ID` or `bench data`");
        }
        if (modelId == null) {
            throw new IllegalArgumentException("give --model ID (see `list --models`) or `bench data`");
        }
        ClassicModel model = ModelRegistry.standard().get(modelId);
        ModelSpec spec = new ModelSpec(classes != null ? classes : model.defaultClasses(),
                input != null ? InputShape.parse(input) : model.defaultInput(), 0);
        BenchmarkResult result = ModelBenchmark.run(model, spec, batch,
                new ModelBenchmark.Settings(warmup, warmupSeconds, steps, minSeconds, threads, !stockLayers));
        System.out.println(json ? result.toJson().replaceAll("\\s*\\n\\s*", " ") : result.toText());
        return 0;
    }
}
