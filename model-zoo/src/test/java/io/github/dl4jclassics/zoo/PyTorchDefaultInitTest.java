package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Initial weights and biases per layer against PyTorch's formulas (torch/nn/modules/conv.py and linear.py,
 * {@code reset_parameters}): {@code kaiming_uniform_(weight, a=sqrt(5))} has gain sqrt(2 / (1 + 5)) and bound
 * gain * sqrt(3 / fan_in) = 1/sqrt(fan_in); the bias is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the same fan_in
 * (in_channels * kH * kW, or in_features). torchvision's ResNet convolutions: kaiming_normal_(mode="fan_out",
 * nonlinearity="relu"), std sqrt(2 / (out_channels * kH * kW)). fan_in and fan_out are computed here from the
 * parameter shapes, independently of the code under test.
 */
class PyTorchDefaultInitTest {

    @BeforeAll
    static void enable() {
        FastPath.enable();
    }

    @ParameterizedTest
    @CsvSource({"lenet5, 1x32x32, 10", "custom-lenet-scene, 3x64x64, 6", "alexnet-scene, 3x64x64, 6",
            "alexnet2-cifar100, 3x32x32, 100", "resnet18, 3x64x64, 6"})
    void weightsAndBiasesFollowPyTorchsDefault(String id, String input, int classes) {
        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = new ModelSpec(classes, InputShape.parse(input), 17);
        Map<String, Layer> zooLayers = model.configuration(spec).layers();
        ClassifierNetwork network = model.create(spec);
        int checked = 0;
        for (Map.Entry<String, Layer> entry : zooLayers.entrySet()) {
            if (!(entry.getValue() instanceof BaseLayer base)) {
                continue;
            }
            INDArray weight = network.model().getParam(entry.getKey() + "_W");
            INDArray bias = network.model().getParam(entry.getKey() + "_b");
            String name = id + " layer " + base.getLayerName();
            if (weight == null) {
                continue; // batch norm, dropout: no weight to initialise
            }
            if (base.getWeightInitFn() instanceof PyTorchDefaultInit) {
                double bound = 1 / Math.sqrt(fanIn(weight));
                assertUniform(weight, bound, name + " weight");
                assertThat(bias).as(name + " has a bias").isNotNull();
                assertUniform(bias, bound, name + " bias");
                checked++;
            } else if (base.getWeightInitFn() instanceof KaimingNormalFanOut) {
                long[] s = weight.shape();
                double std = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
                assertThat(weight.meanNumber().doubleValue()).as(name + " mean").isCloseTo(0, org.assertj.core.data.Offset.offset(4 * std / Math.sqrt(weight.length())));
                assertThat(weight.stdNumber().doubleValue() / std).as(name + " std / kaiming fan-out std").isBetween(0.9, 1.1);
                checked++;
            }
        }
        assertThat(checked).as("layers with PyTorch's initialisation in " + id).isGreaterThan(0);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherBiases() {
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        INDArray first = model.create(new ModelSpec(10, InputShape.parse("1x32x32"), 5)).params();
        INDArray again = model.create(new ModelSpec(10, InputShape.parse("1x32x32"), 5)).params();
        ClassifierNetwork other = model.create(new ModelSpec(10, InputShape.parse("1x32x32"), 6));
        assertThat(again).isEqualTo(first);
        assertThat(other.model().getParam("4_b")).isNotEqualTo(
                model.create(new ModelSpec(10, InputShape.parse("1x32x32"), 5)).model().getParam("4_b"));
    }

    @Test
    void weightsAreTheNumbersTheZooInitialiserDraws() {
        // DL4J's WeightInitDistribution in the saved configuration draws exactly what PyTorchDefaultInit drew.
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        ModelSpec spec = new ModelSpec(10, InputShape.parse("1x32x32"), 9);
        MultiLayerNetwork zoo = new MultiLayerNetwork((MultiLayerConfiguration) model.configuration(spec).dl4j());
        zoo.init();
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(model.configuration(spec));
        List<String> weights = new ArrayList<>();
        for (String key : zoo.paramTable().keySet()) {
            if (key.endsWith("_W")) {
                weights.add(key);
                assertThat(network.model().getParam(key)).as(key).isEqualTo(zoo.getParam(key));
            }
        }
        assertThat(weights).hasSize(5);
    }

    /** fan_in of a DL4J weight: conv [out, in, kH, kW] gives in * kH * kW, dense [in, out] gives in. */
    private static double fanIn(INDArray weight) {
        long[] s = weight.shape();
        return s.length == 4 ? s[1] * s[2] * s[3] : s[0];
    }

    /** Within [-bound, bound], and for enough numbers: mean 0, standard deviation bound/sqrt(3), extremes near the bound. */
    private static void assertUniform(INDArray values, double bound, String name) {
        long n = values.length();
        assertThat(values.amaxNumber().doubleValue()).as(name + " max |x| <= 1/sqrt(fan_in) = " + bound)
                .isLessThanOrEqualTo(bound * (1 + 1e-6)); // float32 parameters
        assertThat(values.amaxNumber().doubleValue()).as(name + " not all zero").isGreaterThan(0);
        if (n >= 50) {
            double std = bound / Math.sqrt(3);
            assertThat(values.meanNumber().doubleValue()).as(name + " mean")
                    .isCloseTo(0, org.assertj.core.data.Offset.offset(5 * std / Math.sqrt(n)));
            assertThat(values.stdNumber().doubleValue() / std).as(name + " std / (bound / sqrt 3)")
                    .isBetween(n >= 1000 ? 0.95 : 0.75, n >= 1000 ? 1.05 : 1.25);
            assertThat(values.amaxNumber().doubleValue()).as(name + " reaches near the bound").isGreaterThan(0.9 * bound);
        }
    }
}
