package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.transforms.Batch;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.Mixup;
import io.github.dl4jclassics.data.transforms.MixupPreProcessor;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.evaluation.charts.ImageGrid;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The run folder's pictures: {@code batch-preview.png} (training images after the recipe's augmentation, before
 * normalization so the colours are the real ones) and {@code conv1-filters.png} (the first layer's filters, when it
 * is a convolution over 3 channels).
 */
public final class RunPictures {

    /** Images in the preview grid. */
    public static final int PREVIEW_IMAGES = 32;

    private RunPictures() {
    }

    /**
     * Draws {@value #PREVIEW_IMAGES} training images spread over the split through every training transform except normalization
     * (the network's inputs, in 0..255 colours), with the class of each (the dominant one under mixup).
     */
    public static Path writeBatchPreview(PreparedData data, long seed, Path file) throws IOException {
        ImageSet train = data.train();
        int n = Math.min(PREVIEW_IMAGES, train.size());
        if (n == 0) {
            throw new IllegalArgumentException("no training images to preview");
        }
        int size = train.shape().size();
        float[] features = new float[n * size];
        float[] labels = new float[n * train.numClasses()];
        for (int i = 0; i < n; i++) {
            // Spread over the split: image folders are stored class by class.
            int index = (int) ((long) i * train.size() / n);
            train.copyImage(index, features, i * size);
            labels[i * train.numClasses() + train.label(index)] = 1;
        }
        Batch batch = new Batch(features, train.shape(), labels, n, train.numClasses());
        Random random = new Random(seed);
        List<String> applied = new ArrayList<>();
        for (BatchTransform transform : data.trainTransforms()) {
            if (transform instanceof Normalize) {
                continue;
            }
            if (transform instanceof Mixup mixup) {
                // Mixup is a DataSetPreProcessor in training; the same draw and arithmetic on the preview's arrays.
                MixupPreProcessor.Draw draw = mixup.preProcessor(random).draw(random, n);
                MixupPreProcessor.mix(batch.features(), n, batch.shape().size(), draw.lambda(), draw.permutation());
                MixupPreProcessor.mix(batch.labels(), n, batch.numClasses(), draw.lambda(), draw.permutation());
            } else {
                transform.apply(batch, random);
            }
            applied.add(name(transform));
        }
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < batch.numClasses(); c++) {
                if (batch.labels()[i * batch.numClasses() + c] > batch.labels()[i * batch.numClasses() + best]) {
                    best = c;
                }
            }
            float weight = batch.labels()[i * batch.numClasses() + best];
            captions.add(data.classNames().get(best) + (weight < 0.999f
                    ? String.format(Locale.ROOT, " %.0f%%", weight * 100) : ""));
        }
        String title = "Training images after " + (applied.isEmpty() ? "no augmentation" : String.join(", ", applied))
                + " (" + batch.shape() + ", before normalization)";
        ImageGrid.write(ImageGrid.images(batch.features(), n, batch.shape().channels(), batch.shape().height(),
                batch.shape().width(), captions, title), file);
        return file;
    }

    /** The first layer's weights {@code [out, 3, kh, kw]} when it is a convolution over 3 input channels. */
    public static Optional<INDArray> conv1Weights(ClassifierNetwork network) {
        Layer[] layers = network.layers();
        if (network.isGraph()) {
            // The graph's layers in topological order: the first is the one fed by the input.
            int[] order = network.graph().topologicalSortOrder();
            List<Layer> sorted = new ArrayList<>();
            for (int index : order) {
                var vertex = network.graph().getVertices()[index];
                if (vertex.hasLayer()) {
                    sorted.add(vertex.getLayer());
                }
            }
            layers = sorted.toArray(new Layer[0]);
        }
        if (layers.length == 0 || !(layers[0].conf().getLayer() instanceof ConvolutionLayer)) {
            return Optional.empty();
        }
        INDArray w = layers[0].getParam("W");
        if (w == null || w.rank() != 4 || w.size(1) != 3) {
            return Optional.empty();
        }
        return Optional.of(w);
    }

    /** Writes conv1-filters.png when the first layer is a convolution over 3 channels; false otherwise. */
    public static boolean writeConv1Filters(ClassifierNetwork network, String title, Path file) throws IOException {
        Optional<INDArray> weights = conv1Weights(network);
        if (weights.isEmpty()) {
            return false;
        }
        INDArray w = weights.get();
        float[] values = w.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ImageGrid.write(ImageGrid.conv1Filters(values, (int) w.size(0), (int) w.size(2), (int) w.size(3),
                title + " (" + w.size(0) + " filters " + w.size(2) + "x" + w.size(3) + "x3)"), file);
        return true;
    }

    private static String name(BatchTransform transform) {
        String simple = transform.getClass().getSimpleName();
        return simple.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
