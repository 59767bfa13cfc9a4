package io.github.dl4jclassics.training;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Tiny learnable data and networks for fast training tests: 1x8x8 images, the class is the bright quadrant. */
final class Synthetic {

    static final InputShape SHAPE = new InputShape(1, 8, 8);

    private Synthetic() {
    }

    /** {@code count} images; class c (of {@code classes} &lt;= 4) lights quadrant c, plus pixel noise. */
    static ImageSet images(int count, int classes, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * SHAPE.size()];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = label;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int quadrant = (y / 4) * 2 + x / 4;
                    int value = random.nextInt(2) + (quadrant == label ? 2 : 0);
                    pixels[i * SHAPE.size() + y * 8 + x] = (byte) value;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new ImageSet(pixels, labels, SHAPE, names, "synthetic");
    }

    /** The same images with every label moved to the next class: learning the rule makes their loss rise. */
    static ImageSet withShiftedLabels(ImageSet images) {
        int n = images.size();
        byte[] pixels = new byte[n * SHAPE.size()];
        float[] buffer = new float[SHAPE.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            images.copyImage(i, buffer, 0);
            for (int k = 0; k < buffer.length; k++) {
                pixels[i * SHAPE.size() + k] = (byte) buffer[k];
            }
            labels[i] = (images.label(i) + 1) % images.numClasses();
        }
        return new ImageSet(pixels, labels, SHAPE, images.classNames(), "synthetic shifted");
    }

    /** conv1 (4@3x3) → fc1 (16) → out (softmax), with the given optimiser; dropout on fc1 when {@code dropout}. */
    static NetworkConfiguration configuration(int classes, long seed, OptimizerConfig optimizer, boolean dropout) {
        DenseLayer.Builder fc1 = new DenseLayer.Builder().name("fc1").nOut(16).activation(Activation.RELU);
        if (dropout) {
            fc1.dropOut(0.8);
        }
        NetworkConfiguration conf = NetworkConfiguration.of(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).activation(Activation.RELU).build())
                .layer(fc1.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
        Optimizers.apply(conf, optimizer, null);
        return conf;
    }

    static ClassifierNetwork network(int classes, long seed, OptimizerConfig optimizer) {
        return ClassifierNetwork.fromConfiguration(configuration(classes, seed, optimizer, false));
    }

    static ImageSetIterator iterator(ImageSet images, int batchSize, long seed) {
        return new ImageSetIterator(images, batchSize, List.of(), true, seed);
    }

    /** Mean cross-entropy and top-1 in inference mode (what the evaluation module measures). */
    static Validator validator(ImageSet images) {
        return network -> {
            ImageSetIterator it = new ImageSetIterator(images, 64, List.of(), false, 0);
            double loss = 0;
            long correct = 0;
            while (it.hasNext()) {
                DataSet batch = it.next();
                INDArray p = network.output(batch.getFeatures(), false);
                loss -= Transforms.log(p.add(1e-12), false).muli(batch.getLabels()).sumNumber().doubleValue();
                correct += p.argMax(1).eq(batch.getLabels().argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.INT)
                        .sumNumber().longValue();
            }
            return new Validator.ValidationResult(loss / images.size(), (double) correct / images.size(), Double.NaN);
        };
    }
}
