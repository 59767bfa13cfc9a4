package io.github.dl4jclassics.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.RunLayout;
import io.github.dl4jclassics.evaluation.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a finished run folder that reports and comparisons read. Only result.json is required; epochs.csv,
 * manifest.json and environment.json are optional (a run evaluated later, or one that failed early, may lack them).
 *
 * @param epochs      the rows of epochs.csv; empty when the file is missing
 * @param manifest    manifest.json as a generic tree (its type lives in the experiments module); null when missing
 * @param environment environment.json as a tree; null when missing
 */
public record RunFolder(Path directory, RunResult result, List<EpochRecord> epochs, JsonNode manifest,
                        JsonNode environment) {

    public RunFolder {
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    public static RunFolder read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("run folder not found: " + directory);
        }
        Path resultFile = directory.resolve(RunLayout.RESULT);
        if (!Files.isRegularFile(resultFile)) {
            throw new IOException(resultFile + " not found: expected the result.json of a finished run in " + directory);
        }
        RunResult result;
        try {
            result = Json.readHistory(resultFile, RunResult.class);
        } catch (IOException e) {
            throw new IOException("cannot read " + resultFile + " as a result.json: " + e.getMessage(), e);
        }
        Path epochsFile = directory.resolve(RunLayout.EPOCHS);
        List<EpochRecord> epochs;
        try {
            epochs = Files.isRegularFile(epochsFile) ? EpochRecord.readCsv(epochsFile) : List.of();
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + epochsFile + ": " + e.getMessage(), e);
        }
        return new RunFolder(directory, result, epochs, tree(directory.resolve(RunLayout.MANIFEST)),
                tree(directory.resolve(RunLayout.ENVIRONMENT)));
    }

    private static JsonNode tree(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    /** The experiment's name: result.json's, else the manifest's, else the folder's parent name. */
    public String experiment() {
        if (result.experiment() != null) {
            return result.experiment();
        }
        if (manifest != null && manifest.hasNonNull("name")) {
            return manifest.get("name").asText();
        }
        Path parent = directory.toAbsolutePath().getParent();
        return parent == null ? directory.toString() : parent.getFileName().toString();
    }

    /** The manifest's text at a path such as {@code "training.optimizer.type"}, or null. */
    public String manifestText(String dottedPath) {
        JsonNode node = manifest;
        for (String part : dottedPath.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node.asText();
    }
}
