package org.trajlab.engine.models;

import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.engine.data.SyntheticQuadratic;

/**
 * The synthetic quadratic model of INSTRUMENTS.md §4 as a {@link Network}, so the trainer, its optimisers,
 * schedules, checkpoints and every probe run it like any model: θ has d entries; an example is a sample x (a row of
 * d numbers); its loss is ℓ_x(θ) = ½ Σ_j a_j (θ_j − x_j)², so the mean gradient of a batch is A(θ − x̄_B) and the
 * Hessian is A everywhere. Labels are ignored; there are no classes, so accuracy is NaN.
 */
public final class QuadraticNetwork implements Network {
  private final double[] a;
  private final INDArray aRow;
  private final INDArray params;
  private final InputShape shape;
  /** ℓ_x(θ) = −xᵀAθ instead: the gradient −A·x̄_B does not depend on θ */
  private final boolean linear;

  /**
   * @param a the diagonal of A
   * @param init "normal" (θ_0 ~ N(0, I) from {@code seed}) or "zero"
   */
  public QuadraticNetwork(double[] a, DataType dt, String init, long seed) {
    this(a, dt, init, seed, false);
  }

  /** @param linear the quadratic without its restoring force: ℓ_x(θ) = −xᵀAθ, gradient −A·x̄_B whatever θ is */
  public QuadraticNetwork(double[] a, DataType dt, String init, long seed, boolean linear) {
    this(a, Nd4j.createFromArray(theta0(a.length, init, seed)).reshape(1, a.length).castTo(dt), linear);
  }

  private QuadraticNetwork(double[] a, INDArray params, boolean linear) {
    this.linear = linear;
    this.a = a.clone();
    this.params = params;
    this.aRow = Nd4j.createFromArray(a).reshape(1, a.length).castTo(params.dataType());
    this.shape = InputShape.flat(1, 1, a.length);
  }

  static double[] theta0(int d, String init, long seed) {
    double[] t = new double[d];
    if ("zero".equals(init)) return t;
    SyntheticQuadratic.standardNormals(new SplittableRandom(seed * 1_000_003L + 0x9E3779B9L), t);
    return t;
  }

  @Override
  public long numParams() {
    return a.length;
  }

  @Override
  public INDArray params() {
    return params;
  }

  @Override
  public Map<String, INDArray> paramTable() {
    return Map.of("theta", params);
  }

  @Override
  public DataType dataType() {
    return params.dataType();
  }

  @Override
  public InputShape inputShape() {
    return shape;
  }

  @Override
  public int numClasses() {
    return 0;
  }

  @Override
  public double meanGradient(INDArray features, INDArray labels, INDArray gOut, boolean updateStatistics) {
    INDArray x = shape.toInput(features);
    if (linear) {
      INDArray mean = x.mean(0).reshape(1, a.length).muli(aRow);
      gOut.assign(mean.neg().reshape(gOut.shape()));
      return -mean.mul(params.reshape(1, a.length)).castTo(DataType.DOUBLE).sumNumber().doubleValue();
    }
    INDArray diff = x.rsubRowVector(params.reshape(1, a.length)); // θ − x, one row per example
    INDArray mean = diff.mean(0).reshape(1, a.length);
    gOut.assign(mean.muli(aRow).reshape(gOut.shape()));
    return diff.muli(diff).mulRowVector(aRow).sum(1).castTo(DataType.DOUBLE).meanNumber().doubleValue() / 2;
  }

  @Override
  public INDArray output(INDArray features, boolean train) {
    throw new UnsupportedOperationException("the quadratic model has no class output");
  }

  @Override
  public double[] exampleLosses(INDArray features, int[] labels, boolean train) {
    if (linear) {
      INDArray ax = shape.toInput(features).mulRowVector(aRow).mulRowVector(params.reshape(1, a.length));
      return ax.sum(1).castTo(DataType.DOUBLE).negi().data().asDouble();
    }
    INDArray diff = shape.toInput(features).rsubRowVector(params.reshape(1, a.length));
    INDArray l = diff.muli(diff).mulRowVector(aRow).sum(1).castTo(DataType.DOUBLE).divi(2);
    return l.data().asDouble();
  }

  @Override
  public double[] lossAndHits(INDArray features, int[] labels, boolean train) {
    if (linear) {
      INDArray ax = shape.toInput(features).mulRowVector(aRow).mulRowVector(params.reshape(1, a.length));
      return new double[] { -ax.castTo(DataType.DOUBLE).sumNumber().doubleValue(), Double.NaN };
    }
    INDArray diff = shape.toInput(features).rsubRowVector(params.reshape(1, a.length));
    return new double[] { diff.muli(diff).mulRowVector(aRow).castTo(DataType.DOUBLE).sumNumber().doubleValue() / 2, Double.NaN };
  }

  @Override
  public boolean hasBatchNorm() {
    return false;
  }

  @Override
  public INDArray trainableMask() {
    return Nd4j.ones(dataType(), 1, a.length);
  }

  @Override
  public Network copy() {
    return new QuadraticNetwork(a, params.dup(), linear);
  }

  @Override
  public String describe() {
    return (linear ? "synthetic quadratic without restoring force (linear loss), " : "synthetic quadratic, ") + a.length + " parameters";
  }
}
