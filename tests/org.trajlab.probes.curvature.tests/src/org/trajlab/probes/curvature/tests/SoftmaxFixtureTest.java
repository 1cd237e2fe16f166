package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Hutchinson;
import org.trajlab.probes.curvature.internal.Lanczos;
import org.trajlab.probes.curvature.internal.Lanczos.Eigenpairs;
import org.trajlab.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reference numbers of the fixture {@code softmax-fashion-mnist-train1000.json} (in org.trajlab.testing): softmax regression
 * (784 -> 10 with bias, 7,850 parameters), mean cross-entropy over the first 1,000 Fashion-MNIST training images,
 * x = pixel / 255. Its exact Hessian-vector product H v = (1/N) sum_n x~_n ((diag p_n - p_n p_n^T) V^T x~_n)^T
 * (V = v as a 785 x 10 matrix, x~ = [x, 1]) is written here in plain Java, so the Lanczos and Hutchinson code is
 * checked on a real Hessian independently of DL4J. Fails when the Debian Fashion-MNIST is missing.
 */
public class SoftmaxFixtureTest {
  static final int N = 1000;
  static final int D = 785;
  static final int C = 10;
  static double[][] x;
  static int[] y;

  // the fixture's numbers (org.trajlab.testing carries the JSON with its provenance)
  static final JsonNode FIXTURE = Fixtures.softmaxTrain1000();
  // fixture A (all parameters zero): the top eigenvalue is 9-fold degenerate
  static final double A_TOP = FIXTURE.get("A_all_parameters_zero").get("H_top10").get(0).asDouble();
  static final double A_10 = FIXTURE.get("A_all_parameters_zero").get("H_top10").get(9).asDouble();
  static final double A_TRACE = FIXTURE.get("A_all_parameters_zero").get("H_trace").asDouble();
  // fixture B (W = 0, b_k = 0.1 k)
  static final double[] B_TOP10 = top10(FIXTURE.get("B_weights_zero_bias_0.1k"));
  static final double B_TRACE = FIXTURE.get("B_weights_zero_bias_0.1k").get("H_trace").asDouble();

  static double[] top10(JsonNode point) {
    double[] v = new double[10];
    for (int i = 0; i < 10; i++) v[i] = point.get("H_top10").get(i).asDouble();
    return v;
  }

  @BeforeAll
  static void load() throws IOException {
    Path dir = Fixtures.fashionMnistDir();
    Path img = dir.resolve("train-images-idx3-ubyte.gz");
    Path lab = dir.resolve("train-labels-idx1-ubyte.gz");
    x = new double[N][D];
    y = new int[N];
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(img)))) {
      in.readInt();
      in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] buf = new byte[rows * cols];
      for (int n = 0; n < N; n++) {
        in.readFully(buf);
        for (int i = 0; i < buf.length; i++) x[n][i] = (buf[i] & 0xff) / 255.0;
        x[n][D - 1] = 1;
      }
    }
    try (InputStream raw = new GZIPInputStream(Files.newInputStream(lab)); DataInputStream in = new DataInputStream(raw)) {
      in.readInt();
      in.readInt();
      for (int n = 0; n < N; n++) y[n] = in.readUnsignedByte();
    }
  }

  /** theta laid out as V[d][c] at d * C + c (the fixture says the layout does not matter) */
  static HessianOperator hessian(double[] bias) {
    double[][] p = new double[N][C];
    for (int n = 0; n < N; n++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < C; c++) m = Math.max(m, bias[c]);
      double s = 0;
      for (int c = 0; c < C; c++) s += p[n][c] = Math.exp(bias[c] - m);
      for (int c = 0; c < C; c++) p[n][c] /= s;
    }
    return new HessianOperator() {
      @Override
      public int dim() {
        return D * C;
      }

      @Override
      public void apply(double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
        double[] u = new double[C];
        for (int n = 0; n < N; n++) {
          double[] xn = x[n];
          java.util.Arrays.fill(u, 0);
          for (int d = 0; d < D; d++) {
            double xd = xn[d];
            if (xd == 0) continue;
            int base = d * C;
            for (int c = 0; c < C; c++) u[c] += xd * v[base + c];
          }
          double pu = 0;
          for (int c = 0; c < C; c++) pu += p[n][c] * u[c];
          for (int c = 0; c < C; c++) u[c] = p[n][c] * (u[c] - pu) / N;
          for (int d = 0; d < D; d++) {
            double xd = xn[d];
            if (xd == 0) continue;
            int base = d * C;
            for (int c = 0; c < C; c++) out[base + c] += xd * u[c];
          }
        }
      }
    };
  }

  @Test
  public void fixtureBTopTenAndTrace() {
    double[] bias = new double[C];
    for (int c = 0; c < C; c++) bias[c] = 0.1 * c;
    HessianOperator h = hessian(bias);
    Eigenpairs r = Lanczos.topK(h, new Lanczos.Options().k(10).tol(1e-10).maxHvps(3000).maxRestarts(200).seed(1));
    double err = 0;
    for (int i = 0; i < 10; i++) {
      assertEquals(B_TOP10[i], r.values()[i], 1e-9 * B_TOP10[0], "lambda_" + (i + 1));
      err = Math.max(err, Math.abs(B_TOP10[i] - r.values()[i]) / B_TOP10[0]);
    }
    assertTrue(r.allConverged());
    Hutchinson.Estimate t = Hutchinson.trace(h, 100, 3, null);
    System.out.println("fixture B: top 10 in " + r.hvps() + " HVPs (" + r.restarts() + " restarts), max rel err " + err
        + "; Hutchinson(100) " + t.mean() + " +- " + t.stderr() + " vs " + B_TRACE);
    assertTrue(Math.abs(t.mean() - B_TRACE) <= 3 * t.stderr());
  }

  /** the 9-fold top eigenvalue: block 1 returns the value; a block of 10 also its multiplicity */
  @Test
  public void fixtureADegenerateTop() {
    HessianOperator h = hessian(new double[C]);
    Eigenpairs b1 = Lanczos.topK(h, new Lanczos.Options().k(10).tol(1e-10).maxHvps(3000).maxRestarts(200).seed(1));
    assertEquals(A_TOP, b1.values()[0], 1e-10 * A_TOP);
    assertTrue(b1.converged()[0]);
    int copies = 0;
    for (double v : b1.values()) if (Math.abs(v - A_TOP) < 1e-8 * A_TOP) copies++;
    Eigenpairs b10 = Lanczos.topK(h, new Lanczos.Options().k(10).tol(1e-10).block(10).maxHvps(5000).maxRestarts(200).seed(1));
    for (int i = 0; i < 9; i++) assertEquals(A_TOP, b10.values()[i], 1e-10 * A_TOP, "copy " + (i + 1));
    assertEquals(A_10, b10.values()[9], 1e-10 * A_TOP);
    assertTrue(b10.allConverged());
    System.out.println("fixture A: block 1 lists lambda_1 " + copies + " time(s) in " + b1.hvps() + " HVPs; block 10 all 9 copies + lambda_10 in "
        + b10.hvps() + " HVPs; exact trace " + A_TRACE);
  }
}
