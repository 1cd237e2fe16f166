package org.trajlab.ui.wizards;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RateScheduleSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;

/**
 * The variants a restart offers and the spec each pre-fills from the source run's spec: always
 * {@code start.checkpoint} (with the optimizer state), {@code training.steps} the update to train to, the name the
 * source's with the variant's suffix; then the variant's change.
 */
public enum RestartVariant {
  CONTINUE("continue", "Continue with changes", "The same spec from the checkpoint; change anything on the next pages."),
  SUBSPACE("subspace", "Subspace SGD", "Steps restricted by the top Hessian eigenvectors (probe subspace, paper 001):"
      + " mode top-only, constant-top or no-top."),
  NSGD("nsgd", "Nudged SGD", "η multiplied by gamma along the top K Hessian eigenvectors (probe nsgd, paper 001)."),
  EQUIVALENT("equivalent", "Equivalent schedule", "The learning-rate schedule equivalent to a trajectory average (paper"
      + " 003: ema, swa or twopoint, counted in updates, ending at the last update)."),
  SIDE_TRIP("sidetrip", "Side trip", "Fixed-batch side trips at the checkpoint's update (probe sidetrip, paper 003)."),
  BRANCH("branch", "Branch with another batch order", "Another training.batchSeed from the checkpoint: a branch after"
      + " a shared burn-in (paper 003); the branch probe measures the distance to the source run's endpoint.");

  public final String key;
  public final String label;
  public final String explanation;

  RestartVariant(String key, String label, String explanation) {
    this.key = key;
    this.label = label;
    this.explanation = explanation;
  }

  /** the update a restart trains to by default: the source's planned length if it lies past the checkpoint, else 100 more */
  public static long defaultLength(RunSpec source, RunFolder run, Path checkpoint) {
    long at = RestartWizard.step(checkpoint);
    long planned = run.readStatus().totalSteps;
    if (source.training.steps != null) {
      planned = Math.max(planned, source.training.steps);
    }
    return planned > at ? planned : at + 100;
  }

  /**
   * the spec of this variant from {@code checkpoint} of {@code run}, trained to update {@code steps};
   * {@code average} is the equivalent schedule's type (ema, swa, twopoint)
   */
  public RunSpec apply(RunSpec source, RunFolder run, Path checkpoint, long steps, String average) {
    RunSpec s = Specs.copy(source);
    long at = RestartWizard.step(checkpoint);
    s.start.checkpoint = checkpoint.toString();
    s.start.optimizerState = true;
    s.training.steps = steps;
    s.name = (source.name + "-" + key).replaceAll("[^A-Za-z0-9._-]", "-");
    switch (this) {
      case CONTINUE -> s.name = source.name + "-restart";
      case SUBSPACE -> s.probes.add(probe("subspace", Map.of("mode", "top-only", "k", 1, "every", 10)));
      case NSGD -> s.probes.add(probe("nsgd", Map.of("gamma", 0.5, "k", 5, "every", 10)));
      case EQUIVALENT -> {
        RateScheduleSpec rs = new RateScheduleSpec();
        rs.unit = "step";
        rs.type = average == null ? "ema" : average;
        switch (rs.type) {
          case "swa" -> {
            rs.snapshots = 5;
            rs.every = 10;
          }
          case "twopoint" -> rs.k = 10;
          default -> rs.beta = 0.99;
        }
        s.optimizer.lrSchedule = rs;
        s.name = source.name + "-" + rs.type;
      }
      case SIDE_TRIP -> {
        ProbeSpec p = probe("sidetrip", Map.of("steps", 10));
        ScheduleSpec when = new ScheduleSpec();
        when.steps = new java.util.ArrayList<>(List.of(at));
        p.schedule.add(when);
        s.probes.add(p);
      }
      case BRANCH -> {
        long seed = source.training.batchSeed != null ? source.training.batchSeed : source.seed;
        s.training.batchSeed = seed + 1;
        if (run.readStatus().state == RunState.DONE) {
          ProbeSpec p = probe("branch", Map.of("to", run.dir().toString()));
          p.schedule.add(ScheduleSpec.every(10));
          s.probes.add(p);
        }
      }
    }
    return s;
  }

  private static ProbeSpec probe(String type, Map<String, Object> params) {
    ProbeSpec p = new ProbeSpec(type);
    p.params = new LinkedHashMap<>(params);
    return p;
  }
}
