package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Lanczos;

/**
 * Benchmark, not a timed test (runs with -Dtrajlab.slow=true, ./build.sh bench): one Hessian-vector product and the
 * top-5 Hessian eigenpairs, converged (every residual ≤ 1e-3·|λ₁|), of the 784-300-100-10 MLP at initialisation on
 * the first 2,560 Fashion-MNIST training images in DOUBLE — the peer's {@code timing.py mlp c,d}. Writes
 * bench-curvature.json.
 */
public class CurvatureBenchmarkTest {

  private static double[] hvps(HessianOperator h, double[] u, double[] hu) throws Exception {
    return BenchTimes.repeat(() -> h.apply(u, hu), 0, 5);
  }

  /**
   * products each at another θ than the one before (two points in turn): each forms its forward pass, as the peer's
   * every product does; products at one θ share it (DenseHessian keeps it), which {@link #hvps} times
   */
  private static double[] hvpsAtNewPoints(HessianOperator h, double[][] at, double[] theta, double[] other, double[] u,
      double[] hu) throws Exception {
    try {
      return BenchTimes.repeat(() -> {
        at[0] = at[0] == theta ? other : theta;
        h.apply(u, hu);
      }, 0, 6);
    } finally {
      at[0] = theta;
    }
  }

  @Test
  public void topFiveEigenpairsOfTheMlp() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true (./build.sh bench)");
    Nd4jSetup.init();
    FashionMnist data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    Network net = ModelZoo.build(Specs.defaultExperiment().model, DataType.DOUBLE, 0, InputShape.flat(1, 28, 28), 10);
    int[] first = new int[2560];
    for (int i = 0; i < first.length; i++) first[i] = i;
    Dl4jObjective o = new Dl4jObjective(net.copy(), null, data.train(), data.test(), first);
    DataView v = o.view("train-eval");
    double[] theta = net.params().toDoubleVector();
    double[] other = theta.clone();
    for (int i = 0; i < other.length; i++) other[i] += 1e-3 * Math.sin(i);
    double[][] at = { theta }; // where the operator forms its products
    long[] hvpNanos = new long[1];
    long[] hvpCalls = new long[1];
    HessianOperator h = new HessianOperator() {
      @Override
      public int dim() {
        return theta.length;
      }

      @Override
      public void apply(double[] u, double[] out) {
        long t0 = System.nanoTime();
        o.hessianVector(v, at[0], u, out);
        hvpNanos[0] += System.nanoTime() - t0;
        hvpCalls[0]++;
      }
    };
    double[] u = new double[theta.length];
    double[] hu = new double[theta.length];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < u.length; i++) u[i] = r.nextGaussian();
    h.apply(u, hu); // warm-up: materialises the view
    BenchTimes out = new BenchTimes();
    out.times("c_hvp_2560_f64_fresh_process_s", hvpsAtNewPoints(h, at, theta, other, u, hu));
    out.put("threads", org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads()); // ND4J's, reported with every run
    // inside a run the probe follows training updates; without the MALLOC_* settings of releng/scripts/env.sh (and the
    // launchers) ND4J's products are ~3x slower in a fresh process than after them (dgemm 2560x784x300: 72 ms fresh,
    // 25 ms after 20 updates; glibc serves big arrays as fresh mmap'd pages until frees raise its threshold). Both kept.
    var s = Specs.parse("{\"data\":{\"trainSize\":1000,\"trainEvalSize\":500},\"training\":{\"steps\":20},\"probes\":[]}");
    TestData.runner().run(s, org.trajlab.api.store.RunFolder.create(Files.createTempDirectory("warm").resolve("run")),
        org.trajlab.api.run.RunMonitor.NONE);
    out.times("c_hvp_2560_f64_s", hvpsAtNewPoints(h, at, theta, other, u, hu));
    h.apply(u, hu); // at θ: the products below share its forward pass, as a Lanczos solve's do
    out.times("c_hvp_2560_f64_same_theta_s", hvps(h, u, hu));
    hvpNanos[0] = 0;
    hvpCalls[0] = 0;
    double[] runs = new double[3];
    Lanczos.Eigenpairs last = null;
    for (int i = 0; i < runs.length; i++) {
      long t0 = System.nanoTime();
      last = Lanczos.topK(h, new Lanczos.Options().k(5).tol(1e-3).seed(i).maxHvps(1000));
      runs[i] = (System.nanoTime() - t0) / 1e9;
      assertTrue(last.allConverged(), "converged: values " + java.util.Arrays.toString(last.values()) + " residuals "
          + java.util.Arrays.toString(last.residuals()) + " hvps " + last.hvps() + " restarts " + last.restarts());
    }
    out.times("d_top5_2560_f64_s", runs);
    out.put("d_top5_products_per_run", hvpCalls[0] / 3.0);
    out.put("d_top5_seconds_in_products_per_run", hvpNanos[0] / 3e9);
    out.put("d_top5_hvps", last.hvps());
    out.put("d_top5_values", last.values());
    out.put("d_top5_residuals", last.residuals());
    out.write("bench-curvature.json");
  }
}
