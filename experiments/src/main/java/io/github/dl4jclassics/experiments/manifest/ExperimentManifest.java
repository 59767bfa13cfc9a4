package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import io.github.dl4jclassics.evaluation.DocumentedValue;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.transfer.TransferConfig;
import java.util.List;

/**
 * One experiment: {@code experiments/manifests/NAME.json}, resolved (its {@code base} parts merged). Every field:
 * docs/MANIFESTS.md and {@code experiments/manifests/schema/manifest.schema.json}.
 *
 * @param name        the experiment id; must equal the file name without ".json"
 * @param tags        labels for selecting experiments (e.g. "nightly", "smoke")
 * @param transfer    start from pretrained weights and fine-tune (null: train from scratch)
 * @param documented  the regression target (the headline); null or a null value for none
 * @param checks      further documented values (other splits, a second metric, per-class accuracies); may be empty
 * @param shortened   set by a run in the manifest it saves: how it was shortened from the recipe (e.g.
 *                    "--epochs 1 (the recipe: 3)"), so that resuming or rerunning it is not judged either; null for none
 * @param distributed settings of a data-parallel Spark run (the spark module); null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentManifest(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String description,
        List<String> tags,
        SourceInfo source,
        @JsonProperty(required = true) ModelSection model,
        @JsonProperty(required = true) DataConfig data,
        @JsonProperty(required = true) TrainingConfig training,
        TransferConfig transfer,
        EvaluationConfig evaluation,
        DocumentedResult documented,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DocumentedValue> checks,
        List<String> shortened,
        DistributedConfig distributed) {

    public ExperimentManifest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        checks = checks == null ? List.of() : List.copyOf(checks);
        shortened = shortened == null || shortened.isEmpty() ? null : List.copyOf(shortened);
        if (evaluation == null) {
            evaluation = new EvaluationConfig(5);
        }
    }

    /** A manifest with no further documented values, not shortened, not distributed. */
    public ExperimentManifest(String name, String description, List<String> tags, SourceInfo source, ModelSection model,
                              DataConfig data, TrainingConfig training, TransferConfig transfer,
                              EvaluationConfig evaluation, DocumentedResult documented) {
        this(name, description, tags, source, model, data, training, transfer, evaluation, documented, null, null, null);
    }

    /** How the run was shortened from its recipe; empty for a full recipe. */
    public List<String> shortenings() {
        return shortened == null ? List.of() : shortened;
    }

    public ExperimentManifest withShortened(List<String> newShortened) {
        return new ExperimentManifest(name, description, tags, source, model, data, training, transfer, evaluation,
                documented, checks, newShortened, distributed);
    }

    public ExperimentManifest withTraining(TrainingConfig newTraining) {
        return new ExperimentManifest(name, description, tags, source, model, data, newTraining, transfer, evaluation, documented, checks, shortened, distributed);
    }

    public ExperimentManifest withData(DataConfig newData) {
        return new ExperimentManifest(name, description, tags, source, model, newData, training, transfer, evaluation, documented, checks, shortened, distributed);
    }

    public ExperimentManifest withDocumented(DocumentedResult newDocumented) {
        return new ExperimentManifest(name, description, tags, source, model, data, training, transfer, evaluation, newDocumented, checks, shortened, distributed);
    }

    public ExperimentManifest withDistributed(DistributedConfig newDistributed) {
        return new ExperimentManifest(name, description, tags, source, model, data, training, transfer, evaluation, documented, checks, shortened, newDistributed);
    }
}
