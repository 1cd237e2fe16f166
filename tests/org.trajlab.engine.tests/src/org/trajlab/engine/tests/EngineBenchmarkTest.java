package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Batches;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.probes.walk.internal.WalkMath;

/**
 * Benchmark, not a timed test: runs only with -Dtrajlab.slow=true (./build.sh bench), writes
 * bench-mlp.json next to the test output for releng/scripts/bench.sh to compare with the PyTorch peer's
 * timing.py (parts a, b, f, g on the same machine, in the same session). Medians of wall time.
 */
public class EngineBenchmarkTest {
  @TempDir
  Path tmp;

  static double median(double[] a) {
    double[] b = a.clone();
    Arrays.sort(b);
    return b.length % 2 == 1 ? b[b.length / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
  }

  interface Task {
    void run() throws Exception;
  }

  static double time(Task t, int warm, int reps) throws Exception {
    for (int i = 0; i < warm; i++) t.run();
    double[] s = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      t.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    return median(s);
  }

  @Test
  public void mlpAgainstThePeer() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true (./build.sh bench)");
    Nd4jSetup.init();
    FashionMnist data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threads", Nd4j.getEnvironment().maxThreads());
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      String dn = dt == DataType.FLOAT ? "f32" : "f64";
      Network net = ModelZoo.build(Specs.defaultExperiment().model, dt, 0, InputShape.flat(1, 28, 28), 10);
      INDArray params = net.params();
      INDArray g = Nd4j.create(dt, params.shape());
      SplittableRandom r = new SplittableRandom(0);
      int n = data.train().size();
      // a: one SGD step on a random batch of 128 (batch assembly + gradient + update), as the trainer does it
      double a = time(() -> {
        int[] idx = r.ints(128, 0, n).toArray();
        net.meanGradient(Batches.features(data.train(), idx, 0, 128, dt), Batches.oneHot(data.train(), idx, 0, 128, dt), g, true);
        params.subi(g.muli(0.01));
      }, 20, 200);
      out.put("a_sgd_step_bs128_" + dn + "_s", a);
      // b, f: loss on 5,000 examples, and the walk's 12 points (interpolation + loss) through the objective
      int[] first = new int[5000];
      for (int i = 0; i < first.length; i++) first[i] = i;
      Dl4jObjective f = new Dl4jObjective(net.copy(), null, data.train(), data.test(), first);
      DataView v = f.view("train-eval");
      double[] theta = params.toDoubleVector();
      double[] next = theta.clone();
      for (int i = 0; i < next.length; i++) next[i] -= 0.1 * 1e-3 * ((i % 7) - 3);
      out.put("b_loss_5000_" + dn + "_s", time(() -> f.loss(v, theta), 2, 10));
      double[] alphas = WalkMath.alphaGrid(10);
      // as the walk probe does it: the objective's losses along the line (first layer blended, see WalkBlendTest)
      out.put("f_walk_12pts_5000_" + dn + "_s", time(() -> f.lossesAlong(v, theta, next, alphas), 1, 7));
    }
    // g: one epoch (60k examples, batch 100) through the whole engine, metrics written, no probes
    RunSpec s = Specs.defaultExperiment();
    s.probes.clear();
    s.eval.every = 100000;
    s.eval.sets = java.util.List.of("train-eval");
    RunOutcome o = TestData.runner().run(s, RunFolder.create(tmp.resolve("epoch")), RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state());
    out.put("g_epoch_60k_bs100_f32_s", o.summary().get("seconds"));
    Path dir = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench-mlp.json"), Specs.toJson(out));
    System.out.println("[bench] " + Specs.toJson(out));
  }
}
