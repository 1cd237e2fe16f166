package org.trajlab.api.run;

import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.RunFolder;

/**
 * Runs experiments. The engine bundle provides it as an OSGi service (Declarative Services); the headless
 * application and the workbench receive it and know nothing of DL4J.
 */
public interface ExperimentRunner {
  /**
   * Checks everything about a spec that can be checked before running: fields, probes and their params, the data
   * folder and its files, batch size against the data. Throws the first problem as one sentence.
   */
  void check(RunSpec spec) throws SpecException;

  /**
   * Runs the spec into {@code folder}: spec, environment, metrics, status and summary. Problems with the spec are
   * thrown before anything is written; failures while running end as a FAILED outcome with the reason, the
   * metrics written so far kept.
   */
  RunOutcome run(RunSpec spec, RunFolder folder, RunMonitor monitor) throws SpecException;

  /**
   * Continues an interrupted or cancelled run from its latest checkpoint, with its own spec: the metrics table is cut
   * back to what it held at the checkpoint, and the run goes on exactly as if it had never stopped.
   */
  RunOutcome resume(RunFolder folder, RunMonitor monitor) throws SpecException;

  /**
   * The line between two runs or checkpoints (paper 002): loss and accuracy at θ(α) = (1 − α)θ_A + αθ_B on the
   * request's sets, with batch normalisation's running statistics recomputed on training data at every α, written to
   * {@code request.out()} as {@code lines.csv} (tidy: {@code alpha,set,quantity,value}) and {@code summary.json}
   * (both endpoints, the settings). Endpoints that are not runs or checkpoints, of different models or data, and
   * bad settings are thrown as one sentence before anything is written.
   */
  default LineResult line(LineRequest request) throws SpecException {
    throw new UnsupportedOperationException("this runner computes no lines between runs");
  }

  /**
   * Checks a spec as {@link #check} does and says what it will do without training: the data set found (folder,
   * shape, classes, set sizes) and η, S and the epoch of every update (the engine's step plan). Nothing is written.
   * The wizards call it as the researcher types. A plan longer than {@code maxSteps} updates is refused in one sentence.
   */
  default RunPreview preview(RunSpec spec, int maxSteps) throws SpecException {
    throw new UnsupportedOperationException("this runner gives no previews");
  }
}
