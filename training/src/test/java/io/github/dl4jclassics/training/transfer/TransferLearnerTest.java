package io.github.dl4jclassics.training.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.training.EpochLog;
import io.github.dl4jclassics.training.OptimizerConfig;
import io.github.dl4jclassics.training.SyntheticFixtures;
import io.github.dl4jclassics.training.Trainer;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.nio.file.Path;
import java.util.List;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TransferLearnerTest {

    @Test
    void fineTunesANewHeadOnFrozenSavedWeights(@TempDir Path dir) throws Exception {
        // 1. A "pretrained" 4-class model, saved as a DL4J zip.
        TrainingConfig pretraining = new TrainingConfig(OptimizerConfig.adam(0.01), 32, 2, 3, null, null, null, 0);
        ClassifierNetwork source = SyntheticFixtures.network(4, 3, pretraining.optimizer());
        new Trainer(pretraining, new CheckpointStore(dir.resolve("pre/checkpoints"), 0), new EpochLog(dir.resolve("pre.csv")), false, List.of())
                .train(source, SyntheticFixtures.iterator(SyntheticFixtures.images(256, 4, 1), 32, 3), null, null);
        Path weights = dir.resolve("pretrained.zip");
        source.save(weights.toFile(), false);

        // 2. Three classes, conv1 frozen, its own learning rate.
        TransferConfig config = new TransferConfig(weights.toString(), null, "out", "conv1", 0.02, null);
        assertThat(config.format()).isEqualTo("dl4j");
        TrainingConfig training = new TrainingConfig(OptimizerConfig.sgd(0.5, 0.9), 32, 4, 7, null, null, null, 0);
        ClassifierNetwork pretrained = TransferLearner.loadPretrained(config, null, null);
        ClassifierNetwork network = TransferLearner.prepare(pretrained, config, 3, training);
        MultiLayerNetwork mln = network.multiLayer();
        assertThat(mln.getLayer(0)).isInstanceOf(FrozenLayer.class);
        assertThat(((OutputLayer) mln.getLayer(2).conf().getLayer()).getNOut()).isEqualTo(3);
        INDArray conv1Before = mln.getLayer(0).params().dup();
        INDArray fc1Before = mln.getLayer(1).params().dup();
        INDArray headBefore = mln.getLayer(2).params().dup();
        assertThat(conv1Before).isEqualTo(source.multiLayer().getLayer(0).params());
        assertThat(fc1Before).isEqualTo(source.multiLayer().getLayer(1).params());

        // 3. Fine-tune on 3-class data.
        ImageSet threeClasses = SyntheticFixtures.images(256, 3, 9);
        TrainingConfig fineTuning = TransferLearner.trainingConfig(training, config);
        new Trainer(fineTuning, new CheckpointStore(dir.resolve("ft/checkpoints"), 0), new EpochLog(dir.resolve("ft.csv")), false, List.of())
                .train(network, SyntheticFixtures.iterator(threeClasses, 32, 7), null, null);

        assertThat(mln.getLayer(0).params()).as("frozen conv1").isEqualTo(conv1Before);
        assertThat(mln.getLayer(1).params()).as("fine-tuned fc1").isNotEqualTo(fc1Before);
        assertThat(mln.getLayer(2).params()).as("new head").isNotEqualTo(headBefore);
        List<EpochRecord> rows = EpochRecord.readCsv(dir.resolve("ft.csv"));
        assertThat(rows).extracting(EpochRecord::learningRate).containsOnly(0.02);
        assertThat(rows.get(rows.size() - 1).trainAccuracy()).isGreaterThan(0.8);
        // The fine-tuned model saves and loads with its frozen layer.
        network.save(dir.resolve("ft.zip").toFile(), true);
        assertThat(ClassifierNetwork.load(dir.resolve("ft.zip").toFile(), true).multiLayer().getLayer(0))
                .isInstanceOf(FrozenLayer.class);
    }

    @Test
    void namesTheLayersWhenAConfigurationDoesNotFit(@TempDir Path dir) throws Exception {
        ClassifierNetwork source = SyntheticFixtures.network(4, 3, OptimizerConfig.adam(0.01));
        TrainingConfig training = new TrainingConfig(OptimizerConfig.adam(0.001), 32, 1, 1, null, null, null, 0);
        assertThatThrownBy(() -> TransferLearner.prepare(source, new TransferConfig("w.zip", null, "fc9", null, null, null), 3, training))
                .hasMessageContaining("'fc9' is not a layer").hasMessageContaining("conv1, fc1, out");
        assertThatThrownBy(() -> TransferLearner.prepare(source, new TransferConfig("w.zip", null, null, "out", null, null), 3, training))
                .hasMessageContaining("not before the head layer");
        assertThatThrownBy(() -> new TransferConfig("weights.h5", null, null, null, null, null))
                .hasMessageContaining("transfer.format");
    }

    @Test
    void reHeadsAndFreezesAGraphByItsVertexNames() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c1")
                .addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("fc").setInputTypes(InputType.convolutional(8, 8, 1)).build();
        ClassifierNetwork pretrained = ClassifierNetwork.fromConfiguration(NetworkConfiguration.of(graph));
        TrainingConfig training = new TrainingConfig(OptimizerConfig.adam(0.001), 8, 1, 1, null, null, null, 0);

        ClassifierNetwork network = TransferLearner.prepare(pretrained,
                new TransferConfig("w.zip", null, null, "c1", 0.03, null), 3, training);
        assertThat(network.graph().getLayer("c1")).isInstanceOf(FrozenLayer.class);
        assertThat(network.graph().getLayer("c1").params()).isEqualTo(pretrained.graph().getLayer("c1").params());
        assertThat(((OutputLayer) network.graph().getLayer("fc").conf().getLayer()).getNOut()).isEqualTo(3);
        assertThat(network.graph().getLayer("fc").conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 0))
                .as("the fine-tuning rate").isEqualTo(0.03);
        assertThat(network.output(org.nd4j.linalg.factory.Nd4j.rand(2, 1, 8, 8), false).shape()).containsExactly(2, 3);

        assertThatThrownBy(() -> TransferLearner.prepare(pretrained, new TransferConfig("w.zip", null, null, "fc", null, null),
                3, training)).hasMessageContaining("'fc' is not before the head layer 'fc'");
        assertThatThrownBy(() -> TransferLearner.prepare(pretrained, new TransferConfig("w.zip", null, "head", null, null, null),
                3, training)).hasMessageContaining("'head' is not a layer").hasMessageContaining("[c1, pool, fc]");
    }
}
