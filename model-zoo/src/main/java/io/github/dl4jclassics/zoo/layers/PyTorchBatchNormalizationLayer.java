package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
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
 */
public class PyTorchBatchNormalizationLayer extends BatchNormalization {

    private static final double ONE_OVER_2_LN_10 = 1.0 / (2.0 * Math.log(10.0));

    public PyTorchBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
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
