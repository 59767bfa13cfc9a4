package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Random;

/**
 * AlexNet's PCA colour augmentation (Krizhevsky et al. 2012, section 4.1): to every pixel of an image add
 * {@code sum_i alpha_i * lambda_i * p_i}, with {@code alpha_i ~ N(0, std)} drawn once per image and
 * {@code (lambda_i, p_i)} the eigenvalues and eigenvectors of the training pixels' RGB covariance
 * ({@link PcaEigen}, 0..1 scale, so the shift is multiplied by 255 for 0..255 pixels). Images must be RGB in
 * R, G, B channel order. Training only.
 *
 * <p>In a manifest {@code {"type": "pca-colour"}} (std 0.1, the paper's value) has its eigen data computed from
 * the training split by the pipeline; {@code eigen} may also be given explicitly.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PcaColour(Double std, PcaEigen eigen) implements BatchTransform {

    public static final double PAPER_STD = 0.1;

    public PcaColour {
        if (std == null) {
            std = PAPER_STD;
        }
        if (!(std >= 0)) {
            throw new IllegalArgumentException("pca-colour.std must be 0 or more, got " + std);
        }
    }

    public PcaColour withEigen(PcaEigen computed) {
        return new PcaColour(std, computed);
    }

    @JsonIgnore
    public boolean needsEigen() {
        return eigen == null;
    }

    @Override
    public int order() {
        return ORDER_PCA_COLOUR;
    }

    @Override
    public boolean augmentation() {
        return true;
    }

    @Override
    public void apply(Batch batch, Random random) {
        if (eigen == null) {
            throw new IllegalStateException("pca-colour has no eigen data; the pipeline must compute it first");
        }
        if (batch.shape().channels() != 3) {
            throw new IllegalArgumentException("pca-colour needs RGB batches, got " + batch.shape());
        }
        double[] alpha = new double[3];
        for (int n = 0; n < batch.count(); n++) {
            for (int i = 0; i < 3; i++) {
                alpha[i] = random.nextGaussian() * std;
            }
            shift(batch, n, alpha);
        }
    }

    /** The RGB shift (0..255 scale) that coefficients {@code alpha} give. */
    public double[] shiftFor(double[] alpha) {
        double[] delta = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                delta[c] += alpha[i] * eigen.eigenvalues()[i] * eigen.eigenvectors()[i][c] * 255.0;
            }
        }
        return delta;
    }

    /** Adds the shift of coefficients {@code alpha} to every pixel of image {@code n} of the batch. */
    void shift(Batch batch, int n, double[] alpha) {
        double[] delta = shiftFor(alpha);
        int plane = batch.shape().height() * batch.shape().width();
        float[] x = batch.features();
        for (int c = 0; c < 3; c++) {
            float d = (float) delta[c];
            for (int i = (n * 3 + c) * plane, end = i + plane; i < end; i++) {
                x[i] += d;
            }
        }
    }
}
