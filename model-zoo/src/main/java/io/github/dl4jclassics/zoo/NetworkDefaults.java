package io.github.dl4jclassics.zoo;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The settings every zoo network shares. The optimiser set here is a placeholder: the training module
 * replaces the updater of every layer with the manifest's.
 */
public final class NetworkDefaults {

    private NetworkDefaults() {
    }

    /**
     * A builder with seed, workspaces, truncating convolution (PyTorch's floor arithmetic) and the requested
     * initialisation; {@link WeightInitChoice#PAPER} starts from PyTorch's default, which models may override per layer.
     */
    public static NeuralNetConfiguration.Builder builder(ModelSpec spec) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .updater(new Sgd(0.01))
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE)
                // DL4J's global default is sigmoid: make a layer without an explicit activation linear, as in PyTorch.
                .activation(Activation.IDENTITY);
        switch (spec.init()) {
            case HE -> builder.weightInit(WeightInit.RELU);
            case XAVIER -> builder.weightInit(WeightInit.XAVIER);
            default -> builder.weightInit(new PyTorchDefaultInit());
        }
        return builder;
    }
}
