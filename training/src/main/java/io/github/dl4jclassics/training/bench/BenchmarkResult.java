package io.github.dl4jclassics.training.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.InputShape;
import java.util.Locale;

/**
 * What {@link ModelBenchmark#run} measured: median images per second of timed training steps (forward, backward,
 * update) and of inference passes, on synthetic data. The JSON form has exactly
 * {@code {"model", "input", "batch", "trainImgPerSec", "inferImgPerSec", "threads", "inferThreads"}}.
 *
 * @param threads native threads of the training steps
 * @param inferThreads native threads of the inference passes
 * @param measuredSteps timed steps per median (not in the JSON)
 * @param trainImgPerCpuSec images per second of CPU time of the benchmarking thread, median (not in the JSON). With
 *        one native thread all the work runs on that thread, so this is what the wall clock would show on an idle
 *        machine; on a shared machine it is the figure that other processes do not move. With more threads it
 *        overstates the speed (the other threads' time is not counted).
 * @param inferImgPerCpuSec the same for inference (not in the JSON)
 */
@JsonPropertyOrder({"model", "input", "batch", "trainImgPerSec", "inferImgPerSec", "threads", "inferThreads"})
public record BenchmarkResult(String model, InputShape input, int batch, double trainImgPerSec, double inferImgPerSec,
        int threads, int inferThreads, @JsonIgnore int measuredSteps, @JsonIgnore double trainImgPerCpuSec,
        @JsonIgnore double inferImgPerCpuSec) {

    /** One line of JSON: {@code {"model":"lenet5","input":"3x32x32","batch":64,"trainImgPerSec":...,"inferImgPerSec":...,"threads":1,"inferThreads":2}}. */
    public String toJson() {
        return Json.write(this);
    }

    /**
     * Human-readable summary, e.g. {@code lenet5 3x32x32 batch 64: train 3,512.4 img/s (1 thread), inference
     * 12,001.0 img/s (2 threads)}.
     */
    public String toText() {
        return String.format(Locale.ROOT, "%s %s batch %d: train %,.1f img/s (%d thread%s), inference %,.1f img/s"
                        + " (%d thread%s) (median of %d steps; per CPU-second of the calling thread: train %,.1f,"
                        + " inference %,.1f)",
                model, input, batch, trainImgPerSec, threads, threads == 1 ? "" : "s", inferImgPerSec, inferThreads,
                inferThreads == 1 ? "" : "s", measuredSteps,
                trainImgPerCpuSec, inferImgPerCpuSec);
    }
}
