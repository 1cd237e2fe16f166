package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's forward and backward pass of a plain dense stack (dense layers with relu, tanh, sigmoid or identity units,
 * with or without biases, then a softmax output layer with multi-class cross-entropy), op for op on the network's own
 * parameter views, into buffers kept per batch size: the same ND4J operations on the same array layouts as
 * MultiLayerNetwork.computeGradientAndScore and output, without DL4J's per-layer machinery (workspaces, checks, the
 * pre-activations computed again in backprop and again for the score, the error passed back to the input). The
 * matrix products are BLAS's gemm ({@link Gemm}), 1.6–2× faster than DL4J's mmul here: in DOUBLE the outputs (and,
 * on DL4J's operations, the gradient) are DL4J's to the last bit; in FLOAT DL4J's products are oneDNN's, whose sums
 * differ from BLAS's in rounding.
 * <p>
 * As DL4J: z_l = a_{l−1}W_l + b_l in a c-order array, a_l = f(z_l); p = softmax(z_L); the score is
 * −Σ y ⊙ log(clip(p)) / N (clip to [ε, 1 − ε], the loss's softmax clipping); e_L = p − y; g_{W_l} = a_{l−1}ᵀe_l by
 * one gemm into an f-order view of the flat gradient, g_{b_l} = Σ_rows e_l, ε_{l−1} = (W_l e_lᵀ)ᵀ into an f-order
 * array, e_{l−1} = f′(z_{l−1}) ⊙ ε_{l−1} by the activation's own backprop. The gradient is DL4J's SUM over the batch.
 * <p>
 * A training batch's mean gradient takes a shorter way ({@link #meanGradientJava}): the output layer's softmax, score
 * and errors in one Java pass, the bias sums in Java and the mean's 1/N folded into them and into the W gradients'
 * products, all written straight into the caller's gradient buffer; in DOUBLE it agrees with DL4J's to a few units in
 * the last place ({@code -Dtrajlab.denseJavaPass=false}: DL4J's operations and bits).
 * <p>
 * Not thread-safe: one thread at a time, as the network it belongs to. The buffers of the most recent batch sizes
 * are kept ({@link #KEPT_SIZES}). A {@link StackNetwork} runs on this path when it can, unless the system property
 * {@code trajlab.denseStack} is false (DL4J's own passes, for comparison).
 */
public final class DenseStack {
  /** batch sizes whose buffers are kept (training batches, evaluation chunks, a last shorter chunk, probes) */
  static final int KEPT_SIZES = 4;

  /**
   * one layer: its parameter views, their flat gradient views, its units; whether they are DL4J's default relu, and
   * where the bias starts in the flat parameters (−1: no bias, or not one run of entries)
   */
  private record Unit(INDArray w, INDArray b, INDArray gw, INDArray gb, IActivation act, long nIn, long nOut,
      boolean relu, int biasFrom) {}

  private final List<Unit> units;
  /** the network's flat parameters, of which the units' W and b are views */
  private final INDArray params;
  private final DataType dt;
  private final INDArray flatGradient;
  private final double clipEps;
  private final Map<Long, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Buffers> e) {
      if (size() <= KEPT_SIZES) return false;
      e.getValue().close();
      return true;
    }
  };

  private final InputShape inputShape;

  private DenseStack(List<Unit> units, INDArray params, DataType dt, INDArray flatGradient, double clipEps,
      InputShape inputShape) {
    this.inputShape = inputShape;
    this.units = units;
    this.params = params;
    this.dt = dt;
    this.flatGradient = flatGradient;
    this.clipEps = clipEps;
  }

  /** whether networks built now take this path when they can (system property trajlab.denseStack, default true) */
  static boolean enabled() {
    return !"false".equals(System.getProperty("trajlab.denseStack"));
  }

  /**
   * The fast path on {@code n}'s parameters: the network's own (one set of buffers per network), or a new one when the
   * network runs DL4J's passes ({@code trajlab.denseStack} false); null when it is not a plain dense stack (see
   * {@link #of(MultiLayerNetwork, InputShape)}).
   */
  public static DenseStack of(Network n) {
    if (!(n instanceof StackNetwork s)) return null;
    return s.denseStack() != null ? s.denseStack() : of((MultiLayerNetwork) s.model(), s.inputShape());
  }

  /**
   * The fast path for {@code m}, or null when it is not a plain dense stack (any other layer, a preprocessor,
   * dropout, weight noise, regularisation, layer normalisation, another loss or output activation).
   */
  static DenseStack of(MultiLayerNetwork m, InputShape inputShape) {
    if (inputShape.layout() != InputShape.Layout.FLAT) return null;
    MultiLayerConfiguration conf = m.getLayerWiseConfigurations();
    Layer[] layers = m.getLayers();
    INDArray params = m.params();
    DataType dt = params.dataType();
    INDArray flat = Nd4j.create(dt, params.shape());
    List<Unit> units = new ArrayList<>();
    double clip = 0;
    for (int i = 0; i < layers.length; i++) {
      var c = layers[i].conf().getLayer();
      boolean last = i == layers.length - 1;
      if (conf.getInputPreProcess(i) != null || !(c instanceof BaseLayer base) || !plain(base)) return null;
      if (last) {
        if (!(c instanceof OutputLayer o) || !(o.getActivationFn() instanceof ActivationSoftmax)
            || !(o.getLossFn() instanceof LossMCXENT loss) || loss.getWeights() != null) {
          return null;
        }
        clip = loss.getSoftmaxClipEps();
      } else if (!(c instanceof DenseLayer d) || d.hasLayerNorm() || !supported(d.getActivationFn())) {
        return null;
      }
      units.add(unit(layers[i], base, params, flat));
    }
    return units.isEmpty() ? null : new DenseStack(List.copyOf(units), params, dt, flat, clip, inputShape);
  }

  static boolean plain(BaseLayer b) {
    return b.getIDropout() == null && b.getWeightNoise() == null && empty(b.getRegularization())
        && empty(b.getRegularizationBias());
  }

  private static boolean empty(List<?> l) {
    return l == null || l.isEmpty();
  }

  /** the activations whose DL4J forward works in place and whose backprop needs only z and ε */
  private static boolean supported(IActivation a) {
    return (a instanceof ActivationReLU r && defaultRelu(r)) || a instanceof ActivationTanH
        || a instanceof ActivationSigmoid || a instanceof ActivationIdentity;
  }

  private static boolean defaultRelu(ActivationReLU r) {
    return r.equals(new ActivationReLU());
  }

  /** a layer's W and b views and the gradient views at the same places of {@code flat} */
  private static Unit unit(Layer l, BaseLayer conf, INDArray params, INDArray flat) {
    INDArray w = l.getParam("W");
    INDArray b = l.paramTable().get("b");
    IActivation act = conf.getActivationFn();
    boolean relu = act instanceof ActivationReLU r && defaultRelu(r);
    // the bias as a run of the flat parameters' entries, which RowOps reads straight from their buffer
    int biasFrom = b != null && b.length() == b.size(-1) && b.elementWiseStride() == 1 && FlatArrays.ownBuffer(params)
        ? Math.toIntExact(b.offset() - params.offset()) : -1;
    return new Unit(w, b, sameView(flat, params, w), b == null ? null : sameView(flat, params, b), act, w.size(0),
        w.size(1), relu, biasFrom);
  }

  /** the view of {@code flat} at the place, shape and order the view {@code v} has in {@code params} */
  static INDArray sameView(INDArray flat, INDArray params, INDArray v) {
    long from = v.offset() - params.offset();
    INDArray line = flat.reshape(flat.length()).get(NDArrayIndex.interval(from, from + v.length()));
    INDArray view = line.reshape(v.ordering(), v.shape());
    if (!view.isView() || storage(view) != storage(flat)) {
      throw new IllegalStateException("a gradient view of a dense layer is a copy, not a view of the flat gradient");
    }
    return view;
  }

  /** the buffer that holds an array's values (a view's buffer is a view of it) */
  private static org.nd4j.linalg.api.buffer.DataBuffer storage(INDArray a) {
    var b = a.data();
    return b.originalDataBuffer() != null ? b.originalDataBuffer() : b;
  }

  /**
   * As {@link Network#meanGradient(INDArray, INDArray, INDArray)} (no batch normalisation here): the gradient of the
   * MEAN cross-entropy into {@code gOut}, the batch's mean loss returned.
   */
  public double meanGradient(INDArray features, INDArray labels, INDArray gOut) {
    if (gOut.length() != flatGradient.length()) {
      throw new IllegalArgumentException("the gradient buffer has " + gOut.length() + " entries, the model " + flatGradient.length());
    }
    INDArray x = input(features);
    INDArray y = typed(labels);
    if (JAVA_PASS) {
      INDArray[] views = gradientViews(gOut);
      if (views != null && RowOps.applies(y) && y.size(0) == x.size(0)) return meanGradientJava(x, y, views, gOut);
    }
    double score = sumGradient(x, y);
    // gOut ← sum / N in one pass (the values of assign, then divi)
    Nd4j.getExecutioner().exec(new ScalarDivision(flatGradient.reshape(gOut.shape()), null, gOut, features.size(0)));
    return score;
  }

  /**
   * whether training batches take {@link #meanGradientJava} ({@code trajlab.denseJavaPass}, default true; false:
   * DL4J's operations in turn, whose gradient in DOUBLE is DL4J's to the last bit, for comparison)
   */
  static final boolean JAVA_PASS = !"false".equals(System.getProperty("trajlab.denseJavaPass"));

  /**
   * the caller's gradient buffers of the last two Java passes and each layer's W gradient view of them: the trainer
   * passes two buffers in turn (the gradient and the one before it)
   */
  private final INDArray[] viewsOf = new INDArray[2];
  private final INDArray[][] gwViews = new INDArray[2][];
  private int nextSlot;

  /**
   * each layer's W gradient as a view of {@code gOut} (at the place of W in the parameters), kept for the buffers of
   * the last two calls; null when gOut is not a whole c-order buffer of the stack's type or a bias is not one run of
   * entries
   */
  private INDArray[] gradientViews(INDArray gOut) {
    for (int k = 0; k < viewsOf.length; k++) {
      if (viewsOf[k] == gOut) return gwViews[k];
    }
    if (!FlatArrays.ownBuffer(gOut) || gOut.dataType() != dt) return null;
    INDArray[] views = new INDArray[units.size()];
    for (int l = 0; l < views.length; l++) {
      Unit u = units.get(l);
      if (u.b() != null && u.biasFrom() < 0) return null;
      views[l] = sameView(gOut, params, u.w());
    }
    viewsOf[nextSlot] = gOut;
    gwViews[nextSlot] = views;
    nextSlot = (nextSlot + 1) % viewsOf.length;
    return views;
  }

  /**
   * The batch's mean gradient written straight into {@code gOut}: the forward pass to the logits; the softmax, the
   * score and the output errors p − y in one Java pass ({@link RowOps#softmaxCrossEntropy}); backprop as
   * {@link #sumGradient}, with the mean's 1/N applied as BLAS stores each W gradient (gemm's alpha) and as each bias
   * gradient's column sums are rounded ({@link RowOps#columnSums}). This replaces eight ND4J operations per update
   * (softmax, the score's six, p − y), a sum per bias and the division of the whole gradient, each operation
   * allocating its own arguments: the SGD step at a batch of 128 took 0.94–1.23 against 2.13–2.36 ms in FLOAT and
   * 2.09–2.35 against 2.84–3.44 ms in DOUBLE. The numbers agree with DL4J's to the precision's rounding: in DOUBLE
   * to a few units in the last place (Java's exp and log, the column sums' order, 1/N as a product), where
   * {@link #sumGradient} repeats DL4J's operations to the last bit (DenseStackTest).
   */
  private double meanGradientJava(INDArray x, INDArray y, INDArray[] gw, INDArray gOut) {
    long n = x.size(0);
    Buffers b = buffers(n);
    int last = units.size() - 1;
    INDArray logits = forward(x, b, true, true);
    INDArray errors = b.a[last + 1];
    if (!RowOps.applies(logits, y, errors)) {
      throw new IllegalStateException("the stack's output buffers are not whole buffers of its type");
    }
    double score = RowOps.softmaxCrossEntropy(logits, y, clipEps, errors) / n;
    double scale = 1.0 / n;
    backward(x, b, errors, (l, u, in, e) -> {
      if (u.b() != null) {
        if (RowOps.applies(e)) {
          RowOps.columnSums(e, scale, gOut, u.biasFrom());
        } else {
          INDArray gb = sameView(gOut, params, u.b());
          e.sum(gb, 0);
          gb.divi(n);
        }
      }
      Gemm.tnInto(in, e, gw[l], scale);
    });
    return score;
  }

  /** rows of the model's precision (DL4J casts its input and labels the same way) */
  private INDArray typed(INDArray a) {
    return a.dataType() == dt ? a : a.castTo(dt);
  }

  private INDArray input(INDArray features) {
    return typed(inputShape.toInput(features));
  }

  /**
   * The SUM over the batch of the cross-entropy gradient at the network's current parameters, into the flat
   * gradient ({@link #gradient()}); returns DL4J's score, the batch's mean loss.
   *
   * @param x the input rows [N, features] (DL4J's first-layer input)
   * @param y the one-hot labels [N, classes]
   */
  private double sumGradient(INDArray x, INDArray y) {
    Buffers b = buffers(x.size(0));
    INDArray p = forward(x, b, true);
    double score = score(p, y, b.score) / x.size(0);
    backward(x, b, p.subi(y), (l, u, in, e) -> {
      if (u.gb() != null) e.sum(u.gb(), 0);
      Gemm.tnInto(in, e, u.gw());
    });
    return score;
  }

  /** what a layer's gradient is formed from: its input rows a_{l−1} and its errors e_l, both [N, ·] */
  private interface LayerErrors {
    void accept(int l, Unit u, INDArray in, INDArray e);
  }

  /**
   * Backprop from the output errors e_L = p − y (after a forward pass that kept z): each layer's errors e_l =
   * f′(z_l) ⊙ ε_l by the activation's own backprop, handed to {@code gradient} with the layer's input, then passed
   * back as ε_{l−1} = (W_l e_lᵀ)ᵀ into an f-order buffer (not to the input).
   */
  private void backward(INDArray x, Buffers b, INDArray outputErrors, LayerErrors gradient) {
    INDArray e = outputErrors;
    for (int l = units.size() - 1; l >= 0; l--) {
      Unit u = units.get(l);
      if (l < units.size() - 1) {
        // e is the transposed view of eps[l + 1], whose buffer holds it in z[l]'s order
        if (u.relu() && RowOps.wholeBuffersOfAnyLength(b.z[l], b.eps[l + 1])) {
          RowOps.reluBackprop(b.z[l], b.eps[l + 1]);
          e = b.z[l];
        } else {
          e = u.act().backprop(b.z[l], e).getFirst();
        }
      }
      gradient.accept(l, u, l == 0 ? x : b.a[l], e);
      e = l > 0 ? Gemm.ntInto(u.w(), e, b.eps[l]).transpose() : null;
    }
  }

  /**
   * The mean gradients of groups of examples at the network's current parameters, each into its row of {@code rows}
   * (a c-order [groups, P] array of the stack's precision): group k is the {@code sizes[k]} rows of {@code features}
   * after the previous groups'. One forward pass and one backward pass of the errors for all rows at once; then each
   * group's weight gradient a_Gᵀe_G/|G| by one gemm per layer into its row (1/|G| as gemm's alpha), its bias gradient
   * Σ_G e/|G|: what {@link #meanGradient} gives for the group alone (up to the rounding of the batched products),
   * without the per-group passes. As {@link #meanGradientJava}: the output's softmax and errors in one Java pass, and
   * when {@code rows} is a whole buffer every group's bias sums in one more ({@link RowOps#groupColumnSums}), else
   * ND4J's sum per group and layer. For the noise probe's L = 25 groups of M = 128 on the MLP (FLOAT): 66–100 ms with
   * ND4J's operations throughout, of which 9–14 ms the 75 bias sums.
   *
   * @param features the rows of all groups, [Σ sizes, features]
   * @param labels their one-hot labels
   */
  public void groupMeanGradients(INDArray features, INDArray labels, int[] sizes, INDArray rows) {
    int total = java.util.Arrays.stream(sizes).sum();
    if (features.size(0) != total || rows.size(0) != sizes.length || rows.size(1) != flatGradient.length()
        || rows.ordering() != 'c' || rows.dataType() != dt) {
      throw new IllegalArgumentException("groups of " + total + " rows in all into " + sizes.length + " rows of "
          + flatGradient.length() + " (" + dt + ", c order): not features of " + features.size(0) + " rows and rows "
          + java.util.Arrays.toString(rows.shape()));
    }
    INDArray x = input(features);
    Buffers b = buffers(total);
    INDArray[] groupRows = new INDArray[sizes.length]; // views of rows, made where a product needs them
    INDArray y = typed(labels);
    int last = units.size() - 1;
    INDArray errors = b.a[last + 1];
    if (JAVA_PASS && RowOps.applies(b.z[last], y, errors)) { // the logits' buffer, which forward fills
      RowOps.softmaxCrossEntropy(forward(x, b, true, true), y, clipEps, errors);
    } else {
      errors = forward(x, b, true).subi(y);
    }
    boolean ownRows = FlatArrays.ownBuffer(rows);
    boolean javaRows = JAVA_PASS && ownRows;
    long p = rows.size(1);
    backward(x, b, errors, (l, u, in, e) -> {
      boolean javaSums = javaRows && u.biasFrom() >= 0 && FlatArrays.ownBuffer(e) && e.dataType() == dt;
      if (u.b() != null && javaSums) RowOps.groupColumnSums(e, sizes, rows, p, u.biasFrom());
      // the weight gradient's place in a row: column-major [nIn, nOut] (DL4J's f order) at its offset in the flat gradient
      long wAt = ownRows && u.gw().ordering() == 'f' && u.gw().stride(0) == 1 && u.gw().stride(1) == u.nIn()
          ? u.gw().offset() - flatGradient.offset() : -1;
      int from = 0;
      for (int k = 0; k < sizes.length; k++) {
        int to = from + sizes[k];
        if (wAt < 0 || !Gemm.tnRowsInto(in, e, from, sizes[k], rows, k * p + wAt, 1.0 / sizes[k])) {
          if (groupRows[k] == null) groupRows[k] = rows.getRow(k, true);
          INDArray eG = e.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
          INDArray inG = in.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
          Gemm.tnInto(inG, eG, sameView(groupRows[k], flatGradient, u.gw()), 1.0 / sizes[k]);
        }
        if (u.b() != null && !javaSums) {
          if (groupRows[k] == null) groupRows[k] = rows.getRow(k, true);
          INDArray gb = sameView(groupRows[k], flatGradient, u.gb());
          e.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).sum(gb, 0);
          gb.divi(sizes[k]);
        }
        from = to;
      }
    });
  }

  /**
   * The softmax output [N, classes] at the network's current parameters: a buffer of this stack, valid until its
   * next call with a batch of the same size (copy it to keep it; never close it).
   */
  public INDArray output(INDArray features) {
    INDArray x = input(features);
    return forward(x, buffers(x.size(0)), false);
  }

  /**
   * The first layer's pre-activations z_1 = xW_1 + b_1 at the current parameters, into {@code z} when it is a c-order
   * array of its own buffer of the right shape and type (an earlier result, whose values are overwritten), else into
   * a new array (close it). Returns the array written.
   */
  public INDArray firstPreActivations(INDArray features, INDArray z) {
    INDArray x = input(features);
    long[] shape = { x.size(0), units.get(0).nOut() };
    boolean fits = z != null && !z.wasClosed() && FlatArrays.ownBuffer(z) && z.dataType() == dt
        && java.util.Arrays.equals(z.shape(), shape);
    INDArray out = fits ? z : Nd4j.createUninitialized(dt, shape, 'c');
    preActivate(units.get(0), x, out);
    return out;
  }

  /**
   * The softmax output (a buffer, as {@link #output}) when the first layer's pre-activations are (1 − α)z_0 + αz_1
   * and every later layer has the network's current parameters: along a line θ^α whose first layer is W^α =
   * (1 − α)W_0 + αW_1, b^α = (1 − α)b_0 + αb_1, the pre-activations xW^α + b^α are exactly that blend of the two
   * ends' (up to rounding), two products for every α instead of one for each. A relu first layer is activated in the
   * same pass as the blend.
   */
  public INDArray outputBlended(INDArray z0, INDArray z1, double alpha) {
    Buffers b = buffers(z0.size(0));
    boolean relu = units.get(0).relu();
    blend(z0, z1, alpha, b.z[0], relu);
    return forwardFromFirst(b, false, relu);
  }

  /**
   * z ← (1 − α)z_0 + αz_1 in one pass over the buffers, in the arrays' precision: the values of z_0·(1 − α) + z_1·α
   * by ND4J's scalar and pairwise operations (each product and the sum rounded to it), which took five passes.
   */
  public static void blend(INDArray z0, INDArray z1, double alpha, INDArray z) {
    blend(z0, z1, alpha, z, false);
  }

  /**
   * As {@link #blend(INDArray, INDArray, double, INDArray)}, then with {@code relu} each entry v activated in the same
   * pass as max(v, 0): DL4J's relu (v < 0 ? 0 : v) except that −0 becomes +0, which changes no loss (a zero of either
   * sign adds nothing to a sum, and exp(±0) = 1), and which the JIT vectorises (the comparison's select mispredicts
   * on the signs: 10 ns an entry; copying blocks into Java arrays for a loop on the bits costs two more passes). Per
   * α on the MLP's 5,000 × 300 pre-activations: 1.2 ms in FLOAT, 2.1 ms in DOUBLE, where the blend and ND4J's relu
   * took 1 + 0.5–1 ms.
   */
  public static void blend(INDArray z0, INDArray z1, double alpha, INDArray z, boolean relu) {
    if (!FlatArrays.ownBuffer(z0) || !FlatArrays.ownBuffer(z1) || !FlatArrays.ownBuffer(z) || z0.length() != z.length() || z1.length() != z.length()) {
      throw new IllegalArgumentException("blend: three arrays of their own buffers, of one length");
    }
    int n = Math.toIntExact(z.length());
    if (z.dataType() == DataType.FLOAT && z0.dataType() == DataType.FLOAT && z1.dataType() == DataType.FLOAT) {
      java.nio.FloatBuffer a = z0.data().asNioFloat(), c = z1.data().asNioFloat(), out = z.data().asNioFloat();
      if (relu) blendRelu(a, c, (float) (1 - alpha), (float) alpha, out, n);
      else blend(a, c, (float) (1 - alpha), (float) alpha, out, n);
    } else if (z.dataType() == DataType.DOUBLE && z0.dataType() == DataType.DOUBLE && z1.dataType() == DataType.DOUBLE) {
      java.nio.DoubleBuffer a = z0.data().asNioDouble(), c = z1.data().asNioDouble(), out = z.data().asNioDouble();
      if (relu) blendRelu(a, c, 1 - alpha, alpha, out, n);
      else blend(a, c, 1 - alpha, alpha, out, n);
    } else {
      throw new IllegalArgumentException("blend: FLOAT or DOUBLE arrays of one type");
    }
  }

  // one small method per type and activation, so that the JIT compiles each loop on its own: with the four loops in
  // one method, the DOUBLE walk after a FLOAT walk and DOUBLE SGD steps in one JVM took 187-258 ms in 3 of 5 runs
  // (its blend 6.9 against 1.2 ms per call in one of them) and 115-131 ms in the others; split, 4 of 4 runs had the
  // DOUBLE blend at 1.24-1.38 ms per call and the walk at 124-142 ms

  private static void blend(java.nio.FloatBuffer a, java.nio.FloatBuffer c, float u, float v, java.nio.FloatBuffer out, int n) {
    for (int i = 0; i < n; i++) out.put(i, a.get(i) * u + c.get(i) * v);
  }

  private static void blendRelu(java.nio.FloatBuffer a, java.nio.FloatBuffer c, float u, float v, java.nio.FloatBuffer out, int n) {
    for (int i = 0; i < n; i++) out.put(i, Math.max(a.get(i) * u + c.get(i) * v, 0f));
  }

  private static void blend(java.nio.DoubleBuffer a, java.nio.DoubleBuffer c, double u, double v, java.nio.DoubleBuffer out, int n) {
    for (int i = 0; i < n; i++) out.put(i, a.get(i) * u + c.get(i) * v);
  }

  private static void blendRelu(java.nio.DoubleBuffer a, java.nio.DoubleBuffer c, double u, double v, java.nio.DoubleBuffer out, int n) {
    for (int i = 0; i < n; i++) out.put(i, Math.max(a.get(i) * u + c.get(i) * v, 0.0));
  }

  /**
   * Σ −log p[i, label_i] in double, row by row, of the class probabilities p [N, classes] (each entry converted to
   * double, as a cast to DOUBLE converts it), read straight from p's buffer when p is its whole buffer.
   */
  public static double summedLoss(INDArray p, int[] labels) {
    int k = (int) p.size(1);
    double lossSum = 0;
    if (FlatArrays.ownBuffer(p) && p.dataType() == DataType.FLOAT) { // only the labels' entries are read
      java.nio.FloatBuffer b = p.data().asNioFloat();
      for (int i = 0; i < labels.length; i++) lossSum -= Math.log(b.get(i * k + labels[i]));
      return lossSum;
    }
    double[] v = FlatArrays.values(p);
    for (int i = 0; i < labels.length; i++) lossSum -= Math.log(v[i * k + labels[i]]);
    return lossSum;
  }

  /**
   * The number of leading entries of the flat parameters that are the first layer's W and b; 0 when they are not the
   * leading entries.
   */
  public long firstLayerLength() {
    Unit u = units.get(0);
    long w = u.gw().offset() - flatGradient.offset();
    long b = u.gb() == null ? -1 : u.gb().offset() - flatGradient.offset();
    if (w != 0 || u.gb() != null && b != u.w().length()) return 0;
    return u.w().length() + (u.b() == null ? 0 : u.b().length());
  }

  /** the forward pass from input rows; the softmax output returned; with keepZ each z_l is kept for backprop */
  private INDArray forward(INDArray x, Buffers b, boolean keepZ) {
    return forward(x, b, keepZ, false);
  }

  /** as {@link #forward(INDArray, Buffers, boolean)}; with logits the output layer's z_L returned, not its softmax */
  private INDArray forward(INDArray x, Buffers b, boolean keepZ, boolean logits) {
    preActivate(units.get(0), x, b.z[0]);
    return forwardFromFirst(b, keepZ, false, logits);
  }

  /**
   * From z_1 in the buffers on: a_l = f(z_l), z_{l+1} = a_lW_{l+1} + b_{l+1}, ..., the softmax of z_L returned. With
   * keepZ the activations go into copies (a_l, which backprop needs besides z_l), else z_l is activated in place;
   * with firstActivated (not with keepZ) z_1's buffer holds a_1 already.
   */
  private INDArray forwardFromFirst(Buffers b, boolean keepZ, boolean firstActivated) {
    return forwardFromFirst(b, keepZ, firstActivated, false);
  }

  private INDArray forwardFromFirst(Buffers b, boolean keepZ, boolean firstActivated, boolean logits) {
    INDArray a = null;
    for (int l = 0; l < units.size(); l++) {
      Unit u = units.get(l);
      if (logits && l == units.size() - 1) return b.z[l];
      a = keepZ ? b.a[l + 1] : b.z[l];
      if (l == 0 && firstActivated && !keepZ) {
        // a_1 = z_1's buffer, activated by the caller
      } else if (u.relu() && RowOps.wholeBuffers(b.z[l], a)) {
        RowOps.relu(b.z[l], a);
      } else {
        if (keepZ) a.assign(b.z[l]);
        a = u.act().getActivation(a, true);
      }
      if (l + 1 < units.size()) preActivate(units.get(l + 1), a, b.z[l + 1]);
    }
    return a;
  }

  /**
   * z = in W + b, as DL4J: the product (BLAS's, see {@link Gemm}) into a c-order array, then the bias row added (in one
   * pass over z, {@link RowOps#addRow}, when z is its own buffer)
   */
  private void preActivate(Unit u, INDArray in, INDArray z) {
    Gemm.nnInto(in, u.w(), z);
    if (u.b() == null) return;
    if (u.biasFrom() >= 0 && RowOps.applies(z, params)) {
      RowOps.addRow(z, params, u.biasFrom());
    } else {
      z.addiRowVector(u.b());
    }
  }

  /** DL4J's MCXENT score of softmax output p: −Σ y ⊙ log(clip(p)), clipped in {@code work} */
  private double score(INDArray p, INDArray y, INDArray work) {
    work.assign(p);
    if (clipEps > 0) {
      BooleanIndexing.replaceWhere(work, clipEps, Conditions.lessThan(clipEps));
      BooleanIndexing.replaceWhere(work, 1.0 - clipEps, Conditions.greaterThan(1.0 - clipEps));
    }
    org.nd4j.linalg.ops.transforms.Transforms.log(work, false).muli(y);
    return -work.sumNumber().doubleValue();
  }

  private Buffers buffers(long n) {
    return buffers.computeIfAbsent(n, this::allocate);
  }

  private Buffers allocate(long n) {
    int layers = units.size();
    INDArray[] z = new INDArray[layers];
    INDArray[] a = new INDArray[layers + 1];
    INDArray[] eps = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      Unit u = units.get(l);
      z[l] = Nd4j.createUninitialized(dt, new long[] { n, u.nOut() }, 'c');
      a[l + 1] = Nd4j.createUninitialized(dt, new long[] { n, u.nOut() }, 'c');
      if (l > 0) eps[l] = Nd4j.createUninitialized(dt, new long[] { u.nIn(), n }, 'f');
    }
    INDArray score = Nd4j.createUninitialized(dt, new long[] { n, units.get(layers - 1).nOut() }, 'c');
    return new Buffers(z, a, eps, score);
  }

  /** the arrays of one batch size: pre-activations, activations (a[0] unused), errors passed back, score work */
  private record Buffers(INDArray[] z, INDArray[] a, INDArray[] eps, INDArray score) {
    void close() {
      for (INDArray[] arrays : List.of(z, a, eps)) {
        for (INDArray t : arrays) {
          if (t != null && !t.wasClosed() && t.closeable()) t.close();
        }
      }
      if (!score.wasClosed() && score.closeable()) score.close();
    }
  }
}
