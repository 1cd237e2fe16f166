package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.OptimizerSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.GradientSource;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.optim.Optimizer;
import org.trajlab.probes.walk.internal.WalkMath;

/**
 * Benchmark, not a timed test: runs only with -Dtrajlab.slow=true (./build.sh bench), writes
 * bench-mlp.json next to the test output for releng/scripts/bench.sh to compare with the PyTorch peer's
 * timing.py (parts a, b, f, g on the same machine, in the same session). Medians of wall time.
 */
public class EngineBenchmarkTest {
  @TempDir
  Path tmp;

  @Test
  public void mlpAgainstThePeer() throws Exception {
    assumeTrue(Boolean.getBoolean("trajlab.slow"), "benchmarks run with -Dtrajlab.slow=true (./build.sh bench)");
    Nd4jSetup.init();
    FashionMnist data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    BenchTimes out = new BenchTimes();
    out.put("threads", Nd4j.getEnvironment().maxThreads());
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      String dn = dt == DataType.FLOAT ? "f32" : "f64";
      Network net = ModelZoo.build(Specs.defaultExperiment().model, dt, 0, InputShape.flat(1, 28, 28), 10);
      INDArray params = net.params();
      INDArray g = Nd4j.create(dt, params.shape());
      SplittableRandom r = new SplittableRandom(0);
      int n = data.train().size();
      // a: one SGD step on a random batch of 128 as the trainer takes it: the batch gathered into the arrays kept
      // for its size, the mean gradient, the update by the run's optimizer (plain SGD). Timed after 300 steps: the
      // JIT compiles the step's Java code (the dense stack's loops) within about the first 200, during which steps
      // took 4-5 ms against 3 ms after (a run's first second; the epoch row includes it)
      GradientSource batches = GradientSource.miniBatch(net, data.train());
      Optimizer sgd = new Optimizer(new OptimizerSpec());
      out.time("a_sgd_step_bs128_" + dn + "_s", () -> {
        batches.gradient(0, r.ints(128, 0, n).toArray(), g);
        sgd.apply(params, g, 0.01);
      }, 300, 200);
      // b, f: loss on 5,000 examples, and the walk's 12 points (interpolation + loss) through the objective
      int[] first = new int[5000];
      for (int i = 0; i < first.length; i++) first[i] = i;
      Dl4jObjective f = new Dl4jObjective(net.copy(), null, data.train(), data.test(), first);
      DataView v = f.view("train-eval");
      double[] theta = params.toDoubleVector();
      double[] next = theta.clone();
      for (int i = 0; i < next.length; i++) next[i] -= 0.1 * 1e-3 * ((i % 7) - 3);
      // warmed up as a run warms them up: a run evaluates and walks hundreds of times, and the first few calls run
      // while the JIT compiles their loops on one of the two cores, which stalls BLAS's two threads (the loss took
      // 21-43 ms in its first six calls, 19-22 ms after; the walk 180-250 ms in its first four, 116 ms after)
      out.time("b_loss_5000_" + dn + "_s", () -> f.loss(v, theta), 10, 10);
      double[] alphas = WalkMath.alphaGrid(10);
      // as the walk probe does it: the objective's losses along the line (first layer blended, see WalkBlendTest)
      out.time("f_walk_12pts_5000_" + dn + "_s", () -> f.lossesAlong(v, theta, next, alphas), 5, 7);
    }
    // g: one epoch (60k examples, batch 100) through the whole engine, metrics written, no probes; three runs, the
    // run's own clock (summary.json seconds), as the peer times three epochs. Then three more in the same JVM (the
    // JIT has compiled the trainer's code by then; the first runs share the cores with it), and for each run the
    // median update and the updates that took more than 5 ms (each update's time from the run's monitor)
    RunSpec s = Specs.defaultExperiment();
    s.probes.clear();
    s.eval.every = 100000;
    s.eval.sets = java.util.List.of("train-eval");
    double[] epochs = new double[6];
    double[] medianUpdate = new double[epochs.length];
    int[] over5ms = new int[epochs.length];
    for (int i = 0; i < epochs.length; i++) {
      UpdateClock clock = new UpdateClock();
      RunOutcome o = TestData.runner().run(s, RunFolder.create(tmp.resolve("epoch" + i)), clock);
      assertEquals(RunState.DONE, o.state());
      epochs[i] = ((Number) o.summary().get("seconds")).doubleValue();
      medianUpdate[i] = clock.median();
      over5ms[i] = clock.over(5e-3);
    }
    out.times("g_epoch_60k_bs100_f32_s", java.util.Arrays.copyOfRange(epochs, 0, 3));
    out.times("g_epoch_60k_bs100_f32_warm_s", java.util.Arrays.copyOfRange(epochs, 3, 6));
    out.put("g_epoch_median_update_s", medianUpdate);
    out.put("g_epoch_updates_over_5ms", over5ms);
    out.write("bench-mlp.json");
  }

  /**
   * each update's wall time in a run, from the run's monitor (the first includes the run's first evaluation), kept in
   * an array sized when the run starts: nothing allocated in the timed updates
   */
  static final class UpdateClock implements RunMonitor {
    private long[] nanos = new long[0];
    private int count;
    private long last;

    @Override
    public void started(long fromStep, long totalSteps) {
      nanos = new long[Math.toIntExact(totalSteps - fromStep)];
      count = 0;
      last = System.nanoTime();
    }

    @Override
    public void progress(long step, long totalSteps, int epoch, double batchLoss) {
      long now = System.nanoTime();
      if (count < nanos.length) nanos[count++] = now - last;
      last = now;
    }

    double median() {
      long[] v = java.util.Arrays.copyOf(nanos, count);
      java.util.Arrays.sort(v);
      return v.length == 0 ? Double.NaN : v[v.length / 2] / 1e9;
    }

    int over(double limitSeconds) {
      int n = 0;
      for (int i = 0; i < count; i++) if (nanos[i] / 1e9 > limitSeconds) n++;
      return n;
    }
  }
}
