package org.trajlab.probes.curvature.internal;

/**
 * A symmetric linear operator on R^dim given by its products, such as the Hessian H of the mean loss through
 * Hessian-vector products (INSTRUMENTS.md section 2). {@link #apply} writes {@code out = H v}; it must not keep or
 * modify {@code v}.
 */
public interface HessianOperator {
  int dim();

  void apply(double[] v, double[] out);

  /** the operator of a dense symmetric matrix (tests, small projected problems) */
  static HessianOperator dense(double[][] a) {
    return new HessianOperator() {
      @Override
      public int dim() {
        return a.length;
      }

      @Override
      public void apply(double[] v, double[] out) {
        for (int i = 0; i < a.length; i++) {
          double s = 0;
          double[] row = a[i];
          for (int j = 0; j < v.length; j++) s += row[j] * v[j];
          out[i] = s;
        }
      }
    };
  }

  /** wraps an operator and counts its products */
  final class Counting implements HessianOperator {
    private final HessianOperator inner;
    private long products;

    public Counting(HessianOperator inner) {
      this.inner = inner;
    }

    @Override
    public int dim() {
      return inner.dim();
    }

    @Override
    public void apply(double[] v, double[] out) {
      products++;
      inner.apply(v, out);
    }

    public long products() {
      return products;
    }
  }
}
