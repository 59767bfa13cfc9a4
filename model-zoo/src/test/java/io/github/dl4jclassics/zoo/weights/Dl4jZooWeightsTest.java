package io.github.dl4jclassics.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The "pretrained" zoo files are built here, never downloaded: DL4J's own zoo model (or a graph with the Keras
 * layer names of the pretrained files) with random weights and biases, saved by {@link ModelSerializer} exactly as
 * the zoo's pretrained zips are. Inputs are 3x64x64 (a 2x2x512 flatten, so the flatten order matters) with 10
 * classes.
 */
class Dl4jZooWeightsTest {

    private static final InputShape INPUT = new InputShape(3, 64, 64);
    private static final int CLASSES = 10;

    @TempDir
    static Path dir;

    private static Path vgg16File;
    private static ComputationGraph vgg16Zoo;

    @BeforeAll
    static void saveZooVgg16() throws IOException {
        vgg16Zoo = VGG16.builder().numClasses(CLASSES).inputShape(new int[] {3, 64, 64}).seed(7).build().init();
        randomiseBiases(vgg16Zoo, 11);
        vgg16File = dir.resolve("vgg16_dl4j_test.zip");
        ModelSerializer.writeModel(vgg16Zoo, vgg16File.toFile(), false);
    }

    @Test
    void zooVgg16FileGivesTheSameFunctionInOurVgg16() throws IOException {
        ClassicModel model = ModelRegistry.standard().get("vgg16");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, INPUT, 1));
        Dl4jZooWeights.Report report = Dl4jZooWeights.loadInto(model, ours, vgg16File);

        assertFalse(report.denseRowsPermuted(), report.toString());
        assertTrue(report.flattenOrder().startsWith("channels-first"), report.flattenOrder());
        assertEquals(16, report.layers().size());
        assertTrue(report.layers().get(0).startsWith("0 (block1_conv1) -> features.0"), report.layers().get(0));
        assertTrue(report.layers().get(13).startsWith("18 (fc1) -> classifier.0"), report.layers().get(13));
        assertEquals(vgg16Zoo.numParams(), report.parametersCopied());
        assertEquals(ours.model().numParams(), report.parametersCopied());

        ComputationGraph zoo = ClassifierNetwork.load(vgg16File.toFile(), false).graph();
        assertSameFunction(zoo, "19", ours);
    }

    @Test
    void channelsLastFlattenHasItsDenseRowsPermuted() throws IOException {
        // The zoo VGG16 graph with a Keras TensorFlow-ordering flatten in front of fc1 (what KerasModelImport made
        // for channels-last models): fc1's rows are (h, w, c)-ordered and must be permuted for our NCHW flatten.
        ComputationGraphConfiguration conf = VGG16.builder().numClasses(CLASSES).inputShape(new int[] {3, 64, 64})
                .seed(8).build().conf();
        ((LayerVertex) conf.getVertices().get("18")).setPreProcessor(new TensorFlowCnnToFeedForwardPreProcessor(2, 2, 512));
        ComputationGraph zoo = new ComputationGraph(conf);
        zoo.init();
        randomiseBiases(zoo, 12);
        Path file = dir.resolve("vgg16_channels_last.zip");
        ModelSerializer.writeModel(zoo, file.toFile(), false);

        ClassicModel model = ModelRegistry.standard().get("vgg16");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, INPUT, 1));
        Dl4jZooWeights.Report report = Dl4jZooWeights.loadInto(model, ours, file);

        assertTrue(report.denseRowsPermuted(), report.toString());
        INDArray zooFc1 = zoo.getLayer("18").getParam("W");
        INDArray ourFc1 = ours.multiLayer().getLayer("classifier.0").getParam("W");
        assertFalse(zooFc1.equalsWithEps(ourFc1, 1e-6), "rows must have moved");
        // row (h=1, w=0, c=5) of the zoo is row (c=5, h=1, w=0) of ours
        assertEquals(zooFc1.getRow((1 * 2 + 0) * 512 + 5), ourFc1.getRow((5 * 2 + 1) * 2 + 0));
        assertSameFunction(zoo, "19", ours);
    }

    @Test
    void kerasNamedVgg19GivesTheSameFunctionInOurVgg19() {
        ComputationGraph zoo = kerasNamedVgg(new int[] {2, 2, 4, 4, 4}, 21);
        ClassicModel model = ModelRegistry.standard().get("vgg19");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, INPUT, 1));
        Dl4jZooWeights.Report report = Dl4jZooWeights.loadInto(model, ours, ClassifierNetwork.of(zoo), "keras-vgg19");

        assertTrue(report.naming().startsWith("Keras"), report.naming());
        assertTrue(report.denseRowsPermuted(), "flatten vertex is channels-last");
        assertTrue(report.layers().get(18).startsWith("predictions (predictions) -> classifier.6"),
                report.layers().get(18));
        assertSameFunction(zoo, "fc2", ours);
    }

    @Test
    void wrongNumberOfClassesNamesTheLayerAndBothShapes() {
        ClassicModel model = ModelRegistry.standard().get("vgg16");
        ClassifierNetwork ours = model.create(new ModelSpec(5, INPUT, 1));
        INDArray before = ours.model().params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(model, ours, vgg16File));
        assertTrue(e.getMessage().contains("zoo layer '20' (predictions) param W: expected shape [4096, 5]"
                + " (our 'classifier.6'), found [4096, 10]"), e.getMessage());
        assertTrue(e.getMessage().contains("param b: expected shape [5] (our 'classifier.6'), found [10]"), e.getMessage());
        assertEquals(before, ours.model().params(), "nothing is loaded when anything mismatches");
    }

    @Test
    void wrongInputSizeShowsAsTheFlattenWidthOfFc1() {
        ClassicModel model = ModelRegistry.standard().get("vgg16");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, new InputShape(3, 32, 32), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(model, ours, vgg16File));
        assertTrue(e.getMessage().contains("zoo layer '18' (fc1) param W: expected shape [512, 4096]"
                + " (our 'classifier.0'), found [2048, 4096]"), e.getMessage());
    }

    @Test
    void vgg16FileDoesNotLoadIntoVgg19OrOtherModels() {
        ClassicModel vgg19 = ModelRegistry.standard().get("vgg19");
        ClassifierNetwork ours = vgg19.create(new ModelSpec(CLASSES, INPUT, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(vgg19, ours, vgg16File));
        assertTrue(e.getMessage().contains("its 16 parameterised layers are [0, 1, 3,"), e.getMessage());
        assertTrue(e.getMessage().contains("expected the 19 layers [block1_conv1"), e.getMessage());

        ClassicModel vgg13 = ModelRegistry.standard().get("vgg13");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(vgg13, vgg13.create(new ModelSpec(CLASSES, INPUT, 1)), vgg16File));
        assertTrue(other.getMessage().contains("no DL4J zoo weights fit model 'vgg13'"), other.getMessage());
    }

    @Test
    void dl4jVgg19ConfHasOneDenseLayerAndIsRefused() {
        ComputationGraph zoo = VGG19.builder().numClasses(CLASSES).inputShape(new int[] {3, 64, 64}).build().init();
        ClassicModel model = ModelRegistry.standard().get("vgg19");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, INPUT, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(model, ours, ClassifierNetwork.of(zoo), "VGG19.conf()"));
        assertTrue(e.getMessage().contains("single dense layer of 4096"), e.getMessage());
    }

    @Test
    void zooResNet50IsRefusedWithTheArchitecturalDifferences() {
        ComputationGraph zoo = ResNet50.builder().numClasses(CLASSES).build().init();
        ClassicModel model = ModelRegistry.standard().get("resnet50");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, INPUT, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jZooWeights.loadInto(model, ours, ClassifierNetwork.of(zoo), "resnet50_dl4j.zip"));
        String m = e.getMessage();
        assertTrue(m.contains("res2a_branch2a has stride [2, 2] where layer1.0 has stride 1"), m);
        assertTrue(m.contains("stride sits on the 1x1 conv"), m);
        assertTrue(m.contains("have biases"), m);
        assertTrue(m.contains("'avgpool' is a MAX pool [3, 3]"), m);

        ClassicModel resnet18 = ModelRegistry.standard().get("resnet18");
        IllegalArgumentException r18 = assertThrows(IllegalArgumentException.class, () -> Dl4jZooWeights
                .loadInto(resnet18, resnet18.create(new ModelSpec(CLASSES, INPUT, 1)), vgg16File));
        assertTrue(r18.getMessage().contains("not a DL4J zoo ResNet50 graph"), r18.getMessage());
    }

    @Test
    void missingOrForeignFilesAreErrors() throws IOException {
        ClassicModel model = ModelRegistry.standard().get("vgg16");
        ClassifierNetwork ours = model.create(new ModelSpec(CLASSES, new InputShape(3, 32, 32), 1));
        IOException missing = assertThrows(IOException.class,
                () -> Dl4jZooWeights.loadInto(model, ours, dir.resolve("absent.zip")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        assertThrows(IOException.class, () -> Dl4jZooWeights.loadInto(model, ours, junk));
    }

    /** Same fc2 activations and class probabilities, in inference mode, on the same random NCHW input. */
    private static void assertSameFunction(ComputationGraph zoo, String zooFc2, ClassifierNetwork ours) {
        Nd4j.getRandom().setSeed(99);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        Map<String, INDArray> zooActs = zoo.feedForward(x, false);
        List<INDArray> ourActs = ours.multiLayer().feedForward(x, false);
        int fc2 = ours.multiLayer().getLayer("classifier.3").getIndex();
        INDArray a = zooActs.get(zooFc2);
        INDArray b = ourActs.get(fc2 + 1);
        assertTrue(a.amaxNumber().doubleValue() > 0, "fc2 activations should not be all zero");
        assertClose(a, b, "fc2 activations");
        assertClose(zoo.outputSingle(false, x), ours.output(x, false), "class probabilities");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(List.of(expected.shape()[0], expected.shape()[1]), List.of(actual.shape()[0], actual.shape()[1]));
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + " differ: max |diff| " + diff + " at scale " + scale);
    }

    private static void randomiseBiases(ComputationGraph g, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers()) {
            if (l.paramTable().containsKey("b")) {
                INDArray b = l.getParam("b");
                b.assign(Nd4j.randn(b.dataType(), b.shape()).muli(0.1));
            }
        }
    }

    /** A graph laid out as a Keras import of VGG: Keras names, "same" convs, a channels-last "flatten" vertex. */
    private static ComputationGraph kerasNamedVgg(int[] convsPerBlock, long seed) {
        int[] channels = {64, 128, 256, 512, 512};
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .activation(Activation.RELU).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("input_1")
                .setInputTypes(InputType.convolutional(64, 64, 3));
        String last = "input_1";
        for (int block = 1; block <= 5; block++) {
            for (int i = 1; i <= convsPerBlock[block - 1]; i++) {
                String name = "block" + block + "_conv" + i;
                // Keras "same" padding, as KerasModelImport configures it (ConvolutionMode.Same, no explicit padding)
                b.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(1, 1)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .nOut(channels[block - 1]).build(), last);
                last = name;
            }
            String pool = "block" + block + "_pool";
            b.addLayer(pool, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).build(), last);
            last = pool;
        }
        b.addVertex("flatten", new PreprocessorVertex(new TensorFlowCnnToFeedForwardPreProcessor(2, 2, 512)), last)
                .addLayer("fc1", new DenseLayer.Builder().nOut(4096).build(), "flatten")
                .addLayer("fc2", new DenseLayer.Builder().nOut(4096).build(), "fc1")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(CLASSES).activation(Activation.SOFTMAX).build(), "fc2")
                .setOutputs("predictions");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        randomiseBiases(g, seed);
        return g;
    }
}
