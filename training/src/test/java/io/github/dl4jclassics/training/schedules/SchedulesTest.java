package io.github.dl4jclassics.training.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.training.Validator.ValidationResult;
import org.junit.jupiter.api.Test;

/**
 * Every schedule against the rates PyTorch 1.13's scheduler of the same name gives for the same settings
 * (base lr 0.1, the rate read before each {@code scheduler.step()}), generated with Debian's python3-torch.
 */
class SchedulesTest {

    private static final double BASE = 0.1;

    private static ScheduleConfig parse(String json) throws Exception {
        return Json.mapper().readValue(json, ScheduleConfig.class);
    }

    private static double[] rates(ScheduleConfig schedule, int epochs) {
        LearningRateScheduler s = schedule.create(BASE);
        double[] out = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            out[e] = s.rateFor(e);
            s.epochEnded(e, ValidationResult.NONE);
        }
        return out;
    }

    private static void assertRates(double[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("epoch %d", i).isCloseTo(expected[i], within(1e-12 * Math.max(1, expected[i] * 1e3)));
        }
    }

    @Test
    void stepLrSize3Gamma05() throws Exception {
        // StepLR(step_size=3, gamma=0.5)
        assertRates(rates(parse("{\"type\":\"step\",\"stepSize\":3,\"gamma\":0.5}"), 10),
                new double[]{0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125});
    }

    @Test
    void multiStepLrOfTheSceneRecipe() throws Exception {
        // MultiStepLR(milestones=[10, 20, 30, 40], gamma=0.5), 50 epochs
        double[] expected = new double[50];
        double[] levels = {0.1, 0.05, 0.025, 0.0125, 0.00625};
        for (int e = 0; e < 50; e++) {
            expected[e] = levels[e / 10];
        }
        assertRates(rates(parse("{\"type\":\"multi-step\",\"milestones\":[10,20,30,40],\"gamma\":0.5}"), 50), expected);
    }

    @Test
    void exponentialLr() throws Exception {
        // ExponentialLR(gamma=0.9)
        assertRates(rates(parse("{\"type\":\"exponential\",\"gamma\":0.9}"), 8), new double[]{0.1, 0.09000000000000001,
                0.08100000000000002, 0.07290000000000002, 0.06561000000000002, 0.05904900000000002, 0.05314410000000002,
                0.04782969000000002});
    }

    @Test
    void cosineAnnealingLrIncludingPastTMax() throws Exception {
        // CosineAnnealingLR(T_max=10, eta_min=0.001), 14 epochs (it rises again after T_max)
        assertRates(rates(parse("{\"type\":\"cosine\",\"tMax\":10,\"minRate\":0.001}"), 14), new double[]{0.1,
                0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505,
                0.03520365877844011, 0.02140463001152259, 0.010453658778440109, 0.0034227024433899004, 0.001,
                0.0034227024433899004, 0.01045365877844014, 0.02140463001152267});
    }

    @Test
    void warmupThenMultiStepIsSequentialLr() throws Exception {
        // SequentialLR([LinearLR(start_factor=0.25, total_iters=3), MultiStepLR(milestones=[2, 4], gamma=0.1)], milestones=[3])
        assertRates(rates(parse("{\"type\":\"warmup\",\"epochs\":3,\"startFactor\":0.25,"
                        + "\"then\":{\"type\":\"multi-step\",\"milestones\":[2,4],\"gamma\":0.1}}"), 10),
                new double[]{0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
                        0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002});
    }

    private static final double[] LOSSES = {1.0, 0.9, 0.95, 0.91, 0.9, 0.92, 0.93, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9,
            0.91, 0.92};
    private static final double[] ACCURACIES = {0.5, 0.6, 0.6, 0.605, 0.61, 0.7, 0.7, 0.69, 0.7, 0.71, 0.72};

    private static double[] plateauRates(ScheduleConfig schedule, double[] metric, boolean isLoss) {
        LearningRateScheduler s = schedule.create(BASE);
        double[] out = new double[metric.length];
        for (int e = 0; e < metric.length; e++) {
            out[e] = s.rateFor(e);
            s.epochEnded(e, isLoss ? new ValidationResult(metric[e], Double.NaN, Double.NaN)
                    : new ValidationResult(Double.NaN, metric[e], Double.NaN));
        }
        return out;
    }

    @Test
    void reduceOnPlateauMinRelWithCooldownAndMinimum() throws Exception {
        // ReduceLROnPlateau(mode='min', factor=0.5, patience=2, threshold=0.01, threshold_mode='rel', cooldown=1, min_lr=0.02)
        ScheduleConfig s = parse("{\"type\":\"reduce-on-plateau\",\"factor\":0.5,\"patience\":2,\"threshold\":0.01,"
                + "\"thresholdMode\":\"rel\",\"cooldown\":1,\"minRate\":0.02}");
        assertRates(plateauRates(s, LOSSES, true), new double[]{0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05,
                0.05, 0.025, 0.025, 0.025, 0.025});
    }

    @Test
    void reduceOnPlateauMinAbs() throws Exception {
        // ReduceLROnPlateau(mode='min', factor=0.1, patience=1, threshold=0.05, threshold_mode='abs')
        ScheduleConfig s = parse("{\"type\":\"reduce-on-plateau\",\"mode\":\"min\",\"factor\":0.1,\"patience\":1,"
                + "\"threshold\":0.05,\"thresholdMode\":\"abs\"}");
        assertRates(plateauRates(s, LOSSES, true), new double[]{0.1, 0.1, 0.1, 0.1, 0.010000000000000002,
                0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003,
                0.00010000000000000003, 1.0000000000000004e-05, 1.0000000000000004e-05, 1.0000000000000004e-06,
                1.0000000000000004e-06, 1.0000000000000005e-07});
    }

    @Test
    void reduceOnPlateauMaxRelOnAccuracy() throws Exception {
        // ReduceLROnPlateau(mode='max', factor=0.2, patience=1, threshold=0.01, threshold_mode='rel', cooldown=2)
        ScheduleConfig s = parse("{\"type\":\"reduce-on-plateau\",\"monitor\":\"validation.top1\",\"factor\":0.2,"
                + "\"patience\":1,\"threshold\":0.01,\"cooldown\":2}");
        assertRates(plateauRates(s, ACCURACIES, false), new double[]{0.1, 0.1, 0.1, 0.1, 0.020000000000000004,
                0.020000000000000004, 0.020000000000000004, 0.020000000000000004, 0.004000000000000001,
                0.004000000000000001, 0.004000000000000001});
    }

    @Test
    void reduceOnPlateauMaxAbs() throws Exception {
        // ReduceLROnPlateau(mode='max', factor=0.5, patience=0, threshold=0.005, threshold_mode='abs')
        ScheduleConfig s = parse("{\"type\":\"reduce-on-plateau\",\"monitor\":\"validation.top1\",\"mode\":\"max\","
                + "\"factor\":0.5,\"patience\":0,\"threshold\":0.005,\"thresholdMode\":\"abs\"}");
        assertRates(plateauRates(s, ACCURACIES, false), new double[]{0.1, 0.1, 0.1, 0.05, 0.025, 0.025, 0.025, 0.0125,
                0.00625, 0.003125, 0.003125});
    }

    @Test
    void plateauStateSurvivesACheckpointMidRun() throws Exception {
        ScheduleConfig config = parse("{\"type\":\"warmup\",\"epochs\":1,\"startFactor\":0.5,\"then\":"
                + "{\"type\":\"reduce-on-plateau\",\"factor\":0.5,\"patience\":2,\"threshold\":0.01,\"cooldown\":1,\"minRate\":0.02}}");
        LearningRateScheduler uninterrupted = config.create(BASE);
        LearningRateScheduler first = config.create(BASE);
        LearningRateScheduler resumed = null;
        for (int e = 0; e < LOSSES.length; e++) {
            ValidationResult v = new ValidationResult(LOSSES[e], Double.NaN, Double.NaN);
            double expected = uninterrupted.rateFor(e);
            uninterrupted.epochEnded(e, v);
            LearningRateScheduler current = resumed != null ? resumed : first;
            assertThat(current.rateFor(e)).as("epoch %d", e).isEqualTo(expected);
            current.epochEnded(e, v);
            if (e == 6) {
                // Through JSON text, as a checkpoint stores it (best may be +Infinity before the first epoch).
                JsonNode saved = Json.mapper().readTree(Json.write(first.state()));
                resumed = config.create(BASE);
                resumed.restore(saved);
            }
        }
        JsonNode fresh = Json.mapper().readTree(Json.write(config.create(BASE).state()));
        LearningRateScheduler restored = config.create(BASE);
        restored.restore(fresh);
        assertThat(restored.rateFor(1)).isEqualTo(BASE);
    }

    @Test
    void clearErrorsForBadSchedules() {
        assertThatThrownBy(() -> parse("{\"type\":\"linear\"}")).hasMessageContaining("linear");
        assertThatThrownBy(() -> parse("{\"type\":\"reduce-on-plateau\",\"monitor\":\"train.loss\"}"))
                .hasMessageContaining("validation.loss");
        assertThatThrownBy(() -> parse("{\"type\":\"reduce-on-plateau\",\"thresholdMode\":\"relative\"}"))
                .hasMessageContaining("rel or abs");
        assertThatThrownBy(() -> parse("{\"type\":\"step\",\"stepSize\":0,\"gamma\":0.1}")).hasMessageContaining("stepSize");
        assertThat(new ReduceOnPlateauSchedule(null, null, null, null, null, null, null, null).needsValidation()).isTrue();
    }
}
