package org.trajlab.api.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Everything that defines a run, as plain data (JSON via {@link Specs}). Missing fields take the defaults shown
 * here; unknown fields are an error. The run folder keeps the resolved spec, so a run can be repeated from it.
 */
@JsonPropertyOrder({ "name", "seed", "precision", "model", "data", "optimizer", "training", "eval", "batchNorm",
    "probes", "checkpoints", "start" })
public class RunSpec {
  public String name = "run";
  public long seed = 0;
  /** float or double: the precision of training (curvature probes always compute in double) */
  public String precision = "float";
  public ModelSpec model = new ModelSpec();
  public DataSpec data = new DataSpec();
  public OptimizerSpec optimizer = new OptimizerSpec();
  public TrainingSpec training = new TrainingSpec();
  public EvalSpec eval = new EvalSpec();
  /** how probes measure batch normalisation (train mode over batches of the run's size by default) */
  public BatchNormSpec batchNorm = new BatchNormSpec();
  public List<ProbeSpec> probes = new ArrayList<>();
  public CheckpointSpec checkpoints = new CheckpointSpec();
  public StartSpec start = new StartSpec();
}
