package io.github.dl4jclassics.training;

import io.github.dl4jclassics.training.transfer.TransferConfig;
import io.github.dl4jclassics.training.transfer.TransferLearner;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place that builds the network a run trains, from (model, input spec, training configuration, transfer
 * configuration), in one of three ways:
 * <ul>
 *   <li>{@link #fresh}: the zoo's configuration for this backend ({@link NetworkConfiguration#forBackend}) with the
 *       manifest's optimiser, regularisation and clipping ({@link Optimizers}), freshly initialised; or, with a
 *       {@code transfer} section, the pretrained weights re-headed and partly frozen ({@link TransferLearner});</li>
 *   <li>{@link #resumed}: an interrupted run's newest intact checkpoint, or {@link #fresh} when it has none;</li>
 *   <li>{@link #continued}: a finished run's last checkpoint, for more epochs.</li>
 * </ul>
 * In all three the training configuration in effect is the manifest's with a transfer's fine-tuning rate.
 */
public final class NetworkAssembly {

    private NetworkAssembly() {
    }

    /** A new network: freshly initialised, or transferred when {@code transfer} is not null. */
    public static TrainingStart fresh(ClassicModel model, ModelSpec spec, TrainingConfig training, TransferConfig transfer)
            throws IOException {
        TrainingConfig effective = effective(training, transfer);
        if (transfer != null) {
            ClassifierNetwork pretrained = TransferLearner.loadPretrained(transfer, model, spec);
            return new TrainingStart(TransferLearner.prepare(pretrained, transfer, spec.numClasses(), effective),
                    effective, null);
        }
        NetworkConfiguration configuration = model.configuration(spec).forBackend();
        Optimizers.apply(configuration, effective.optimizer(), effective.gradientClipping());
        return new TrainingStart(ClassifierNetwork.fromConfiguration(configuration), effective, null);
    }

    /**
     * An interrupted run, continued in its own folder: from the newest intact checkpoint under {@code checkpoints}
     * (see {@link Resume#fromRunCheckpoints}), or from the start when the run had not finished an epoch.
     */
    public static TrainingStart resumed(Path checkpoints, ClassicModel model, ModelSpec spec, TrainingConfig training,
                                        TransferConfig transfer) throws IOException {
        Optional<Resume.Point> point = Resume.fromRunCheckpoints(checkpoints);
        if (point.isEmpty()) {
            return fresh(model, spec, training, transfer);
        }
        return new TrainingStart(point.get().network(), effective(training, transfer), point.get().state());
    }

    /**
     * A finished run continued for more epochs ({@code run --from RUN_DIR --epochs +N}): its last checkpoint, with
     * its seed, and {@code epochs} counted from the epochs it trained.
     */
    public static TrainingStart continued(Path checkpoints, TrainingConfig training, TransferConfig transfer,
                                          EpochTarget epochs) throws IOException {
        Resume.Point point = Resume.forMoreEpochs(checkpoints);
        int total = epochs.totalAfter(point.state().epochsCompleted());
        TrainingConfig continuedTraining = effective(training, transfer).withEpochs(total).withSeed(point.state().seed());
        return new TrainingStart(point.network(), continuedTraining, point.state());
    }

    /** The manifest's training configuration with a transfer's fine-tuning rate, if any. */
    public static TrainingConfig effective(TrainingConfig training, TransferConfig transfer) {
        return transfer == null ? training : TransferLearner.trainingConfig(training, transfer);
    }
}
