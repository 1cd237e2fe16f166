package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ScheduleSpec;

public class ScheduleTest {
  @Test
  public void noRuleMeansEveryStep() {
    Schedule s = new Schedule(List.of());
    assertTrue(s.due(0, 1));
    assertTrue(s.due(12345, 40));
  }

  @Test
  public void rangesWithStrideAndOpenEnd() {
    Schedule s = new Schedule(List.of(ScheduleSpec.range(0, 4, 1), everyFrom(10, 5)));
    assertEquals(new TreeSet<>(Set.of(0L, 1L, 2L, 3L, 4L, 10L, 15L, 20L, 25L)), dueSteps(s, 30, 10));
  }

  @Test
  public void epochsAndExplicitSteps() {
    ScheduleSpec r = new ScheduleSpec();
    r.epochs = List.of(2);
    r.steps = List.of(1L);
    Schedule s = new Schedule(List.of(r));
    // 5 updates per epoch: epoch 2 holds updates 5..9
    assertEquals(new TreeSet<>(Set.of(1L, 5L, 6L, 7L, 8L, 9L)), dueSteps(s, 20, 5));
    assertFalse(s.due(10, 3));
  }

  /** the due updates among 0..total-1 of a run whose epochs hold {@code stepsPerEpoch} updates */
  private static Set<Long> dueSteps(Schedule s, long total, int stepsPerEpoch) {
    Set<Long> due = new TreeSet<>();
    for (long t = 0; t < total; t++) {
      if (s.due(t, (int) (t / stepsPerEpoch) + 1)) due.add(t);
    }
    return due;
  }

  private static ScheduleSpec everyFrom(long from, int every) {
    ScheduleSpec r = new ScheduleSpec();
    r.from = from;
    r.every = every;
    return r;
  }
}
