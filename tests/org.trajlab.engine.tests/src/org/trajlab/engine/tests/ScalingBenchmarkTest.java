package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Lanczos;
import org.trajlab.probes.noise.internal.GramEstimate;
import org.trajlab.probes.noise.internal.NoiseMath;

/**
 * Benchmark, not a timed test (-Dtrajlab.slow=true; {@code ./build.sh bench scaling}): how the cost of the curvature
 * and noise instruments grows. On the Fashion-MNIST MLP in DOUBLE at initialisation: one Hessian-vector product and the
 * converged top-5 eigen-solve (thick-restart Lanczos, residual ≤ 1e-3·λ₁) against the number of examples N (MLP
 * 784-300-100-10) and against the number of parameters P (hidden widths 150-50, 300-100, 600-200, N = 2,560); the
 * noise probe's Gram spectrum (L = 25 groups of M examples, centred, decomposed) against the examples it reads, L·M,
 * and against P (M = 128). Each series gets its log-log least-squares slope, the exponent of the cost's growth.
 * Writes bench-scaling.json.
 */
public class ScalingBenchmarkTest {
  static final int[] EXAMPLES = { 1280, 2560, 5120 };
  static final int[][] WIDTHS = { { 150, 50 }, { 300, 100 }, { 600, 200 } };
  static final int[] GROUP_SIZES = { 32, 128, 512 };
  static final int L = 25;

