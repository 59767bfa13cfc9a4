package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.evaluation.DocumentedResult;
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
 * @param documented  the regression target; null or a null value for none
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
        DistributedConfig distributed) {

    public ExperimentManifest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (evaluation == null) {
            evaluation = new EvaluationConfig(5);
        }
    }

    /** A manifest without a {@code distributed} section. */
    public ExperimentManifest(String name, String description, List<String> tags, SourceInfo source, ModelSection model,
                              DataConfig data, TrainingConfig training, TransferConfig transfer,
                              EvaluationConfig evaluation, DocumentedResult documented) {
        this(name, description, tags, source, model, data, training, transfer, evaluation, documented, null);
    }

    public ExperimentManifest withTraining(TrainingConfig newTraining) {
        return new ExperimentManifest(name, description, tags, source, model, data, newTraining, transfer, evaluation, documented, distributed);
    }

    public ExperimentManifest withData(DataConfig newData) {
        return new ExperimentManifest(name, description, tags, source, model, newData, training, transfer, evaluation, documented, distributed);
    }

    public ExperimentManifest withDocumented(DocumentedResult newDocumented) {
        return new ExperimentManifest(name, description, tags, source, model, data, training, transfer, evaluation, newDocumented, distributed);
    }

    public ExperimentManifest withDistributed(DistributedConfig newDistributed) {
        return new ExperimentManifest(name, description, tags, source, model, data, training, transfer, evaluation, documented, newDistributed);
    }
}
