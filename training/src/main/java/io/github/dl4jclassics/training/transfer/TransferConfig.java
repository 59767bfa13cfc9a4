package io.github.dl4jclassics.training.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * The {@code transfer} section of a manifest: start from pretrained weights, replace the classifier head for the
 * data set's classes, optionally freeze the layers up to one, and fine-tune.
 *
 * <p>Frozen layers in DL4J always run in inference mode: batch normalisation in the frozen part uses its running
 * statistics and does not update them, and dropout there is off. (PyTorch with {@code requires_grad=False} in
 * {@code train()} mode would still update the running statistics.)
 *
 * @param weights              the weights file (relative paths against the working directory)
 * @param format               "dl4j" (a ModelSerializer zip: a saved run model or a DL4J zoo file) or "npz" (a
 *                             PyTorch state_dict exported by model-zoo's script, loaded into the manifest's model);
 *                             by default from the file name (.zip or .npz)
 * @param headLayer            the layer whose outputs become the data set's classes; the output layer by default
 * @param freezeUpTo           freeze this layer and everything before it (null: train every layer)
 * @param fineTuneLearningRate the base learning rate of the fine-tuning, replacing training.optimizer.learningRate
 *                             (schedules start from it); null keeps the optimizer's
 * @param sourceClasses        outputs of the pretrained head, for building the architecture an npz file fits;
 *                             by default read from the file
 */
public record TransferConfig(
        @JsonProperty(required = true) String weights,
        String format,
        String headLayer,
        String freezeUpTo,
        Double fineTuneLearningRate,
        Integer sourceClasses) {

    public static final List<String> FORMATS = List.of("dl4j", "npz");

    public TransferConfig {
        if (weights == null || weights.isBlank()) {
            throw new IllegalArgumentException("transfer.weights must name a weights file");
        }
        if (format == null) {
            String name = weights.toLowerCase(Locale.ROOT);
            format = name.endsWith(".npz") ? "npz" : name.endsWith(".zip") ? "dl4j" : null;
            if (format == null) {
                throw new IllegalArgumentException("transfer.format is not given and cannot be told from '" + weights
                        + "': use one of " + String.join(", ", FORMATS));
            }
        }
        format = format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("transfer.format '" + format + "' is not one of: " + String.join(", ", FORMATS)
                    + " (Keras HDF5 is not supported: convert it to a DL4J zip with KerasModelImport)");
        }
        if (fineTuneLearningRate != null && !(fineTuneLearningRate > 0)) {
            throw new IllegalArgumentException("transfer.fineTuneLearningRate must be positive, got " + fineTuneLearningRate);
        }
        if (sourceClasses != null && sourceClasses < 1) {
            throw new IllegalArgumentException("transfer.sourceClasses must be at least 1, got " + sourceClasses);
        }
    }
}
