package org.trajlab.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;
import org.trajlab.engine.models.QuadraticNetwork;

/**
 * A run's data as the engine trains and measures on it — the training, test and held-out sets as rows of numbers
 * (the quadratic's samples too), the fixed train-eval subset — and the networks the spec builds for it: the one that
 * trains, and the objective's own copies (its DOUBLE twin for curvature).
 */
final class RunData {
  private final RunSpec spec;
  private final LoadedData loaded;
  private final ImageSet train;
  private final ImageSet test;
  private final ImageSet heldOut;
  private final int[] trainEval;

  RunData(RunSpec spec, LoadedData loaded) {
    this.spec = spec;
    this.loaded = loaded;
    this.train = loaded.isQuadratic() ? samplesAsRows(loaded.quadratic().train()) : loaded.train();
    this.test = loaded.isQuadratic() ? samplesAsRows(loaded.quadratic().test()) : loaded.test();
    this.heldOut = loaded.isQuadratic() ? samplesAsRows(loaded.quadratic().heldOut()) : loaded.heldOut();
    this.trainEval = Batches.trainEval(spec.seed, train.size(), spec.data.trainEvalSize,
        "random".equals(spec.data.trainEvalSelection));
  }

  /**
   * The quadratic's samples as rows of d numbers (one "image" of 1x1xd each, label 0), so batches, views and the
   * data order work as for images. Stored as FLOAT like pixels: the run's samples are these rounded values.
   */
  static ImageSet samplesAsRows(org.trajlab.engine.data.SyntheticQuadratic.Samples s) {
    if (s == null) return null;
    float[] x = new float[s.x().length];
    for (int i = 0; i < x.length; i++) x[i] = (float) s.x()[i];
    return new ImageSet(x, new int[s.size()], 1, 1, s.dim(), 1);
  }

  LoadedData loaded() {
    return loaded;
  }

  ImageSet train() {
    return train;
  }

  /** the spec's model from the zoo in {@code type}, its parameters drawn from the run's seed */
  Network network(DataType type) {
    if (loaded.isQuadratic()) {
      return new QuadraticNetwork(loaded.quadratic().model().eigenvalues(), type, spec.model.init, spec.seed);
    }
    try {
      int vocab = spec.data.text == null ? 0 : spec.data.text.vocab;
      return ModelZoo.build(spec.model, type, spec.seed, InputShape.flat(train.channels(), train.rows(), train.cols()),
          loaded.numClasses(), vocab);
    } catch (SpecException e) { // the plan checked the model against the data
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The objective probes and evaluation see, on a copy of {@code training} (never the network being trained) with a
   * DOUBLE twin built on demand, its views ({@code train-eval}, {@code test}, {@code train-full}, {@code held-out},
   * {@code train-clean} and {@code train-noisy} with corrupted labels) and the spec's batch-norm mode.
   */
  Dl4jObjective objective(Network training) {
    Dl4jObjective objective = new Dl4jObjective(training.copy(), () -> network(DataType.DOUBLE), train, test, trainEval,
        probeBatchNorm(spec));
    if (heldOut != null) objective.addView("held-out", heldOut, null);
    if (loaded.corruption().count() > 0) {
      objective.addView("train-clean", train, loaded.cleanIndices());
      objective.addView("train-noisy", train, loaded.corruptedIndices());
    }
    return objective;
  }

  /** the spec's batchNorm (the runner resolved its batch size; older specs fall back to the training batch size) */
  static ProbeBatchNorm probeBatchNorm(RunSpec spec) {
    int size = spec.batchNorm.batchSize != null ? spec.batchNorm.batchSize : spec.training.batchSize;
    // inference mode keeps S and the seed too: recomputing the running statistics (lines, averages) uses batches of S
    return "inference".equals(spec.batchNorm.mode) ? new ProbeBatchNorm(false, size, spec.seed)
        : ProbeBatchNorm.train(size, spec.seed);
  }
}
