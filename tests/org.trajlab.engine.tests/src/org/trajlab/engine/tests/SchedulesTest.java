package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.OptimizerSpec;
import org.trajlab.api.spec.RateScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.optim.Optimizer;
import org.trajlab.engine.optim.RateSchedule;

/** Schedules and update rules against values computed by hand. */
public class SchedulesTest {
  static RateScheduleSpec spec(String type) {
    RateScheduleSpec s = new RateScheduleSpec();
    s.type = type;
    return s;
  }

  @Test
  public void constantAndStepDecay() throws Exception {
    assertEquals(0.1, new RateSchedule(null, 0.1, 10, "f").value(7.3), 0.0);
    RateScheduleSpec s = spec("step");
    s.milestones = List.of(30.0, 10.0);
    RateSchedule r = new RateSchedule(s, 0.1, 50, "f");
    assertEquals(0.1, r.value(9.99), 0.0);
    assertEquals(0.1 * 0.1, r.value(10), 1e-18);
    assertEquals(0.1 * 0.1 * 0.1, r.value(45), 1e-18);
  }

  /** cyclic lr between 0.01 and 0.05 with a 4-epoch cycle: 0.01 at 0, 0.03 at 1, 0.05 at 2, 0.03 at 3, 0.01 at 4 */
  /** paper 003's equivalent schedules in closed form, at T = 20 (the end given or the run's last step) */
  @Test
  public void equivalentSchedulesOfAverages() throws Exception {
    RateScheduleSpec two = spec("twopoint");
    two.unit = "step";
    two.k = 5;
    RateSchedule r = new RateSchedule(two, 0.4, 3, "f");
    r.resolveEnd(20, "f");
    assertEquals(20, r.end(), 0.0);
    assertEquals(0.4, r.value(14), 0.0);
    assertEquals(0.2, r.value(15), 0.0, "the last k = 5 updates at half the rate");
    assertEquals(0.2, r.value(19), 0.0);
    RateScheduleSpec ema = spec("ema");
    ema.unit = "step";
    ema.beta = 0.9;
    ema.end = 30L;
    r = new RateSchedule(ema, 0.4, 3, "f");
    r.resolveEnd(20, "f");
    assertEquals(0.4 * (1 - Math.pow(0.9, 30)), r.value(0), 1e-15);
    assertEquals(0.4 * 0.1, r.value(29), 1e-15, "the last update enters the EMA with weight 1 − β");
    RateScheduleSpec swa = spec("swa");
    swa.unit = "step";
    swa.snapshots = 4;
    swa.every = 3;
    r = new RateSchedule(swa, 0.4, 3, "f");
    r.resolveEnd(20, "f");
    // snapshots at 20, 17, 14, 11: update s moves ceil((20 − s)/3) of them
    assertEquals(0.4, r.value(10), 1e-15, "before the first snapshot: all four");
    assertEquals(0.4 * 3 / 4, r.value(11), 1e-15);
    assertEquals(0.4 * 2 / 4, r.value(16), 1e-15);
    assertEquals(0.4 * 1 / 4, r.value(17), 1e-15);
    assertEquals(0.4 * 1 / 4, r.value(19), 1e-15);
    // one-sentence errors
    RateScheduleSpec epochs = spec("ema");
    epochs.beta = 0.9;
    SpecException e = assertThrows(SpecException.class, () -> new RateSchedule(epochs, 0.1, 3, "optimizer.lrSchedule"));
    assertEquals("Field 'optimizer.lrSchedule.unit' must be 'step' for the ema schedule (its formula counts updates), but it is 'epoch'.", e.getMessage());
    RateScheduleSpec noBeta = spec("ema");
    noBeta.unit = "step";
    e = assertThrows(SpecException.class, () -> new RateSchedule(noBeta, 0.1, 3, "optimizer.lrSchedule"));
    assertEquals("Field 'optimizer.lrSchedule.beta' (the EMA decay) must be in (0, 1) for an ema schedule, but it is null.", e.getMessage());
    ema.end = 10L;
    RateSchedule early = new RateSchedule(ema, 0.4, 3, "optimizer.lrSchedule");
    e = assertThrows(SpecException.class, () -> early.resolveEnd(20, "optimizer.lrSchedule"));
    assertEquals("Field 'optimizer.lrSchedule.end' (T, the step the average is taken at) must not be before the run's last step 20, but it is 10.", e.getMessage());
  }

