package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.training.Validator;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's {@code ReduceLROnPlateau}, which DL4J lacks, with PyTorch's defaults and its exact rules:
 * after each epoch the monitored value is better when {@code value < best * (1 - threshold)} (mode min, rel),
 * {@code value < best - threshold} (min, abs), {@code value > best * (1 + threshold)} (max, rel) or
 * {@code value > best + threshold} (max, abs); otherwise it is a bad epoch. During cooldown bad epochs are not
 * counted. After more than {@code patience} bad epochs the rate becomes {@code max(rate * factor, minRate)}
 * (unchanged when that changes it by less than 1e-8) and cooldown starts.
 *
 * @param monitor       validation.loss (default), validation.top1 or validation.top5
 * @param mode          min or max; by default min for a loss, max for an accuracy
 * @param factor        default 0.1
 * @param patience      default 10
 * @param threshold     default 1e-4
 * @param thresholdMode rel (default) or abs
 * @param cooldown      default 0
 * @param minRate       PyTorch's min_lr, default 0
 */
public record ReduceOnPlateauSchedule(String monitor, String mode, Double factor, Integer patience, Double threshold,
                                      String thresholdMode, Integer cooldown, Double minRate) implements ScheduleConfig {

    private static final double EPS = 1e-8;

    public ReduceOnPlateauSchedule {
        monitor = monitor == null ? "validation.loss" : monitor;
        if (!List.of("validation.loss", "validation.top1", "validation.top5").contains(monitor)) {
            throw new IllegalArgumentException("reduce-on-plateau monitor '" + monitor
                    + "' is not one of: validation.loss, validation.top1, validation.top5");
        }
        mode = mode == null ? (monitor.endsWith("loss") ? "min" : "max") : mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("min") && !mode.equals("max")) {
            throw new IllegalArgumentException("reduce-on-plateau mode must be min or max, got '" + mode + "'");
        }
        thresholdMode = thresholdMode == null ? "rel" : thresholdMode.toLowerCase(Locale.ROOT);
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("reduce-on-plateau thresholdMode must be rel or abs, got '" + thresholdMode + "'");
        }
        if (factor != null && !(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("reduce-on-plateau factor must be in (0, 1), got " + factor);
        }
        if (patience != null && patience < 0 || cooldown != null && cooldown < 0) {
            throw new IllegalArgumentException("reduce-on-plateau patience and cooldown must not be negative");
        }
        if (threshold != null && threshold < 0 || minRate != null && minRate < 0) {
            throw new IllegalArgumentException("reduce-on-plateau threshold and minRate must not be negative");
        }
    }

    /** The running state, saved in checkpoints. */
    public record State(double rate, double best, int badEpochs, int cooldownLeft) {
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        return new Scheduler(baseRate);
    }

    @Override
    public boolean needsValidation() {
        return true;
    }

    boolean isBetter(double value, double best) {
        double t = threshold == null ? 1e-4 : threshold;
        boolean rel = thresholdMode.equals("rel");
        if (mode.equals("min")) {
            return rel ? value < best * (1 - t) : value < best - t;
        }
        return rel ? value > best * (1 + t) : value > best + t;
    }

    private final class Scheduler implements LearningRateScheduler {

        private double rate;
        private double best;
        private int badEpochs;
        private int cooldownLeft;

        Scheduler(double baseRate) {
            rate = baseRate;
            best = mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }

        @Override
        public double rateFor(int epoch) {
            return rate;
        }

        @Override
        public void epochEnded(int epoch, Validator.ValidationResult validation) {
            // A NaN value is never better, as in PyTorch: it counts as a bad epoch.
            double value = validation.metric(monitor);
            if (isBetter(value, best)) {
                best = value;
                badEpochs = 0;
            } else {
                badEpochs++;
            }
            if (cooldownLeft > 0) {
                cooldownLeft--;
                badEpochs = 0;
            }
            if (badEpochs > (patience == null ? 10 : patience)) {
                double reduced = Math.max(rate * (factor == null ? 0.1 : factor), minRate == null ? 0 : minRate);
                if (rate - reduced > EPS) {
                    rate = reduced;
                }
                cooldownLeft = cooldown == null ? 0 : cooldown;
                badEpochs = 0;
            }
        }

        @Override
        public JsonNode state() {
            return Json.mapper().valueToTree(new State(rate, best, badEpochs, cooldownLeft));
        }

        @Override
        public void restore(JsonNode state) {
            try {
                State s = Json.mapper().treeToValue(state, State.class);
                rate = s.rate();
                best = s.best();
                badEpochs = s.badEpochs();
                cooldownLeft = s.cooldownLeft();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("checkpoint's reduce-on-plateau state is unreadable: " + state, e);
            }
        }
    }
}
