package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.ImageSet;

/**
 * Eigen-decomposition of the 3x3 covariance of RGB pixel values of a training set, for AlexNet's PCA colour
 * augmentation. Pixel values are on the 0..1 scale ({@code value / 255}), the scale of the eigenvalues the
 * ImageNet reimplementations publish. Eigenvalues are in decreasing order; {@code eigenvectors[i]} is the unit
 * RGB vector of {@code eigenvalues[i]}.
 */
public record PcaEigen(@JsonProperty(required = true) double[] eigenvalues,
                       @JsonProperty(required = true) double[][] eigenvectors) {

    public PcaEigen {
        if (eigenvalues.length != 3 || eigenvectors.length != 3) {
            throw new IllegalArgumentException("PCA colour needs 3 eigenvalues and 3 eigenvectors (RGB), got "
                    + eigenvalues.length + " and " + eigenvectors.length);
        }
        for (double[] v : eigenvectors) {
            if (v.length != 3) {
                throw new IllegalArgumentException("each PCA eigenvector must have 3 (RGB) components, got " + v.length);
            }
        }
    }

    /** Covariance of all pixels of {@code images} (RGB, channels first) and its eigen-decomposition. */
    public static PcaEigen compute(ImageSet images) {
        return decompose(covariance(images));
    }

    /** The 3x3 covariance (0..1 scale) of the RGB values of every pixel of {@code images}. */
    public static double[][] covariance(ImageSet images) {
        if (images.shape().channels() != 3) {
            throw new IllegalArgumentException("pca-colour needs RGB images, " + images.description() + " has "
                    + images.shape().channels() + " channel(s)");
        }
        int plane = images.shape().height() * images.shape().width();
        // Exact integer sums: 50,000 images of 128x128 give sums of squares near 5e13, well inside a long.
        long[] sum = new long[3];
        long[][] products = new long[3][3];
        byte[] image = new byte[images.shape().size()];
        for (int n = 0; n < images.size(); n++) {
            images.copyBytes(n, image, 0);
            for (int i = 0; i < plane; i++) {
                int r = image[i] & 0xFF;
                int g = image[plane + i] & 0xFF;
                int b = image[2 * plane + i] & 0xFF;
                sum[0] += r;
                sum[1] += g;
                sum[2] += b;
                products[0][0] += r * r;
                products[0][1] += r * g;
                products[0][2] += r * b;
                products[1][1] += g * g;
                products[1][2] += g * b;
                products[2][2] += b * b;
            }
        }
        double count = (double) images.size() * plane;
        double[][] covariance = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = i; j < 3; j++) {
                double value = (products[i][j] / count - (sum[i] / count) * (sum[j] / count)) / (255.0 * 255.0);
                covariance[i][j] = value;
                covariance[j][i] = value;
            }
        }
        return covariance;
    }

    /** Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations, sorted by decreasing eigenvalue. */
    public static PcaEigen decompose(double[][] symmetric) {
        double[][] a = new double[3][3];
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int i = 0; i < 3; i++) {
            a[i] = symmetric[i].clone();
        }
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[] values = new double[3];
        double[][] vectors = new double[3][];
        for (int i = 0; i < 3; i++) {
            values[i] = Math.max(0, a[order[i]][order[i]]); // a covariance is positive semi-definite; clip rounding
            vectors[i] = new double[]{v[0][order[i]], v[1][order[i]], v[2][order[i]]};
        }
        return new PcaEigen(values, vectors);
    }
}
