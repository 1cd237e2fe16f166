package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.engine.data.DataShape;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.data.Splits;
import org.trajlab.engine.data.SyntheticQuadratic;

/** The synthetic quadratic of INSTRUMENTS.md §4: its samples have covariance Σ, its closed forms are right. */
public class DataQuadraticTest {
  static final double[] A = { 2.0, 0.5, 0.01, 0.01, 1.0 };
  static final double[] SIGMA = { 0.5, 1.0, 2.0, 3.0, 1.5 };

  @Test
  public void sampleCovarianceIsSigma() {
    SyntheticQuadratic q = new SyntheticQuadratic(A, SIGMA);
    int n = 100_000;
    int d = A.length;
    SyntheticQuadratic.Samples s = q.samples(new SplittableRandom(1), n);
    double[] mean = new double[d];
    double[][] cov = new double[d][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) mean[j] += s.x()[i * d + j] / n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          cov[j][k] += (s.x()[i * d + j] - mean[j]) * (s.x()[i * d + k] - mean[k]) / (n - 1);
        }
      }
    }
    for (int j = 0; j < d; j++) {
      // standard errors: sigma/sqrt(n) for a mean, sigma_j^2*sqrt(2/n) for a variance, sigma_j*sigma_k/sqrt(n) off the
      // diagonal; 5 of them
      assertEquals(0, mean[j], 5 * SIGMA[j] / Math.sqrt(n), "mean of coordinate " + j);
      for (int k = 0; k < d; k++) {
        double expected = j == k ? SIGMA[j] * SIGMA[j] : 0;
        double se = j == k ? SIGMA[j] * SIGMA[j] * Math.sqrt(2.0 / n) : SIGMA[j] * SIGMA[k] / Math.sqrt(n);
        assertEquals(expected, cov[j][k], 5 * se, "covariance (" + j + ", " + k + ")");
      }
    }
  }

  @Test
  public void gradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    double[] theta = new double[A.length];
    for (int j = 0; j < theta.length; j++) theta[j] = r.nextDouble(-2, 2);
    SyntheticQuadratic.Samples s = new SyntheticQuadratic(A, SIGMA).samples(r, 7);
    int[] batch = { 1, 4, 6 };
    double[] g = new double[A.length];
    SyntheticQuadratic.meanGradient(A, theta, s, batch, g);
    double[] gx = new double[A.length];
    SyntheticQuadratic.sampleGradient(A, theta, s.x(), 4 * A.length, gx);
    double h = 1e-5;
    for (int j = 0; j < A.length; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (SyntheticQuadratic.meanLoss(A, up, s, batch) - SyntheticQuadratic.meanLoss(A, down, s, batch)) / (2 * h);
      assertEquals(fd, g[j], 1e-8 * Math.max(1, Math.abs(fd)), "mean batch gradient, coordinate " + j);
      double fdx = (SyntheticQuadratic.sampleLoss(A, up, s.x(), 4 * A.length)
          - SyntheticQuadratic.sampleLoss(A, down, s.x(), 4 * A.length)) / (2 * h);
      assertEquals(fdx, gx[j], 1e-8 * Math.max(1, Math.abs(fdx)), "per-sample gradient, coordinate " + j);
    }
    double[] eg = new double[A.length];
    SyntheticQuadratic.expectedGradient(A, theta, eg);
    double[] v = new SyntheticQuadratic(A, SIGMA).variances();
    for (int j = 0; j < A.length; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (SyntheticQuadratic.expectedLoss(A, v, up) - SyntheticQuadratic.expectedLoss(A, v, down)) / (2 * h);
      assertEquals(fd, eg[j], 1e-8 * Math.max(1, Math.abs(fd)), "full gradient, coordinate " + j);
    }
  }

  @Test
  public void meanSampleLossConvergesToTheFullLoss() {
    SyntheticQuadratic q = new SyntheticQuadratic(A, SIGMA);
    int n = 100_000;
    SyntheticQuadratic.Samples s = q.samples(new SplittableRandom(5), n);
    double[] theta = { 0.3, -1.0, 2.0, 0.0, 0.7 };
    double full = SyntheticQuadratic.expectedLoss(A, q.variances(), theta);
    // ½θᵀAθ + ½tr(AΣ) by hand
    double byHand = 0.5 * (2 * 0.09 + 0.5 * 1 + 0.01 * 4 + 0 + 1.0 * 0.49)
        + 0.5 * (2 * 0.25 + 0.5 * 1 + 0.01 * 4 + 0.01 * 9 + 1.0 * 2.25);
    assertEquals(byHand, full, 1e-12);
    assertEquals(full, SyntheticQuadratic.meanLoss(A, theta, s, Splits.range(0, n)), 0.01 * full);
  }

  @Test
  public void stationaryVarianceOfSgdWithFreshSamples() {
    // one coordinate, a = 1, sigma = 1, eta = 0.1, batch 1: v = 0.1 / 1.9
    double a = 1;
    double eta = 0.1;
    double predicted = SyntheticQuadratic.stationaryVariance(a, 1, eta, 1);
    assertEquals(0.1 / 1.9, predicted, 1e-15);
    SplittableRandom r = new SplittableRandom(7);
    double[] z = new double[1];
    double theta = 0;
    double sum2 = 0;
    int steps = 400_000;
    for (int t = 0; t < 1000 + steps; t++) {
      SyntheticQuadratic.standardNormals(r, z);
      theta -= eta * a * (theta - z[0]);
      if (t >= 1000) sum2 += theta * theta;
    }
    assertEquals(predicted, sum2 / steps, 0.05 * predicted);
  }

  @Test
  public void specBuildsFastAndSlowCoordinatesAndSeededSamples() throws Exception {
    RunSpec spec = Specs.parse("{\"data\":{\"dataset\":\"quadratic\",\"quadratic\":{\"dim\":6,\"fastCount\":2,"
        + "\"fast\":1.5,\"slow\":0.02,\"sigma\":0.5,\"samples\":400,\"testSamples\":100},\"heldOutSize\":50,"
        + "\"trainEvalSize\":100}}");
    DataSpec d = spec.data;
    DataShape shape = Datasets.check(d);
    assertEquals(6, shape.features());
    assertEquals(350, shape.trainSize());
    assertNull(shape.dir());

    LoadedData data = Datasets.load(d, 1);
    assertTrue(data.isQuadratic());
    assertNull(data.train());
    assertArrayEquals(new double[] { 1.5, 1.5, 0.02, 0.02, 0.02, 0.02 }, data.quadratic().model().eigenvalues());
    assertArrayEquals(new double[] { 0.25, 0.25, 0.25, 0.25, 0.25, 0.25 }, data.quadratic().model().variances());
    assertEquals(350, data.quadratic().train().size());
    assertEquals(50, data.quadratic().heldOut().size());
    assertEquals(100, data.quadratic().test().size());
    assertArrayEquals(data.quadratic().train().x(), Datasets.load(d, 1).quadratic().train().x());
    assertFalse(Arrays.equals(data.quadratic().train().x(), Datasets.load(d, 2).quadratic().train().x()));
    assertTrue(data.description().startsWith("synthetic quadratic: 350 training examples of 400, 50 held out"),
        data.description());
    // the defaults fill in when only the dataset is named (the engine resolves them when it plans a run)
    org.trajlab.api.spec.DataSpec named = Specs.parse("{\"data\":{\"dataset\":\"quadratic\"}}").data;
    assertNull(named.quadratic);
    Datasets.resolve(named);
    assertEquals(100, named.quadratic.dim);
  }
}
