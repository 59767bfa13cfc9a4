package io.github.dl4jclassics.training.updaters;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;

/** The running state of {@link SgdMomentum}: the momentum buffer, a view of the network's updater state. */
public final class SgdMomentumUpdater implements GradientUpdater<SgdMomentum> {

    public static final String BUFFER_STATE = "momentum_buffer";

    private final SgdMomentum config;
    private INDArray buffer;

    public SgdMomentumUpdater(SgdMomentum config) {
        this.config = config;
    }

    @Override
    public SgdMomentum getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap == null || !stateMap.containsKey(BUFFER_STATE) || stateMap.size() != 1) {
            throw new IllegalStateException("SgdMomentum expects exactly the state " + BUFFER_STATE + ", got "
                    + (stateMap == null ? null : stateMap.keySet()));
        }
        buffer = stateMap.get(BUFFER_STATE);
        if (initialize) {
            buffer.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(BUFFER_STATE, buffer);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        buffer = viewArray;
    }

    /** Turns {@code gradient} into the step that DL4J subtracts from the parameters, updating the buffer. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (buffer == null) {
            throw new IllegalStateException("SgdMomentum updater has no state array");
        }
        INDArray buf = buffer;
        if (!java.util.Arrays.equals(buf.shape(), gradient.shape())) {
            // A view in the gradient's shape: the buffer must be updated in place to keep the state.
            buf = Shape.newShapeNoCopy(buffer, gradient.shape(), gradient.ordering() == 'f');
            if (buf == null) {
                throw new IllegalStateException("cannot view the momentum buffer " + java.util.Arrays.toString(buffer.shape())
                        + " in the gradient's shape " + java.util.Arrays.toString(gradient.shape()));
            }
        }
        double lr = config.getLearningRate(iteration, epoch);
        double momentum = config.momentum();
        buf.muli(momentum).addi(gradient);
        if (config.nesterov()) {
            gradient.addi(buf.mul(momentum));
        } else {
            gradient.assign(buf);
        }
        gradient.muli(lr);
    }
}
