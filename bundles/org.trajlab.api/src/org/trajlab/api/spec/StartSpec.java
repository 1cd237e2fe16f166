package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a run starts: fresh initialisation (the default), or a checkpoint folder of an earlier run
 * ({@code checkpoint}: a path to {@code .../checkpoints/step-NNNNNNNN}). From a checkpoint the new run keeps the
 * update count, the position in the data order and (with {@code optimizerState}) the momentum buffer, so the batch
 * sequence continues exactly as in the original run; everything else may change (optimizer, schedules, probes...).
 * The model must be the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StartSpec {
  public String checkpoint;
  public boolean optimizerState = true;
}
