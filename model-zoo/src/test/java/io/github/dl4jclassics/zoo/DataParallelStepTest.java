package io.github.dl4jclassics.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.layers.NativeLayers;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

/** A split batch trains exactly like the whole batch (up to float summation order), repeatably, with listeners fed. */
class DataParallelStepTest {

    @BeforeEach
    void cpuOnly() {
        assumeThat(FastPath.enable().backend()).isEqualToIgnoringCase("CPU");
    }

    @Test
    void splitStepsGiveTheWholeBatchStepsParametersAndScore() {
        ClassifierNetwork whole = lenet5(new Nesterovs(0.05, 0.9));
        ClassifierNetwork split = lenet5(new Nesterovs(0.05, 0.9));
        assertThat(split.params()).isEqualTo(whole.params());
        assertThat(split.canSplitBatches()).isTrue();
        split.splitBatches(2);
        assertThat(split.batchShares()).isEqualTo(2);

        for (int step = 0; step < 4; step++) {
            DataSet batch = batch(17, 100 + step); // odd: shares of 8 and 9
            whole.fit(batch);
            split.fit(batch);
            assertThat(split.score()).isCloseTo(whole.score(), org.assertj.core.data.Offset.offset(1e-5 * whole.score()));
        }
        double difference = split.params().sub(whole.params()).norm2Number().doubleValue();
        double moved = whole.params().sub(lenet5(new Nesterovs(0.05, 0.9)).params()).norm2Number().doubleValue();
        assertThat(moved).as("the steps moved the parameters").isGreaterThan(1e-2);
        assertThat(difference).as("split vs whole-batch parameters after 4 momentum steps").isLessThan(1e-5 * moved);
        assertThat(split.iterationCount()).isEqualTo(whole.iterationCount()).isEqualTo(4);
    }

    @Test
    void dropoutDrawsRepeatWithTheSameSeed() {
        INDArray[] params = new INDArray[2];
        for (int run = 0; run < 2; run++) {
            ClassicModel model = ModelRegistry.standard().get("alexnet2-cifar100");
            ClassifierNetwork network = model.create(model.defaultSpec(7));
            network.splitBatches(2);
            Nd4j.getRandom().setSeed(99);
            for (int step = 0; step < 2; step++) {
                network.fit(batch(8, step + 1, 3, 32, 100));
            }
            params[run] = network.params().dup();
        }
        assertThat(params[1]).isEqualTo(params[0]);
    }

    @Test
    void listenersSeeEveryShareInOrder() {
        ClassifierNetwork split = lenet5(new Nesterovs(0.05, 0.9));
        split.splitBatches(2);
        List<Long> examples = new ArrayList<>();
        List<Integer> iterations = new ArrayList<>();
        split.model().setListeners(new BaseTrainingListener() {
            @Override
            public void onBackwardPass(Model model) {
                examples.add(((MultiLayerNetwork) model).getLabels().size(0));
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                iterations.add(iteration);
            }
        });
        split.fit(batch(11, 1));
        split.fit(batch(11, 2));
        assertThat(examples).containsExactly(5L, 6L, 5L, 6L);
        assertThat(iterations).containsExactly(0, 1);
    }

    @Test
    void batchNormalisationAndGraphsAreNotSplit() {
        ClassicModel vgg = ModelRegistry.standard().get("vgg11-bn");
        ClassifierNetwork withBatchNorm = ClassifierNetwork.fromConfiguration(
                vgg.configuration(new ModelSpec(10, InputShape.parse("3x32x32"), 1)));
        assertThat(withBatchNorm.canSplitBatches()).isFalse();
        assertThatThrownBy(() -> withBatchNorm.splitBatches(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        ClassicModel resnet = ModelRegistry.standard().get("resnet18");
        assertThat(resnet.create(resnet.defaultSpec(1)).canSplitBatches()).isFalse();
    }

    private static ClassifierNetwork lenet5(Nesterovs updater) {
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        MultiLayerConfiguration conf = (MultiLayerConfiguration) NativeLayers.forBackend(
                model.configuration(new ModelSpec(10, InputShape.parse("3x32x32"), 5)));
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            if (layer.getLayer() instanceof BaseLayer base) {
                base.setIUpdater(updater.clone());
            }
        }
        return ClassifierNetwork.fromConfiguration(conf);
    }

    private static DataSet batch(int n, long seed) {
        return batch(n, seed, 3, 32, 10);
    }

    /** {@code seed} must not be 0: ND4J's generator seeded with 0 draws differently every time. */
    private static DataSet batch(int n, long seed, int channels, int size, int classes) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, channels, size, size);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (int) ((i * 7 + seed) % classes), 1.0);
        }
        return new DataSet(x, y);
    }
}
