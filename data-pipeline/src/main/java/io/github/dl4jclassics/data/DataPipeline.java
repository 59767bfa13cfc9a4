package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.zoo.InputShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates a data set, splits it, computes the statistics the transforms need from the training
 * split only, and checks that batches will have the model's input shape, all before any training starts.
 */
public final class DataPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DataPipeline.class);

    private DataPipeline() {
    }

    /**
     * @param limitTrain keep only the first N training-file examples (before the split); null for all
     * @param limitTest  keep only the first N test examples; null for all
     * @param savedStatistics statistics saved beside a trained model, used instead of computing them (null to compute)
     */
    public static PreparedData prepare(DatasetSource source, DataFiles files, DataConfig config, InputShape modelInput,
                                       Integer limitTrain, Integer limitTest, ChannelStatistics savedStatistics)
            throws IOException {
        ImageSet trainFiles = source.read(files, Subset.TRAIN, config);
        ImageSet test = source.read(files, Subset.TEST, config);
        if (limitTrain != null) {
            trainFiles = trainFiles.limit(limitTrain);
        }
        if (limitTest != null) {
            test = test.limit(limitTest);
        }
        ImageSet train = trainFiles;
        ImageSet validation = null;
        if (config.split() != null) {
            TrainValidationSplit.Parts parts = TrainValidationSplit.split(trainFiles, config.split());
            train = parts.train();
            validation = parts.validation();
        }
        List<BatchTransform> sorted = new ArrayList<>(config.transforms());
        sorted.sort(Comparator.comparingInt(BatchTransform::order));
        ChannelStatistics statistics = savedStatistics;
        List<BatchTransform> bound = new ArrayList<>();
        for (BatchTransform transform : sorted) {
            if (transform instanceof Normalize normalize && normalize.needsStatistics()) {
                if (statistics == null) {
                    statistics = ChannelStatistics.compute(train);
                    LOG.info("normalization statistics of {} ({} images): mean {} std {}", source.id(), train.size(),
                            java.util.Arrays.toString(statistics.mean()), java.util.Arrays.toString(statistics.std()));
                }
                bound.add(Normalize.of(statistics));
            } else {
                bound.add(transform);
            }
        }
        InputShape shape = train.shape();
        for (BatchTransform transform : bound) {
            shape = transform.outputShape(shape);
        }
        if (!shape.equals(modelInput)) {
            throw new IllegalArgumentException("data set '" + source.id() + "' gives images of " + shape
                    + " after its transforms, but the model expects " + modelInput
                    + "; set model.input to " + shape + " or add transforms (resize, grey-to-rgb) to data.transforms");
        }
        List<BatchTransform> eval = bound.stream().filter(t -> !t.augmentation()).toList();
        return new PreparedData(source.id(), train, validation, test, train.classNames(), statistics, List.copyOf(bound), eval);
    }
}
