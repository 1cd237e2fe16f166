package org.trajlab.api.probe;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.trajlab.api.spec.SpecException;

/** Reads a probe's params with one-sentence errors; unknown params are an error too. */
public final class ProbeParams {
  private final Map<String, Object> params;
  private final String field;

  public ProbeParams(Map<String, Object> params, String field, Set<String> allowed) throws SpecException {
    this.params = params;
    this.field = field + ".params";
    for (String k : params.keySet()) {
      if (!allowed.contains(k)) {
        throw new SpecException(this.field + "." + k, "Unknown field '" + k + "' in '" + this.field
            + "'; allowed fields: " + String.join(", ", new TreeSet<>(allowed)) + ".");
      }
    }
  }

  /** whether the spec gives this param at all (for params whose absence means something of its own) */
  public boolean has(String name) {
    return params.containsKey(name);
  }

  /** a param without a default: its absence is an error saying what it is */
  public void required(String name, String what) throws SpecException {
    if (!params.containsKey(name)) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name + "' is required: " + what + ".");
    }
  }

  public int integer(String name, int dflt, int min, int max) throws SpecException {
    Object v = params.get(name);
    if (v == null) return dflt;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name + "' must be a whole number from "
          + min + " to " + max + ", but it is " + v + ".");
    }
    return ((Number) v).intValue();
  }

  public double number(String name, double dflt) throws SpecException {
    Object v = params.get(name);
    if (v == null) return dflt;
    if (!(v instanceof Number)) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name + "' must be a number, but it is " + v + ".");
    }
    return ((Number) v).doubleValue();
  }

  /** a number strictly between 0 and 1 (a relative tolerance) */
  public double fraction(String name, double dflt) throws SpecException {
    double v = number(name, dflt);
    if (!(v > 0 && v < 1)) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name
          + "' must be a number between 0 and 1, but it is " + v + ".");
    }
    return v;
  }

  /** true or false */
  public boolean flag(String name, boolean dflt) throws SpecException {
    Object v = params.get(name);
    if (v == null) return dflt;
    if (!(v instanceof Boolean b)) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name + "' must be true or false, but it is "
          + v + ".");
    }
    return b;
  }

  public String string(String name, String dflt, Set<String> allowed) throws SpecException {
    Object v = params.get(name);
    if (v == null) return dflt;
    if (!(v instanceof String) || !allowed.contains(v)) {
      throw new SpecException(field + "." + name, "Field '" + field + "." + name + "' must be one of "
          + String.join(", ", new TreeSet<>(allowed)) + ", but it is " + v + ".");
    }
    return (String) v;
  }
}
