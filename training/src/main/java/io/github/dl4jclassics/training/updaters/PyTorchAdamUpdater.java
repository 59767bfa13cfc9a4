package io.github.dl4jclassics.training.updaters;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The running state of {@link PyTorchAdam}: first and second moments, the two halves of a view of the network's
 * updater state, in the layout and under the names of DL4J's {@code AdamUpdater} ("M", "V").
 */
public final class PyTorchAdamUpdater implements GradientUpdater<PyTorchAdam> {

    public static final String M_STATE = "M";
    public static final String V_STATE = "V";

    private final PyTorchAdam config;
    private INDArray m;
    private INDArray v;

    public PyTorchAdamUpdater(PyTorchAdam config) {
        this.config = config;
    }

    @Override
    public PyTorchAdam getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap == null || !stateMap.containsKey(M_STATE) || !stateMap.containsKey(V_STATE) || stateMap.size() != 2) {
            throw new IllegalStateException("PyTorchAdam expects exactly the states " + M_STATE + " and " + V_STATE
                    + ", got " + (stateMap == null ? null : stateMap.keySet()));
        }
        m = stateMap.get(M_STATE);
        v = stateMap.get(V_STATE);
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put(M_STATE, m);
        state.put(V_STATE, v);
        return state;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        // The two halves as row vectors; applyUpdater views them in each gradient's shape.
        INDArray flat = viewArray.reshape(1, viewArray.length());
        long half = flat.length() / 2;
        m = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, half)).reshape(1, half);
        v = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(half, flat.length())).reshape(1, half);
    }

    /**
     * Turns {@code gradient} into the step DL4J subtracts from the parameters, in PyTorch's order of operations
     * ({@code torch.optim.Adam}, single-tensor path); {@code iteration} counts from 0, PyTorch's step from 1.
     */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (m == null) {
            throw new IllegalStateException("PyTorchAdam updater has no state array");
        }
        INDArray mView = view(m, gradient);
        INDArray vView = view(v, gradient);
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        int step = iteration + 1;
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = config.getLearningRate(iteration, epoch) / biasCorrection1;
        mView.muli(beta1).addi(gradient.mul(1 - beta1));
        vView.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        INDArray denominator = Transforms.sqrt(vView, true).divi(Math.sqrt(biasCorrection2)).addi(config.epsilon());
        gradient.assign(mView).divi(denominator).muli(stepSize);
    }

    private static INDArray view(INDArray state, INDArray gradient) {
        if (java.util.Arrays.equals(state.shape(), gradient.shape())) {
            return state;
        }
        INDArray reshaped = Shape.newShapeNoCopy(state, gradient.shape(), gradient.ordering() == 'f');
        if (reshaped == null) {
            throw new IllegalStateException("cannot view the Adam state " + java.util.Arrays.toString(state.shape())
                    + " in the gradient's shape " + java.util.Arrays.toString(gradient.shape()));
        }
        return reshaped;
    }
}
