package io.github.dl4jclassics.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

    /** 10 test images: class a 4 of 5 right, class b 1 of 5 right (top-1 0.5), top-5 1.0. */
    private static SplitMetrics test() {
        return new SplitMetrics(10, 0.5, 1.0, 5, 1.0, 1.0, List.of("a", "b"), new double[]{0.8, 0.2},
                new double[]{0.5, 0.5}, new double[]{0.6, 0.3}, null, null, new long[][]{{4, 1}, {4, 1}});
    }

    private static SplitMetrics validation() {
        return new SplitMetrics(4, 0.25, 0.75, 5, 0.75, 1.0, List.of("a", "b"), new double[]{0.5, Double.NaN},
                new double[]{1, 0}, new double[]{0.6, 0}, null, null, new long[][]{{1, 1}, {0, 0}});
    }

    @Test
    void everyDocumentedValueIsMeasuredHeadlineFirst() {
        DocumentedResult headline = new DocumentedResult("top1", "test", 0.52, 0.03, "note");
        List<DocumentedValue> more = List.of(
                new DocumentedValue("top5", "validation", null, 0.80, 0.03, "second split"),
                new DocumentedValue("top1", "test", "a", 0.70, 0.05, null),
                new DocumentedValue("top1", "test", "b", 0.30, 0.05, null),
                new DocumentedValue("top1", "validation", "b", 0.30, 0.05, null));

        List<Check> checks = Checks.measure(headline, more, test(), validation());

        assertThat(checks).extracting(Check::className).containsExactly(null, null, "a", "b", "b");
        assertThat(checks).extracting(Check::measured).containsExactly(0.5, 0.75, 0.8, 0.2, null);
        assertThat(checks).extracting(Check::verdict).containsExactly(Verdict.PASS, Verdict.FAIL, Verdict.PASS,
                Verdict.FAIL, Verdict.FAIL);
        assertThat(checks.get(3).delta()).isCloseTo(-0.1, org.assertj.core.api.Assertions.within(1e-12));
        // Without a validation split, its checks have nothing measured and fail.
        assertThat(Checks.measure(null, more.subList(0, 1), test(), null).get(0).measured()).isNull();
        // A headline without a value is not a check.
        assertThat(Checks.measure(new DocumentedResult("top1", "test", null, null, "not recorded"), null, test(), null))
                .isEmpty();
    }

    @Test
    void perClassMissesAreReportedButOnlyAnOverallMissFailsTheRun() {
        Check overallPass = new Check("top1", "test", null, 0.5, 0.0, 0.5, Verdict.PASS);
        Check classMiss = new Check("top1", "test", "a", 0.9, 0.0, 0.1, Verdict.FAIL);
        Check secondMetricMiss = new Check("top5", "test", null, 0.9, 0.0, 0.1, Verdict.FAIL);
        assertThat(Checks.runVerdict(Verdict.PASS, List.of(overallPass, classMiss))).isEqualTo(Verdict.PASS);
        assertThat(Checks.runVerdict(Verdict.PASS, List.of(overallPass, secondMetricMiss))).isEqualTo(Verdict.FAIL);
        assertThat(Checks.runVerdict(Verdict.NO_REFERENCE, List.of(secondMetricMiss))).isEqualTo(Verdict.NO_REFERENCE);
        assertThat(Checks.runVerdict(Verdict.FAIL, List.of())).isEqualTo(Verdict.FAIL);
    }

    @Test
    void checksAreWrittenWithTheFieldNamesOfResultJson() throws Exception {
        JsonNode json = Json.mapper().valueToTree(new Check("top1", "test", "forest", 0.9667, 0.05, 0.95, Verdict.PASS));
        assertThat(json.get("class").asText()).isEqualTo("forest");
        assertThat(json.get("documented").asDouble()).isEqualTo(0.9667);
        assertThat(json.has("className")).isFalse();
        assertThat(Json.mapper().valueToTree(new Check("top5", "test", null, 0.83, 0.02, 0.8, Verdict.FAIL)).has("class"))
                .as("absent for an overall value").isFalse();
        DocumentedValue parsed = Json.mapper().readValue(
                "{\"metric\": \"top1\", \"split\": \"test\", \"class\": \"sea\", \"value\": 0.8411, \"tolerance\": 0.05}",
                DocumentedValue.class);
        assertThat(parsed.className()).isEqualTo("sea");
    }

    @Test
    void documentedValuesAreValidatedAndUnknownClassesNamed() {
        assertThatThrownBy(() -> new DocumentedValue("top5", "test", "sea", 0.5, null, null))
                .hasMessageContaining("class 'sea'").hasMessageContaining("top1");
        assertThatThrownBy(() -> new DocumentedValue("top1", "test", null, 79.45, null, null)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> new DocumentedValue("top1", "train", null, 0.5, null, null)).hasMessageContaining("test, validation");
        assertThat(Checks.unknownClasses(List.of(new DocumentedValue("top1", "test", "sea", 0.5, null, null),
                new DocumentedValue("top1", "test", "a", 0.5, null, null)), List.of("a", "b"))).containsExactly("sea");
    }
}