  /** least-squares slope of log y against log x */
  static double logLogSlope(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) throw new IllegalArgumentException("a slope needs two or more points");
    double mx = 0, my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += Math.log(x[i]) / x.length;
      my += Math.log(y[i]) / x.length;
    }
    double sxy = 0, sxx = 0;
    for (int i = 0; i < x.length; i++) {
      double dx = Math.log(x[i]) - mx;
      sxy += dx * (Math.log(y[i]) - my);
      sxx += dx * dx;
    }
    return sxy / sxx;
  }

  @Test
  public void slopeOfALogLogFit() {
    // y = 3 x^1.5 exactly, and a fit that is not exact: the slope of least squares, not of the end points
    assertEquals(1.5, logLogSlope(new double[] { 1, 2, 8 }, new double[] { 3, 3 * Math.pow(2, 1.5), 3 * Math.pow(8, 1.5) }), 1e-12);
    double[] x = { 1, Math.E, Math.E * Math.E };
    assertEquals(0.5, logLogSlope(x, new double[] { 1, Math.E, Math.E }), 1e-12);
  }

  /** one series: an operation's wall time at three sizes and its exponent */
  private static Map<String, Object> series(String op, String axis, double[] sizes, double[] seconds,
      List<double[]> repeats, List<Object> notes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operation", op);
    m.put("axis", axis);
    m.put("sizes", sizes);
    m.put("seconds", seconds);
    m.put("repeats", repeats);
    m.put("notes", notes);
    m.put("exponent", logLogSlope(sizes, seconds));
    System.out.printf("[scaling] %-32s %-10s %s -> %s s, exponent %.2f%n", op, axis, java.util.Arrays.toString(sizes),
        java.util.Arrays.toString(seconds), m.get("exponent"));
    return m;
  }

  private static Network mlp(int[] widths) {
    ModelSpec m = Specs.defaultExperiment().model.copy();
    m.preset = null;
    m.hidden = List.of(widths[0], widths[1]);
    try {
      return ModelZoo.build(m, DataType.DOUBLE, 0, InputShape.flat(1, 28, 28), 10);
    } catch (Exception e) {
      throw new AssertionError("the MLP " + widths[0] + "-" + widths[1] + " was refused: " + e.getMessage(), e);
    }
  }

  /** the objective of the MLP of these widths with train-eval = the first n training images, and θ at initialisation */
  private record Setup(Dl4jObjective o, double[] theta) {}

  private static Setup objective(FashionMnist data, int[] widths, int n) {
    Network net = mlp(widths);
    return new Setup(new Dl4jObjective(net.copy(), null, data.train(), data.test(), GroupGradientsTest.range(n)),
        net.params().toDoubleVector());
  }

  private static HessianOperator hessian(Dl4jObjective o, DataView v, double[] theta) {
    return new HessianOperator() {
      @Override
      public int dim() {
        return theta.length;
      }

      @Override
      public void apply(double[] u, double[] out) {
        o.hessianVector(v, theta, u, out);
      }
    };
  }

  @Test
  public void costAgainstExamplesAndParameters() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true (./build.sh bench scaling)");
    Nd4jSetup.init();
    FashionMnist data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    // as CurvatureBenchmarkTest: a short run first, so glibc's thresholds are those of a process that has trained
    var warm = Specs.parse("{\"data\":{\"trainSize\":1000,\"trainEvalSize\":500},\"training\":{\"steps\":20},\"probes\":[]}");
    TestData.runner().run(warm, org.trajlab.api.store.RunFolder.create(Files.createTempDirectory("warm").resolve("run")),
        org.trajlab.api.run.RunMonitor.NONE);
    List<Object> rows = new ArrayList<>();
    int[] base = WIDTHS[1];
    // Hessian-vector product and top-5 against N
    double[] n = new double[EXAMPLES.length], hvp = new double[n.length], top = new double[n.length];
    List<double[]> hvpReps = new ArrayList<>(), topReps = new ArrayList<>();
    List<Object> hvpNotes = new ArrayList<>(), topNotes = new ArrayList<>();
    for (int i = 0; i < EXAMPLES.length; i++) {
      n[i] = EXAMPLES[i];
      Curvature c = curvature(objective(data, base, EXAMPLES[i]));
      hvp[i] = BenchTimes.median(c.hvp);
      hvpReps.add(c.hvp);
      hvpNotes.add(Map.of("parameters", c.params));
      top[i] = c.top;
      topReps.add(new double[] { c.top });
      topNotes.add(Map.of("hvps", c.hvps, "values", c.values));
    }
    rows.add(series("one Hessian-vector product", "examples", n, hvp, hvpReps, hvpNotes));
    rows.add(series("top-5 eigenpairs (converged)", "examples", n, top, topReps, topNotes));
    // the same against P at N = 2,560
    double[] p = new double[WIDTHS.length], hvpP = new double[p.length], topP = new double[p.length];
    List<double[]> hvpPReps = new ArrayList<>(), topPReps = new ArrayList<>();
    List<Object> hvpPNotes = new ArrayList<>(), topPNotes = new ArrayList<>();
    for (int i = 0; i < WIDTHS.length; i++) {
      Curvature c = curvature(objective(data, WIDTHS[i], 2560));
      p[i] = c.params;
      hvpP[i] = BenchTimes.median(c.hvp);
      hvpPReps.add(c.hvp);
      hvpPNotes.add(Map.of("hidden", WIDTHS[i], "examples", 2560));
      topP[i] = c.top;
      topPReps.add(new double[] { c.top });
      topPNotes.add(Map.of("hidden", WIDTHS[i], "examples", 2560, "hvps", c.hvps, "values", c.values));
    }
    rows.add(series("one Hessian-vector product", "parameters", p, hvpP, hvpPReps, hvpPNotes));
    rows.add(series("top-5 eigenpairs (converged)", "parameters", p, topP, topPReps, topPNotes));
    // the Gram spectrum (noise probe) against the examples it reads, L·M, and against P
    double[] lm = new double[GROUP_SIZES.length], gram = new double[lm.length];
    List<double[]> gramReps = new ArrayList<>();
    List<Object> gramNotes = new ArrayList<>();
    for (int i = 0; i < GROUP_SIZES.length; i++) {
      lm[i] = L * GROUP_SIZES[i];
      double[] t = gram(objective(data, base, 5000), GROUP_SIZES[i]);
      gram[i] = BenchTimes.median(t);
      gramReps.add(t);
      gramNotes.add(Map.of("L", L, "M", GROUP_SIZES[i]));
    }
    rows.add(series("Gram spectrum of K (L = 25)", "examples", lm, gram, gramReps, gramNotes));
    double[] pg = new double[WIDTHS.length], gramP = new double[pg.length];
    List<double[]> gramPReps = new ArrayList<>();
    List<Object> gramPNotes = new ArrayList<>();
    for (int i = 0; i < WIDTHS.length; i++) {
      Setup o = objective(data, WIDTHS[i], 5000);
      pg[i] = o.theta().length;
      double[] t = gram(o, 128);
      gramP[i] = BenchTimes.median(t);
      gramPReps.add(t);
      gramPNotes.add(Map.of("hidden", WIDTHS[i], "L", L, "M", 128));
    }
    rows.add(series("Gram spectrum of K (L = 25)", "parameters", pg, gramP, gramPReps, gramPNotes));
    BenchTimes out = new BenchTimes();
    out.put("scaling", rows);
    out.write("bench-scaling.json");
  }

  private record Curvature(int params, double[] hvp, double top, long hvps, double[] values) {}

  private static Curvature curvature(Setup s) throws Exception {
    Dl4jObjective o = s.o();
    DataView v = o.view("train-eval");
    double[] theta = s.theta();
    HessianOperator h = hessian(o, v, theta);
    double[] u = new double[theta.length], hu = new double[theta.length];
    Random r = new Random(1);
    for (int i = 0; i < u.length; i++) u[i] = r.nextGaussian();
    double[] t = BenchTimes.repeat(() -> h.apply(u, hu), 1, 3);
    long t0 = System.nanoTime();
    Lanczos.Eigenpairs e = Lanczos.topK(h, new Lanczos.Options().k(5).tol(1e-3).seed(0).maxHvps(1000));
    double top = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.allConverged(), "converged: residuals " + java.util.Arrays.toString(e.residuals()));
    return new Curvature(theta.length, t, top, e.hvps(), e.values());
  }

  /** 5 timed Gram estimates (after one untimed) of L = 25 groups of m examples drawn from the 60,000 training images */
  private static double[] gram(Setup s, int m) throws Exception {
    Dl4jObjective o = s.o();
    DataView all = o.view("train-full");
    double[] theta = s.theta();
    Random rnd = new Random(m);
    double[] top = new double[1];
    double[] t = BenchTimes.repeat(() -> {
      GramEstimate g = GramEstimate.of(o, all, theta, NoiseMath.drawnGroups(all.size(), L, m, rnd));
      top[0] = g.values()[0];
    }, 1, 5);
    assertTrue(top[0] > 0, "the Gram matrix of centred group gradients has a positive top eigenvalue: " + top[0]);
    return t;
  }
}
