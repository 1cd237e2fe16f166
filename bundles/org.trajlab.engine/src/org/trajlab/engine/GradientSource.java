package org.trajlab.engine;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.Network;

/**
 * Where the gradient g_t of an update comes from: a mini-batch, the whole training set, or the whole training set
 * plus isotropic noise (INSTRUMENTS.md §1, paper 000 §4). g is always the MEAN gradient; the training network's
 * batch-norm running statistics move with each batch it sees. Every ND4J array a source makes is closed at once:
 * left to the garbage collector, off-heap pressure makes JavaCPP force GC pauses.
 */
public interface GradientSource {
  /**
   * g ← the mean gradient of the update at step t whose mini-batch is {@code batch} (training-set indices; full-batch
   * sources ignore it); returns the mean loss it was computed on.
   */
  double gradient(long step, int[] batch, INDArray g);

  /** mini-batch gradients as the trainer forms them (what the benchmarks time) */
  static GradientSource miniBatch(Network net, ImageSet train) {
    return new MiniBatch(net, train);
  }

  /** the source of a spec's optimizer: mini-batch SGD, "gd" or "gd-noise" (its σ² measured now unless restored) */
  static GradientSource of(RunSpec spec, Network net, ImageSet train, INDArray mask, Double noiseVariance) {
    return switch (spec.optimizer.type) {
      case "gd" -> new FullBatch(net, train, spec.optimizer.gdChunk);
      case "gd-noise" -> new Noisy(new FullBatch(net, train, spec.optimizer.gdChunk), mask, spec.seed,
          noiseVariance != null ? noiseVariance : Noisy.variance(spec, net, train));
      default -> new MiniBatch(net, train);
    };
  }

  /**
   * The mean gradient of the update's mini-batch (SGD, momentum); the batch is gathered into arrays kept for its
   * size (a new size, from a batch-size schedule, replaces them).
   */
  final class MiniBatch implements GradientSource {
    private final Network net;
    private final ImageSet train;
    private INDArray x;
    private INDArray y;

    MiniBatch(Network net, ImageSet train) {
      this.net = net;
      this.train = train;
    }

    @Override
    public double gradient(long step, int[] batch, INDArray g) {
      if (x == null || x.size(0) != batch.length) {
        NdArrays.free(x, y);
        x = Nd4j.create(net.dataType(), new long[] { batch.length, train.features() }, 'c');
        y = Nd4j.create(net.dataType(), new long[] { batch.length, train.numClasses() }, 'c');
      }
      Batches.gather(train, batch, 0, batch.length, x);
      Batches.oneHotInto(train, batch, 0, batch.length, y);
      return net.meanGradient(x, y, g, true);
    }
  }

  /** the mean gradient over the whole training set, summed in chunks of {@code chunk} examples ("gd") */
  final class FullBatch implements GradientSource {
    private final Network net;
    private final ImageSet train;
    private final int chunk;
    private final int[] all;

    FullBatch(Network net, ImageSet train, int chunk) {
      this.net = net;
      this.train = train;
      this.chunk = chunk;
      this.all = new int[train.size()];
      for (int i = 0; i < all.length; i++) all[i] = i;
    }

    @Override
    public double gradient(long step, int[] batch, INDArray g) {
      int n = all.length;
      DataType dt = net.dataType();
      INDArray part = Nd4j.create(dt, g.shape());
      try {
        g.assign(0);
        double loss = 0;
        for (int from = 0; from < n; from += chunk) {
          int to = Math.min(n, from + chunk);
          INDArray x = Batches.features(train, all, from, to, dt);
          INDArray y = Batches.oneHot(train, all, from, to, dt);
          try {
            loss += net.meanGradient(x, y, part, true) * (to - from);
          } finally {
            NdArrays.free(x, y);
          }
          g.addi(part.muli(to - from));
        }
        g.divi(n);
        return loss / n;
      } finally {
        NdArrays.free(part);
      }
    }
  }

  /** a full-batch gradient plus isotropic Gaussian noise N(0, σ²I) drawn from (seed, update) ("gd-noise") */
  final class Noisy implements GradientSource {
    private final GradientSource exact;
    /** 1 for parameters, 0 for batch-norm statistics (no noise there); null when the model has none */
    private final INDArray mask;
    private final long seed;
    private final double variance;

    Noisy(GradientSource exact, INDArray mask, long seed, double variance) {
      this.exact = exact;
      this.mask = mask;
      this.seed = seed;
      this.variance = variance;
    }

    /** σ², kept in checkpoints so a resumed run adds the same noise */
    double variance() {
      return variance;
    }

    @Override
    public double gradient(long step, int[] batch, INDArray g) {
      double loss = exact.gradient(step, batch, g);
      SplittableRandom r = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + step);
      double sd = Math.sqrt(variance);
      double[] z = new double[(int) g.length()];
      for (int i = 0; i < z.length; i++) z[i] = sd * r.nextGaussian();
      INDArray raw = Nd4j.createFromArray(z);
      INDArray shaped = raw.reshape(g.shape());
      INDArray noise = shaped.castTo(g.dataType());
      g.addi(mask == null ? noise : noise.muli(mask));
      NdArrays.free(noise, shaped, raw);
      return loss;
    }

    /**
     * σ² = noiseFactor × the largest per-parameter variance of {@code noiseBatches} seeded mini-batch gradients of
     * the run's batch size at the network's current point (paper 000 §4); 0 on batch-norm statistics, whose gradient
     * is 0.
     */
    static double variance(RunSpec spec, Network net, ImageSet train) {
      int k = spec.optimizer.noiseBatches;
      int b = spec.training.batchSize;
      int n = train.size();
      DataType dt = net.dataType();
      INDArray g = Nd4j.create(DataType.DOUBLE, net.params().shape());
      INDArray part = Nd4j.create(dt, net.params().shape());
      INDArray sum = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
      INDArray sumSq = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
      try {
        SplittableRandom r = new SplittableRandom(spec.seed ^ 0x4E015EL);
        for (int i = 0; i < k; i++) {
          int[] idx = r.ints(b, 0, n).toArray();
          INDArray x = Batches.features(train, idx, 0, b, dt);
          INDArray y = Batches.oneHot(train, idx, 0, b, dt);
          net.meanGradient(x, y, part, false);
          NdArrays.free(x, y);
          INDArray asDouble = part.castTo(DataType.DOUBLE);
          g.assign(asDouble);
          if (asDouble != part) NdArrays.free(asDouble);
          sum.addi(g);
          INDArray sq = g.mul(g);
          sumSq.addi(sq);
          NdArrays.free(sq);
        }
        INDArray mean2 = sum.mul(sum).divi(k);
        INDArray var = sumSq.sub(mean2).divi(k - 1);
        double max = var.maxNumber().doubleValue();
        NdArrays.free(mean2, var);
        return spec.optimizer.noiseFactor * max;
      } finally {
        NdArrays.free(g, part, sum, sumSq);
      }
    }
  }
}
