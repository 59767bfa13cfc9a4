package io.github.dl4jclassics.zoo.layers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The run-time layer of {@link PyTorchBatchNormalization}: DL4J's batch normalisation (with its oneDNN or cuDNN
 * helper where DL4J uses one), whose running-variance update is redone with the unbiased batch variance.
 *
 * <p>DL4J moves the running statistics through their "gradients" with a no-op updater ({@code param -= gradient}):
 * {@code (var - batchVar) * (1 - decay)}, or for {@code useLogStd} the matching step in log10(std). Both its own
 * path and its helpers compute {@code batchVar} biased (divided by n); this layer rewrites that gradient with
 * {@code batchVar * n / (n - 1)}, which makes the update PyTorch's
 * {@code running_var = (1 - momentum) running_var + momentum * unbiased_var}. Gradients of gamma, beta and the input,
 * and the running mean, are DL4J's unchanged.
 *
 * <p>On the CPU backend, for float NCHW images (and dense {@code [n, c]} inputs), the forward and backward passes
 * run oneDNN's batch-normalisation primitives directly ({@link OneDnnBatchNormalization}) instead of DL4J's helper:
 * the same quantities (gamma, beta and input gradients; the running statistics' "gradients" with the unbiased batch
 * variance) from one oneDNN kernel per pass; inference on it only with {@value #PROPERTY}{@code =all}.
 * {@value #PROPERTY}{@code =false} (or
 * {@value OneDnn#PROPERTY}{@code =false}) keeps DL4J's path, for comparisons; so do float64, fixed gamma and beta,
 * NHWC and batches of one value per channel.
 */
public class PyTorchBatchNormalizationLayer extends BatchNormalization {

    /**
     * System property: {@code true} (default) runs training passes on oneDNN directly, {@code all} inference passes
     * too, {@code false} keeps batch normalisation on DL4J's path (the other direct oneDNN layers stay on). Inference
     * stays on DL4J's by default: the direct pass is faster per layer (BatchNormProbe) but whole-network inference
     * measured even or a few per cent slower (ResNet-18 3x64x64 batch 64: 510 against 542 img/s, 4 runs each).
     */
    public static final String PROPERTY = "dl4jclassics.oneDnnBatchNorm";

    private static final double ONE_OVER_2_LN_10 = 1.0 / (2.0 * Math.log(10.0));

    /** Primitives for the last four input shapes and thread counts (training and evaluation batches and phases). */
    private final List<OneDnnBatchNormalization> oneDnn = new ArrayList<>(4);
    /** Per-channel arrays handed to oneDNN (shaped as the parameters, outside workspaces; the parameters are views). */
    private INDArray scale;
    private INDArray shift;
    private INDArray batchMean;
    private INDArray batchVar;
    private INDArray runningMean;
    private INDArray runningVar;
    private INDArray gammaGradient;
    private INDArray betaGradient;
    /** The primitives the last training forward pass ran on (its batch statistics in batchMean/batchVar), or null. */
    private OneDnnBatchNormalization trainedWith;
    /** How many passes (forward and backward) ran on oneDNN directly: for tests. */
    private long directPasses;

    public PyTorchBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        trainedWith = null;
        if (input == null || !direct(input, training)) {
            return super.activate(training, workspaceMgr);
        }
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        OneDnnBatchNormalization primitives = primitives(input.shape(), conf.getEps());
        INDArray x = OneDnn.plain(input);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        INDArray target = OneDnnBatchNormalization.isPlain(out) ? out : Nd4j.createUninitializedDetached(DataType.FLOAT, out.shape());
        scale.assign(getParam(BatchNormalizationParamInitializer.GAMMA));
        shift.assign(getParam(BatchNormalizationParamInitializer.BETA));
        if (training) {
            primitives.forwardTraining(x, scale, shift, target, batchMean, batchVar);
            trainedWith = primitives;
        } else {
            runningMean.assign(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
            if (conf.isUseLogStd()) {
                try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    runningVar.assign(tenToTwice(getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)));
                }
            } else {
                runningVar.assign(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
            }
            primitives.forwardInference(x, scale, shift, runningMean, runningVar, target);
        }
        directPasses++;
        if (target != out) {
            out.assign(target);
        }
        return out;
    }

    /**
     * Whether this pass runs on oneDNN directly: CPU backend, float, NCHW images or dense inputs, learned gamma and
     * beta, and in training at least two values per channel (an unbiased variance).
     */
    private boolean direct(INDArray x, boolean training) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        boolean shapeFits = x.rank() == 2 || (x.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NCHW);
        return shapeFits && dataType == DataType.FLOAT && x.dataType() == DataType.FLOAT && !conf.isLockGammaBeta()
                && (!training || valuesPerChannel(x.shape()) >= 2)
                && switched(training)
                && NativeLayers.onThisBackend() && OneDnn.available();
    }

    /** Whether {@value #PROPERTY} lets a training (or inference) pass run on oneDNN directly. */
    private static boolean switched(boolean training) {
        String value = System.getProperty(PROPERTY, "true").trim();
        return "all".equalsIgnoreCase(value) || (training && Boolean.parseBoolean(value));
    }

    /** How many forward and backward passes ran on oneDNN directly. */
    long directPasses() {
        return directPasses;
    }

    private static long valuesPerChannel(long[] shape) {
        return shape.length == 2 ? shape[0] : shape[0] * shape[2] * shape[3];
    }

    private OneDnnBatchNormalization primitives(long[] shape, double eps) {
        for (OneDnnBatchNormalization p : oneDnn) {
            if (p.fitsNow(shape)) {
                return p;
            }
        }
        if (oneDnn.size() == 4) {
            oneDnn.remove(0);
        }
        OneDnnBatchNormalization p = new OneDnnBatchNormalization(shape, eps);
        oneDnn.add(p);
        if (scale == null) {
            long[] channels = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape();
            scale = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            shift = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            batchMean = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            batchVar = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            runningMean = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            runningVar = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            gammaGradient = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
            betaGradient = Nd4j.createUninitializedDetached(DataType.FLOAT, channels);
        }
        return p;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (trainedWith != null && trainedWith.fits(input.shape())) {
            return backpropDirect(epsilon, workspaceMgr);
        }
        long[] shape = input.shape();
        Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        int[] dims = shape.length == 2 ? new int[] {0}
                : conf.getCnn2DFormat() == CNN2DFormat.NCHW ? new int[] {0, 2, 3} : new int[] {0, 1, 2};
        long n = 1;
        for (int dim : dims) {
            n *= shape[dim];
        }
        if (n < 2) {
            // No unbiased variance of one value (PyTorch refuses to train on it); DL4J's update stays.
            return result;
        }
        // Temporaries (one value per channel) outside DL4J's workspaces: the backward pass's workspace holds the
        // epsilons of the other layers.
        try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            updateVarianceGradient(conf, n);
        }
        return result;
    }

    /**
     * The backward pass on oneDNN from the last training forward pass's batch statistics, and the running statistics'
     * "gradients" as DL4J's (mean: {@code (mean - batchMean)(1 - decay)}) with PyTorch's unbiased batch variance
     * ({@code batchVar n / (n - 1)}).
     */
    private Pair<Gradient, INDArray> backpropDirect(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        INDArray x = OneDnn.plain(input);
        INDArray eps = OneDnn.plain(epsilon);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                input.shape(), 'c');
        INDArray target = OneDnnBatchNormalization.isPlain(inputGradient) ? inputGradient
                : Nd4j.createUninitializedDetached(DataType.FLOAT, inputGradient.shape());
        scale.assign(getParam(BatchNormalizationParamInitializer.GAMMA));
        shift.assign(getParam(BatchNormalizationParamInitializer.BETA));
        directPasses++;
        trainedWith.backward(x, scale, shift, batchMean, batchVar, eps, target, gammaGradient, betaGradient);
        if (target != inputGradient) {
            inputGradient.assign(target);
        }
        INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray dMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        dGamma.assign(gammaGradient);
        dBeta.assign(betaGradient);

        double decay = conf.getDecay();
        long n = valuesPerChannel(input.shape());
        double unbiased = (double) n / (n - 1);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        // Temporaries (one value per channel) outside DL4J's workspaces, as in backpropGradient.
        try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dMean.assign(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)).subi(batchMean).muli(1 - decay);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
            if (conf.isUseLogStd()) {
                INDArray dLog10Std = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                INDArray variance = tenToTwice(getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
                INDArray next = batchVar.mul(unbiased * (1 - decay)).addi(variance.mul(decay));
                // log10(std) - gradient = log10(sqrt(next)), as DL4J's own update.
                dLog10Std.assign(Transforms.log(variance.divi(next), false).muli(ONE_OVER_2_LN_10));
                gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLog10Std);
            } else {
                INDArray dVar = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
                dVar.assign(batchVar).muli(-unbiased).addi(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR))
                        .muli(1 - decay);
                gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dVar);
            }
        }
        return new Pair<>(gradient, inputGradient);
    }

    /**
     * Rewrites DL4J's running-variance "gradient" for the unbiased batch variance, from that gradient itself: it holds
     * the biased batch variance already ({@code g = (var - b)(1 - decay)}), so no second pass over the activations.
     * With {@code b' = b n / (n - 1)}: {@code g' = (n g - (1 - decay) var) / (n - 1)}; in log10(std) the same step on
     * the next variance, {@code next' = (n next - decay var) / (n - 1)}.
     */
    private void updateVarianceGradient(org.deeplearning4j.nn.conf.layers.BatchNormalization conf, long n) {
        double decay = conf.getDecay();
        if (conf.isUseLogStd()) {
            INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray gradient = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray variance = tenToTwice(log10Std);
            // DL4J's next running variance (biased), then PyTorch's.
            INDArray next = tenToTwice(log10Std.sub(gradient)).muli(n).subi(variance.mul(decay)).divi(n - 1);
            // log10(std) - gradient = log10(sqrt(next)), as DL4J's own update for its biased estimate.
            gradient.assign(Transforms.log(variance.divi(next), false).muli(ONE_OVER_2_LN_10));
        } else {
            INDArray variance = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            INDArray gradient = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            gradient.muli(n).subi(variance.mul(1 - decay)).divi(n - 1);
        }
    }

    /** 10^(2 a): the variance of a log10(std). */
    private static INDArray tenToTwice(INDArray a) {
        return Transforms.pow(Nd4j.valueArrayOf(a.shape(), 10.0, a.dataType()), a.mul(2), false);
    }
}
