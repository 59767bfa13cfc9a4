package io.github.dl4jclassics.training;

import io.github.dl4jclassics.zoo.ClassifierNetwork;

/**
 * Measures a network on the validation split after each epoch. Supplied by the caller (the experiments module
 * wires the evaluation module's metrics), so training does not depend on evaluation.
 */
@FunctionalInterface
public interface Validator {

    ValidationResult validate(ClassifierNetwork network);

    /** Loss, top-1 and top-5 on the validation split, as fractions. */
    record ValidationResult(double loss, double top1, double top5) {

        public static final ValidationResult NONE = new ValidationResult(Double.NaN, Double.NaN, Double.NaN);

        public double metric(String monitor) {
            return switch (monitor) {
                case "validation.loss" -> loss;
                case "validation.top1" -> top1;
                case "validation.top5" -> top5;
                default -> throw new IllegalArgumentException("unknown monitor " + monitor);
            };
        }
    }
}
