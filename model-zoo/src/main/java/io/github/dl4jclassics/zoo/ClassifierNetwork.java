package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.FastPath;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One handle for a classifier that is either a {@link MultiLayerNetwork} or a single-input, single-output
 * {@link ComputationGraph}, so training and evaluation need not care which.
 *
 * <p>What is saved names only DL4J's classes ({@link #save}); what runs may use the project's CPU layers
 * ({@link #load} swaps them in on the CPU backend, {@link ClassicModel#create} builds with them): a model this class
 * writes opens with {@code ModelSerializer} in an application without this project's jar.
 */
public final class ClassifierNetwork {

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

    /**
     * Initialises a network from a copy of {@code configuration}, its layers as given. The zoo's initialisers are first
     * said in DL4J's terms ({@link Dl4jWeightInit#express}); the layers initialised with PyTorch's default then get
     * PyTorch's random biases too, from the configuration's seed.
     */
    public static ClassifierNetwork fromConfiguration(NetworkConfiguration configuration) {
        NetworkConfiguration copy = configuration.copy();
        List<Dl4jWeightInit.BiasDraw> biases = Dl4jWeightInit.express(copy);
        ClassifierNetwork network = copy.initialise(null);
        Dl4jWeightInit.drawBiases(network.model(), biases, copy.seed());
        return network;
    }

    /**
     * Loads a {@code ModelSerializer} zip, whichever kind of network it holds, for training or evaluation on this
     * backend ({@link NetworkConfiguration#forBackend}): on the CPU with the project's native layers in place of DL4J's, on
     * CUDA with DL4J's own; the parameters (and updater state) exactly as saved.
     */
    public static ClassifierNetwork load(File file, boolean loadUpdater) throws IOException {
        ClassifierNetwork saved = restore(file, loadUpdater);
        // On another backend forBackend gives DL4J's own layers, also for a model saved with native layers by an
        // earlier version.
        return saved.withConfiguration(saved.configuration().forBackend(), loadUpdater);
    }

    /** Loads a {@code ModelSerializer} zip as it was saved (DL4J's own layers), whichever kind of network it holds. */
    public static ClassifierNetwork restore(File file, boolean loadUpdater) throws IOException {
        if (!file.isFile()) {
            throw new IOException("model file not found: " + file);
        }
        boolean isGraph;
        try (ZipFile zip = new ZipFile(file)) {
            java.util.zip.ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IOException(file + " is not a DL4J model zip (no configuration.json)");
            }
            // The configuration's JSON says which kind of network it is: only a ComputationGraph has vertices.
            String json = new String(zip.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            isGraph = json.contains("\"vertices\"");
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

    /** The network's layers at run time (a graph's in the order of its vertices, not topologically sorted). */
    public org.deeplearning4j.nn.api.Layer[] layers() {
        return multiLayer != null ? multiLayer.getLayers() : graph.getLayers();
    }

    /**
     * Class scores (softmax output) for a batch; {@code train=false} is inference mode (no dropout, BN running stats).
     * Runs on {@link FastPath#inferenceThreads()} native threads (every core unless fixed), whatever the training
     * loop around it uses.
     */
    public INDArray output(INDArray features, boolean train) {
        return FastPath.withInferenceThreads(() -> outputOnCurrentThreads(features, train));
    }

    /** {@link #output} on the native threads the calling thread has now (for measurements that fix the count). */
    public INDArray outputOnCurrentThreads(INDArray features, boolean train) {
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

    public void setEpochCount(int epoch) {
        if (multiLayer != null) {
            multiLayer.setEpochCount(epoch);
        } else {
            graph.getConfiguration().setEpochCount(epoch);
        }
    }

    /** The network's configuration (not a copy). */
    public NetworkConfiguration configuration() {
        return multiLayer != null ? NetworkConfiguration.of(multiLayer.getLayerWiseConfigurations())
                : NetworkConfiguration.of(graph.getConfiguration());
    }

    /**
     * Saves the network with {@code ModelSerializer}, naming DL4J's classes only where possible: DL4J's own layers in
     * place of the native ones ({@link NetworkConfiguration#withStockLayers}), the zoo's initialisers in DL4J's terms. Without the
     * updater (a deliverable model) the updaters are DL4J's too ({@link SavedUpdater}); with it (a checkpoint for
     * {@code --resume}) they stay what training uses, state included, so a resumed run continues bit for bit.
     * The saved parameters are this network's, unchanged.
     */
    public void save(File file, boolean saveUpdater) throws IOException {
        NetworkConfiguration portable = configuration().withStockLayers();
        Dl4jWeightInit.express(portable);
        if (!saveUpdater) {
            dl4jUpdaters(portable);
        }
        ModelSerializer.writeModel(withConfiguration(portable, saveUpdater).model(), file, saveUpdater);
    }

    /**
     * A network with {@code configuration} (the same layers and parameters in the same order) holding this network's
     * parameters, and with {@code withUpdaterState} a copy of its updater state.
     */
    private ClassifierNetwork withConfiguration(NetworkConfiguration configuration, boolean withUpdaterState) {
        ClassifierNetwork copy = configuration.initialise(params());
        if (withUpdaterState) {
            // DL4J's two network kinds keep their updaters behind different APIs.
            if (copy.isGraph()) {
                if (graph().getUpdater(false) != null && graph.getUpdater(false).getStateViewArray() != null) {
                    copy.graph().getUpdater().setStateViewArray(graph.getUpdater().getStateViewArray());
                }
            } else if (multiLayer().getUpdater(false) != null && multiLayer.getUpdater(false).getStateViewArray() != null) {
                copy.multiLayer().getUpdater().setStateViewArray(copy.multiLayer(), multiLayer.getUpdater().getStateViewArray(), false);
            }
        }
        return copy;
    }

    /** Replaces the project's updaters ({@link SavedUpdater}) by their DL4J equivalents, in place. */
    private static void dl4jUpdaters(NetworkConfiguration configuration) {
        for (Layer entry : configuration.layers().values()) {
            Layer layer = entry instanceof FrozenLayer frozen ? frozen.getLayer() : entry;
            if (layer instanceof BaseLayer base) {
                if (base.getIUpdater() instanceof SavedUpdater custom) {
                    base.setIUpdater(custom.dl4jEquivalent());
                }
                if (base.getBiasUpdater() instanceof SavedUpdater custom) {
                    base.setBiasUpdater(custom.dl4jEquivalent());
                }
            }
        }
    }
}
