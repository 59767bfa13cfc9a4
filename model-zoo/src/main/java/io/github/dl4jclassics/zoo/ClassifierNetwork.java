package io.github.dl4jclassics.zoo;

import java.io.File;
import java.io.IOException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One handle for a classifier that is either a {@link MultiLayerNetwork} or a single-input, single-output
 * {@link ComputationGraph}, so training and evaluation need not care which.
 */
public final class ClassifierNetwork {

    static {
        // oneDNN helpers for every network, whichever entry point built it (see FastPath).
        io.github.dl4jclassics.common.FastPath.enable();
    }

    private final MultiLayerNetwork multiLayer;
    private final ComputationGraph graph;

    private ClassifierNetwork(MultiLayerNetwork multiLayer, ComputationGraph graph) {
        this.multiLayer = multiLayer;
        this.graph = graph;
    }

    public static ClassifierNetwork of(MultiLayerNetwork network) {
        return new ClassifierNetwork(network, null);
    }

    public static ClassifierNetwork of(ComputationGraph network) {
        return new ClassifierNetwork(null, network);
    }

    /** Initialises a network from a {@link MultiLayerConfiguration} or {@link ComputationGraphConfiguration}. */
    public static ClassifierNetwork fromConfiguration(Object configuration) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            MultiLayerNetwork network = new MultiLayerNetwork(conf);
            network.init();
            return of(network);
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            ComputationGraph network = new ComputationGraph(conf);
            network.init();
            return of(network);
        }
        throw new IllegalArgumentException("not a network configuration: " + configuration);
    }

    /** Loads a {@code ModelSerializer} zip, whichever kind of network it holds. */
    public static ClassifierNetwork load(File file, boolean loadUpdater) throws IOException {
        if (!file.isFile()) {
            throw new IOException("model file not found: " + file);
        }
        boolean isGraph;
        try (ZipFile zip = new ZipFile(file)) {
            String json = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes());
            isGraph = json.contains("\"vertices\"");
        } catch (NullPointerException e) {
            throw new IOException(file + " is not a DL4J model zip (no configuration.json)");
        } catch (java.util.zip.ZipException e) {
            // A download or copy cut short, or a disk that filled up: say which file, not just "END header not found".
            throw new IOException(file + " is damaged or truncated (" + e.getMessage() + "), not a readable model zip ("
                    + file.length() + " bytes)", e);
        }
        try {
            return isGraph ? of(ModelSerializer.restoreComputationGraph(file, loadUpdater))
                    : of(ModelSerializer.restoreMultiLayerNetwork(file, loadUpdater));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is damaged: its configuration opens but its weights do not ("
                    + e.getMessage() + ")", e);
        }
    }

    public Model model() {
        return multiLayer != null ? multiLayer : graph;
    }

    public boolean isGraph() {
        return graph != null;
    }

    public MultiLayerNetwork multiLayer() {
        if (multiLayer == null) {
            throw new IllegalStateException("network is a ComputationGraph");
        }
        return multiLayer;
    }

    public ComputationGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("network is a MultiLayerNetwork");
        }
        return graph;
    }

    /** Class scores (softmax output) for a batch; {@code train=false} is inference mode (no dropout, BN running stats). */
    public INDArray output(INDArray features, boolean train) {
        return multiLayer != null ? multiLayer.output(features, train) : graph.outputSingle(train, features);
    }

    /** One optimisation step on one batch. */
    public void fit(DataSet batch) {
        if (multiLayer != null) {
            multiLayer.fit(batch);
        } else {
            graph.fit(batch);
        }
    }

    /** The loss of the last fitted batch (including regularisation). */
    public double score() {
        return model().score();
    }

    /** Loss of a batch without training (inference mode, without regularisation terms). */
    public double loss(DataSet batch) {
        return multiLayer != null ? multiLayer.score(batch, false)
                : graph.score(batch, false);
    }

    public long numParams() {
        return model().numParams();
    }

    public INDArray params() {
        return model().params();
    }

    public int iterationCount() {
        return multiLayer != null ? multiLayer.getIterationCount() : graph.getIterationCount();
    }

    public int epochCount() {
        return multiLayer != null ? multiLayer.getEpochCount() : graph.getEpochCount();
    }

    public void setEpochCount(int epoch) {
        if (multiLayer != null) {
            multiLayer.setEpochCount(epoch);
        } else {
            graph.getConfiguration().setEpochCount(epoch);
        }
    }

    public void save(File file, boolean saveUpdater) throws IOException {
        ModelSerializer.writeModel(model(), file, saveUpdater);
    }
}
