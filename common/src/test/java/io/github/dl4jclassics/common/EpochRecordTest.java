package io.github.dl4jclassics.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochRecordTest {

    private static final EpochRecord PLAIN = new EpochRecord(3, 1e-3, 0.5, Double.NaN, 0.7, 0.6, 0.9, 12.3456);
    private static final EpochRecord WITH_TEST = PLAIN.withTest(new EpochRecord.SplitScores(0.8, 0.55, Double.NaN));

    @Test
    void withoutAPerEpochTestTheFileKeepsItsEightColumns() {
        assertThat(EpochRecord.csvHeader(List.of(PLAIN))).isEqualTo(
                "epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds");
        assertThat(PLAIN.toCsv(false)).isEqualTo("3,0.001,0.5,,0.7,0.6,0.9,12.346").isEqualTo(PLAIN.toCsv());
        assertThat(EpochRecord.fromCsv(PLAIN.toCsv()).test()).isNull();
    }

    @Test
    void theTestColumnsFollowSecondsAndReadBack() {
        List<EpochRecord> rows = List.of(PLAIN, WITH_TEST);
        String header = EpochRecord.csvHeader(rows);
        assertThat(header).startsWith(EpochRecord.CSV_HEADER + ",").endsWith(",seconds,test_loss,test_top1,test_top5");
        assertThat(WITH_TEST.toCsv(true)).isEqualTo("3,0.001,0.5,,0.7,0.6,0.9,12.346,0.8,0.55,");
        // A row of the same file without a test evaluation (an epoch before the option was set) has empty cells.
        assertThat(PLAIN.toCsv(true)).isEqualTo("3,0.001,0.5,,0.7,0.6,0.9,12.346,,,");
        EpochRecord read = EpochRecord.fromCsv(WITH_TEST.toCsv(true));
        assertThat(read.testLoss()).isEqualTo(0.8);
        assertThat(read.testTop1()).isEqualTo(0.55);
        assertThat(read.testTop5()).isNaN();
        assertThat(read.validationTop1()).isEqualTo(0.6);
        assertThat(read.seconds()).isEqualTo(12.346);
        assertThat(EpochRecord.fromCsv(PLAIN.toCsv(true)).test()).isNull();
        assertThat(PLAIN.testTop1()).isNaN();
    }

    @Test
    void aRowOfAnotherWidthIsRefusedWithBothLayouts() {
        assertThatThrownBy(() -> EpochRecord.fromCsv("1,2,3"))
                .hasMessageContaining("3 fields, expected 8").hasMessageContaining("or 11 (with test_loss,test_top1,test_top5)");
    }

    @Test
    void theCheckpointStateKeepsTheTestValuesAndOmitsThemWhenAbsent() throws Exception {
        String plain = Json.write(PLAIN);
        assertThat(plain).doesNotContain("test");
        assertThat(Json.mapper().readValue(plain, EpochRecord.class)).isEqualTo(PLAIN);
        String withTest = Json.write(WITH_TEST);
        assertThat(withTest).contains("\"test\"").doesNotContain("testTop1");
        EpochRecord back = Json.mapper().readValue(withTest, EpochRecord.class);
        assertThat(back.test().loss()).isEqualTo(0.8);
        assertThat(back.test().top5()).isNaN();
    }
}
