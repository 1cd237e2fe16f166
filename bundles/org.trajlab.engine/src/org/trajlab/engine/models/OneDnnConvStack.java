package org.trajlab.engine.models;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_v2_backward;
import org.bytedeco.dnnl.pooling_v2_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The SGD gradient of a FLOAT stack of 3x3 convolutions (stride 1, padding 1, bias, relu) and 2x2 max poolings, then
 * dense relu layers and the softmax output (SimpleCNN and its kind), on oneDNN's primitives directly (JavaCPP's
 * {@code dnnl} preset, oneDNN 2.5): the activations stay in the blocked layout the convolutions choose from one layer
 * to the next, the relu is the convolution's post-operation, and the primitives and their arrays are made once per
 * batch size. DL4J's oneDNN helper makes every primitive again at every call and reorders each array between NCHW and
 * the blocked layouts on the way in and out (and the output arrays before they are written): on SimpleCNN's step at
 * batch 128 oneDNN took 128 ms inside DL4J, of which about 41 ms in reorders, against ~63 ms here for the same
 * convolutions and poolings forward and back. The dense tail is BLAS and {@link RowOps}, as {@link DenseStack}'s.
 * <p>
 * Batch normalisation with the relu after it (a convolution or dense layer without bias, DL4J's BatchNormalization,
 * then an ActivationLayer: SimpleCNN's and VGG-11's with {@code batchNorm}) is oneDNN's, fused with the relu, in the
 * convolutions' blocked layout: the batch's statistics in training and for train-mode outputs, the running ones for
 * inference-mode outputs; a training step moves the running statistics as DL4J's updater does. SimpleCNN with batch
 * norm at batch 128: 70-81 ms a step against 301 ms on DL4J's layers; VGG-11 with batch norm 415 against 828 ms.
 * <p>
 * The numbers are DL4J's up to the float rounding of other summation orders (OneDnnConvStackTest: the gradient within
 * 1e-4 of its largest entry, the loss to 1e-5). {@link Network#meanGradient} and {@link Network#output} (so every
 * loss and accuracy: evaluation, the walk's losses) take this path, with a plan for training and one for inference
 * (forward only, nothing kept for a backward pass) per batch size (and per mode with batch normalisation); DOUBLE
 * (the curvature probes) stays on DL4J. With batch normalisation the gradients are closer to the exact (DOUBLE) ones
 * than DL4J's own FLOAT pass, whose batch-norm backward sums each channel's entries in float (see the test).
 * {@code -Dtrajlab.onednnConv=false} keeps DL4J's passes.
 */
public final class OneDnnConvStack implements AutoCloseable {
  /** whether networks built now take this path when they can (system property trajlab.onednnConv, default true) */
  static boolean enabled() {
    return !"false".equals(System.getProperty("trajlab.onednnConv"));
  }

  /**
   * for environment.json: whether the path is on, and the version of the oneDNN library it runs (loading it), e.g.
   * {@code on, oneDNN 2.5.2}; or why not
   */
  public static String describeLibrary() {
    if (!enabled()) return "off (trajlab.onednnConv=false): DL4J's passes";
    try {
      org.bytedeco.dnnl.dnnl_version_t v = org.bytedeco.dnnl.global.dnnl.dnnl_version();
      return "on, oneDNN " + v.major() + "." + v.minor() + "." + v.patch();
    } catch (Throwable e) {
      return "unavailable: " + e;
    }
  }

  /**
   * plans a network keeps (a batch size's, for training or for inference: the training batch, an epoch's last and
   * shorter one, the evaluation chunk and a last shorter chunk)
   */
  static final int KEPT_SIZES = 4;

  /**
   * the most plans (one batch size's primitives and arrays) kept in the JVM across every network: each holds its
   * batch's activations and their gradients (some 110 MB for SimpleCNN at batch 128) in native memory, which the
   * garbage collector does not see, so networks that are no longer used (a sweep's earlier runs) could otherwise keep
   * theirs until a full collection
   */
  static final int KEPT_PLANS = 4;

  /** every open plan of every network, least recently used first */
  private static final Map<Plan, Boolean> OPEN = new LinkedHashMap<>(8, 0.75f, true);

  /** marks {@code p} as just used, and frees the least recently used plan of the JVM beyond {@link #KEPT_PLANS} */
  private static void touch(Plan p) {
    Plan victim = null;
    synchronized (OPEN) {
      OPEN.put(p, Boolean.TRUE);
      if (OPEN.size() > KEPT_PLANS) victim = OPEN.keySet().iterator().next();
    }
    if (victim != null) victim.release();
  }

  /**
   * a convolution: where its W [oc, ic, 3, 3] and b [oc] start in the flat parameters (bFrom −1: no bias, batch
   * normalisation follows), its channels in and out, and its batch normalisation (null: bias and relu)
   */
  private record ConvLayer(long wFrom, long bFrom, int in, int out, Norm norm) {}

  /**
   * a dense layer (relu) or the output layer: W [nIn, nOut] (f order) and b, views of the flat parameters (b null and
   * bFrom −1 when batch normalisation follows: {@code norm})
   */
  private record DenseUnit(INDArray w, INDArray b, int bFrom, long nIn, long nOut, Norm norm) {}

  /**
   * A batch normalisation and the relu after it (DL4J's BatchNormalization then ActivationLayer): where γ, β and the
   * running mean and variance start in the flat parameters, its channels, ε and the running statistics' decay. In
   * training the batch's mean and (biased) variance normalise, and the running statistics move as DL4J's updater
   * moves them: r ← r − (r − b)(1 − decay).
   */
  private record Norm(long gammaFrom, long betaFrom, long meanFrom, long varFrom, int channels, double eps, double decay) {}

  /** one stage of the convolutional part: a convolution (with its relu) or a pooling (conv == null) */
  private record Stage(ConvLayer conv) {}

  private final List<Stage> stages;
  private final List<DenseUnit> dense;
  private final INDArray params;
  private final InputShape inputShape;
  private final double clipEps;
  /** whether any layer has batch normalisation (else train and inference mode are the same: one kind of plan) */
  private final boolean normalises;
  private final Map<Long, Plan> plans = new LinkedHashMap<>(4, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Plan> e) {
      if (size() <= KEPT_SIZES) return false;
      e.getValue().release();
      return true;
    }
  };

  private OneDnnConvStack(List<Stage> stages, List<DenseUnit> dense, INDArray params, InputShape inputShape,
      double clipEps) {
    this.stages = stages;
    this.dense = dense;
    this.params = params;
    this.inputShape = inputShape;
    this.clipEps = clipEps;
    this.normalises = stages.stream().anyMatch(st -> st.conv() != null && st.conv().norm() != null)
        || dense.stream().anyMatch(u -> u.norm() != null);
  }

  /**
   * The path for {@code m}, or null when it is not such a stack: FLOAT parameters that are one whole buffer; NCHW
   * images of even sizes at every pooling; convolutions 3x3, stride 1, padding 1, dilation 1, Truncate mode, with bias
   * and DL4J's relu; max poolings 2x2 with stride 2; then dense relu layers with bias and the softmax output with
   * DL4J's cross-entropy, unweighted; no dropout, weight noise or regularisation anywhere. A convolution or dense layer
   * without bias and with the identity may instead be followed by batch normalisation and a relu ({@link #norm}).
   */
  static OneDnnConvStack of(MultiLayerNetwork m, InputShape in) {
    if (in.layout() != InputShape.Layout.IMAGE) return null;
    INDArray params = m.params();
    if (params.dataType() != DataType.FLOAT || !FlatArrays.ownBuffer(params)) return null;
    MultiLayerConfiguration conf = m.getLayerWiseConfigurations();
    Layer[] layers = m.getLayers();
    List<Stage> stages = new ArrayList<>();
    List<DenseUnit> dense = new ArrayList<>();
    double clip = 0;
    int channels = in.channels();
    int h = in.height();
    int w = in.width();
    for (int i = 0; i < layers.length; i++) {
      var c = layers[i].conf().getLayer();
      if (c.getIDropout() != null) return null;
      InputPreProcessor pre = conf.getInputPreProcess(i);
      if (c instanceof BaseLayer b && !DenseStack.plain(b)) return null;
      if (dense.isEmpty() && c.getClass() == ConvolutionLayer.class) {
        ConvolutionLayer cv = (ConvolutionLayer) c;
        if (pre != null || !is(cv.getKernelSize(), 3) || !is(cv.getStride(), 1) || !is(cv.getPadding(), 1)
            || !is(cv.getDilation(), 1) || cv.getConvolutionMode() != ConvolutionMode.Truncate
            || cv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
          return null;
        }
        int out = Math.toIntExact(cv.getNOut());
        Norm norm = null;
        if (!cv.hasBias() && identity(cv.getActivationFn())) {
          norm = norm(m, i + 1, out, true);
          if (norm == null) return null;
        } else if (!cv.hasBias() || !relu(cv.getActivationFn())) {
          return null;
        }
        INDArray wv = layers[i].getParam("W");
        INDArray bv = norm == null ? layers[i].getParam("b") : null;
        if (!contiguous(wv, out, channels, 3, 3) || (bv != null && !contiguous(bv, out))) return null;
        stages.add(new Stage(new ConvLayer(wv.offset() - params.offset(), bv == null ? -1 : bv.offset() - params.offset(),
            channels, out, norm)));
        channels = out;
        if (norm != null) i += 2; // the batch normalisation and the relu are this stage's
      } else if (dense.isEmpty() && c.getClass() == SubsamplingLayer.class) {
        SubsamplingLayer p = (SubsamplingLayer) c;
        if (pre != null || stages.isEmpty() || p.getPoolingType() != PoolingType.MAX || !is(p.getKernelSize(), 2)
            || !is(p.getStride(), 2) || !is(p.getPadding(), 0) || !is(p.getDilation(), 1)
            || p.getCnn2dDataFormat() != CNN2DFormat.NCHW || h % 2 != 0 || w % 2 != 0) {
          return null;
        }
        stages.add(new Stage(null));
        h /= 2;
        w /= 2;
      } else if (c instanceof DenseLayer || c instanceof OutputLayer) {
        boolean output = c instanceof OutputLayer;
        if (output != (i == layers.length - 1) || stages.isEmpty()) return null;
        if (dense.isEmpty() ? !(pre instanceof CnnToFeedForwardPreProcessor cf) || cf.getFormat() != CNN2DFormat.NCHW
            : pre != null) {
          return null;
        }
        BaseLayer b = (BaseLayer) c;
        if (output) {
          OutputLayer o = (OutputLayer) c;
          if (!(o.getActivationFn() instanceof ActivationSoftmax) || !(o.getLossFn() instanceof LossMCXENT loss)
              || loss.getWeights() != null || !o.hasBias()) {
            return null;
          }
          clip = loss.getSoftmaxClipEps();
        }
        Norm norm = null;
        if (!output) {
          DenseLayer d = (DenseLayer) c;
          if (d.hasLayerNorm()) return null;
          if (!d.hasBias() && identity(b.getActivationFn())) {
            norm = norm(m, i + 1, Math.toIntExact(d.getNOut()), false);
            if (norm == null || i + 2 >= layers.length - 1) return null;
          } else if (!d.hasBias() || !relu(b.getActivationFn())) {
            return null;
          }
        }
        INDArray wv = layers[i].getParam("W");
        INDArray bv = norm == null ? layers[i].getParam("b") : null;
        long nIn = wv.size(0);
        if (dense.isEmpty() && nIn != (long) channels * h * w) return null;
        if (bv != null && !contiguous(bv, bv.length())) return null;
        dense.add(new DenseUnit(wv, bv, bv == null ? -1 : Math.toIntExact(bv.offset() - params.offset()), nIn,
            wv.size(1), norm));
        if (norm != null) i += 2;
      } else {
        return null;
      }
    }
    if (dense.isEmpty() || !(layers[layers.length - 1].conf().getLayer() instanceof OutputLayer)) return null;
    return new OneDnnConvStack(List.copyOf(stages), List.copyOf(dense), params, in, clip);
  }

  /**
   * The batch normalisation at layer {@code j} of {@code m} and the relu after it, as this path computes them, or
   * null: DL4J's BatchNormalization over {@code channels} with γ and β learnt, mini-batch statistics, the running
   * variance itself stored (not its log), NCHW for images; then an ActivationLayer with DL4J's relu; neither with
   * dropout, a preprocessor or regularisation.
   */
  private static Norm norm(MultiLayerNetwork m, int j, int channels, boolean images) {
    Layer[] layers = m.getLayers();
    MultiLayerConfiguration conf = m.getLayerWiseConfigurations();
    if (j + 1 >= layers.length) return null;
    var c = layers[j].conf().getLayer();
    var a = layers[j + 1].conf().getLayer();
    if (c.getClass() != BatchNormalization.class || a.getClass() != ActivationLayer.class) return null;
    BatchNormalization bn = (BatchNormalization) c;
    if (bn.getIDropout() != null || a.getIDropout() != null || conf.getInputPreProcess(j) != null
        || conf.getInputPreProcess(j + 1) != null || !DenseStack.plain(bn) || bn.isLockGammaBeta() || bn.isUseLogStd()
        || !bn.isMinibatch() || bn.getNOut() != channels || (images && bn.getCnn2DFormat() != CNN2DFormat.NCHW)
        || !relu(((ActivationLayer) a).getActivationFn())) {
      return null;
    }
    long[] from = new long[4];
    String[] keys = { BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA,
        BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_VAR };
    for (int k = 0; k < keys.length; k++) {
      INDArray v = layers[j].getParam(keys[k]);
      if (v == null || !contiguous(v, channels)) return null;
      from[k] = v.offset() - m.params().offset();
    }
    return new Norm(from[0], from[1], from[2], from[3], channels, bn.getEps(), bn.getDecay());
  }

  private static boolean identity(IActivation a) {
    return a instanceof ActivationIdentity;
  }

  private static boolean is(int[] pair, int v) {
    return pair != null && pair.length == 2 && pair[0] == v && pair[1] == v;
  }

  /** DL4J's relu (or {@link JavaRelu}, the same function) with its default parameters */
  private static boolean relu(IActivation a) {
    return a instanceof ActivationReLU r && (r instanceof JavaRelu || r.equals(new ActivationReLU()));
  }

  /** whether a view holds its entries in c order at unit stride, with this shape */
  private static boolean contiguous(INDArray v, long... shape) {
    if (!java.util.Arrays.equals(v.shape(), shape) && !(shape.length == 1 && v.length() == shape[0])) return false;
    if (v.length() == 1) return true;
    if (shape.length == 1) return v.elementWiseStride() == 1;
    return v.ordering() == 'c' && java.util.Arrays.equals(v.stride(), new long[] { shape[1] * 9, 9, 3, 1 });
  }

  /**
   * whether a batch of {@code n} examples takes this path with this gradient buffer: a whole c-order FLOAT buffer, and
   * a batch small enough for RowOps's loops on the output (N × classes entries at most {@link RowOps#MAX_ENTRIES})
   */
  boolean takes(long n, INDArray gOut) {
    return FlatArrays.ownBuffer(gOut) && gOut.dataType() == DataType.FLOAT
        && n * dense.get(dense.size() - 1).nOut() <= RowOps.MAX_ENTRIES;
  }

  /**
   * As {@link Network#meanGradient}: the gradient of the batch's MEAN cross-entropy into {@code gOut}, the batch's
   * mean loss returned; for the batches and buffers it {@link #takes}. Batch normalisation's running statistics have
   * zero entries in {@code gOut} and, with {@code updateStatistics}, move towards the batch's (as DL4J's updater moves
   * them).
   */
  double meanGradient(INDArray features, INDArray labels, INDArray gOut, boolean updateStatistics) {
    long n = features.size(0);
    if (gOut.length() != params.length() || !takes(n, gOut)) {
      throw new IllegalArgumentException("the gradient buffer must be a whole FLOAT buffer of " + params.length()
          + " entries and the batch at most " + RowOps.MAX_ENTRIES / dense.get(dense.size() - 1).nOut() + " examples");
    }
    INDArray x = images(features);
    INDArray y = labels.dataType() == DataType.FLOAT ? labels : labels.castTo(DataType.FLOAT);
    if (!FlatArrays.ownBuffer(y)) y = y.dup('c');
    INDArray labelRows = y;
    return (Double) withPlan(n, Mode.TRAIN, p -> p.run(x, labelRows, gOut, updateStatistics));
  }

  /**
   * The softmax probabilities [N, classes] of a batch at the current parameters, a new array (as DL4J's
   * {@code output}: batch normalisation with the batch's statistics in train mode, the running ones in inference mode;
   * without it the two modes are the same); for batches of N × classes ≤ {@link RowOps#MAX_ENTRIES} entries
   * ({@link #infers}).
   */
  INDArray output(INDArray features, boolean train) {
    long n = features.size(0);
    if (!infers(n)) throw new IllegalArgumentException("a batch of at most " + RowOps.MAX_ENTRIES / classes() + " examples");
    INDArray x = images(features);
    Mode mode = train || !normalises ? Mode.BATCH_STATISTICS : Mode.RUNNING_STATISTICS;
    return (INDArray) withPlan(n, mode, p -> p.infer(x));
  }

  /**
   * what a plan computes: a training gradient (forward with what backward needs, backward), or outputs with batch
   * normalisation's statistics from the batch or from the running statistics (one kind for a network without it)
   */
  private enum Mode {
    TRAIN, BATCH_STATISTICS, RUNNING_STATISTICS
  }

  /** whether a batch of {@code n} examples takes {@link #output} */
  boolean infers(long n) {
    return n * classes() <= RowOps.MAX_ENTRIES;
  }

  private long classes() {
    return dense.get(dense.size() - 1).nOut();
  }

  /** the network's input of a batch as one c-order FLOAT buffer */
  private INDArray images(INDArray features) {
    INDArray x = inputShape.toInput(features);
    if (x.dataType() != DataType.FLOAT) x = x.castTo(DataType.FLOAT);
    return FlatArrays.ownBuffer(x) ? x : x.dup('c');
  }

  /** {@code work} on this batch size's plan of the kind, made when there is none or it was freed */
  private Object withPlan(long n, Mode mode, java.util.function.Function<Plan, Object> work) {
    long key = n * Mode.values().length + mode.ordinal();
    while (true) { // a plan another network's eviction freed in between is made again
      Plan p;
      synchronized (plans) {
        p = plans.get(key);
        if (p == null || p.released) {
          p = new Plan(n, mode);
          plans.put(key, p);
        }
      }
      touch(p);
      synchronized (p) {
        if (!p.released) return work.apply(p);
      }
    }
  }

  /** frees every batch size's primitives and arrays */
  @Override
  public void close() {
    synchronized (plans) {
      for (Plan p : plans.values()) p.release();
      plans.clear();
    }
  }

  /** a float pointer at entry {@code from} of a whole FLOAT buffer */
  private static Pointer at(INDArray whole, long from) {
    return new FloatPointer(whole.data().addressPointer()).getPointer(from);
  }


  /** oneDNN's objects for one batch size; every array the passes write, made once */
  private final class Plan implements AutoCloseable {
    private final engine eng = new engine(engine.kind.cpu, 0);
    private final stream s = new stream(eng);
    private final List<Pointer> owned = new ArrayList<>();
    private final List<ConvPlan> convs = new ArrayList<>();
    /** per stage in turn: the forward primitive and its arguments */
    private final List<primitive> forward = new ArrayList<>();
    private final List<IntMemoryMap> forwardArgs = new ArrayList<>();
    private final memory xUser;
    private final memory xBlocked;
    private final reorder xReorder;
    private final memory flatOut;
    private final reorder toFlat;
    private final memory flatGrad;
    private final reorder fromFlat;
    private final memory lastDst;
    private final memory lastDiffDst;
    /** the dense tail's arrays: activations a[l] [N, nIn of layer l] (a[0] the flattened convolution output) */
    private final INDArray[] a;
    /** errors propagated back: eps[l] [N, nIn of layer l] (eps[0] = the flattened output's gradient) */
    private final INDArray[] eps;
    private final INDArray logits;
    private final INDArray errors;
    /** zero labels [N, classes] (inference: the softmax's "errors" p − 0 are the probabilities) */
    private final INDArray zeros;
    /** the batch normalisations of the convolutions (in order) and of the dense layers (by layer, null: none) */
    private final List<NormPlan> norms = new ArrayList<>();
    private final NormPlan[] denseNorms;
    /** a dense layer's output before its batch normalisation (by layer, null: none) */
    private final INDArray[] zPre;
    private final long n;
    /** a training plan (forward, kept for backward, and backward) or an inference plan (forward only) */
    private final boolean training;
    private final Mode mode;

    private Plan(long n, Mode mode) {
      this.n = n;
      this.mode = mode;
      this.training = mode == Mode.TRAIN;
      try {
        long c = inputShape.channels();
        long h = inputShape.height();
        long w = inputShape.width();
        xUser = own(new memory(plain(n, c, h, w), eng));
        memory src = null;
        memory diffSrc = null;
        memory.desc srcDesc = null;
        reorder xr = null;
        memory xb = null;
        for (Stage st : stages) {
          if (st.conv() != null) {
            ConvPlan cp = new ConvPlan(st.conv(), n, h, w, src, diffSrc);
            if (src == null) {
              xb = cp.src;
              xr = own(new reorder(xUser, xb));
            }
            convs.add(cp);
            forward.add(cp.fwd);
            forwardArgs.add(cp.fwdArgs);
            if (cp.norm != null) {
              norms.add(cp.norm);
              forward.add(cp.norm.fwd);
              forwardArgs.add(cp.norm.fwdArgs);
            }
            src = cp.out;
            diffSrc = cp.diffOut;
            c = st.conv().out();
          } else {
            long[] k = { 2, 2 };
            long[] z = { 0, 0 };
            srcDesc = src.get_desc();
            var fd = new pooling_v2_forward.desc(training ? prop_kind.forward_training : prop_kind.forward_inference,
                algorithm.pooling_max, srcDesc, any(n, c, h / 2, w / 2), k, k, z, z, z);
            var fpd = own(new pooling_v2_forward.primitive_desc(fd, eng));
            memory dst = own(new memory(fpd.dst_desc(), eng));
            memory ws = training ? own(new memory(fpd.workspace_desc(), eng)) : null;
            forward.add(own(new pooling_v2_forward(fpd)));
            forwardArgs.add(args(DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, ws));
            h /= 2;
            w /= 2;
            src = dst;
            if (!training) continue;
            var bd = new pooling_v2_backward.desc(algorithm.pooling_max, srcDesc, fpd.dst_desc(), k, k, z, z, z);
            var bpd = own(new pooling_v2_backward.primitive_desc(bd, eng, fpd));
            memory diffDst = own(new memory(fpd.dst_desc(), eng));
            convs.add(new ConvPlan(own(new pooling_v2_backward(bpd)),
                args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_WORKSPACE, ws)));
            diffSrc = diffDst;
          }
        }
        xReorder = xr;
        xBlocked = xb;
        lastDst = src;
        lastDiffDst = diffSrc;
        int layers = dense.size();
        a = new INDArray[layers];
        eps = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
          a[l] = Nd4j.createUninitialized(DataType.FLOAT, new long[] { n, dense.get(l).nIn() }, 'c');
          eps[l] = training ? Nd4j.createUninitialized(DataType.FLOAT, new long[] { n, dense.get(l).nIn() }, 'c') : null;
        }
        denseNorms = new NormPlan[layers];
        zPre = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
          Norm nm = dense.get(l).norm();
          if (nm == null) continue;
          zPre[l] = Nd4j.createUninitialized(DataType.FLOAT, new long[] { n, nm.channels() }, 'c');
          memory z = own(new memory(plain(n, nm.channels()), eng));
          z.set_data_handle(at(zPre[l], 0), s);
          NormPlan np = new NormPlan(nm, z);
          np.dst.set_data_handle(at(a[l + 1], 0), s);
          if (training) {
            np.diffDst.set_data_handle(at(eps[l + 1], 0), s);
            np.diffSrc.set_data_handle(at(a[l + 1], 0), s); // a[l + 1] is read before (the next layer's gradient)
          }
          denseNorms[l] = np;
          norms.add(np);
        }
        long classes = dense.get(layers - 1).nOut();
        logits = Nd4j.createUninitialized(DataType.FLOAT, new long[] { n, classes }, 'c');
        errors = Nd4j.createUninitialized(DataType.FLOAT, new long[] { n, classes }, 'c');
        zeros = training ? null : Nd4j.zeros(DataType.FLOAT, n, classes);
        // the flattened output and its gradient: plain NCHW arrays whose buffers are a[0]'s and eps[0]'s
        flatOut = own(new memory(plain(n, c, h, w), eng));
        flatOut.set_data_handle(at(a[0], 0), s);
        toFlat = own(new reorder(lastDst, flatOut));
        if (training) {
          flatGrad = own(new memory(plain(n, c, h, w), eng));
          flatGrad.set_data_handle(at(eps[0], 0), s);
          fromFlat = own(new reorder(flatGrad, lastDiffDst));
        } else {
          flatGrad = null;
          fromFlat = null;
        }
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    private double run(INDArray x, INDArray y, INDArray gOut, boolean updateStatistics) {
      forward(x, gOut);
      double score = denseTail(y, gOut);
      fromFlat.execute(s, flatGrad, lastDiffDst);
      for (int i = convs.size() - 1; i >= 0; i--) convs.get(i).backward();
      s._wait();
      if (updateStatistics) {
        for (NormPlan np : norms) np.moveRunningStatistics();
      }
      return score;
    }

    /** the convolutions and poolings forward from the images x to a[0] (and the gradients' places in gOut) */
    private void forward(INDArray x, INDArray gOut) {
      xUser.set_data_handle(at(x, 0), s);
      xReorder.execute(s, xUser, xBlocked);
      for (ConvPlan cp : convs) cp.weights(gOut);
      for (NormPlan np : norms) np.weights(gOut);
      for (int i = 0; i < forward.size(); i++) forward.get(i).execute(s, forwardArgs.get(i));
      toFlat.execute(s, lastDst, flatOut);
      s._wait();
    }

    /** the softmax probabilities [N, classes] of the images x: a new array (an inference plan) */
    private INDArray infer(INDArray x) {
      forward(x, null);
      logits();
      RowOps.softmaxCrossEntropy(logits, zeros, clipEps, errors); // errors ← p − 0
      return errors.dup('c');
    }

    /** the dense layers forward from a[0] to the logits */
    private void logits() {
      int last = dense.size() - 1;
      for (int l = 0; l <= last; l++) {
        DenseUnit u = dense.get(l);
        INDArray z = l == last ? logits : u.norm() != null ? zPre[l] : a[l + 1];
        Gemm.nnInto(a[l], u.w(), z);
        if (u.norm() != null) {
          denseNorms[l].fwd.execute(s, denseNorms[l].fwdArgs); // a[l + 1] ← relu(BN(z))
          s._wait();
          continue;
        }
        RowOps.addRow(z, params, u.bFrom());
        if (l < last) RowOps.relu(z, z);
      }
    }

    /** the dense layers forward and back from a[0]; eps[0] ← the gradient of a[0]; the tail's gradients into gOut */
    private double denseTail(INDArray y, INDArray gOut) {
      int last = dense.size() - 1;
      logits();
      double score = RowOps.softmaxCrossEntropy(logits, y, clipEps, errors) / n;
      errors.muli(1.0 / n);
      INDArray e = errors;
      for (int l = last; l >= 0; l--) {
        DenseUnit u = dense.get(l);
        if (u.b() == null) {
          // no bias: batch normalisation follows (its γ and β have their gradients from its backward pass)
        } else if (RowOps.applies(e)) {
          RowOps.columnSums(e, 1.0, gOut, u.bFrom());
        } else {
          DenseStack.sameView(gOut, params, u.b()).assign(e.sum(0).reshape(u.b().shape()));
        }
        Gemm.tnInto(a[l], e, DenseStack.sameView(gOut, params, u.w()));
        Gemm.ntInto(e, u.w(), eps[l]);
        if (l > 0 && denseNorms[l - 1] != null) {
          // a[l] ← the gradient of layer l − 1's output before its batch normalisation and relu
          denseNorms[l - 1].bwd.execute(s, denseNorms[l - 1].bwdArgs);
          s._wait();
          e = a[l];
        } else if (l > 0) {
          RowOps.reluBackprop(a[l], eps[l]); // a[l] ← (a[l] > 0 ? eps : 0): relu's backprop (a > 0 iff z > 0)
          e = a[l];
        }
      }
      return score;
    }

    private memory.desc plain(long... d) {
      return new memory.desc(d, memory.data_type.f32,
          d.length == 4 ? memory.format_tag.nchw : d.length == 2 ? memory.format_tag.ab : memory.format_tag.a);
    }

    private memory.desc any(long... d) {
      return new memory.desc(d, memory.data_type.f32, memory.format_tag.any);
    }

    private IntMemoryMap args(Object... pairs) {
      IntMemoryMap m = own(new IntMemoryMap());
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i + 1] != null) m.put((Integer) pairs[i], (memory) pairs[i + 1]);
      }
      return m;
    }

    private <P extends Pointer> P own(P p) {
      owned.add(p);
      return p;
    }

    /** whether its native objects are freed (by {@link #release}): it is not run again */
    private volatile boolean released;

    /** frees the plan once, when it is not running, and forgets it in the JVM's list */
    private void release() {
      synchronized (OPEN) {
        OPEN.remove(this);
      }
      synchronized (this) {
        if (released) return;
        released = true;
        close();
      }
    }

    @Override
    public void close() {
      for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
      owned.clear();
      s.close();
      eng.close();
    }

    /**
     * A convolution with its relu: the forward primitive, and backwards the relu's backprop, the weight and bias
     * gradients (into the flat gradient's entries, through a reorder from oneDNN's layout), and the input's gradient
     * (not for the first convolution: the images have none). Or a pooling's backward primitive (layer == null).
     */
    private final class ConvPlan {
      private final ConvLayer layer;
      private final memory src;
      private final memory dst;
      /** the gradient of dst (backward's) */
      private final memory diffDst;
      /** the stage's output: dst, or the batch normalisation's (with its relu); and its gradient (the next stage's) */
      private final memory out;
      private final memory diffOut;
      /** the batch normalisation after the convolution, or null (the relu is the convolution's post-operation) */
      private final NormPlan norm;
      private convolution_forward fwd;
      private IntMemoryMap fwdArgs;
      private memory wUser;
      private memory bUser;
      private memory wFwd;
      private reorder wFwdReorder;
      private memory wBwd;
      private reorder wBwdReorder;
      private memory gwUser;
      private memory gw;
      private reorder gwReorder;
      private memory gb;
      private final List<primitive> steps = new ArrayList<>();
      private final List<IntMemoryMap> stepArgs = new ArrayList<>();

      /** a pooling's backward step */
      private ConvPlan(primitive poolBackward, IntMemoryMap args) {
        layer = null;
        src = dst = diffDst = out = diffOut = null;
        norm = null;
        steps.add(poolBackward);
        stepArgs.add(args);
      }

      private ConvPlan(ConvLayer l, long n, long h, long w, memory in, memory diffIn) {
        layer = l;
        long[] one = { 1, 1 };
        memory.desc wAny = any(l.out(), l.in(), 3, 3);
        memory.desc srcDesc = in == null ? any(n, l.in(), h, w) : in.get_desc();
        prop_kind prop = training ? prop_kind.forward_training : prop_kind.forward_inference;
        boolean bias = l.norm() == null;
        var fd = bias
            ? new convolution_forward.desc(prop, algorithm.convolution_direct, srcDesc, wAny, plain(l.out()),
                any(n, l.out(), h, w), one, one, one)
            : new convolution_forward.desc(prop, algorithm.convolution_direct, srcDesc, wAny, any(n, l.out(), h, w), one,
                one, one);
        primitive_attr attr = own(new primitive_attr());
        if (bias) {
          post_ops po = own(new post_ops());
          po.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
          attr.set_post_ops(po);
        }
        var fpd = own(new convolution_forward.primitive_desc(fd, attr, eng));
        src = in == null ? own(new memory(fpd.src_desc(), eng)) : in;
        dst = own(new memory(fpd.dst_desc(), eng));
        norm = bias ? null : new NormPlan(l.norm(), dst);
        out = bias ? dst : norm.dst;
        diffDst = !training ? null : bias ? own(new memory(fpd.dst_desc(), eng)) : norm.diffSrc;
        diffOut = bias ? diffDst : norm.diffDst;
        wUser = own(new memory(plain(l.out(), l.in(), 3, 3), eng));
        bUser = bias ? own(new memory(plain(l.out()), eng)) : null;
        wFwd = own(new memory(fpd.weights_desc(), eng));
        wFwdReorder = own(new reorder(wUser, wFwd));
        fwd = own(new convolution_forward(fpd));
        fwdArgs = args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_BIAS, bUser, DNNL_ARG_DST, dst);
        if (!training) return;
        if (bias) {
          // relu's backprop from its output, in place: diffDst ← (dst > 0 ? diffDst : 0)
          var ef = own(new eltwise_forward.primitive_desc(new eltwise_forward.desc(prop_kind.forward_training,
              algorithm.eltwise_relu_use_dst_for_bwd, fpd.dst_desc(), 0f, 0f), eng));
          var eb = own(new eltwise_backward.primitive_desc(new eltwise_backward.desc(
              algorithm.eltwise_relu_use_dst_for_bwd, fpd.dst_desc(), fpd.dst_desc(), 0f, 0f), eng, ef));
          steps.add(own(new eltwise_backward(eb)));
          stepArgs.add(args(DNNL_ARG_DST, dst, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffDst));
        } else {
          // the batch normalisation's backward with its relu: diffDst ← the gradient of dst
          steps.add(norm.bwd);
          stepArgs.add(norm.bwdArgs);
        }
        var wd = bias
            ? new convolution_backward_weights.desc(algorithm.convolution_direct, src.get_desc(), wAny, plain(l.out()),
                fpd.dst_desc(), one, one, one)
            : new convolution_backward_weights.desc(algorithm.convolution_direct, src.get_desc(), wAny, fpd.dst_desc(),
                one, one, one);
        var wpd = own(new convolution_backward_weights.primitive_desc(wd, eng, fpd));
        gw = own(new memory(wpd.diff_weights_desc(), eng));
        gwUser = own(new memory(plain(l.out(), l.in(), 3, 3), eng));
        gb = bias ? own(new memory(plain(l.out()), eng)) : null;
        gwReorder = own(new reorder(gw, gwUser));
        steps.add(own(new convolution_backward_weights(wpd)));
        stepArgs.add(args(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, gw, DNNL_ARG_DIFF_BIAS, gb));
        if (diffIn != null) {
          var dd = new convolution_backward_data.desc(algorithm.convolution_direct, src.get_desc(), wAny, fpd.dst_desc(),
              one, one, one);
          var dpd = own(new convolution_backward_data.primitive_desc(dd, eng, fpd));
          wBwd = own(new memory(dpd.weights_desc(), eng));
          wBwdReorder = own(new reorder(wUser, wBwd));
          steps.add(own(new convolution_backward_data(dpd)));
          stepArgs.add(args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, wBwd, DNNL_ARG_DIFF_SRC, diffIn));
        }
      }

      /**
       * the layer's W and b from the flat parameters into oneDNN's layouts; its gradients' places in gOut (null for
       * an inference plan)
       */
      private void weights(INDArray gOut) {
        if (layer == null) return;
        wUser.set_data_handle(at(params, layer.wFrom()), s);
        if (bUser != null) bUser.set_data_handle(at(params, layer.bFrom()), s);
        wFwdReorder.execute(s, wUser, wFwd);
        if (gOut == null) return; // an inference plan
        if (wBwdReorder != null) wBwdReorder.execute(s, wUser, wBwd);
        gwUser.set_data_handle(at(gOut, layer.wFrom()), s);
        if (gb != null) gb.set_data_handle(at(gOut, layer.bFrom()), s);
      }

      private void backward() {
        for (int i = 0; i < steps.size(); i++) {
          steps.get(i).execute(s, stepArgs.get(i));
          if (layer != null && i == 1) gwReorder.execute(s, gw, gwUser);
        }
      }
    }

    /**
     * A batch normalisation with the relu after it, fused (oneDNN's fuse_norm_relu), on the data of one layout: the
     * forward primitive (the batch's statistics in a training plan and for train-mode outputs, the running ones for
     * inference-mode outputs) and, in a training plan, the backward one, which turns the gradient of its output into
     * that of its input in place and writes γ's and β's into the flat gradient.
     */
    private final class NormPlan {
      private final Norm nm;
      /** the output, after the relu; and its gradient (a training plan) */
      private final memory dst;
      private final memory diffDst;
      /** the gradient of the input (a training plan) */
      private final memory diffSrc;
      private final memory scale;
      private final memory shift;
      private final memory mean;
      private final memory variance;
      private final memory gScale;
      private final memory gShift;
      private final primitive fwd;
      private final IntMemoryMap fwdArgs;
      private final primitive bwd;
      private final IntMemoryMap bwdArgs;

      private NormPlan(Norm nm, memory src) {
        this.nm = nm;
        boolean running = mode == Mode.RUNNING_STATISTICS;
        int flags = normalization_flags.use_scale.value | normalization_flags.use_shift.value
            | normalization_flags.fuse_norm_relu.value | (running ? normalization_flags.use_global_stats.value : 0);
        prop_kind prop = training ? prop_kind.forward_training : prop_kind.forward_inference;
        memory.desc data = src.get_desc();
        var fpd = own(new batch_normalization_forward.primitive_desc(
            new batch_normalization_forward.desc(prop.value, data, (float) nm.eps(), flags), eng));
        dst = own(new memory(fpd.dst_desc(), eng));
        scale = own(new memory(plain(nm.channels()), eng));
        shift = own(new memory(plain(nm.channels()), eng));
        mean = own(new memory(running ? plain(nm.channels()) : fpd.mean_desc(), eng));
        variance = own(new memory(running ? plain(nm.channels()) : fpd.variance_desc(), eng));
        memory ws = training ? own(new memory(fpd.workspace_desc(), eng)) : null;
        fwd = own(new batch_normalization_forward(fpd));
        fwdArgs = args(DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
            DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_WORKSPACE, ws);
        if (!training) {
          diffDst = diffSrc = gScale = gShift = null;
          bwd = null;
          bwdArgs = null;
          return;
        }
        diffDst = own(new memory(fpd.dst_desc(), eng));
        gScale = own(new memory(plain(nm.channels()), eng));
        gShift = own(new memory(plain(nm.channels()), eng));
        var bpd = own(new batch_normalization_backward.primitive_desc(new batch_normalization_backward.desc(
            prop_kind.backward.value, fpd.dst_desc(), data, (float) nm.eps(), flags), eng, fpd));
        bwd = own(new batch_normalization_backward(bpd));
        diffSrc = own(new memory(bpd.diff_src_desc(), eng));
        bwdArgs = args(DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE, scale,
            DNNL_ARG_SHIFT, shift, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_DIFF_SCALE, gScale,
            DNNL_ARG_DIFF_SHIFT, gShift);
      }

      /**
       * γ and β (and the running statistics of an inference-mode plan) from the flat parameters; the places of γ's and
       * β's gradients in gOut, and zero for the running statistics' entries (null: an inference plan)
       */
      private void weights(INDArray gOut) {
        scale.set_data_handle(at(params, nm.gammaFrom()), s);
        shift.set_data_handle(at(params, nm.betaFrom()), s);
        if (mode == Mode.RUNNING_STATISTICS) {
          mean.set_data_handle(at(params, nm.meanFrom()), s);
          variance.set_data_handle(at(params, nm.varFrom()), s);
        }
        if (gOut == null) return;
        gScale.set_data_handle(at(gOut, nm.gammaFrom()), s);
        gShift.set_data_handle(at(gOut, nm.betaFrom()), s);
        Pointer.memset(at(gOut, nm.meanFrom()), 0, 4L * nm.channels());
        Pointer.memset(at(gOut, nm.varFrom()), 0, 4L * nm.channels());
      }

      /**
       * the running mean and variance moved towards the batch's, in float as DL4J's updater moves them (its "gradient"
       * (r − b)·(1 − decay), subtracted): the batch's variance is the biased one, as DL4J's
       */
      private void moveRunningStatistics() {
        float keep = (float) (1 - nm.decay());
        move(nm.meanFrom(), mean, keep);
        move(nm.varFrom(), variance, keep);
      }

      private void move(long from, memory batch, float keep) {
        FloatPointer r = new FloatPointer(at(params, from));
        FloatPointer b = new FloatPointer(batch.get_data_handle());
        for (int c = 0; c < nm.channels(); c++) {
          float v = r.get(c);
          r.put(c, v - (v - b.get(c)) * keep);
        }
      }
    }
  }
}
