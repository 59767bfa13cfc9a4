package io.github.dl4jclassics.training.schedules;

/** The base rate for every epoch. */
public record ConstantSchedule() implements ScheduleConfig {

    @Override
    public LearningRateScheduler create(double baseRate) {
        return epoch -> baseRate;
    }
}
