package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact Hessian-vector product (Pearlmutter's R-operator, 1994) of the mean cross-entropy of a plain dense stack:
 * dense layers with biases and relu, tanh, sigmoid or identity units, then a softmax output layer — softmax
 * regression and the MLPs without batch normalisation. One forward and one backward pass with their R-twins, about
 * the cost of two gradients, no step size and no error from ReLU kinks (the R-operator differentiates within the
 * linear region, as double backprop does).
 * <p>
 * With a_0 = x, z_l = a_{l−1}W_l + b_l, a_l = f(z_l), p = softmax(z_L), e_L = (p − y)/N, e_{l−1} = (e_l W_lᵀ) ⊙ f′(z_{l−1}),
 * g_{W_l} = a_{l−1}ᵀ e_l, g_{b_l} = Σ_rows e_l, the R-pass is
 * R(z_l) = R(a_{l−1})W_l + a_{l−1}R(W_l) + R(b_l), R(a_l) = f′(z_l) ⊙ R(z_l), R(p) = p ⊙ R(z_L) − p ⊙ (p·R(z_L)),
 * R(e_L) = R(p)/N, R(e_{l−1}) = (R(e_l)W_lᵀ + e_l R(W_l)ᵀ) ⊙ f′(z_{l−1}) + (e_l W_lᵀ) ⊙ f″(z_{l−1}) ⊙ R(z_{l−1}),
 * Hv = (R(g_W), R(g_b)) = (R(a_{l−1})ᵀe_l + a_{l−1}ᵀR(e_l), Σ_rows R(e_l)).
 * <p>
 * Layouts come from the network itself: v is written into a copy's parameters and read back through its
 * parameter views, and Hv is assembled the same way, so no layout is assumed here.
 */
public final class DenseHessian {
  private final StackNetwork net;
  private final StackNetwork vNet;
  private final StackNetwork outNet;
  private final List<String> acts;

  private DenseHessian(StackNetwork net, List<String> acts) {
    this.net = net;
    this.vNet = (StackNetwork) net.duplicate();
    this.outNet = (StackNetwork) net.duplicate();
    this.acts = acts;
  }

  /** the exact product for {@code n}, or null when its layers are not a plain dense stack in DOUBLE */
  public static DenseHessian of(Network n) {
    if (!(n instanceof StackNetwork s) || n.dataType() != DataType.DOUBLE || n.hasBatchNorm()) return null;
    MultiLayerNetwork m = (MultiLayerNetwork) s.model();
    Layer[] layers = m.getLayers();
    List<String> acts = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      var conf = layers[i].conf().getLayer();
      boolean last = i == layers.length - 1;
      if (last) {
        if (!(conf instanceof OutputLayer o) || !(o.getActivationFn() instanceof ActivationSoftmax)) return null;
        if (!o.hasBias()) return null;
      } else {
        if (!(conf instanceof DenseLayer d) || !d.hasBias()) return null;
        String a = name(d.getActivationFn());
        if (a == null) return null;
        acts.add(a);
      }
    }
    return new DenseHessian(s, acts);
  }

  /** the activation's name for {@link #activate}, or null when the R-operator does not know it */
  static String name(IActivation a) {
    if (a instanceof ActivationReLU) return "relu";
    if (a instanceof ActivationTanH) return "tanh";
    if (a instanceof ActivationSigmoid) return "sigmoid";
    if (a instanceof ActivationIdentity) return "identity";
    return null;
  }

  /**
   * The part of a product that depends on θ and the chunk alone, not on v: the forward pass (activations a_l, f′(z_l),
   * f″(z_l)), the softmax p, the errors e_l = (e_{l+1}W_{l+1}ᵀ) ⊙ f′(z_l) with e_L = (p − y)/N, their products before
   * f′ ({@code back}, kept only where f″ ≠ 0) and the chunk's summed loss. Products at one θ (a Lanczos solve asks for
   * tens) form it once per chunk ({@link #at}); a product at a new θ forms it first, at the cost it always had.
   */
  private record Pass(int total, INDArray[] a, INDArray[] d1, INDArray[] d2, INDArray[] e, INDArray[] back, INDArray p,
      double loss, List<INDArray> arrays, long bytes) {
    void close() {
      free(arrays);
    }
  }

  /** the most the kept passes hold (about 10 kB per example for the 784-300-100-10 MLP: 13,000 examples) */
  static final long KEPT_PASS_BYTES = 128L << 20;

  /** θ the kept passes were formed at (null: none kept) */
  private double[] passTheta;
  private final Map<INDArray, Pass> passes = new IdentityHashMap<>();
  private long passBytes;

  /**
   * Says at which θ the next products are formed (the network's parameters are set to it): the passes kept for this θ
   * stay, those of another θ are freed. Without this call nothing is kept.
   */
  public void at(double[] theta) {
    if (passTheta != null && Arrays.equals(passTheta, theta)) return;
    forget();
    // copied into the array kept from earlier calls: a new parameter-sized array per product at a new θ is fresh
    // heap memory the JVM touches page by page (see Dl4jObjective#hessianVector)
    if (thetaCopy == null || thetaCopy.length != theta.length) thetaCopy = new double[theta.length];
    System.arraycopy(theta, 0, thetaCopy, 0, theta.length);
    passTheta = thetaCopy;
  }

  /** the array {@link #passTheta} holds when set */
  private double[] thetaCopy;

  /** frees the kept passes */
  public void forget() {
    for (Pass f : passes.values()) f.close();
    passes.clear();
    passBytes = 0;
    passTheta = null;
  }

  /**
   * Adds H_chunk v to {@code sum} (shaped like the parameters), where H_chunk is the Hessian of the chunk's summed
   * cross-entropy divided by {@code total} (the view's size), at the network's current parameters: the chunk's θ-only
   * pass (kept since {@link #at} for the same chunk array, else formed), then the R-pass along v.
   *
   * @param v the direction, shaped like the parameters
   * @return the chunk's summed loss
   */
  public double addProduct(INDArray x, INDArray y, INDArray v, INDArray sum, int total) {
    // every temporary is closed at the end: left to the garbage collector, ~100 MB of off-heap arrays per product
    // pile up until JavaCPP forces System.gc() with pauses, which made products inside Lanczos ~50% slower
    List<INDArray> temps = new ArrayList<>();
    Pass f = passes.get(x);
    boolean kept = f != null && f.total() == total;
    try {
      if (!kept) {
        if (f != null) drop(x);
        f = pass(x, y, total);
        if (passTheta != null && passBytes + f.bytes() <= KEPT_PASS_BYTES) {
          passes.put(x, f);
          passBytes += f.bytes();
          kept = true;
        }
      }
      rPass(x, f, v, sum, temps);
      return f.loss();
    } finally {
      if (!kept) f.close();
      free(temps);
    }
  }

  private void drop(INDArray x) {
    Pass f = passes.remove(x);
    passBytes -= f.bytes();
    f.close();
  }

  /** the θ-only pass of a chunk (see {@link Pass}) at the network's current parameters */
  private Pass pass(INDArray x, INDArray y, int total) {
    List<INDArray> arrays = new ArrayList<>();
    try {
      int layers = acts.size() + 1;
      var pt = net.paramTable();
      INDArray[] a = new INDArray[layers];
      INDArray[] z = new INDArray[layers];
      INDArray[] d1 = new INDArray[layers];
      INDArray[] d2 = new INDArray[layers];
      INDArray[] e = new INDArray[layers];
      INDArray[] back = new INDArray[layers];
      a[0] = net.inputShape().toInput(x);
      List<INDArray> zs = new ArrayList<>(); // the pre-activations, freed once f′ and f″ are formed
      for (int l = 0; l < layers; l++) {
        INDArray b = pt.get(l + "_b");
        z[l] = keep(l + 1 < layers ? zs : arrays, Gemm.nn(a[l], pt.get(l + "_W"))).addiRowVector(b.reshape(1, b.length()));
        if (l + 1 < layers) {
          String f = acts.get(l);
          a[l + 1] = keep(arrays, activate(f, z[l]));
          d1[l] = keep(arrays, derivative(f, z[l], a[l + 1]));
          d2[l] = keep(arrays, second(f, z[l], a[l + 1]));
        }
      }
      free(zs);
      INDArray p = keep(arrays, Transforms.softmax(z[layers - 1], true));
      INDArray py = p.mul(y);
      INDArray rowSums = py.sum(1);
      INDArray logs = Transforms.log(rowSums, false);
      double loss = -logs.sumNumber().doubleValue();
      free(List.of(py, rowSums, logs));
      e[layers - 1] = keep(arrays, p.sub(y)).divi(total);
      // e_0 is never needed (R(x) = 0); e_l W_lᵀ before f′ only where f″ ≠ 0
      for (int l = layers - 1; l >= 1; l--) {
        boolean needE = l >= 2;
        boolean needBack = d2[l - 1] != null;
        if (!needE && !needBack) continue;
        INDArray bk = keep(arrays, Gemm.nt(e[l], pt.get(l + "_W")));
        if (needBack) back[l] = needE ? keep(arrays, bk.dup()) : bk;
        if (needE) e[l - 1] = bk.muli(d1[l - 1]);
      }
      long bytes = 0;
      for (INDArray t : arrays) bytes += t.length() * t.dataType().width();
      return new Pass(total, a, d1, d2, e, back, p, loss, arrays, bytes);
    } catch (RuntimeException | Error ex) {
      free(arrays);
      throw ex;
    }
  }

  /** adds the chunk's share of Hv to {@code sum}: the R-twins of the forward and backward passes along v */
  private void rPass(INDArray x, Pass f, INDArray v, INDArray sum, List<INDArray> temps) {
    int layers = acts.size() + 1;
    vNet.params().assign(v.reshape(vNet.params().shape()));
    var pt = net.paramTable();
    var vt = vNet.paramTable();
    INDArray[] ra = new INDArray[layers];
    INDArray[] rz = new INDArray[layers];
    // R(x) = 0: ra[0] stays null, and the first layer's two products with it are not formed
    for (int l = 0; l < layers; l++) {
      INDArray rb = vt.get(l + "_b");
      rz[l] = keep(temps, Gemm.nn(f.a()[l], vt.get(l + "_W")));
      if (ra[l] != null) rz[l].addi(keep(temps, Gemm.nn(ra[l], pt.get(l + "_W"))));
      rz[l].addiRowVector(rb.reshape(1, rb.length()));
      if (l + 1 < layers) ra[l + 1] = keep(temps, f.d1()[l].mul(rz[l]));
    }
    // the softmax's R-twin
    INDArray p = f.p();
    INDArray rp = keep(temps, p.mul(rz[layers - 1]));
    INDArray pr = keep(temps, rp.sum(true, 1)); // per row: p · R(z)
    rp.subi(keep(temps, p.mulColumnVector(pr)));
    INDArray re = rp.divi(f.total());
    for (int l = layers - 1; l >= 0; l--) {
      INDArray w = pt.get(l + "_W");
      INDArray rw = vt.get(l + "_W");
      INDArray outW = outNet.paramTable().get(l + "_W");
      INDArray outB = outNet.paramTable().get(l + "_b");
      INDArray gw = keep(temps, Gemm.tn(f.a()[l], re));
      if (ra[l] != null) gw.addi(keep(temps, Gemm.tn(ra[l], f.e()[l])));
      outW.assign(gw);
      outB.assign(keep(temps, re.sum(true, 0)).reshape(outB.shape()));
      if (l > 0) {
        INDArray reNext = keep(temps, Gemm.nt(re, w)).addi(keep(temps, Gemm.nt(f.e()[l], rw))).muli(f.d1()[l - 1]);
        if (f.d2()[l - 1] != null) reNext.addi(keep(temps, f.back()[l].mul(f.d2()[l - 1])).muli(rz[l - 1]));
        re = reNext;
      }
    }
    sum.addi(outNet.params().reshape(sum.shape()));
  }

  /**
   * The inner products ⟨g_i, g_j⟩ of the per-example gradients g_i = ∇ℓ_i (each example's own cross-entropy, not
   * divided by anything) of the batch, at the network's current parameters, without forming a gradient: a dense
   * layer's weight gradient of example i is the outer product a_iᵀδ_i of its input and its back-propagated error, so
   * ⟨g_i, g_j⟩ = Σ_l ((a_l,i · a_l,j) + 1)(δ_l,i · δ_l,j) (the 1 for the bias). One forward and one backward pass
   * and two N×N products per layer: the cost of P-sized per-example gradients is never paid.
   *
   * @return the N × N matrix, row-major
   */
  public double[][] exampleGram(INDArray x, INDArray y) {
    List<INDArray> temps = new ArrayList<>();
    try {
      int layers = acts.size() + 1;
      var pt = net.paramTable();
      INDArray[] a = new INDArray[layers];
      INDArray[] z = new INDArray[layers];
      a[0] = net.inputShape().toInput(x);
      for (int l = 0; l < layers; l++) {
        INDArray w = pt.get(l + "_W");
        INDArray b = pt.get(l + "_b");
        z[l] = keep(temps, Gemm.nn(a[l], w)).addiRowVector(b.reshape(1, b.length()));
        if (l + 1 < layers) a[l + 1] = keep(temps, activate(acts.get(l), z[l]));
      }
      INDArray delta = keep(temps, keep(temps, Transforms.softmax(z[layers - 1], true)).sub(y));
      INDArray gram = keep(temps, Nd4j.zeros(DataType.DOUBLE, x.size(0), x.size(0)));
      for (int l = layers - 1; l >= 0; l--) {
        INDArray aa = keep(temps, Gemm.nt(a[l], a[l])).addi(1);
        INDArray dd = keep(temps, Gemm.nt(delta, delta));
        gram.addi(aa.muli(dd));
        if (l > 0) {
          String f = acts.get(l - 1);
          INDArray back = keep(temps, Gemm.nt(delta, pt.get(l + "_W")));
          delta = back.muli(keep(temps, derivative(f, z[l - 1], a[l])));
        }
      }
      return gram.toDoubleMatrix();
    } finally {
      free(temps);
    }
  }

  /**
   * Each example's curvature along v at the network's current parameters: d²ℓ_i(θ + εv)/dε² at ε = 0 = vᵀH_i v,
   * exactly, by a forward pass that carries first and second directional derivatives (R and S):
   * R(z_l) = R(a_{l−1})W_l + a_{l−1}V_l + c_l, S(z_l) = S(a_{l−1})W_l + 2R(a_{l−1})V_l, R(a_l) = f′(z_l) ⊙ R(z_l),
   * S(a_l) = f′(z_l) ⊙ S(z_l) + f″(z_l) ⊙ R(z_l)², and ℓ_i″ = (p_i − y_i)·S(z_L,i) + R(z_L,i)ᵀ(diag p_i − p_i p_iᵀ)R(z_L,i).
   * Their mean over a set of examples is vᵀHv of the set's mean loss.
   *
   * @param v the direction, shaped like the parameters
   */
  public double[] exampleCurvature(INDArray x, INDArray y, INDArray v) {
    List<INDArray> temps = new ArrayList<>();
    try {
      int layers = acts.size() + 1;
      vNet.params().assign(v.reshape(vNet.params().shape()));
      var pt = net.paramTable();
      var vt = vNet.paramTable();
      INDArray a = net.inputShape().toInput(x);
      // R(x) = S(x) = 0: ra and sa are null at the first layer, whose products with them are not formed
      INDArray ra = null;
      INDArray sa = null;
      INDArray z = null;
      INDArray rz = null;
      INDArray sz = null;
      for (int l = 0; l < layers; l++) {
        INDArray w = pt.get(l + "_W");
        INDArray b = pt.get(l + "_b");
        INDArray rw = vt.get(l + "_W");
        INDArray rb = vt.get(l + "_b");
        z = keep(temps, Gemm.nn(a, w)).addiRowVector(b.reshape(1, b.length()));
        rz = keep(temps, Gemm.nn(a, rw));
        if (ra != null) rz.addi(keep(temps, Gemm.nn(ra, w)));
        rz.addiRowVector(rb.reshape(1, rb.length()));
        sz = ra == null ? keep(temps, Nd4j.zeros(DataType.DOUBLE, z.shape()))
            : keep(temps, Gemm.nn(sa, w)).addi(keep(temps, Gemm.nn(ra, rw)).muli(2));
        if (l + 1 < layers) {
          String f = acts.get(l);
          INDArray next = keep(temps, activate(f, z));
          INDArray d1 = keep(temps, derivative(f, z, next));
          INDArray nextSa = keep(temps, d1.mul(sz));
          INDArray d2 = keep(temps, second(f, z, next));
          if (d2 != null) nextSa.addi(keep(temps, rz.mul(rz)).muli(d2));
          ra = keep(temps, d1.mul(rz));
          sa = nextSa;
          a = next;
        }
      }
      INDArray p = keep(temps, Transforms.softmax(z, true));
      // (p − y)·S(z) + R(z)ᵀ diag(p) R(z) − (p·R(z))², row by row
      INDArray first = keep(temps, keep(temps, p.sub(y)).muli(sz)).sum(1);
      INDArray quad = keep(temps, keep(temps, rz.mul(rz)).muli(p)).sum(1);
      INDArray pr = keep(temps, keep(temps, p.mul(rz)).sum(1));
      keep(temps, first);
      keep(temps, quad);
      return first.addi(quad).subi(pr.muli(pr)).toDoubleVector();
    } finally {
      free(temps);
    }
  }

  private static void free(List<? extends INDArray> temps) {
    for (INDArray t : temps) {
      if (t != null && !t.wasClosed() && t.closeable()) t.close();
    }
  }

  private static INDArray keep(List<INDArray> temps, INDArray a) {
    if (a != null) temps.add(a);
    return a;
  }

  static INDArray activate(String f, INDArray z) {
    return switch (f) {
      case "relu" -> Transforms.relu(z, true);
      case "tanh" -> Transforms.tanh(z, true);
      case "sigmoid" -> Transforms.sigmoid(z, true);
      default -> z.dup();
    };
  }

  /** f'(z) as a new array, from z and a = f(z) */
  static INDArray derivative(String f, INDArray z, INDArray a) {
    return switch (f) {
      case "relu" -> {
        INDArray positive = z.gt(0);
        INDArray d = positive.castTo(DataType.DOUBLE);
        positive.close();
        yield d;
      }
      case "tanh" -> a.mul(a).rsubi(1);
      case "sigmoid" -> a.mul(a.rsub(1));
      default -> Nd4j.onesLike(z);
    };
  }

  /** f''(z), or null where it is 0 (relu within its linear pieces, identity) */
  static INDArray second(String f, INDArray z, INDArray a) {
    return switch (f) {
      case "tanh" -> a.mul(a).rsubi(1).muli(a).muli(-2);
      case "sigmoid" -> a.mul(a.rsub(1)).muli(a.mul(-2).addi(1));
      default -> null;
    };
  }
}
