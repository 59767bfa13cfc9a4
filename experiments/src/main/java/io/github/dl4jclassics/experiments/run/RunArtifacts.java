package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.common.EpochRecord;
import java.io.IOException;
import java.util.List;

/** The human-facing files of a finished run beside result.json: confusion matrices as CSV. */
final class RunArtifacts {

    private RunArtifacts() {
    }

    static void write(RunDirectory run, RunResult result, List<EpochRecord> epochs) throws IOException {
        writeConfusion(run, "test", result.test());
        if (result.validation() != null) {
            writeConfusion(run, "validation", result.validation());
        }
    }

    private static void writeConfusion(RunDirectory run, String split, SplitMetrics metrics) throws IOException {
        StringBuilder csv = new StringBuilder("true\\predicted");
        for (String name : metrics.classes()) {
            csv.append(',').append(quote(name));
        }
        csv.append('\n');
        for (int t = 0; t < metrics.classes().size(); t++) {
            csv.append(quote(metrics.classes().get(t)));
            for (long count : metrics.confusionMatrix()[t]) {
                csv.append(',').append(count);
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(run.file("confusion-" + split + ".csv"), csv.toString());
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
