package org.trajlab.api.objective;

/** Mean loss (without regularisation terms) and accuracy on a data view. */
public record Evaluation(double loss, double accuracy, int examples) {
}
