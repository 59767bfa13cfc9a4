package io.github.dl4jclassics.training;

/** Training produced a NaN or infinite loss or parameter; the message says where and what to try. */
public class DivergenceException extends RuntimeException {

    private final int epoch;
    private final int batch;
    private final double learningRate;

    public DivergenceException(int epoch, int batch, double learningRate, String what) {
        super(String.format(java.util.Locale.ROOT,
                "training diverged: %s at epoch %d, batch %d, learning rate %g. Lower the learning rate "
                        + "(e.g. %g) or add gradient clipping; the last good checkpoint is kept.",
                what, epoch, batch, learningRate, learningRate / 10));
        this.epoch = epoch;
        this.batch = batch;
        this.learningRate = learningRate;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public double learningRate() {
        return learningRate;
    }
}
