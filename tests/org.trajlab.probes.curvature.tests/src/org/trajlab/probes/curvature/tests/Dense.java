package org.trajlab.probes.curvature.tests;

import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Dense symmetric test matrices with a known spectrum: Q diag(lambda) Q^T with a seeded random orthogonal Q. */
final class Dense {
  private Dense() {}

  static double[][] withSpectrum(double[] lambda, long seed) {
    int n = lambda.length;
    Random rnd = new Random(seed);
    double[][] g = new double[n][n];
    for (double[] row : g) for (int j = 0; j < n; j++) row[j] = rnd.nextGaussian();
    RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ();
    double[][] a = new double[n][n];
    double[][] qd = q.getData();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int l = 0; l < n; l++) s += qd[i][l] * lambda[l] * qd[j][l];
        a[i][j] = s;
        a[j][i] = s;
      }
    }
    return a;
  }

  /** lambda sorted by |lambda| descending */
  static double[] byMagnitude(double[] lambda) {
    return java.util.Arrays.stream(lambda).boxed().sorted((x, y) -> Double.compare(Math.abs(y), Math.abs(x)))
        .mapToDouble(Double::doubleValue).toArray();
  }
}
