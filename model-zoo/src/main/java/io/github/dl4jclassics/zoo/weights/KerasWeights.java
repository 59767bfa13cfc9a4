package io.github.dl4jclassics.zoo.weights;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Keras HDF5 application weights (VGG16, VGG19) imported with deeplearning4j-modelimport's
 * {@link KerasModelImport} and copied into this project's model by {@link Dl4jZooWeights}' mapping (Keras layer
 * names block1_conv1 ... fc1, fc2, predictions; strict shape and layer checks; a channels-last Keras flatten has the
 * first dense layer's rows permuted to our NCHW order; Keras "same" 3x3 stride-1 convs equal our padding-1 convs).
 *
 * <p>Two forms: a full Keras model file ({@code model.save("x.h5")}: architecture and weights), or the architecture
 * JSON ({@code model.to_json()}) plus a weights-only file such as {@code vgg16_weights_tf_dim_ordering_tf_kernels.h5}
 * (the files {@code keras.applications} downloads hold only weights, so they need the JSON).
 *
 * <p>Tested on Keras 2.x files written with h5py in the layout tf.keras 2.9 writes (full model, and JSON plus
 * weights-only), against a numpy forward pass. Functional models only (keras.applications' are); the Keras 1 weight
 * names of the oldest released files are not verified.
 */
public final class KerasWeights {

    private KerasWeights() {
    }

    /** A full Keras model file (architecture and weights). */
    public static Dl4jZooWeights.Report loadInto(ClassicModel model, ClassifierNetwork target, Path modelH5)
            throws IOException {
        requireFile(modelH5, "Keras model file");
        ComputationGraph graph;
        try {
            graph = KerasModelImport.importKerasModelAndWeights(modelH5.toString(), false);
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException("cannot import Keras model " + modelH5 + " (a full model file with its"
                    + " architecture is needed; for keras.applications weights-only files use"
                    + " loadInto(model, target, architectureJson, weightsH5)): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + modelH5 + " as a Keras HDF5 model: " + e.getMessage(), e);
        }
        return Dl4jZooWeights.loadInto(model, target, ClassifierNetwork.of(graph), modelH5.toString());
    }

    /** Architecture JSON ({@code model.to_json()}) plus a weights-only HDF5 file. */
    public static Dl4jZooWeights.Report loadInto(ClassicModel model, ClassifierNetwork target, Path architectureJson,
            Path weightsH5) throws IOException {
        requireFile(architectureJson, "Keras architecture JSON");
        requireFile(weightsH5, "Keras weights file");
        ComputationGraph graph;
        try {
            graph = KerasModelImport.importKerasModelAndWeights(architectureJson.toString(), weightsH5.toString(), false);
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException("cannot import Keras model " + architectureJson + " with weights " + weightsH5 + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("cannot read Keras model " + architectureJson + " with weights " + weightsH5 + ": "
                    + e.getMessage(), e);
        }
        return Dl4jZooWeights.loadInto(model, target, ClassifierNetwork.of(graph), weightsH5.toString());
    }

    private static void requireFile(Path path, String what) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(what + " not found: " + path);
        }
    }
}
