package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact Hessian-vector product (Pearlmutter's R-operator) of the mean cross-entropy of a convolutional stack in
 * DOUBLE: convolutions (im2col and BLAS gemm, any kernel, stride and padding in Truncate mode), max pooling (no
 * padding), batch normalisation in train mode (the batch's mean and variance differentiated through), activation
 * layers, dense layers and a softmax output — SimpleCNN and VGG-11 with or without batch norm, and the MLPs with it.
 * One forward pass carrying R-tangents, then one backward pass of the gradient and its R-derivative; no step, no
 * ReLU kink error (R(relu z) = [z &gt; 0]·R(z), max pooling routes R through the forward pass's arg-max, both as
 * DL4J's gradient does).
 * <p>
 * Per layer, with R(·) the directional derivative along v (R(W) = V, the direction's part for W):
 * <ul>
 * <li>convolution z = A·W₂ + b with A = im2col(a) [N·Ho·Wo, C·kh·kw], W₂ the kernel as [C·kh·kw, out]:
 * R(z) = A·V₂ + R(A)·W₂ + R(b); backward g_W = Aᵀe, R(g_W) = Aᵀ R(e) + R(A)ᵀe, e_in = col2im(e W₂ᵀ),
 * R(e_in) = col2im(R(e) W₂ᵀ + e V₂ᵀ);</li>
 * <li>activation a = f(z): R(a) = f′(z)R(z); e_z = f′(z)e_a, R(e_z) = f′(z)R(e_a) + f″(z)R(z)e_a;</li>
 * <li>max pooling: out = a[argmax], R(out) = R(a)[argmax]; e and R(e) are scattered back to the arg-max;</li>
 * <li>batch norm per channel over the m batch entries, x̂ = (x − μ)s, s = (σ² + ε)^(−1/2), y = γx̂ + β:
 * R(x̂) = s(R(x) − mean R(x) − x̂ mean(x̂R(x))), R(y) = R(γ)x̂ + γR(x̂) + R(β); backward with u = γe_y,
 * e_x = B(u) = s(u − mean u − x̂ mean(x̂u)), R(e_x) = B(R(γ)e_y + γR(e_y)) − s·mean(x̂R(x))·e_x
 * − s(R(x̂) mean(x̂u) + x̂ mean(R(x̂)u)), g_γ = Σ e_y x̂, R(g_γ) = Σ (R(e_y)x̂ + e_y R(x̂)), g_β = Σ e_y;</li>
 * <li>softmax cross-entropy as {@link DenseHessian}: e = (p − y)/N, R(e) = (p ⊙ R(z) − p (p·R(z)))/N.</li>
 * </ul>
 * Layouts come from the network: v is written into a copy's parameters and read through its parameter views, and
 * the gradient and Hv are written through a third copy's views. Without batch normalisation the examples are
 * independent and a batch is processed in slices of {@link #SLICE} (the im2col matrices of a whole batch of 256
 * CIFAR images would take 0.6 GB per convolution); with it the batch is one piece (its statistics couple it). The
 * rearrangements around the matrix products are Java loops over the off-heap buffers ({@link ImageRows}): ND4J's
 * im2col into DL4J's layout was four times slower.
 */
public final class ConvHessian {
  /**
   * examples per slice of a batch when nothing couples them (no batch normalisation): on 128 CIFAR images slices of
   * 16 took 14.2–14.8 s against 16.1–19.0 s for one slice of 128 (the machine under load from other builds)
   */
  static final int SLICE = 16;

  private final MultiLayerNetwork net;
  private final MultiLayerNetwork vNet;
  private final MultiLayerNetwork outNet;
  private final UnaryOperator<INDArray> toInput;
  private final List<Stage> stages;
  private final boolean coupled;

  private ConvHessian(MultiLayerNetwork net, UnaryOperator<INDArray> toInput, List<Stage> stages) {
    this.net = net;
    this.vNet = net.clone();
    this.outNet = net.clone();
    this.toInput = toInput;
    this.stages = stages;
    this.coupled = stages.stream().anyMatch(s -> s instanceof Norm);
  }

  /** the exact product for {@code n}, or null when it is not a convolutional stack of the supported layers in DOUBLE */
  public static ConvHessian of(Network n) {
    if (!(n instanceof StackNetwork s) || n.dataType() != DataType.DOUBLE) return null;
    if (n.inputShape().layout() != InputShape.Layout.IMAGE) return null;
    return of((MultiLayerNetwork) s.model(), n.inputShape()::toInput);
  }

  /**
   * the exact product for a DOUBLE MultiLayerNetwork whose input is NCHW images, or null when a layer is not
   * supported ({@code toInput} turns a batch of features into the network's input)
   */
  public static ConvHessian of(MultiLayerNetwork m, UnaryOperator<INDArray> toInput) {
    if (m.params().dataType() != DataType.DOUBLE) return null;
    var layers = m.getLayers();
    List<Stage> stages = new ArrayList<>();
    boolean convolutional = false;
    for (int i = 0; i < layers.length; i++) {
      var conf = layers[i].conf().getLayer();
      boolean last = i == layers.length - 1;
      if (last != conf instanceof OutputLayer) return null;
      if (conf instanceof OutputLayer o) {
        if (!(o.getActivationFn() instanceof ActivationSoftmax) || !(o.getLossFn() instanceof LossMCXENT mc)) return null;
        if (!o.hasBias() || mc.getWeights() != null) return null;
        stages.add(new Dense(i, true));
      } else if (conf instanceof ConvolutionLayer c && conf.getClass() == ConvolutionLayer.class) {
        if (c.getConvolutionMode() != ConvolutionMode.Truncate || c.getCnn2dDataFormat() != CNN2DFormat.NCHW) return null;
        if (c.getDilation()[0] != 1 || c.getDilation()[1] != 1) return null;
        String f = DenseHessian.name(c.getActivationFn());
        if (f == null) return null;
        stages.add(new Conv(i, c.getKernelSize(), c.getStride(), c.getPadding(), c.hasBias()));
        stages.add(new Act(f));
        convolutional = true;
      } else if (conf instanceof SubsamplingLayer p && conf.getClass() == SubsamplingLayer.class) {
        if (p.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX || p.getConvolutionMode() != ConvolutionMode.Truncate) return null;
        if (p.getPadding()[0] != 0 || p.getPadding()[1] != 0 || p.getDilation()[0] != 1 || p.getDilation()[1] != 1) return null;
        if (p.getCnn2dDataFormat() != CNN2DFormat.NCHW) return null;
        stages.add(new Pool(p.getKernelSize(), p.getStride()));
      } else if (conf instanceof BatchNormalization b) {
        if (b.isLockGammaBeta() || b.isUseLogStd()) return null;
        stages.add(new Norm(i, b.getEps()));
      } else if (conf instanceof ActivationLayer a) {
        String f = DenseHessian.name(a.getActivationFn());
        if (f == null) return null;
        stages.add(new Act(f));
      } else if (conf instanceof DenseLayer d) {
        String f = DenseHessian.name(d.getActivationFn());
        if (f == null) return null;
        stages.add(new Dense(i, d.hasBias()));
        stages.add(new Act(f));
      } else {
        return null;
      }
      if (conf.getIDropout() != null) return null;
    }
    if (!convolutional) return null;
    return new ConvHessian(m, toInput, stages);
  }

  /** one line for the run log */
  public String describe() {
    return "exact (R-operator through " + (stages.stream().anyMatch(s -> s instanceof Conv) ? "convolution, " : "")
        + (stages.stream().anyMatch(s -> s instanceof Pool) ? "max pooling, " : "")
        + (coupled ? "train-mode batch norm, " : "") + "dense layers)";
  }

  /**
   * Adds H_part v to {@code hvSum} and, when {@code gradSum} is not null, the gradient to it (both shaped like the
   * parameters), where H_part and the gradient are of the part's summed cross-entropy divided by {@code total}, at
   * the network's current parameters; batch normalisation with the part's own statistics.
   *
   * @return the part's summed loss
   */
  public double addProduct(INDArray x, INDArray y, INDArray v, INDArray hvSum, INDArray gradSum, int total) {
    vNet.params().assign(v.reshape(vNet.params().shape()));
    INDArray input = toInput.apply(x);
    long n = input.size(0);
    long slice = coupled ? n : SLICE;
    double loss = 0;
    for (long from = 0; from < n; from += slice) {
      long to = Math.min(n, from + slice);
      INDArray xs = from == 0 && to == n ? input : input.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
      INDArray ys = from == 0 && to == n ? y : y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
      List<INDArray> temps = new ArrayList<>();
      try {
        loss += slice(xs, ys, total, hvSum, gradSum, temps);
      } finally {
        free(temps);
      }
    }
    return loss;
  }

  private double slice(INDArray x, INDArray y, int total, INDArray hvSum, INDArray gradSum, List<INDArray> temps) {
    Map<String, INDArray> p = net.paramTable();
    Map<String, INDArray> v = vNet.paramTable();
    Map<String, INDArray> hv = outNet.paramTable();
    INDArray a = x.dup('c');
    temps.add(a);
    INDArray ra = null; // R(input) = 0
    int outputs = stages.size();
    for (int s = 0; s < outputs - 1; s++) {
      INDArray[] next = stages.get(s).forward(a, ra, p, v, temps);
      a = next[0];
      ra = next[1];
    }
    Dense out = (Dense) stages.get(outputs - 1);
    INDArray[] zl = out.forward(a, ra, p, v, temps);
    INDArray prob = keep(temps, Transforms.softmax(zl[0], true));
    INDArray rp = keep(temps, prob.mul(zl[1]));
    INDArray pr = keep(temps, rp.sum(true, 1));
    rp.subi(keep(temps, prob.mulColumnVector(pr)));
    INDArray py = keep(temps, prob.mul(y));
    double loss = -keep(temps, Transforms.log(keep(temps, py.sum(1)), false)).sumNumber().doubleValue();
    INDArray e = keep(temps, prob.sub(y)).divi(total);
    INDArray re = rp.divi(total);
    Map<String, INDArray> grad = gradSum == null ? null : new java.util.HashMap<>();
    outNet.params().assign(0);
    for (int s = outputs - 1; s >= 0; s--) {
      INDArray[] back = stages.get(s).backward(e, re, p, v, hv, grad, s > 0, temps);
      e = back[0];
      re = back[1];
    }
    hvSum.addi(outNet.params().reshape(hvSum.shape()));
    if (gradSum != null) {
      outNet.params().assign(0);
      for (Map.Entry<String, INDArray> g : grad.entrySet()) hv.get(g.getKey()).assign(g.getValue().reshape(hv.get(g.getKey()).shape()));
      gradSum.addi(outNet.params().reshape(gradSum.shape()));
    }
    return loss;
  }

  /** a layer's forward pass with R-tangents and its backward pass of the gradient and its R-derivative */
  private interface Stage {
    /** {value, R(value)} of the output from the input and R(input) (null: zero); remembers what backward needs */
    INDArray[] forward(INDArray a, INDArray ra, Map<String, INDArray> p, Map<String, INDArray> v, List<INDArray> temps);

    /**
     * {e_in, R(e_in)} from the output's error and its R; writes R(g) of its parameters into {@code hv} and, when
     * {@code grad} is not null, g (new arrays) into it; {@code needInput} false: the input's error is not wanted
     */
    INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps);
  }

  /** a convolution without activation (an {@link Act} follows) */
  private static final class Conv implements Stage {
    private final String w;
    private final String b;
    private final int[] k;
    private final int[] stride;
    private final int[] pad;
    private final boolean bias;
    private INDArray cols;
    private INDArray rCols;
    private long[] inShape;
    private long[] outShape;

    Conv(int index, int[] k, int[] stride, int[] pad, boolean bias) {
      this.w = index + "_W";
      this.b = index + "_b";
      this.k = k.clone();
      this.stride = stride.clone();
      this.pad = pad.clone();
      this.bias = bias;
    }

    @Override
    public INDArray[] forward(INDArray a, INDArray ra, Map<String, INDArray> p, Map<String, INDArray> v,
        List<INDArray> temps) {
      inShape = a.shape();
      long oh = (inShape[2] + 2L * pad[0] - k[0]) / stride[0] + 1;
      long ow = (inShape[3] + 2L * pad[1] - k[1]) / stride[1] + 1;
      outShape = new long[] { inShape[0], p.get(w).size(0), oh, ow };
      cols = keep(temps, im2col(owned(a, temps)));
      rCols = ra == null ? null : keep(temps, im2col(owned(ra, temps)));
      INDArray w2 = kernel(p.get(w));
      INDArray v2 = kernel(v.get(w));
      INDArray z = keep(temps, Gemm.nn(cols, w2));
      INDArray rz = keep(temps, Gemm.nn(cols, v2));
      if (rCols != null) rz.addi(keep(temps, Gemm.nn(rCols, w2)));
      if (bias) {
        z.addiRowVector(p.get(b).reshape(1, outShape[1]));
        rz.addiRowVector(v.get(b).reshape(1, outShape[1]));
      }
      return new INDArray[] { toImages(z, temps), toImages(rz, temps) };
    }

    /** im2col of NCHW images as [N·Ho·Wo, C·kh·kw], rows example-major then output row and column */
    private INDArray im2col(INDArray img) {
      return ImageRows.im2col(img, k, stride, pad, (int) outShape[2], (int) outShape[3]);
    }

    /** the kernel [out, in, kh, kw] as [in·kh·kw, out] (a view) */
    private static INDArray kernel(INDArray w) {
      return w.reshape('c', w.size(0), w.length() / w.size(0)).transpose();
    }

    /** rows [N·Ho·Wo, out] as NCHW images (a new 'c' array) */
    private INDArray toImages(INDArray rows, List<INDArray> temps) {
      return keep(temps, ImageRows.rowsToImages(owned(rows, temps), outShape[0], outShape[1], outShape[2], outShape[3]));
    }

    /** NCHW errors as rows [N·Ho·Wo, out] */
    private INDArray toRows(INDArray images, List<INDArray> temps) {
      return keep(temps, ImageRows.imagesToRows(owned(images, temps)));
    }

    /** the NCHW images whose im2col is {@code rows} [N·Ho·Wo, C·kh·kw] summed back (col2im) */
    private INDArray col2im(INDArray rows, List<INDArray> temps) {
      return ImageRows.col2im(owned(rows, temps), inShape, k, stride, pad, (int) outShape[2], (int) outShape[3]);
    }

    @Override
    public INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps) {
      INDArray e2 = toRows(e, temps);
      INDArray re2 = toRows(re, temps);
      INDArray rg = keep(temps, Gemm.tn(cols, re2));
      if (rCols != null) rg.addi(keep(temps, Gemm.tn(rCols, e2)));
      hv.get(w).assign(rg.transpose().reshape(hv.get(w).shape()));
      if (grad != null) grad.put(w, keep(temps, Gemm.tn(cols, e2)).transpose());
      if (bias) {
        hv.get(b).assign(keep(temps, re2.sum(true, 0)).reshape(hv.get(b).shape()));
        if (grad != null) grad.put(b, keep(temps, e2.sum(true, 0)));
      }
      if (!needInput) return new INDArray[2];
      INDArray w2t = kernel(p.get(w)).transpose();
      INDArray back = keep(temps, Gemm.nn(e2, w2t));
      INDArray rBack = keep(temps, Gemm.nn(re2, w2t)).addi(keep(temps, Gemm.nt(e2, kernel(v.get(w)))));
      return new INDArray[] { keep(temps, col2im(back, temps)), keep(temps, col2im(rBack, temps)) };
    }
  }

  /** a dense layer (or the output layer's affine part) without activation; a rank-4 input is flattened ('c') */
  private static final class Dense implements Stage {
    private final String w;
    private final String b;
    private final boolean bias;
    private INDArray a;
    private INDArray ra;
    private long[] inShape;

    Dense(int index, boolean bias) {
      this.w = index + "_W";
      this.b = index + "_b";
      this.bias = bias;
    }

    @Override
    public INDArray[] forward(INDArray in, INDArray rin, Map<String, INDArray> p, Map<String, INDArray> v,
        List<INDArray> temps) {
      inShape = in.shape();
      a = flat(in);
      ra = rin == null ? null : flat(rin);
      INDArray z = keep(temps, Gemm.nn(a, p.get(w)));
      INDArray rz = keep(temps, Gemm.nn(a, v.get(w)));
      if (ra != null) rz.addi(keep(temps, Gemm.nn(ra, p.get(w))));
      if (bias) {
        z.addiRowVector(p.get(b).reshape(1, z.size(1)));
        rz.addiRowVector(v.get(b).reshape(1, z.size(1)));
      }
      return new INDArray[] { z, rz };
    }

    private static INDArray flat(INDArray x) {
      return x.rank() == 2 ? x : x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps) {
      INDArray rg = keep(temps, Gemm.tn(a, re));
      if (ra != null) rg.addi(keep(temps, Gemm.tn(ra, e)));
      hv.get(w).assign(rg);
      if (grad != null) grad.put(w, keep(temps, Gemm.tn(a, e)));
      if (bias) {
        hv.get(b).assign(keep(temps, re.sum(true, 0)).reshape(hv.get(b).shape()));
        if (grad != null) grad.put(b, keep(temps, e.sum(true, 0)));
      }
      if (!needInput) return new INDArray[2];
      INDArray wt = p.get(w).transpose();
      INDArray back = keep(temps, Gemm.nn(e, wt));
      INDArray rBack = keep(temps, Gemm.nn(re, wt)).addi(keep(temps, Gemm.nt(e, v.get(w))));
      return new INDArray[] { cOrder(back, temps).reshape('c', inShape), cOrder(rBack, temps).reshape('c', inShape) };
    }
  }

  /** an elementwise activation */
  private static final class Act implements Stage {
    private final String f;
    private INDArray z;
    private INDArray rz;
    private INDArray d1;
    private INDArray d2;

    Act(String f) {
      this.f = f;
    }

    @Override
    public INDArray[] forward(INDArray in, INDArray rin, Map<String, INDArray> p, Map<String, INDArray> v,
        List<INDArray> temps) {
      z = in;
      rz = rin;
      INDArray out = keep(temps, DenseHessian.activate(f, z));
      d1 = keep(temps, DenseHessian.derivative(f, z, out));
      d2 = keep(temps, DenseHessian.second(f, z, out));
      return new INDArray[] { out, rin == null ? null : keep(temps, d1.mul(rin)) };
    }

    @Override
    public INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps) {
      INDArray eIn = keep(temps, e.mul(d1));
      INDArray reIn = keep(temps, re.mul(d1));
      if (d2 != null && rz != null) reIn.addi(keep(temps, e.mul(d2)).muli(rz));
      return new INDArray[] { eIn, reIn };
    }
  }

  /** max pooling without padding: R and the errors go through the forward pass's arg-max (the first maximum) */
  private static final class Pool implements Stage {
    private final int[] k;
    private final int[] stride;
    private int[] argmax;
    private long[] inShape;
    private long[] outShape;

    Pool(int[] k, int[] stride) {
      this.k = k.clone();
      this.stride = stride.clone();
    }

    @Override
    public INDArray[] forward(INDArray in, INDArray rin, Map<String, INDArray> p, Map<String, INDArray> v,
        List<INDArray> temps) {
      inShape = in.shape();
      long oh = (inShape[2] - k[0]) / stride[0] + 1;
      long ow = (inShape[3] - k[1]) / stride[1] + 1;
      outShape = new long[] { inShape[0], inShape[1], oh, ow };
      double[] x = doubles(in);
      argmax = argmax(x, (int) (inShape[0] * inShape[1]), (int) inShape[2], (int) inShape[3], (int) oh, (int) ow);
      INDArray out = keep(temps, Nd4j.create(gather(x, argmax), outShape, 'c'));
      INDArray rOut = rin == null ? null : keep(temps, Nd4j.create(gather(doubles(rin), argmax), outShape, 'c'));
      return new INDArray[] { out, rOut };
    }

    /** the flat index of each window's first maximum, windows in 'c' order of [planes, oh, ow] */
    private int[] argmax(double[] x, int planes, int h, int w, int oh, int ow) {
      int[] out = new int[planes * oh * ow];
      int o = 0;
      for (int pl = 0; pl < planes; pl++) {
        int base = pl * h * w;
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            int best = base + i * stride[0] * w + j * stride[1];
            for (int di = 0; di < k[0]; di++) {
              for (int dj = 0; dj < k[1]; dj++) {
                int at = base + (i * stride[0] + di) * w + j * stride[1] + dj;
                if (x[at] > x[best]) best = at;
              }
            }
            out[o++] = best;
          }
        }
      }
      return out;
    }

    private static double[] gather(double[] x, int[] at) {
      double[] out = new double[at.length];
      for (int i = 0; i < at.length; i++) out[i] = x[at[i]];
      return out;
    }

    private INDArray scatter(INDArray e) {
      double[] src = doubles(e);
      double[] out = new double[Math.toIntExact(inShape[0] * inShape[1] * inShape[2] * inShape[3])];
      for (int i = 0; i < argmax.length; i++) out[argmax[i]] += src[i];
      return Nd4j.create(out, inShape, 'c');
    }

    @Override
    public INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps) {
      if (!needInput) return new INDArray[2];
      return new INDArray[] { keep(temps, scatter(e)), keep(temps, scatter(re)) };
    }
  }

  /**
   * Batch normalisation in train mode: per channel (NCHW) or per feature ([N, F]) over the batch's m entries, with
   * the batch's mean and (population) variance, both differentiated through
   */
  private static final class Norm implements Stage {
    private final String gamma;
    private final String beta;
    private final double eps;
    private long[] inShape;
    /** the batch's entries as rows [m, C]: x̂, R(x), R(x̂), and s = (σ² + ε)^(−1/2) as [1, C] */
    private INDArray xHat;
    private INDArray rx;
    private INDArray rxHat;
    private INDArray s;

    Norm(int index, double eps) {
      this.gamma = index + "_gamma";
      this.beta = index + "_beta";
      this.eps = eps;
    }

    /** [N, C, H, W] or [N, F] as rows [m, C] (a new 'c' array) */
    private static INDArray rows(INDArray x, List<INDArray> temps) {
      if (x.rank() == 2) return keep(temps, x.dup('c'));
      INDArray c = keep(temps, x.permute(0, 2, 3, 1).dup('c'));
      return c.reshape('c', x.size(0) * x.size(2) * x.size(3), x.size(1));
    }

    /** rows [m, C] back in the input's shape */
    private INDArray unrows(INDArray r) {
      if (inShape.length == 2) return r;
      return r.reshape('c', inShape[0], inShape[2], inShape[3], inShape[1]).permute(0, 3, 1, 2).dup('c');
    }

    /** B(u) = s(u − mean u − x̂ mean(x̂u)), per column; B is the Jacobian of x̂ in x, and x̂'s adjoint as well */
    private INDArray project(INDArray u, List<INDArray> temps) {
      INDArray m = keep(temps, u.mean(true, 0));
      INDArray c = keep(temps, keep(temps, xHat.mul(u)).mean(true, 0));
      return keep(temps, u.subRowVector(m)).subi(keep(temps, xHat.mulRowVector(c))).muliRowVector(s);
    }

    @Override
    public INDArray[] forward(INDArray in, INDArray rin, Map<String, INDArray> p, Map<String, INDArray> v,
        List<INDArray> temps) {
      inShape = in.shape();
      INDArray x = rows(in, temps);
      INDArray mean = keep(temps, x.mean(true, 0));
      INDArray centred = keep(temps, x.subRowVector(mean));
      INDArray var = keep(temps, keep(temps, centred.mul(centred)).mean(true, 0));
      s = keep(temps, Transforms.pow(var.add(eps), -0.5, false));
      keep(temps, s);
      xHat = keep(temps, centred.mulRowVector(s));
      rx = rin == null ? null : rows(rin, temps);
      INDArray g = p.get(gamma).reshape(1, s.length());
      INDArray y = keep(temps, xHat.mulRowVector(g)).addiRowVector(p.get(beta).reshape(1, s.length()));
      rxHat = rx == null ? null : project(rx, temps);
      INDArray ry = keep(temps, xHat.mulRowVector(v.get(gamma).reshape(1, s.length())))
          .addiRowVector(v.get(beta).reshape(1, s.length()));
      if (rxHat != null) ry.addi(keep(temps, rxHat.mulRowVector(g)));
      return new INDArray[] { keep(temps, unrows(y)), keep(temps, unrows(ry)) };
    }

    @Override
    public INDArray[] backward(INDArray e, INDArray re, Map<String, INDArray> p, Map<String, INDArray> v,
        Map<String, INDArray> hv, Map<String, INDArray> grad, boolean needInput, List<INDArray> temps) {
      INDArray ey = rows(e, temps);
      INDArray rey = rows(re, temps);
      INDArray rgGamma = keep(temps, keep(temps, rey.mul(xHat)).sum(true, 0));
      if (rxHat != null) rgGamma.addi(keep(temps, keep(temps, ey.mul(rxHat)).sum(true, 0)));
      hv.get(gamma).assign(rgGamma.reshape(hv.get(gamma).shape()));
      hv.get(beta).assign(keep(temps, rey.sum(true, 0)).reshape(hv.get(beta).shape()));
      if (grad != null) {
        grad.put(gamma, keep(temps, keep(temps, ey.mul(xHat)).sum(true, 0)));
        grad.put(beta, keep(temps, ey.sum(true, 0)));
      }
      if (!needInput) return new INDArray[2];
      INDArray g = p.get(gamma).reshape(1, s.length());
      INDArray u = keep(temps, ey.mulRowVector(g));
      INDArray ex = project(u, temps);
      INDArray ru = keep(temps, rey.mulRowVector(g)).addi(keep(temps, ey.mulRowVector(v.get(gamma).reshape(1, s.length()))));
      INDArray rex = project(ru, temps);
      if (rx != null) {
        // R(s) = −s²·mean(x̂R(x)): R(B)(u) = −s·mean(x̂R(x))·B(u) − s(R(x̂) mean(x̂u) + x̂ mean(R(x̂)u))
        INDArray c = keep(temps, keep(temps, xHat.mul(rx)).mean(true, 0));
        rex.subi(keep(temps, ex.mulRowVector(keep(temps, c.mul(s)))));
        INDArray xu = keep(temps, keep(temps, xHat.mul(u)).mean(true, 0));
        INDArray ru2 = keep(temps, keep(temps, rxHat.mul(u)).mean(true, 0));
        INDArray term = keep(temps, rxHat.mulRowVector(xu)).addi(keep(temps, xHat.mulRowVector(ru2)));
        rex.subi(term.muliRowVector(s));
      }
      return new INDArray[] { keep(temps, unrows(ex)), keep(temps, unrows(rex)) };
    }
  }

  /** x itself when it is 'c'-ordered, else a kept 'c' copy */
  private static INDArray cOrder(INDArray x, List<INDArray> temps) {
    return x.ordering() == 'c' && !x.isView() ? x : keep(temps, x.dup('c'));
  }

  /** x itself when it owns its buffer from element 0, else a kept copy that does */
  private static INDArray owned(INDArray x, List<INDArray> temps) {
    return !x.isView() && x.offset() == 0 ? x : keep(temps, x.dup(x.ordering()));
  }

  /** the entries of x in 'c' order */
  private static double[] doubles(INDArray x) {
    INDArray c = x.dup('c');
    try {
      return c.data().asDouble();
    } finally {
      c.close();
    }
  }

  private static INDArray keep(List<INDArray> temps, INDArray a) {
    if (a != null) temps.add(a);
    return a;
  }

  private static void free(List<INDArray> temps) {
    for (INDArray t : temps) {
      if (t != null && !t.wasClosed() && t.closeable()) t.close();
    }
  }
}
