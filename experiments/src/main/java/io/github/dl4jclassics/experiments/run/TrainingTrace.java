package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.training.LearningRates;
import io.github.dl4jclassics.training.NetworkAssembly;
import io.github.dl4jclassics.training.OptimizerConfig;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.TrainingStart;
import io.github.dl4jclassics.training.schedules.ConstantSchedule;
import io.github.dl4jclassics.training.schedules.LearningRateScheduler;
import io.github.dl4jclassics.training.schedules.ScheduleConfig;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelSummary;
import io.github.dl4jclassics.zoo.weights.NpyArrays;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import io.github.dl4jclassics.zoo.weights.Predictor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code trace}: the first steps of a run, recorded so that PyTorch can replay them ({@code scripts/pytorch-replay}).
 * The network, its initialisation, optimiser and schedule are built as {@code run} builds them
 * ({@link NetworkAssembly#fresh}), the batches come from the same iterator in the same order (augmentation,
 * normalisation, mixup), and the steps are the same {@code fit} calls; the one change is that dropout is switched off
 * (its masks come from ND4J's generator, which PyTorch cannot reproduce). Written to the output folder:
 * <ul>
 *   <li>{@code init.npz}, {@code final.npz}: parameters and batch-norm running statistics before and after the
 *       steps, in the layout {@code predict --weights} reads ({@link NpzWeights#write}: PyTorch {@code state_dict}
 *       names where the zoo's layers carry PyTorch module paths, otherwise the zoo's layer names in PyTorch's
 *       registration order);</li>
 *   <li>{@code batches.npz}: {@code x0..x{N-1}} (float32 NCHW, as fed to the network), {@code y0..} (int64 class
 *       indices, or float32 soft labels where mixup made them);</li>
 *   <li>{@code trace.json}: model, input, classes, optimiser and, per step, the learning rate and the loss as
 *       PyTorch's {@code CrossEntropyLoss} (batch mean, without the regularisation term DL4J's score adds);</li>
 *   <li>{@code logits.npy}: eval-mode logits of {@code x0} after the steps.</li>
 * </ul>
 */
public final class TrainingTrace {

    public static final String INIT = "init.npz";
    public static final String BATCHES = "batches.npz";
    public static final String TRACE = "trace.json";
    public static final String FINAL = "final.npz";
    public static final String LOGITS = "logits.npy";

    /** One training step: 1-based, its learning rate and cross-entropy loss. */
    public record Step(int step, double lr, double loss) {
    }

    /** What {@code trace.json} holds. */
    public record Trace(String manifest, String model, String input, int classes, long seed, int batchSize,
                        String dtype, boolean mixup, List<String> dropoutDisabledIn, Map<String, Object> optimizer,
                        Double gradientClipping, List<Step> steps) {
    }

    private TrainingTrace() {
    }

    /**
     * Trains {@code steps} steps of {@code manifest} (already resolved: seed, batch size, limits) on the data in
     * {@code dataDir} (null: the manifest's location) and writes the trace files to {@code out}.
     */
    public static Trace write(ExperimentManifest manifest, Path dataDir, int steps, Path out) throws IOException {
        return write(manifest, dataDir, steps, out, false);
    }

    /**
     * As {@link #write(ExperimentManifest, Path, int, Path)}; with {@code float64} the network (initialised as in a
     * run, then cast) trains in double precision. A float32 trace of a batch-norm network drifts from PyTorch's
     * float32 replay within a few steps whenever a ReLU input lies within rounding distance of 0 (the two
     * implementations round differently and take different sides); in float64 that all but never happens, so the
     * comparison shows the semantic differences alone. The files stay float32 (the initial weights and the batches
     * are float32 values exactly; the final ones are rounded to float32).
     */
    public static Trace write(ExperimentManifest manifest, Path dataDir, int steps, Path out, boolean float64)
            throws IOException {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        ExperimentRunner.Inputs inputs = new ExperimentRunner().prepareInputs(manifest, dataDir, null);
        TrainingStart start = NetworkAssembly.fresh(inputs.model(), inputs.spec(), manifest.training(), manifest.transfer());
        TrainingConfig training = start.training();
        ClassifierNetwork network = float64 ? inDoublePrecision(start.network()) : start.network();
        ImageSetIterator data = inputs.data().trainIterator(training.batchSize(), training.seed());
        if (steps > data.batchesPerEpoch()) {
            throw new IllegalArgumentException("--steps " + steps + " is more than the " + data.batchesPerEpoch()
                    + " batches of one epoch (" + inputs.data().train().size() + " training images, batch "
                    + training.batchSize() + "): trace follows the first epoch only");
        }
        List<String> withoutDropout = disableDropout(network);
        ModelSummary summary = ModelSummary.of(inputs.model(), inputs.spec());
        FastPath.useThreadsFor(summary.largestDenseWeights());
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve(INIT), tmp -> NpzWeights.write(network, tmp));

        // Epoch 0 exactly as Trainer starts it: the schedule's rate, the iterator's order, ND4J's generator, the count.
        ScheduleConfig schedule = training.schedule() != null ? training.schedule() : new ConstantSchedule();
        LearningRateScheduler scheduler = schedule.create(training.optimizer().learningRate());
        double rate = scheduler.rateFor(0);
        LearningRates.set(network, rate);
        data.startEpoch(0);
        long seed = training.seed() * 1_000_003L;
        Nd4j.getRandom().setSeed(seed != 0 ? seed : 0x9E3779B97F4A7C15L);
        network.setEpochCount(0);

        List<Step> trace = new ArrayList<>();
        List<DataSet> batches = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            DataSet batch = data.next();
            batches.add(batch.copy());
            if (float64) {
                batch = new DataSet(batch.getFeatures().castTo(DataType.DOUBLE), batch.getLabels().castTo(DataType.DOUBLE));
            }
            // DL4J's score is the loss plus the regularisation term of the parameters the step starts from.
            double regularisation = regularisationScore(network);
            network.fit(batch);
            trace.add(new Step(step + 1, rate, network.score() - regularisation));
        }

        AtomicFiles.write(out.resolve(BATCHES), tmp -> writeBatches(batches, data.hasMixedLabels(), tmp));
        AtomicFiles.write(out.resolve(FINAL), tmp -> NpzWeights.write(network, tmp));
        ClassifierNetwork logits = Predictor.logitsConfiguration(network.configuration()).initialise(network.params().dup());
        INDArray x0 = batches.get(0).getFeatures().castTo(network.params().dataType());
        AtomicFiles.write(out.resolve(LOGITS), tmp -> NpyArrays.write(tmp, logits.output(x0, false)));

        var input = manifest.model().input();
        Trace result = new Trace(manifest.name(), inputs.model().id(),
                input.channels() + "x" + input.height() + "x" + input.width(), manifest.model().classes(),
                training.seed(), training.batchSize(), float64 ? "float64" : "float32", data.hasMixedLabels(), withoutDropout,
                optimizer(training.optimizer()), training.gradientClipping(), trace);
        AtomicFiles.writeString(out.resolve(TRACE), Json.write(result));
        return result;
    }

    /** The same network (parameters cast, a fresh updater) computing in float64. */
    private static ClassifierNetwork inDoublePrecision(ClassifierNetwork network) {
        return network.isGraph() ? ClassifierNetwork.of(network.graph().convertDataType(DataType.DOUBLE))
                : ClassifierNetwork.of(network.multiLayer().convertDataType(DataType.DOUBLE));
    }

    /** The optimiser in {@code torch.optim}'s terms ({@code weightDecay}: AdamW's decoupled one for adamw). */
    static Map<String, Object> optimizer(OptimizerConfig config) {
        Map<String, Object> o = new LinkedHashMap<>();
        String type = config.type();
        o.put("type", type);
        o.put("lr", config.learningRate());
        o.put("momentum", config.momentum() == null ? 0.0 : config.momentum());
        o.put("nesterov", Boolean.TRUE.equals(config.nesterov()));
        double l2 = config.weightDecay() == null ? 0 : config.weightDecay();
        double decoupled = config.decoupledWeightDecay() != null ? config.decoupledWeightDecay()
                : "adamw".equals(type) ? 0.01 : 0;
        if ("adamw".equals(type)) {
            o.put("weightDecay", decoupled);
            o.put("l2WeightDecay", l2);
        } else {
            o.put("weightDecay", l2);
            o.put("decoupledWeightDecay", decoupled);
        }
        o.put("betas", List.of(config.beta1() == null ? 0.9 : config.beta1(), config.beta2() == null ? 0.999 : config.beta2()));
        o.put("eps", config.epsilon() == null ? 1e-8 : config.epsilon());
        o.put("batchNormWeightDecay", config.decaysBatchNorm());
        return o;
    }

    /** Switches dropout off in every layer (inside frozen wrappers too); returns the names of those that had it. */
    static List<String> disableDropout(ClassifierNetwork network) {
        List<String> names = new ArrayList<>();
        for (Layer layer : network.layers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof FrozenLayer frozen) {
                conf = frozen.getLayer();
            }
            if (conf.getIDropout() != null) {
                names.add(conf.getLayerName());
                conf.setIDropout(null);
            }
        }
        return names;
    }

    private static double regularisationScore(ClassifierNetwork network) {
        return network.isGraph() ? network.graph().calcRegularizationScore(true)
                : network.multiLayer().calcRegularizationScore(true);
    }

    private static void writeBatches(List<DataSet> batches, boolean soft, Path file) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(stream)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (int i = 0; i < batches.size(); i++) {
                zip.putNextEntry(new ZipEntry("x" + i + ".npy"));
                NpyArrays.write(zip, batches.get(i).getFeatures());
                zip.closeEntry();
                INDArray labels = batches.get(i).getLabels();
                zip.putNextEntry(new ZipEntry("y" + i + ".npy"));
                if (soft) {
                    NpyArrays.write(zip, labels);
                } else {
                    long[] classes = labels.argMax(1).toLongVector();
                    NpyArrays.writeLongs(zip, classes, classes.length);
                }
                zip.closeEntry();
            }
        }
    }
}
