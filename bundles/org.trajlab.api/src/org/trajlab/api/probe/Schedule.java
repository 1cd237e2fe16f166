package org.trajlab.api.probe;

import java.util.List;

import org.trajlab.api.spec.ScheduleSpec;

/** A probe's schedule: is update t (0-based) of 1-based epoch e due? See {@link ScheduleSpec}. */
public final class Schedule {
  private final List<ScheduleSpec> rules;

  public Schedule(List<ScheduleSpec> rules) {
    this.rules = List.copyOf(rules);
  }

  public boolean due(long step, int epoch) {
    if (rules.isEmpty()) {
      return true;
    }
    for (ScheduleSpec r : rules) {
      if (matches(r, step, epoch)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(ScheduleSpec r, long step, int epoch) {
    if (r.steps != null && r.steps.contains(step)) {
      return true;
    }
    if (r.epochs != null && r.epochs.contains(epoch)) {
      return true;
    }
    boolean hasRange = r.every != null || r.from != null || r.to != null;
    if (!hasRange) {
      return r.steps == null && r.epochs == null;
    }
    long from = r.from == null ? 0 : r.from;
    long to = r.to == null ? Long.MAX_VALUE : r.to;
    int every = r.every == null ? 1 : r.every;
    return step >= from && step <= to && (step - from) % every == 0;
  }
}
