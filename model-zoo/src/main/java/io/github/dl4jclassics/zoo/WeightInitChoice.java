package io.github.dl4jclassics.zoo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Weight initialisation named in a manifest: the source's own, or a common scheme for every layer. */
public enum WeightInitChoice {
    /** The initialisation the model's paper or note used (e.g. AlexNet's N(0, 0.01) with some biases 1). */
    PAPER,
    /** He (Kaiming) normal, PyTorch's default family for ReLU networks. */
    HE,
    /** Xavier (Glorot). */
    XAVIER;

    @JsonCreator
    public static WeightInitChoice of(String text) {
        for (WeightInitChoice choice : values()) {
            if (choice.name().equalsIgnoreCase(text)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown weight initialisation '" + text + "'; allowed: "
                + Arrays.stream(values()).map(WeightInitChoice::toString).collect(Collectors.joining(", ")));
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
