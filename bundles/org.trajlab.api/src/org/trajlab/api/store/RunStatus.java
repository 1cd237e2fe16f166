package org.trajlab.api.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/** status.json: replaced atomically while a run goes, so readers always see a whole one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunStatus {
  public RunState state = RunState.CREATED;
  public long step;
  public long totalSteps;
  public int epoch;
  public String message;
  public String started;
  public String updated;
  public Long pid;
  /** updates per second over the run so far */
  public Double rate;

  public double fraction() {
    return totalSteps <= 0 ? (state.isFinal() ? 1 : 0) : Math.min(1.0, (double) step / totalSteps);
  }
}
