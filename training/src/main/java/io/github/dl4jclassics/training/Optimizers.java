package io.github.dl4jclassics.training;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import io.github.dl4jclassics.training.updaters.PyTorchAdam;
import io.github.dl4jclassics.training.updaters.SgdMomentum;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Puts the manifest's optimiser, weight decay and gradient clipping on every layer of a zoo configuration
 * before the network is initialised, so the zoo stays free of training choices.
 *
 * <p>Mapping onto PyTorch (what each manifest value means):
 * <ul>
 *   <li>sgd + momentum: {@link SgdMomentum}, PyTorch's update exactly (heavy ball, or Nesterov with
 *       {@code nesterov: true}); DL4J's own {@code Nesterovs} differs once the learning rate changes.</li>
 *   <li>adam: {@link PyTorchAdam}, PyTorch's formula; DL4J's own Adam adds epsilon to {@code sqrt(v)} before the
 *       bias correction of v, an effective epsilon 31.6x PyTorch's at step 1 that changes the updates of elements
 *       with small gradients by whole percents. Saved models name DL4J's Adam ({@link PyTorchAdam#dl4jEquivalent}).</li>
 *   <li>adamw: {@link PyTorchAdam} plus DL4J's {@code WeightDecay(lambda, applyLR=true)}, applied after the Adam step:
 *       {@code w -= lr * (adam + lambda * w)}, which equals PyTorch's AdamW ({@code w *= 1 - lr * lambda} first),
 *       because the Adam step does not depend on w. Default lambda 0.01 as in PyTorch.</li>
 *   <li>rmsprop: DL4J's RmsProp with PyTorch's alpha 0.99 and epsilon 1e-8 (DL4J adds epsilon inside the square
 *       root, PyTorch outside; negligible except for tiny second moments).</li>
 *   <li>weightDecay: PyTorch's coupled {@code weight_decay} = DL4J's {@code L2Regularization} on weights and
 *       biases (gradient += lambda * w before the updater). DL4J's {@code WeightDecay} is the decoupled kind.
 *       Both also cover batch norm's gamma and beta, as PyTorch's {@code weight_decay} on {@code model.parameters()}
 *       does (the zoo's batch norm is {@code PyTorchBatchNormalization}, which applies them; DL4J's own ignores
 *       them); {@code batchNormWeightDecay: false} leaves them out.</li>
 *   <li>gradientClipping: each gradient element clipped to [-v, v] ({@code clip_grad_value_}); PyTorch's
 *       global-norm clipping has no DL4J equivalent.</li>
 * </ul>
 */
public final class Optimizers {

    private Optimizers() {
    }

    /** The DL4J updater for {@code config}, with PyTorch's defaults where the manifest is silent. */
    public static IUpdater updater(OptimizerConfig config) {
        double lr = config.learningRate();
        return switch (config.type()) {
            case "sgd" -> {
                double momentum = config.momentum() == null ? 0 : config.momentum();
                boolean nesterov = Boolean.TRUE.equals(config.nesterov());
                if (nesterov && momentum == 0) {
                    throw new IllegalArgumentException("training.optimizer.nesterov needs a momentum above 0 (as in PyTorch)");
                }
                // Not DL4J's Nesterovs: it is always Nesterov and keeps its velocity in learning-rate units.
                yield momentum == 0 ? new Sgd(lr) : new SgdMomentum(lr, momentum, nesterov);
            }
            case "adam" -> new PyTorchAdam(lr, orDefault(config.beta1(), 0.9), orDefault(config.beta2(), 0.999),
                    orDefault(config.epsilon(), 1e-8));
            // DL4J has no AdamW class: Adam plus the decoupled WeightDecay term of regularization() is AdamW.
            case "adamw" -> new PyTorchAdam(lr, orDefault(config.beta1(), 0.9), orDefault(config.beta2(), 0.999),
                    orDefault(config.epsilon(), 1e-8));
            case "rmsprop" -> new RmsProp(lr, 0.99, orDefault(config.epsilon(), 1e-8));
            default -> throw new IllegalArgumentException("unknown optimizer " + config.type());
        };
    }

    /** Regularisation terms for weights and biases alike (PyTorch applies weight_decay to every parameter). */
    public static List<Regularization> regularization(OptimizerConfig config) {
        List<Regularization> terms = new ArrayList<>();
        if (config.weightDecay() != null && config.weightDecay() > 0) {
            terms.add(new L2Regularization(config.weightDecay()));
        }
        double decoupled = config.decoupledWeightDecay() != null ? config.decoupledWeightDecay()
                : "adamw".equals(config.type()) ? 0.01 : 0;
        if (decoupled > 0) {
            terms.add(new WeightDecay(decoupled, true));
        }
        return terms;
    }

    /** Applies optimiser, regularisation and clipping to every layer of a configuration, in place. */
    public static void apply(NetworkConfiguration configuration, OptimizerConfig optimizer, Double gradientClipping) {
        for (Layer layer : configuration.layers().values()) {
            if (layer instanceof BaseLayer base) {
                base.setIUpdater(updater(optimizer));
                base.setBiasUpdater(updater(optimizer));
                boolean decayed = optimizer.decaysBatchNorm() || !(layer instanceof BatchNormalization);
                base.setRegularization(decayed ? regularization(optimizer) : new ArrayList<>());
                base.setRegularizationBias(decayed ? regularization(optimizer) : new ArrayList<>());
                if (gradientClipping != null) {
                    base.setGradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue);
                    base.setGradientNormalizationThreshold(gradientClipping);
                }
            }
        }
    }

    private static double orDefault(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
