package io.github.dl4jclassics.training;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live display of one epoch: a progress bar with loss, accuracy, learning rate and images/s on a
 * terminal; on a pipe or in CI, a log line every few seconds instead, so logs stay readable.
 */
public final class TrainingProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("progress");
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final ProgressBar bar;
    private final String task;
    private final int total;
    private final long start = System.nanoTime();
    private long lastLog = System.nanoTime();
    private long images;

    public TrainingProgress(String task, int totalBatches, boolean interactive) {
        this.task = task;
        this.total = totalBatches;
        this.bar = interactive ? new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBatches)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                .setMaxRenderedLength(120).build() : null;
    }

    /** True when stderr is a terminal, so a progress bar can redraw in place. */
    public static boolean terminalAttached() {
        return System.console() != null && !"true".equals(System.getenv("CI"));
    }

    public void step(int batchesDone, int batchImages, double loss, double accuracy, double learningRate) {
        images += batchImages;
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = images / Math.max(seconds, 1e-9);
        String stats = String.format(Locale.ROOT, "loss %.4f acc %s lr %.3g %.0f img/s", loss,
                Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.3f", accuracy), learningRate, rate);
        if (bar != null) {
            bar.stepTo(batchesDone);
            bar.setExtraMessage(stats);
        } else if (System.nanoTime() - lastLog > LOG_INTERVAL_NANOS) {
            lastLog = System.nanoTime();
            double eta = batchesDone == 0 ? Double.NaN : seconds / batchesDone * (total - batchesDone);
            LOG.info("{} batch {}/{} {} eta {}s", task, batchesDone, total, stats, Math.round(eta));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

}
