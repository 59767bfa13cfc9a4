package io.github.dl4jclassics.training;

import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM (a scheduler stopping the job) or Ctrl-C while a run trains: the JVM runs its shutdown hooks, and this one
 * asks the training loop to stop at its next safe point (the end of the current batch; a checkpoint being written is
 * finished first), waits for it, and prints the last good checkpoint and the exact command that resumes the run.
 * The JVM then exits with the signal's status (143 for SIGTERM). Installed for the duration of {@link Trainer#train}.
 */
final class GracefulStop implements AutoCloseable {

    /** How long the hook waits for the loop to reach a safe point; schedulers usually follow with SIGKILL later. */
    private static final long WAIT_SECONDS = 20;

    private final CheckpointStore checkpoints;
    private final String resumeCommand;
    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;
    private volatile String position = "before the first epoch";

    /**
     * @param resumeCommand the command line that continues this run, or null for a generic
     *                      {@code run --resume RUN_DIR} with the run folder above the checkpoints
     */
    GracefulStop(CheckpointStore checkpoints, String resumeCommand, PrintStream out) {
        this.checkpoints = checkpoints;
        this.resumeCommand = resumeCommand;
        this.out = out;
        this.hook = new Thread(this::onSignal, "dl4j-classics-graceful-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once a stop was asked for: the training loop must stop at its next safe point. */
    boolean requested() {
        return requested;
    }

    /** Where training is, for the message ("during epoch 3 of 10"). */
    void at(String where) {
        position = where;
    }

    /** Training has stopped (finished, failed or abandoned an epoch): the hook may report and let the JVM exit. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and reports.
        }
    }

    private void onSignal() {
        requested = true;
        boolean safe;
        try {
            safe = stopped.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            safe = false;
        }
        out.println();
        out.println("Stopped by a signal (SIGTERM or Ctrl-C) " + position + (safe ? "; the unfinished epoch was abandoned."
                : "; training did not reach a safe point within " + WAIT_SECONDS + " s (checkpoints are written"
                + " atomically, so the last one below is still whole)."));
        Path runFolder = checkpoints.directory().toAbsolutePath().getParent();
        Optional<Path> last;
        try {
            last = checkpoints.last();
        } catch (IOException | RuntimeException e) {
            last = Optional.empty();
        }
        if (last.isPresent()) {
            out.println("The last good checkpoint is " + last.get().toAbsolutePath());
        } else {
            out.println("No epoch was completed, so there is no checkpoint: resuming starts the run again.");
        }
        out.println("Resume with:");
        out.println("  " + (resumeCommand != null ? resumeCommand : "run --resume " + runFolder));
        out.flush();
    }
}
