package org.trajlab.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.engine.models.ConvHessian;
import org.trajlab.engine.models.DenseHessian;

/**
 * How an objective forms Hessian-vector products H(θ)v of the mean loss over a view's parts, in DOUBLE: exactly by
 * Pearlmutter's R-operator for plain dense stacks ({@link Exact}) and for convolutional stacks of convolutions, max
 * pooling, train-mode batch norm and dense layers ({@link ExactLayers}: SimpleCNN, VGG-11), by checked central
 * differences of gradients for every other model ({@link Differences}: ResNets, the LSTM, MLPs with batch norm).
 * {@link #of} picks the strategy for a network.
 */
interface HessianProducts {
  /**
   * out = H(θ)u over the parts; returns the mean loss at θ. {@code u} is zero on the entries that are not parameters
   * (batch-norm statistics), and so is {@code out} on return.
   */
  double product(ExampleView.Parts parts, ExampleView view, double[] theta, double[] u, double[] out);

  /** how products are formed, for the run log */
  String describe();

  /**
   * the exact product when the network is a plain dense stack or a convolutional stack in DOUBLE, else checked
   * central differences
   */
  static HessianProducts of(PartsNetwork net, boolean[] trainable) {
    DenseHessian exact = DenseHessian.of(net.network());
    if (exact != null) return new Exact(net, exact);
    ConvHessian layers = ConvHessian.of(net.network());
    return layers != null ? new ExactLayers(net, layers) : new Differences(net, trainable);
  }

  /** one part's R-operator pass: adds its share of H(θ)v to {@code sum} and returns its share of the loss */
  interface PartProduct {
    double add(INDArray x, INDArray y, INDArray v, INDArray sum);
  }

  /**
   * The direction and the sum of the exact strategies' products, DOUBLE arrays shaped like the parameters, kept from
   * one product to the next: made anew they were 4 MB of fresh memory a product for the MLP, which the process touched
   * page by page (~1,600 page faults and 20-30 ms of a 55 ms product at a new θ, until its memory had settled).
   */
  final class ProductArrays {
    private INDArray direction;
    private INDArray sum;

    /**
     * out = the sum over the parts of {@code part}'s products at θ along u; returns the mean loss (the exact
     * strategies' loop)
     */
    double summedOverParts(PartsNetwork net, ExampleView.Parts c, double[] theta, double[] u, double[] out,
        PartProduct part) {
      net.setParams(theta);
      if (direction == null) { // the strategy's network, and so the shape, is fixed
        long[] shape = net.network().params().shape();
        direction = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.DOUBLE, shape, 'c');
        sum = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.DOUBLE, shape, 'c');
      }
      try {
        org.trajlab.engine.models.FlatArrays.write(direction, u, 0);
        sum.assign(0);
        double loss = 0;
        for (int i = 0; i < c.count(); i++) loss += part.add(c.x()[i], c.y()[i], direction, sum);
        org.trajlab.engine.models.FlatArrays.read(sum, out);
        return loss / c.examples();
      } finally {
        // a large model's pair is not kept (the garbage collector does not see native memory: a finished run's
        // objective would hold it until a collection happened to come)
        if (direction.length() * Double.BYTES > KEPT_BYTES) {
          NdArrays.free(direction, sum);
          direction = null;
          sum = null;
        }
      }
    }

    /** the largest direction kept between products (the MLP's is 2.1 MB; VGG-11's ~74 MB is made per product) */
    static final long KEPT_BYTES = 16L << 20;
  }

  /** Pearlmutter's R-operator (softmax regression, MLPs without batch normalisation): no step, no kink error */
  final class Exact implements HessianProducts {
    private final PartsNetwork net;
    private final DenseHessian rOperator;
    private final ProductArrays arrays = new ProductArrays();

    Exact(PartsNetwork net, DenseHessian rOperator) {
      this.net = net;
      this.rOperator = rOperator;
    }

    /** the R-operator machinery (per-example Gram factors and curvature use it too) */
    DenseHessian rOperator() {
      return rOperator;
    }

    /** the products at one θ share each chunk's θ-only pass ({@link DenseHessian#at}) */
    @Override
    public double product(ExampleView.Parts c, ExampleView view, double[] theta, double[] u, double[] out) {
      rOperator.at(theta);
      return arrays.summedOverParts(net, c, theta, u, out,
          (x, y, v, sum) -> rOperator.addProduct(x, y, v, sum, c.examples()));
    }

    @Override
    public String describe() {
      return "exact (R-operator)";
    }
  }

  /**
   * The R-operator through convolutions, max pooling, train-mode batch norm (each part with its own statistics) and
   * dense layers ({@link ConvHessian}): one forward and one backward pass with their R-twins, no step, no kink retry
   */
  final class ExactLayers implements HessianProducts {
    private final PartsNetwork net;
    private final ConvHessian rOperator;
    private final ProductArrays arrays = new ProductArrays();

    ExactLayers(PartsNetwork net, ConvHessian rOperator) {
      this.net = net;
      this.rOperator = rOperator;
    }

    @Override
    public double product(ExampleView.Parts c, ExampleView view, double[] theta, double[] u, double[] out) {
      return arrays.summedOverParts(net, c, theta, u, out,
          (x, y, v, sum) -> rOperator.addProduct(x, y, v, sum, null, c.examples()));
    }

    @Override
    public String describe() {
      return rOperator.describe();
    }
  }

  /**
   * Checked central differences of the view's mean gradient ({@link CentralDifferences}); the gradient at θ is kept
   * for the products at the same point (Lanczos asks for many).
   */
  final class Differences implements HessianProducts {
    private final PartsNetwork net;
    private final boolean[] trainable;
    private final CentralDifferences differences = new CentralDifferences();
    private ExampleView cachedView;
    private double[] cachedTheta;
    private double[] cachedGradient;

    Differences(PartsNetwork net, boolean[] trainable) {
      this.net = net;
      this.trainable = trainable;
    }

    @Override
    public double product(ExampleView.Parts c, ExampleView view, double[] theta, double[] u, double[] out) {
      if (CentralDifferences.norm(u) == 0) {
        double loss = net.meanGradient(c, theta, out);
        java.util.Arrays.fill(out, 0);
        return loss;
      }
      double[] g0 = gradientAt(c, view, theta);
      double loss = differences.product((th, g) -> net.meanGradient(c, th, g), theta, g0, u, out);
      for (int i = 0; i < out.length; i++) {
        if (!trainable[i]) out[i] = 0;
      }
      net.setParams(theta);
      return loss;
    }

    private double[] gradientAt(ExampleView.Parts c, ExampleView view, double[] theta) {
      if (cachedView == view && java.util.Arrays.equals(cachedTheta, theta)) return cachedGradient;
      double[] g = new double[theta.length];
      net.meanGradient(c, theta, g);
      cachedView = view;
      cachedTheta = theta.clone();
      cachedGradient = g;
      return g;
    }

    @Override
    public String describe() {
      return "central differences, step sqrt(eps)(1+|theta|)/|v|, kink retries " + differences.retries()
          + ", never agreed (taken one-sided) " + differences.unresolved();
    }
  }
}
