package io.github.dl4jclassics.training.checkpoints;

import io.github.dl4jclassics.common.RunLayout;
import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Epoch checkpoints of a run under {@code checkpoints/}: {@code epoch-NNNN/} folders (model with updater
 * state, plus {@code state.json}), {@code best/}, and {@code last.json} naming the newest complete one.
 *
 * <p>{@code best/} holds a deliverable model (no updater state, DL4J's classes only: see
 * {@link ClassifierNetwork#save}); the epoch folders hold what a bit-identical {@code --resume} needs, the updater
 * and its state included.
 *
 * <p>Each folder is written under a temporary name and renamed into place, and {@code last.json} is replaced
 * atomically after that, so a crash at any moment leaves the previous checkpoint complete and named.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    public static final String STATE_FILE = "state.json";
    private static final String LAST_POINTER = "last.json";
    private static final String BEST = "best";

    private final Path directory;
    private final int keepEpochs;

    /** @param keepEpochs epoch folders kept besides the last and the best */
    public CheckpointStore(Path directory, int keepEpochs) {
        this.directory = directory;
        this.keepEpochs = Math.max(keepEpochs, 0);
    }

    public Path directory() {
        return directory;
    }

    /**
     * Saves the checkpoint of a finished epoch and makes it the last one, then the best copy when it is the best.
     * A crash between the two leaves a best folder older than the last state says; {@link #repairBest} fixes that
     * on resume from the last checkpoint, which then holds the same model.
     */
    public Path save(ClassifierNetwork network, TrainingState state, boolean isBest) throws IOException {
        String name = String.format("epoch-%04d", state.epochsCompleted());
        Path target = directory.resolve(name);
        writeFolder(target, network, state, true);
        AtomicFiles.writeString(directory.resolve(LAST_POINTER), Json.write(new LastPointer(name)));
        if (isBest) {
            writeFolder(directory.resolve(BEST), network, state, false);
        }
        prune(name);
        return target;
    }

    /** Makes {@code best/} a copy of the last checkpoint when the last state says the last epoch was the best but best/ is older. */
    public void repairBest() throws IOException {
        Optional<Path> last = last();
        if (last.isEmpty()) {
            return;
        }
        TrainingState state = readState(last.get());
        if (state.bestEpoch() != state.epochsCompleted()) {
            return;
        }
        Optional<Path> best = best();
        if (best.isPresent() && bestEpochOf(best.get()) == state.bestEpoch()) {
            return;
        }
        // Saved again rather than copied: best/ holds the deliverable form of the model, without the updater.
        writeFolder(directory.resolve(BEST), ClassifierNetwork.restore(last.get().resolve(RunLayout.MODEL).toFile(), false),
                state, false);
    }

    /** The epoch of {@code best/}, or -1 when its state does not read (it is then rewritten from the last checkpoint). */
    private static int bestEpochOf(Path best) {
        try {
            return readState(best).epochsCompleted();
        } catch (IOException e) {
            LOG.warn("{}: rewriting it from the last checkpoint", e.getMessage());
            return -1;
        }
    }

    /** Deletes folders and files a killed process left half-written (their names start with a dot). */
    public void removeIncomplete() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        // Killed between moving the old best aside and moving the new one in: take the old one back.
        Path oldBest = directory.resolve("." + BEST + "-old");
        if (!Files.exists(directory.resolve(BEST)) && Files.isRegularFile(oldBest.resolve(RunLayout.MODEL))) {
            Files.move(oldBest, directory.resolve(BEST), StandardCopyOption.ATOMIC_MOVE);
        }
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                deleteTree(child);
            }
        }
    }

    /** Epoch checkpoint folders present, oldest first. */
    private List<Path> epochCheckpoints() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(p -> p.getFileName().toString().startsWith("epoch-")).sorted().toList();
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> last() throws IOException {
        Path pointer = directory.resolve(LAST_POINTER);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        Path folder = directory.resolve(Json.readFile(pointer, LastPointer.class).folder());
        return Files.isRegularFile(folder.resolve(RunLayout.MODEL)) ? Optional.of(folder) : Optional.empty();
    }

    public Optional<Path> best() {
        Path folder = directory.resolve(BEST);
        return Files.isRegularFile(folder.resolve(RunLayout.MODEL)) ? Optional.of(folder) : Optional.empty();
    }

    /** The state of a checkpoint; a missing or unreadable {@code state.json} fails naming the file. */
    public static TrainingState readState(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(STATE_FILE);
        try {
            return Json.readFile(file, TrainingState.class);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException(file + " is missing: the checkpoint is incomplete", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage()
                    : e.getMessage();
            throw new IOException(file + " is damaged: expected the JSON training state written with the checkpoint ("
                    + (reason == null ? "" : reason.lines().findFirst().orElse("")) + ")", e);
        }
    }

    /**
     * The newest checkpoint whose state and model both read, newest first by the {@code last.json} pointer, then by
     * epoch number. A damaged or missing checkpoint is skipped with a warning naming it; when the result is not the
     * one {@code last.json} names, the pointer is rewritten to it so that everything after agrees.
     *
     * @return empty when no checkpoint is intact (the run starts afresh)
     */
    public Optional<Intact> newestIntact(boolean withUpdater) throws IOException {
        List<Path> candidates = new ArrayList<>();
        Path pointer = directory.resolve(LAST_POINTER);
        String named = null;
        if (Files.isRegularFile(pointer)) {
            try {
                named = Json.readFile(pointer, LastPointer.class).folder();
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                LOG.warn("{} is damaged ({}); looking for the newest intact checkpoint instead", pointer,
                        e.getOriginalMessage());
            }
        }
        if (named != null) {
            Path folder = directory.resolve(named);
            if (Files.isDirectory(folder)) {
                candidates.add(folder);
            } else {
                LOG.warn("{} names {}, which is missing; looking for the newest intact checkpoint instead", pointer, folder);
            }
        }
        List<Path> epochs = new ArrayList<>(epochCheckpoints());
        java.util.Collections.reverse(epochs);
        for (Path folder : epochs) {
            if (!candidates.contains(folder)) {
                candidates.add(folder);
            }
        }
        for (Path folder : candidates) {
            try {
                TrainingState state = readState(folder);
                ClassifierNetwork network = readModel(folder, withUpdater);
                if (!folder.getFileName().toString().equals(named)) {
                    LOG.warn("using checkpoint {} (epoch {})", folder, state.epochsCompleted());
                    AtomicFiles.writeString(pointer, Json.write(new LastPointer(folder.getFileName().toString())));
                }
                return Optional.of(new Intact(folder, state, network));
            } catch (IOException e) {
                LOG.warn("skipping checkpoint {}: {}", folder, e.getMessage());
            }
        }
        if (!candidates.isEmpty()) {
            LOG.warn("no intact checkpoint in {}: the run starts again from epoch 1", directory);
        }
        return Optional.empty();
    }

    /** A checkpoint that was read whole: its folder, state and network. */
    public record Intact(Path folder, TrainingState state, ClassifierNetwork network) {
    }

    public static ClassifierNetwork readModel(Path checkpoint, boolean withUpdater) throws IOException {
        return ClassifierNetwork.load(checkpoint.resolve(RunLayout.MODEL).toFile(), withUpdater);
    }

    private void writeFolder(Path target, ClassifierNetwork network, TrainingState state, boolean withUpdater)
            throws IOException {
        Files.createDirectories(directory);
        Path temporary = Files.createTempDirectory(directory, "." + target.getFileName() + "-");
        try {
            network.save(temporary.resolve(RunLayout.MODEL).toFile(), withUpdater);
            Files.writeString(temporary.resolve(STATE_FILE), Json.write(state));
            replaceFolder(temporary, target);
        } catch (IOException e) {
            // e.g. "No space left on device", which names no file; the previous checkpoint stays the last one.
            throw new IOException("cannot write checkpoint " + target + ": " + e.getMessage()
                    + " (the previous checkpoint is kept)", e);
        } finally {
            deleteTree(temporary);
        }
    }

    private void replaceFolder(Path complete, Path target) throws IOException {
        if (Files.exists(target)) {
            // A folder cannot be renamed over a non-empty one: move the old one aside first.
            Path old = directory.resolve("." + target.getFileName() + "-old");
            deleteTree(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void prune(String keepName) throws IOException {
        List<Path> epochs = new ArrayList<>();
        try (Stream<Path> children = Files.list(directory)) {
            children.filter(p -> p.getFileName().toString().startsWith("epoch-")).forEach(epochs::add);
        }
        epochs.sort(Comparator.comparing(Path::toString));
        int removable = epochs.size() - 1 - keepEpochs;
        for (Path folder : epochs) {
            if (removable <= 0) {
                break;
            }
            if (!folder.getFileName().toString().equals(keepName)) {
                deleteTree(folder);
                removable--;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    record LastPointer(String folder) {
    }
}
