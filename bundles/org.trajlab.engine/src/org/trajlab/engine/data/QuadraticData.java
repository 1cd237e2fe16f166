package org.trajlab.engine.data;

/**
 * The data of the synthetic quadratic model: the model (A and Σ) and its samples x, split like any dataset (the
 * {@code samples} draws are the training file, the {@code testSamples} draws the test file).
 *
 * @param model   A = diag(a) and Σ = diag(σ²)
 * @param train   the training samples
 * @param heldOut the held-out samples, or null when there is no held-out split
 * @param test    the test samples
 */
public record QuadraticData(SyntheticQuadratic model, SyntheticQuadratic.Samples train,
    SyntheticQuadratic.Samples heldOut, SyntheticQuadratic.Samples test) {}
