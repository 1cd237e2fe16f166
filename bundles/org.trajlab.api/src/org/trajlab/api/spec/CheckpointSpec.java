package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When to write checkpoints (folder {@code checkpoints/step-NNNNNNNN/} of the run: parameters and optimizer state as
 * NumPy {@code .npy} files, the position in the data order, schedule and probe state as {@code state.json}). A run
 * resumed from a checkpoint continues bit-identically; a new run can start from any checkpoint (see
 * {@link StartSpec}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSpec {
  /** every this many updates (null = none on a step schedule) */
  public Integer every;
  /** at the end of every epoch */
  public boolean epochs = false;
  /** at the end of the run */
  public boolean end = true;
}
