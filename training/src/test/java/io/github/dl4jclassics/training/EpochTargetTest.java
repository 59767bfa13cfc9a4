package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EpochTargetTest {

    @Test
    void aTotalOrMoreEpochsCountedFromTheFinishedRun() {
        assertThat(EpochTarget.parse("+5").totalAfter(3)).isEqualTo(8);
        assertThat(EpochTarget.parse(" 10 ").totalAfter(3)).isEqualTo(10);
        assertThat(EpochTarget.parse("+5")).hasToString("+5");
        assertThatThrownBy(() -> EpochTarget.parse("2").totalAfter(3))
                .hasMessageContaining("--epochs 2 gives 2 epochs").hasMessageContaining("already trained 3");
    }

    @Test
    void anythingButNOrPlusNIsRefusedQuotingIt() {
        assertThatThrownBy(() -> EpochTarget.parse("ten")).hasMessageContaining("'ten'").hasMessageContaining("N or +N");
        assertThatThrownBy(() -> EpochTarget.parse("+0")).hasMessageContaining("at least 1, got +0");
        assertThatThrownBy(() -> EpochTarget.parse("-3")).hasMessageContaining("at least 1, got -3");
    }
}
