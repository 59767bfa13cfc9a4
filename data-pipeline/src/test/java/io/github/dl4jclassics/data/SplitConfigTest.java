package io.github.dl4jclassics.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A quick trial (--limit-train N) keeps the validation share of the full recipe, so its split stays valid. */
class SplitConfigTest {

    @Test
    void validationCountKeepsItsShareOfTheLimitedTrainingFiles() {
        SplitConfig recipe = new SplitConfig(5000, null, 11);
        SplitConfig limited = recipe.limitedTo(2000, 60000);
        assertThat(limited.validationCount()).isEqualTo(167);
        assertThat(limited.seed()).isEqualTo(11);
        assertThat(limited.validationSize(2000)).isEqualTo(167);
        // Without a limit, or with a fraction, nothing changes.
        assertThat(recipe.limitedTo(60000, 60000)).isSameAs(recipe);
        SplitConfig fraction = new SplitConfig(null, 0.1, 3);
        assertThat(fraction.limitedTo(2000, 60000)).isSameAs(fraction);
        // A tiny limit still leaves one validation example.
        assertThat(recipe.limitedTo(5, 60000).validationCount()).isEqualTo(1);
    }
}
