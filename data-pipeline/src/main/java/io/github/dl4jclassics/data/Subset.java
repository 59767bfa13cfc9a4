package io.github.dl4jclassics.data;

/** The two parts a data set ships in; validation is carved out of TRAIN by {@link SplitConfig}. */
public enum Subset {
    TRAIN, TEST
}