  @Test
  public void triangleCycle() throws Exception {
    RateScheduleSpec s = spec("cyclic");
    s.min = 0.01;
    s.max = 0.05;
    s.cycle = 4.0;
    RateSchedule r = new RateSchedule(s, 0.1, 20, "f");
    double[] x = { 0, 1, 2, 3, 4, 5, 6.5 };
    double[] want = { 0.01, 0.03, 0.05, 0.03, 0.01, 0.03, 0.04 };
    for (int i = 0; i < x.length; i++) {
      assertEquals(want[i], r.value(x[i]), 1e-15, "x = " + x[i]);
    }
  }

  @Test
  public void twoLevelSquareWave() throws Exception {
    RateScheduleSpec s = spec("two-level");
    s.min = 0.01;
    s.max = 0.05;
    s.cycle = 4.0;
    RateSchedule high = new RateSchedule(s, 0.1, 20, "f");
    assertEquals(0.05, high.value(0), 0.0);
    assertEquals(0.05, high.value(1.99), 0.0);
    assertEquals(0.01, high.value(2), 0.0);
    assertEquals(0.05, high.value(4.5), 0.0);
    s.start = "low";
    RateSchedule low = new RateSchedule(s, 0.1, 20, "f");
    assertEquals(0.01, low.value(0), 0.0);
    assertEquals(0.05, low.value(3), 0.0);
  }

  /** 000 App. C: warm-up 0 -> 0.1 over 2 epochs, flat to 6, anneal to 0.001 at 10 */
  @Test
  public void trapezoid() throws Exception {
    RateScheduleSpec s = spec("trapezoid");
    s.warmup = 2.0;
    s.flat = 6.0;
    s.length = 10.0;
    s.endValue = 0.001;
    RateSchedule r = new RateSchedule(s, 0.1, 10, "f");
    assertEquals(0.0, r.value(0), 0.0);
    assertEquals(0.05, r.value(1), 1e-15);
    assertEquals(0.1, r.value(4), 0.0);
    assertEquals(0.1 + (0.001 - 0.1) * 0.5, r.value(8), 1e-15);
    assertEquals(0.001, r.value(12), 0.0);
  }

  @Test
  public void plateauDecaysAfterPatienceEvaluationsWithoutImprovement() throws Exception {
    RateScheduleSpec s = spec("plateau");
    s.patience = 2;
    s.monitor = "loss_test";
    RateSchedule r = new RateSchedule(s, 0.1, 10, "f");
    assertFalse(r.observe(1.0));
    assertFalse(r.observe(0.9));
    assertFalse(r.observe(0.95));
    assertTrue(r.observe(0.91));
    assertEquals(0.1 * 0.1, r.value(0), 1e-18);
    assertFalse(r.observe(0.8));
  }

  /** watching an accuracy, higher is better; a checkpointed state round-trips, including "no evaluation yet" */
  @Test
  public void plateauOnAccuracyWaitsForItToStopRising() throws Exception {
    RateScheduleSpec s = spec("plateau");
    s.patience = 2;
    s.monitor = "acc_held_out";
    RateSchedule r = new RateSchedule(s, 0.1, 10, "f");
    assertEquals("held-out", r.monitoredSet());
    assertTrue(r.higherIsBetter());
    double[] fresh = r.state();
    assertFalse(r.observe(0.50));
    assertFalse(r.observe(0.60));
    assertFalse(r.observe(0.59));
    assertTrue(r.observe(0.60005), "0.60005 is less than 1e-4 relative above 0.60: the second evaluation without a rise decays");
    assertEquals(0.1 * 0.1, r.value(0), 1e-18);
    RateSchedule again = new RateSchedule(s, 0.1, 10, "f");
    again.restore(fresh);
    assertFalse(again.observe(0.01), "a restored fresh state takes any first accuracy as the best");
    assertEquals(0.1, again.value(0), 0.0);
    RateScheduleSpec loss = spec("plateau");
    loss.monitor = "loss_test";
    RateSchedule l = new RateSchedule(loss, 0.1, 10, "f");
    assertFalse(l.higherIsBetter());
    assertEquals("test", l.monitoredSet());
    assertEquals("acc_test", new RateSchedule(spec("plateau"), 0.1, 10, "f").monitor());
  }

