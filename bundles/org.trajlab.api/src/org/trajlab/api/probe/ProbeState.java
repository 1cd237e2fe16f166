package org.trajlab.api.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A probe's state as it comes back from a checkpoint, and the values that need a form of their own to get there.
 * Probes keep their state as JSON-friendly values ({@link Probe#saveState}); the engine writes them to
 * {@code state.json}, and the round trip changes their Java types: a whole number comes back as an Integer or a Long,
 * a NaN as the string "NaN", a list as a List. A key an older checkpoint lacks reads as the default the probe gives
 * (its meaning then, such as 0 seconds spent). Vectors that must resume bit for bit (eigenvectors) are base64 strings
 * of their little-endian IEEE doubles: 8·P·4/3 bytes per vector, about 2.8 MB for the 266k-parameter MLP.
 */
public final class ProbeState {
  private final Map<String, Object> state;

  /** @param state what {@link Probe#restoreState} was given */
  public ProbeState(Map<String, Object> state) {
    this.state = state;
  }

  /** a whole number the state must hold (a count, a step, nanoseconds) */
  public long whole(String key) {
    if (!(required(key) instanceof Number n)) throw wrong(key, "a whole number");
    return n.longValue();
  }

  /** a whole number, or {@code missing} when an older checkpoint does not hold it */
  public long whole(String key, long missing) {
    return state.get(key) == null ? missing : whole(key);
  }

  /** a number the state must hold (null and "NaN" read as NaN) */
  public double number(String key) {
    return toDouble(key, required(key));
  }

  /** a number, or {@code missing} when the state holds none under {@code key} (absent or null) */
  public double number(String key, double missing) {
    return state.get(key) == null ? missing : number(key);
  }

  /** a list of numbers the state must hold, written by {@link #listOf} */
  public double[] numbers(String key) {
    return toDoubles(key, required(key));
  }

  /** a list of equally long rows of numbers the state must hold, written by {@link #rowsOf} */
  public List<double[]> rows(String key) {
    if (!(required(key) instanceof List<?> l)) throw wrong(key, "a list of rows");
    List<double[]> rows = new ArrayList<>();
    for (Object r : l) rows.add(toDoubles(key, r));
    return rows;
  }

  /** the vectors written by {@link #vectorsOf}, or null when there are none (absent or an empty list) */
  public double[][] vectors(String key) {
    if (!(state.get(key) instanceof List<?> l) || l.isEmpty()) return null;
    double[][] vs = new double[l.size()][];
    for (int i = 0; i < vs.length; i++) {
      if (!(l.get(i) instanceof String s)) throw wrong(key, "a list of base64 vectors");
      vs[i] = decode(s);
    }
    return vs;
  }

  /** the first n values of xs, for the state */
  public static List<Double> listOf(double[] xs, int n) {
    return Arrays.stream(xs, 0, n).boxed().toList();
  }

  /** rows of numbers, for the state (NaN is kept: it comes back as NaN) */
  public static List<List<Double>> rowsOf(List<double[]> rows) {
    return rows.stream().map(r -> listOf(r, r.length)).toList();
  }

  /** vectors as base64 strings, for the state; null vectors (ranks never filled) are left out, no vectors is [] */
  public static List<String> vectorsOf(double[][] vectors) {
    List<String> out = new ArrayList<>();
    if (vectors != null) for (double[] v : vectors) if (v != null) out.add(encode(v));
    return out;
  }

  /** base64 of v's little-endian IEEE doubles: a vector's form in the state, bit for bit */
  public static String encode(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** the vector {@link #encode} wrote */
  public static double[] decode(String s) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    double[] v = new double[b.remaining() / 8];
    b.asDoubleBuffer().get(v);
    return v;
  }

  private Object required(String key) {
    if (!state.containsKey(key)) throw new IllegalArgumentException("the probe state has no '" + key + "'");
    return state.get(key);
  }

  private static double toDouble(String key, Object o) {
    if (o == null) return Double.NaN;
    if (o instanceof Number n) return n.doubleValue();
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw wrong(key, "a number");
      }
    }
    throw wrong(key, "a number");
  }

  private static double[] toDoubles(String key, Object o) {
    if (!(o instanceof List<?> l)) throw wrong(key, "a list of numbers");
    double[] xs = new double[l.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = toDouble(key, l.get(i));
    return xs;
  }

  private static IllegalArgumentException wrong(String key, String what) {
    return new IllegalArgumentException("the probe state's '" + key + "' is not " + what);
  }
}
