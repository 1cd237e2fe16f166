package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

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
import org.trajlab.probes.noise.internal.GramEstimate;
import org.trajlab.probes.noise.internal.NoiseMath;

/**
 * Benchmark, not a timed test (runs with -Dtrajlab.slow=true, ./build.sh bench): the noise probe's Gram estimate of K
 * (L = 25 gradients of M = 128 and of M = 1 examples drawn from the 60,000 Fashion-MNIST training images, centred
 * and decomposed; DOUBLE, as every noise quantity) on the 784-300-100-10 MLP at initialisation — the peer's
 * {@code timing.py mlp e} — and the per-example Gram matrix of 1,000 examples (activations and errors, no gradient
 * formed). Writes bench-noise.json.
 */
public class NoiseBenchmarkTest {
  @Test
  public void gramEstimateOfTheMlp() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true (./build.sh bench)");
    Nd4jSetup.init();
    FashionMnist data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    Network net = ModelZoo.build(Specs.defaultExperiment().model, DataType.DOUBLE, 0, InputShape.flat(1, 28, 28), 10);
    Dl4jObjective o = new Dl4jObjective(net.copy(), null, data.train(), data.test(), GroupGradientsTest.range(5000));
    DataView all = o.view("train-full");
    double[] theta = net.params().toDoubleVector();
    BenchTimes out = new BenchTimes();
    out.put("threads", org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads()); // ND4J's, reported with every run
    for (int m : new int[] { 128, 1 }) {
      Random rnd = new Random(m);
      GramEstimate.of(o, all, theta, NoiseMath.drawnGroups(all.size(), 25, m, rnd)); // warm-up
      double[] t = new double[5];
      GramEstimate last = null;
      for (int i = 0; i < t.length; i++) {
        int[][] groups = NoiseMath.drawnGroups(all.size(), 25, m, rnd);
        long t0 = System.nanoTime();
        last = GramEstimate.of(o, all, theta, groups);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      out.times("e_gram_L25_M" + m + "_f64_s", t);
      out.put("e_gram_L25_M" + m + "_top_smallestnz_trace", new double[] { last.values()[0],
          NoiseMath.lambdaMinNonzeroK(last.values()), NoiseMath.traceK(last.gram()) });
      long t0 = System.nanoTime();
      double[][] e = last.eigenvectors(o, all, theta, 5);
      out.put("e_eigenvectors_top5_L25_M" + m + "_f64_s", (System.nanoTime() - t0) / 1e9);
      assertEquals(5, e.length);
    }
    // M = 128 with gramPrecision "training" in a float run: the FLOAT objective's group gradients and products, on the
    // groups of the double estimates above (the same draws), with the largest relative difference of their non-zero
    // eigenvalues from the double estimate's
    Network net32 = ModelZoo.build(Specs.defaultExperiment().model, DataType.FLOAT, 0, InputShape.flat(1, 28, 28), 10);
    Dl4jObjective o32 = new Dl4jObjective(net32, net::copy, data.train(), data.test(), GroupGradientsTest.range(5000));
    DataView all32 = o32.view("train-full");
    Random rnd32 = new Random(128);
    GramEstimate.of(o32, all32, theta, NoiseMath.drawnGroups(all32.size(), 25, 128, rnd32)); // warm-up
    double[] t32 = new double[5];
    int[][][] drawn = new int[t32.length][][];
    GramEstimate[] f = new GramEstimate[t32.length];
    for (int i = 0; i < t32.length; i++) {
      drawn[i] = NoiseMath.drawnGroups(all32.size(), 25, 128, rnd32);
      long t0 = System.nanoTime();
      f[i] = GramEstimate.of(o32, all32, theta, drawn[i]);
      t32[i] = (System.nanoTime() - t0) / 1e9;
    }
    double worst = 0;
    for (int i = 0; i < t32.length; i++) { // untimed: the double estimates on the same groups
      GramEstimate d = GramEstimate.of(o, all, theta, drawn[i]);
      for (int j = 0; j < 24; j++) worst = Math.max(worst, Math.abs(f[i].values()[j] - d.values()[j]) / d.values()[j]);
    }
    out.times("e_gram_L25_M128_f32_s", t32);
    out.put("e_gram_L25_M128_f32_max_rel_diff_nonzero_eigenvalues_vs_f64", worst);
    assertTrue(worst < 1e-3, "float estimate within 1e-3 of double's: " + worst);
    // per-example gradients' Gram matrix of 1,000 examples (M = 1, every example of a view of 1,000)
    DataView first = o.batch("first-1000", GroupGradientsTest.range(1000));
    int[][] singles = GroupGradientsTest.singles(1000);
    o.groupGram(first, theta, singles);
    double[] t = new double[3];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      double[][] g = o.groupGram(first, theta, singles);
      t[i] = (System.nanoTime() - t0) / 1e9;
      assertTrue(g[0][0] > 0);
    }
    out.times("per_example_gram_1000_f64_s", t);
    long t0 = System.nanoTime();
    GramEstimate k1000 = GramEstimate.of(o, first, theta, singles);
    out.put("k_all_1000_M1_with_eigendecomposition_f64_s", (System.nanoTime() - t0) / 1e9);
    out.put("k_all_1000_M1_top_trace", new double[] { k1000.values()[0], NoiseMath.traceK(k1000.gram()) });
    out.write("bench-noise.json");
  }
}
