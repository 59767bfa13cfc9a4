package io.github.dl4jclassics.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The zoo's initialisers ({@link PyTorchDefaultInit}, {@link KaimingNormalFanOut}) said in DL4J's own terms, so a
 * network configuration, and every model saved from it, names only DL4J classes: per layer, a
 * {@link WeightInitDistribution} with the bound or standard deviation the initialiser computes for that layer's
 * shape. The weights drawn are the same numbers (same distribution, same random stream).
 *
 * <p>PyTorch's default also draws the biases of {@code nn.Conv2d} and {@code nn.Linear} from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), which a DL4J configuration cannot say (its bias init is one constant): that
 * happens once, after the network is initialised ({@link #drawBiases}); the biases are then ordinary parameters.
 */
public final class Dl4jWeightInit {

    /** A layer whose biases PyTorch's default initialises: its parameter key prefix and the bound 1/sqrt(fan_in). */
    public record BiasDraw(String layerKey, double bound) {
    }

    private Dl4jWeightInit() {
    }

    /**
     * Replaces the zoo's initialisers in every layer of {@code configuration} (in place) by DL4J's
     * {@link WeightInitDistribution}, and returns the layers whose biases PyTorch's default would draw (those that
     * had {@link PyTorchDefaultInit} and have a bias left at DL4J's default 0), in network order.
     */
    public static List<BiasDraw> express(NetworkConfiguration configuration) {
        List<BiasDraw> draws = new ArrayList<>();
        for (Map.Entry<String, Layer> entry : configuration.layers().entrySet()) {
            Layer layer = entry.getValue() instanceof FrozenLayer frozen ? frozen.getLayer() : entry.getValue();
            if (!(layer instanceof BaseLayer base)) {
                continue;
            }
            IWeightInit init = base.getWeightInitFn();
            boolean zooInit = init instanceof PyTorchDefaultInit || init instanceof KaimingNormalFanOut;
            if (zooInit && !base.initializer().paramKeys(base).contains(DefaultParamInitializer.WEIGHT_KEY)) {
                // Batch norm, dropout...: inherited from the network's default but unused (no weight to draw).
                base.setWeightInitFn(WeightInit.XAVIER.getWeightInitFunction());
            } else if (init instanceof PyTorchDefaultInit) {
                double bound = 1.0 / Math.sqrt(fanIn(base, entry.getKey()));
                base.setWeightInitFn(new WeightInitDistribution(new UniformDistribution(-bound, bound)));
                // A bias set explicitly (biasInit) is the model's choice; PyTorch's draw replaces the default 0 only.
                if (hasBias(base) && base.getBiasInit() == 0) {
                    draws.add(new BiasDraw(entry.getKey(), bound));
                }
            } else if (init instanceof KaimingNormalFanOut) {
                base.setWeightInitFn(new WeightInitDistribution(new NormalDistribution(0, kaimingFanOutStd(base, entry.getKey()))));
            }
        }
        return draws;
    }

    /**
     * Draws the biases of {@code draws} from U(-bound, bound), each layer in turn from one random stream seeded with
     * {@code seed}: reproducible, and independent of the global random state the weights were drawn from.
     */
    public static void drawBiases(Model network, List<BiasDraw> draws, long seed) {
        if (draws.isEmpty()) {
            return;
        }
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            for (BiasDraw draw : draws) {
                INDArray bias = network.getParam(draw.layerKey() + "_" + DefaultParamInitializer.BIAS_KEY);
                if (bias == null) {
                    throw new IllegalStateException("layer " + draw.layerKey() + " has no bias parameter to initialise");
                }
                new org.nd4j.linalg.api.rng.distribution.impl.UniformDistribution(random, -draw.bound(), draw.bound())
                        .sample(bias);
            }
        } catch (Exception e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot release the bias random generator", e);
        }
    }

    /**
     * fan_in as PyTorch and DL4J compute it: in_channels * kH * kW for a 2-D convolution, in_features for a dense
     * or output layer (DL4J's own or the zoo's drop-in subclass).
     */
    static double fanIn(BaseLayer layer, String key) {
        if ((layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class
                || (layer instanceof DenseLayer && layer.getClass().getPackageName().startsWith("io.github.dl4jclassics")))
                && layer instanceof FeedForwardLayer dense) {
            return positive(dense.getNIn(), layer, key);
        }
        if (layer instanceof ConvolutionLayer conv && isPlainConvolution(conv)) {
            return positive(conv.getNIn(), layer, key) * conv.getKernelSize()[0] * conv.getKernelSize()[1];
        }
        throw unsupported(layer, key, "PyTorchDefaultInit");
    }

    /** torchvision's kaiming_normal_(mode="fan_out", nonlinearity="relu"): sqrt(2 / (out_channels * kH * kW)). */
    static double kaimingFanOutStd(BaseLayer layer, String key) {
        if (layer instanceof ConvolutionLayer conv && isPlainConvolution(conv)) {
            double fanOut = positive(conv.getNOut(), layer, key) * conv.getKernelSize()[0] * conv.getKernelSize()[1];
            return Math.sqrt(2.0 / fanOut);
        }
        throw unsupported(layer, key, "KaimingNormalFanOut");
    }

    /** ConvolutionLayer itself or the zoo's drop-in subclass, not DL4J's depthwise/separable/transposed variants. */
    private static boolean isPlainConvolution(ConvolutionLayer conv) {
        return conv.getClass() == ConvolutionLayer.class
                || conv.getClass().getPackageName().startsWith("io.github.dl4jclassics");
    }

    private static boolean hasBias(BaseLayer layer) {
        if (layer instanceof ConvolutionLayer conv) {
            return conv.hasBias();
        }
        if (layer instanceof DenseLayer dense) {
            return dense.hasBias();
        }
        if (layer instanceof OutputLayer output) {
            return output.hasBias();
        }
        return false;
    }

    private static double positive(long n, Layer layer, String key) {
        if (n <= 0) {
            throw new IllegalStateException("layer " + key + " (" + layer.getLayerName() + ") has no input size yet;"
                    + " build the configuration with setInputType before initialising");
        }
        return n;
    }

    private static IllegalStateException unsupported(Layer layer, String key, String init) {
        return new IllegalStateException("layer " + key + " (" + layer.getLayerName() + ") is a "
                + layer.getClass().getSimpleName() + ": " + init + " is defined for convolution, dense and output layers only");
    }
}