  /** the epoch position of batch i of epoch e: (e - 1) + i / batches per epoch */
  @Test
  public void epochPositionCountsBatchesNotExamples() {
    assertEquals(0.0, RateSchedule.epochPosition(1, 0, 390), 0.0);
    assertEquals(99.0, RateSchedule.epochPosition(100, 0, 390), 0.0);
    assertEquals(100.0, RateSchedule.epochPosition(101, 0, 390), 0.0);
    assertEquals(100.5, RateSchedule.epochPosition(101, 195, 390), 0.0);
    // CIFAR-10, S = 128: 390 updates an epoch, 80 examples dropped; examples seen / N after 100 epochs is only
    // 100 * 390 * 128 / 50000 = 99.84: a decay at epoch 100 would come 0.16 * 50000 / 128 = ~62 updates late
    assertEquals(99.84, 100 * 390 * 128 / 50000.0, 1e-12);
  }

  /** the batch size that keeps eta/S on a cyclic lr's curve with the lr fixed: S = round(S0 lr / eta) */
  @Test
  public void mirroredBatchSize() {
    assertEquals(128, RateSchedule.mirroredBatch(128, 0.1, 0.1, 60000));
    assertEquals(640, RateSchedule.mirroredBatch(128, 0.1, 0.02, 60000));
    assertEquals(60000, RateSchedule.mirroredBatch(128, 0.1, 1e-9, 60000));
    assertEquals(1, RateSchedule.mirroredBatch(1, 0.1, 10, 60000));
  }

  @Test
  public void badSchedulesAreOneSentence() {
    RateScheduleSpec s = spec("cyclic");
    SpecException e = assertThrows(SpecException.class, () -> new RateSchedule(s, 0.1, 10, "optimizer.lrSchedule"));
    assertEquals("Field 'optimizer.lrSchedule.cycle' (the cycle length in epochs) must be positive for a cyclic schedule, but it is null.", e.getMessage());
    RateScheduleSpec w = spec("wavy");
    e = assertThrows(SpecException.class, () -> new RateSchedule(w, 0.1, 10, "optimizer.lrSchedule"));
    assertEquals("Field 'optimizer.lrSchedule.type' must be one of constant, cyclic, ema, plateau, step, swa, trapezoid, two-level, twopoint, but it is 'wavy'.", e.getMessage());
  }

  /** heavy ball and Nesterov on a 2-vector, two updates, against the formulas written out */
  @Test
  public void momentumAndWeightDecayByHand() {
    Nd4jSetup.init();
    OptimizerSpec o = new OptimizerSpec();
    o.type = "momentum";
    o.momentum = 0.5;
    o.weightDecay = 0.1;
    Optimizer heavy = new Optimizer(o);
    INDArray th = Nd4j.createFromArray(1.0, -2.0);
    INDArray g = Nd4j.createFromArray(0.5, 1.0);
    heavy.apply(th, g, 0.2);
    // d = g + 0.1 th = (0.6, 0.8); v = d; th = th - 0.2 v = (0.88, -2.16)
    assertEquals(0.88, th.getDouble(0), 1e-15);
    assertEquals(-2.16, th.getDouble(1), 1e-15);
    heavy.apply(th, g, 0.2);
    // d = (0.588, 0.784); v = 0.5 (0.6, 0.8) + d = (0.888, 1.184); th = (0.88 - 0.1776, -2.16 - 0.2368)
    assertEquals(0.88 - 0.1776, th.getDouble(0), 1e-15);
    assertEquals(-2.16 - 0.2368, th.getDouble(1), 1e-15);

    o.nesterov = true;
    o.weightDecay = 0;
    Optimizer nag = new Optimizer(o);
    INDArray p = Nd4j.createFromArray(1.0, -2.0);
    nag.apply(p, g, 0.2); // v = g; step = g + 0.5 v = 1.5 g
    assertEquals(1 - 0.2 * 0.75, p.getDouble(0), 1e-15);
    nag.apply(p, g, 0.2); // v = 0.5 g + g = 1.5 g; step = g + 0.75 g = 1.75 g
    assertEquals(1 - 0.2 * 0.75 - 0.2 * 0.875, p.getDouble(0), 1e-15);

    OptimizerSpec plain = new OptimizerSpec();
    plain.weightDecay = 0.5;
    Optimizer sgd = new Optimizer(plain);
    INDArray q = Nd4j.createFromArray(2.0);
    sgd.apply(q, Nd4j.createFromArray(1.0), 0.1); // 2 - 0.1 (1 + 1)
    assertEquals(1.8, q.getDouble(0), 1e-15);
    assertEquals(DataType.DOUBLE, q.dataType());
  }
}
