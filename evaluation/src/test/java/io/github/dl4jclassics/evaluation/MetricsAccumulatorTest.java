package io.github.dl4jclassics.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.common.Json;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class MetricsAccumulatorTest {

    private static final List<String> ABCD = List.of("A", "B", "C", "D");
    private static final double EPS = 1e-12;

    /**
     * Six examples, worked by hand. D never occurs (but is predicted once); C is never predicted.
     * <pre>
     *  #  scores               true  predicted  rank of true  note
     *  1  .7  .2  .1  0        A     A          0
     *  2  .2  .5  .3  0        A     B          2
     *  3  .1  .6  .3  0        B     B          0
     *  4  .25 .25 .25 .25      B     A          1             all tied: first maximum wins
     *  5  .1  .2  .3  .4       C     D          1
     *  6  .4  .4  .1  .1       A     A          0             tie A/B, A has the lower index
     * </pre>
     */
    private static SplitMetrics handExample() {
        MetricsAccumulator acc = new MetricsAccumulator(ABCD, 2);
        acc.add(new float[]{.7f, .2f, .1f, 0f}, 0);
        acc.add(new float[]{.2f, .5f, .3f, 0f}, 0);
        acc.add(new float[]{.1f, .6f, .3f, 0f}, 1);
        acc.add(new float[]{.25f, .25f, .25f, .25f}, 1);
        acc.add(new float[]{.1f, .2f, .3f, .4f}, 2);
        acc.add(new float[]{.4f, .4f, .1f, .1f}, 0);
        return acc.result();
    }

    @Test
    void accuraciesAndLossOfTheHandExample() {
        SplitMetrics m = handExample();
        assertThat(m.count()).isEqualTo(6);
        assertThat(m.top1()).isCloseTo(3 / 6.0, within(EPS));
        assertThat(m.k()).isEqualTo(2);
        assertThat(m.topK()).isCloseTo(5 / 6.0, within(EPS)); // only #2 ranks 2
        assertThat(m.top5()).isEqualTo(1.0); // four classes: everything is within the top 5
        double loss = -(Math.log(.7f) + Math.log(.2f) + Math.log(.6f) + Math.log(.25f) + Math.log(.3f) + Math.log(.4f)) / 6;
        assertThat(m.loss()).isCloseTo(loss, within(1e-12));
    }

    @Test
    void partsAccumulatedApartAndMergedAfterSerializationEqualTheWhole() throws Exception {
        Random random = new Random(5);
        List<String> classes = List.of("a", "b", "c", "d", "e", "f");
        MetricsAccumulator whole = new MetricsAccumulator(classes, 3);
        MetricsAccumulator first = new MetricsAccumulator(classes, 3);
        MetricsAccumulator second = new MetricsAccumulator(classes, 3);
        for (int i = 0; i < 40; i++) {
            float[] p = new float[classes.size()];
            for (int j = 0; j < p.length; j++) {
                p[j] = random.nextFloat();
            }
            int label = random.nextInt(classes.size());
            whole.add(p, label);
            (i < 17 ? first : second).add(p, label);
        }
        // As Spark executors do: each part travels serialized before the driver merges them.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(second);
        }
        MetricsAccumulator shipped;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (MetricsAccumulator) in.readObject();
        }
        first.merge(shipped);
        SplitMetrics merged = first.result();
        SplitMetrics expected = whole.result();
        assertThat(merged.count()).isEqualTo(40);
        assertThat(merged.top1()).isEqualTo(expected.top1());
        assertThat(merged.topK()).isEqualTo(expected.topK());
        assertThat(merged.loss()).isCloseTo(expected.loss(), within(1e-12));
        assertThat(merged.confusionMatrix()).isDeepEqualTo(expected.confusionMatrix());
        assertThatThrownBy(() -> first.merge(new MetricsAccumulator(List.of("a", "b"), 3)))
                .hasMessageContaining("cannot merge metrics of classes [a, b]");
    }

    @Test
    void confusionMatrixCountsAndRowNormalised() {
        SplitMetrics m = handExample();
        assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][]{{2, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}});
        double[][] n = m.confusionMatrixNormalized();
        assertThat(n[0]).containsExactly(new double[]{2 / 3.0, 1 / 3.0, 0, 0}, within(EPS));
        assertThat(n[1]).containsExactly(new double[]{.5, .5, 0, 0}, within(EPS));
        assertThat(n[2]).containsExactly(new double[]{0, 0, 0, 1}, within(EPS));
        assertThat(n[3]).as("a class that never occurs has a zero row, not NaN").containsExactly(0, 0, 0, 0);
        assertThat(m.support()).containsExactly(3, 2, 1, 0);
    }

    @Test
    void perClassPrecisionRecallF1AndAverages() {
        SplitMetrics m = handExample();
        assertThat(m.perClassAccuracy()[0]).isCloseTo(2 / 3.0, within(EPS));
        assertThat(m.perClassAccuracy()[1]).isCloseTo(.5, within(EPS));
        assertThat(m.perClassAccuracy()[2]).isZero();
        assertThat(m.perClassAccuracy()[3]).as("recall of a class with no examples").isNaN();
        // Predicted: A three times (2 right), B twice (1 right), C never, D once (wrong).
        assertThat(m.precision()).containsExactly(new double[]{2 / 3.0, .5, 0, 0}, within(EPS));
        assertThat(m.f1()).containsExactly(new double[]{2 / 3.0, .5, 0, 0}, within(EPS));
        // Macro over the three classes that occur; weighted by support 3, 2, 1.
        assertThat(m.macro().precision()).isCloseTo(7 / 18.0, within(EPS));
        assertThat(m.macro().recall()).isCloseTo(7 / 18.0, within(EPS));
        assertThat(m.macro().f1()).isCloseTo(7 / 18.0, within(EPS));
        assertThat(m.weighted().precision()).isCloseTo(.5, within(EPS));
        assertThat(m.weighted().recall()).isCloseTo(.5, within(EPS));
        assertThat(m.weighted().f1()).isCloseTo(.5, within(EPS));
    }

    @Test
    void tiesAreBrokenStrictlyUnlikeDl4jsEvaluation() {
        // True class C tied with A and B at the top: DL4J counts it within the top 2 (nothing scores strictly
        // higher); strictly, A and B come first, so C is third.
        float[] scores = {.3f, .3f, .3f, .1f};
        MetricsAccumulator acc = new MetricsAccumulator(ABCD, 2);
        acc.add(scores, 2);
        SplitMetrics m = acc.result();
        assertThat(m.top1()).isZero();
        assertThat(m.topK()).isZero();
        assertThat(m.confusionMatrix()[2][0]).as("argmax takes the first maximum").isEqualTo(1);

        org.nd4j.evaluation.classification.Evaluation dl4j = new org.nd4j.evaluation.classification.Evaluation(ABCD, 2);
        dl4j.eval(Nd4j.createFromArray(new float[][]{{0, 0, 1, 0}}), Nd4j.createFromArray(new float[][]{scores}));
        assertThat(dl4j.topNAccuracy()).as("DL4J's top-N counts the tie as correct").isEqualTo(1.0);
    }

    @Test
    void allEqualScoresAreCorrectForTheFirstClassOnly() {
        MetricsAccumulator acc = new MetricsAccumulator(ABCD, 3);
        float[] flat = {.25f, .25f, .25f, .25f};
        for (int c = 0; c < 4; c++) {
            acc.add(flat, c);
        }
        SplitMetrics m = acc.result();
        assertThat(m.top1()).isEqualTo(.25); // class 0 only
        assertThat(m.topK()).isEqualTo(.75); // ranks 0, 1, 2 of classes 0, 1, 2
    }

    @Test
    void nanScoresNeverCountAsCorrect() {
        MetricsAccumulator acc = new MetricsAccumulator(ABCD, 5);
        acc.add(new float[]{Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 0);
        acc.add(new float[]{.1f, Float.NaN, .9f, 0f}, 2);
        SplitMetrics m = acc.result();
        assertThat(m.top1()).as("a diverged network's NaN output is wrong, not a tie won by class 0").isEqualTo(.5);
        assertThat(m.top5()).isEqualTo(.5);
        assertThat(m.loss()).isNaN();
    }

    @Test
    void topFiveMatchesADirectComputationFromTheLogits() {
        int n = 500;
        int classes = 12;
        List<String> names = IntStream.range(0, classes).mapToObj(i -> "c" + i).toList();
        Random random = new Random(7);
        double[][] logits = new double[n][classes];
        float[][] oneHot = new float[n][classes];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(classes);
            oneHot[i][truth[i]] = 1;
            for (int c = 0; c < classes; c++) {
                // Logits favouring the true class a little, so top-1 and top-5 are neither 0 nor 1.
                logits[i][c] = random.nextGaussian() * 2 + (c == truth[i] ? 1.5 : 0);
            }
        }
        INDArray probabilities = Transforms.softmax(Nd4j.createFromArray(logits).castTo(DataType.FLOAT), true);
        INDArray labels = Nd4j.createFromArray(oneHot);

        MetricsAccumulator acc = new MetricsAccumulator(names, 3);
        acc.add(probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 200),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), labels.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 200), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        acc.add(probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(200, n),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), labels.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(200, n), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        SplitMetrics m = acc.result();

        // Direct: sort the class indices of each row by logit, descending; softmax preserves the order.
        int top1 = 0;
        int top3 = 0;
        int top5 = 0;
        double lossSum = 0;
        for (int i = 0; i < n; i++) {
            double[] row = logits[i];
            Integer[] order = IntStream.range(0, classes).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer c) -> -row[c]));
            int position = Arrays.asList(order).indexOf(truth[i]);
            top1 += position < 1 ? 1 : 0;
            top3 += position < 3 ? 1 : 0;
            top5 += position < 5 ? 1 : 0;
            double max = Arrays.stream(row).max().orElseThrow();
            double logSum = Math.log(Arrays.stream(row).map(v -> Math.exp(v - max)).sum()) + max;
            lossSum += logSum - row[truth[i]];
        }
        assertThat(m.count()).isEqualTo(n);
        assertThat(m.top1()).isEqualTo(top1 / (double) n);
        assertThat(m.topK()).isEqualTo(top3 / (double) n);
        assertThat(m.top5()).isEqualTo(top5 / (double) n);
        assertThat(m.top5()).isStrictlyBetween(m.top1(), 1.0);
        assertThat(m.loss()).isCloseTo(lossSum / n, within(1e-5)); // float softmax vs double log-sum-exp

        // Without ties, DL4J's own top-N agrees.
        org.nd4j.evaluation.classification.Evaluation dl4j = new org.nd4j.evaluation.classification.Evaluation(names, 5);
        dl4j.eval(labels, probabilities);
        assertThat(m.top5()).isEqualTo(dl4j.topNAccuracy());
        assertThat(m.top1()).isEqualTo(dl4j.accuracy());
    }

    @Test
    void rejectsMismatchedShapesWithAClearMessage() {
        MetricsAccumulator acc = new MetricsAccumulator(ABCD, 5);
        assertThatThrownBy(() -> acc.add(Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4 class columns");
        assertThatThrownBy(() -> acc.add(new float[]{.5f, .5f, 0, 0}, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("true class 4 is outside 0..3");
        assertThatThrownBy(() -> new MetricsAccumulator(ABCD, 0)).hasMessageContaining("k >= 1");
    }

    @Test
    void splitMetricsSurviveAJsonRoundTripIncludingNaN() throws Exception {
        SplitMetrics m = handExample();
        String json = Json.write(m);
        assertThat(json).contains("\"confusionMatrixNormalized\"", "\"NaN\"");
        SplitMetrics back = Json.mapper().readValue(json, SplitMetrics.class);
        assertThat(back.perClassAccuracy()[3]).isNaN();
        assertThat(back.confusionMatrix()).isDeepEqualTo(m.confusionMatrix());
        assertThat(back.confusionMatrixNormalized()).isDeepEqualTo(m.confusionMatrixNormalized());
        assertThat(back.top1()).isEqualTo(m.top1());
        // A result.json written before the normalised matrix existed still reads, and derives it.
        String old = json.replaceAll("(?s),\\s*\"confusionMatrixNormalized\"\\s*:\\s*\\[.*?\\]\\s*\\]", "");
        assertThat(old).doesNotContain("confusionMatrixNormalized");
        assertThat(Json.mapper().readValue(old, SplitMetrics.class).confusionMatrixNormalized())
                .isDeepEqualTo(m.confusionMatrixNormalized());
    }
}
