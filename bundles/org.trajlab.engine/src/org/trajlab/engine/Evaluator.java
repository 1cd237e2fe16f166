package org.trajlab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.engine.optim.RateSchedule;

/**
 * The {@code eval} rows: loss and accuracy on each evaluated set at step 0, every {@code eval.every} updates and at
 * the end, with batch normalisation's running statistics (a deployed model's numbers). The sets are the spec's plus
 * {@code train-clean} and {@code train-noisy} when labels were corrupted. A plateau schedule watching one of them
 * is told each evaluation after the first update.
 */
final class Evaluator {
  private final Dl4jObjective objective;
  private final List<String> sets;
  private final RateSchedule learningRates;

  Evaluator(Dl4jObjective objective, List<String> specSets, boolean corruptedLabels, RateSchedule learningRates) {
    this.objective = objective;
    this.sets = new ArrayList<>(specSets);
    if (corruptedLabels) {
      sets.add("train-clean");
      sets.add("train-noisy");
    }
    this.learningRates = learningRates;
  }

  /**
   * Evaluates theta (the point after {@code step} updates) on every set: rows into {@code metrics}, the latest values
   * into {@code summary} ({@code final_loss_<set>}, {@code final_acc_<set>}); returns the line for run.log.
   */
  String evaluate(long step, int epoch, double[] theta, MetricsWriter metrics, Map<String, Object> summary) {
    StringBuilder line = new StringBuilder("eval at step " + step + ":");
    for (String set : sets) {
      long c0 = System.nanoTime();
      Evaluation e = objective.evaluateInference(objective.view(set), theta);
      String key = set.replace('-', '_');
      metrics.record(step, epoch, "eval", "loss_" + key, Double.NaN, e.loss());
      summary.put("final_loss_" + key, e.loss());
      if (!Double.isNaN(e.accuracy())) { // the quadratic has no classes
        metrics.record(step, epoch, "eval", "acc_" + key, Double.NaN, e.accuracy());
        summary.put("final_acc_" + key, e.accuracy());
      }
      line.append(String.format(" %s loss %.4f%s (%.0f ms)", set, e.loss(), Double.isNaN(e.accuracy()) ? ""
          : String.format(" acc %.4f", e.accuracy()), (System.nanoTime() - c0) / 1e6));
      if (learningRates.isPlateau() && set.equals(learningRates.monitoredSet()) && step > 0
          && learningRates.observe(learningRates.higherIsBetter() ? e.accuracy() : e.loss())) {
        line.append(" -> lr decayed to ").append(learningRates.value(0));
      }
    }
    return line.toString();
  }
}
