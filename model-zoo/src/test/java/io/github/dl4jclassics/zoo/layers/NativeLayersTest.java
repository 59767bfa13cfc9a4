package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeLayersTest {

    @BeforeAll
    static void fastPath() {
        FastPath.enable();
    }

    @Test
    void replacesEveryLrnOfAlexNetSceneKeepingParametersAndOutputs() {
        ClassicModel model = ModelRegistry.standard().get("alexnet-scene");
        ModelSpec spec = model.defaultSpec(3);
        MultiLayerConfiguration original = (MultiLayerConfiguration) model.configuration(spec).dl4j();
        MultiLayerConfiguration swapped = (MultiLayerConfiguration) NetworkConfiguration.of(original).withNativeLayers().dl4j();

        int replaced = 0;
        int pools = 0;
        for (int i = 0; i < original.getConfs().size(); i++) {
            var before = original.getConf(i).getLayer();
            var after = swapped.getConf(i).getLayer();
            assertThat(after.getLayerName()).isEqualTo(before.getLayerName());
            if (before instanceof LocalResponseNormalization lrn) {
                replaced++;
                assertThat(after).isInstanceOf(NativeLocalResponseNormalization.class);
                NativeLocalResponseNormalization n = (NativeLocalResponseNormalization) after;
                assertThat(n.getAlpha()).isEqualTo(lrn.getAlpha());
                assertThat(n.getK()).isEqualTo(lrn.getK());
                assertThat(n.getN()).isEqualTo(lrn.getN());
                assertThat(n.getBeta()).isEqualTo(lrn.getBeta());
            } else if (before.getClass() == org.deeplearning4j.nn.conf.layers.ConvolutionLayer.class) {
                assertThat(after).isInstanceOf(FastConvolution.class);
            } else if (before.getClass() == org.deeplearning4j.nn.conf.layers.DenseLayer.class) {
                assertThat(after).isInstanceOf(FastDense.class).isEqualTo(NativeLayers.fastDense(
                        (org.deeplearning4j.nn.conf.layers.DenseLayer) before));
                assertThat(NativeLayers.fastDense((org.deeplearning4j.nn.conf.layers.DenseLayer) before))
                        .usingRecursiveComparison().isEqualTo(before);
            } else if (before.getClass() == org.deeplearning4j.nn.conf.layers.SubsamplingLayer.class) {
                assertThat(after).isInstanceOf(FastSubsampling.class).usingRecursiveComparison().isEqualTo(before);
                pools++;
            } else {
                assertThat(after.getClass()).isEqualTo(before.getClass());
            }
        }
        assertThat(replaced).isEqualTo(2);
        assertThat(pools).as("AlexNet's three max pools").isEqualTo(3);
        assertThat(original.getConf(1).getLayer()).as("original untouched").isInstanceOf(LocalResponseNormalization.class);

        ClassifierNetwork reference = ClassifierNetwork.fromConfiguration(NetworkConfiguration.of(original));
        ClassifierNetwork fast = ClassifierNetwork.fromConfiguration(NetworkConfiguration.of(swapped));
        assertThat(fast.numParams()).isEqualTo(reference.numParams());
        fast.multiLayer().setParams(reference.params());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray a = reference.output(x, false);
        INDArray b = fast.output(x, false);
        assertThat(b.sub(a).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void resNetGraphGetsFastConvolutionsAndKeepsItsOutputs() {
        ClassicModel model = ModelRegistry.standard().get("resnet18");
        ModelSpec spec = new ModelSpec(6, InputShape.parse("3x64x64"), 3);
        ComputationGraphConfiguration original = (ComputationGraphConfiguration) model.configuration(spec).dl4j();
        ComputationGraphConfiguration swapped = (ComputationGraphConfiguration) NetworkConfiguration.of(original).withNativeLayers().dl4j();
        long convolutions = swapped.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FastConvolution)
                .count();
        assertThat(convolutions).isEqualTo(20);
        assertThat(swapped.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FastConvolution f
                        && !f.isInputGradient())
                .count()).as("only the stem, on the network's input, skips its input gradient").isEqualTo(1);
        assertThat(swapped.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FastSubsampling)
                .count()).as("the stem's max pool").isEqualTo(1);

        ClassifierNetwork reference = ClassifierNetwork.fromConfiguration(NetworkConfiguration.of(original));
        ClassifierNetwork fast = ClassifierNetwork.fromConfiguration(NetworkConfiguration.of(swapped));
        assertThat(fast.numParams()).isEqualTo(reference.numParams());
        fast.graph().setParams(reference.params());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        assertThat(fast.output(x, false).sub(reference.output(x, false)).amaxNumber().doubleValue()).isLessThan(1e-5);

        // Training mode (batch statistics): same loss and parameter gradients through the whole graph.
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 6);
        y.putScalar(0, 1, 1.0);
        y.putScalar(1, 4, 1.0);
        reference.graph().setInputs(x);
        reference.graph().setLabels(y);
        fast.graph().setInputs(x);
        fast.graph().setLabels(y);
        reference.graph().computeGradientAndScore();
        fast.graph().computeGradientAndScore();
        assertThat(fast.score()).isCloseTo(reference.score(), org.assertj.core.data.Offset.offset(1e-5));
        INDArray g = fast.graph().gradient().gradient();
        INDArray r = reference.graph().gradient().gradient();
        assertThat(g.sub(r).amaxNumber().doubleValue() / r.amaxNumber().doubleValue()).isLessThan(1e-4);
    }
}
