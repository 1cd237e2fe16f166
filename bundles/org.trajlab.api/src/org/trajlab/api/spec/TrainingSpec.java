package org.trajlab.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How long and in which batches. Batches are drawn without replacement from a seeded permutation per epoch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {
  public Integer epochs = 1;
  /** total updates; when set it wins over epochs (0 = a probe-only run) */
  public Long steps;
  public int batchSize = 100;
  /** write the train probe's rows every this many updates */
  public int logEvery = 1;
  /** null = constant batch size */
  public BatchScheduleSpec batchSchedule;
  /**
   * seeds the batch order (the permutation of every epoch) apart from the initialisation and the train-eval subset;
   * null = the run's {@code seed}. A run started from another run's checkpoint with another batchSeed is a branch
   * after a shared burn-in (paper 003).
   */
  public Long batchSeed;
}
