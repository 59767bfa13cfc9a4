package io.github.dl4jclassics.training;

import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.checkpoints.TrainingState;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an interrupted or finished run continues: its last complete checkpoint, loaded with the updater state.
 *
 * <p>{@code run NAME --resume RUN_DIR}: {@link #fromRunCheckpoints} on {@code RUN_DIR/checkpoints}, then
 * {@link Trainer#train} with the same manifest, the same run folder's {@code CheckpointStore} and {@code EpochLog},
 * and the returned network and state. An empty result (killed during epoch 1) means: start the run afresh.
 *
 * <p>{@code run NAME --from RUN_DIR --epochs +50}: {@link #forMoreEpochs} on the finished run, the manifest's
 * epochs set with {@link EpochTarget#totalAfter}, and training into a new run folder; its {@code epochs.csv} starts with
 * the old rows and the schedule continues from the old epoch count.
 */
public final class Resume {

    /** A checkpoint to continue from. */
    public record Point(ClassifierNetwork network, TrainingState state, Path checkpoint) {
    }

    private Resume() {
    }

    /**
     * The newest intact checkpoint under {@code checkpointsDir} (the last one, unless it is damaged or missing: then
     * the one before, with a warning naming what was skipped), with half-written leftovers of a killed process
     * removed; empty when the run had not finished an epoch or no checkpoint reads.
     */
    public static Optional<Point> fromRunCheckpoints(Path checkpointsDir) throws IOException {
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        CheckpointStore store = new CheckpointStore(checkpointsDir, Integer.MAX_VALUE);
        store.removeIncomplete();
        // A truncated model.zip, a damaged state.json or a last.json naming a missing folder: the newest intact one.
        Optional<CheckpointStore.Intact> intact = store.newestIntact(true);
        if (intact.isEmpty()) {
            return Optional.empty();
        }
        store.repairBest();
        return Optional.of(new Point(intact.get().network(), intact.get().state(), intact.get().folder()));
    }

    /** The last checkpoint of a finished run, its state cleared of the early-stopping verdict (see {@link TrainingState#continued}). */
    public static Point forMoreEpochs(Path checkpointsDir) throws IOException {
        Point point = fromRunCheckpoints(checkpointsDir).orElseThrow(() -> new IOException(
                "no complete checkpoint in " + checkpointsDir + ": nothing to continue"));
        return new Point(point.network(), point.state().continued(), point.checkpoint());
    }
}
