package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.spec.Specs;

/** A probe's state through the JSON a checkpoint holds: the values come back as they went in. */
public class ProbeStateTest {

  @SuppressWarnings("unchecked")
  static ProbeState throughJson(Map<String, Object> m) throws Exception {
    return new ProbeState(Specs.json().readValue(Specs.toJson(m), Map.class));
  }

  @Test
  public void numbersListsAndRowsComeBack() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("small", 3L);
    m.put("large", 5_000_000_000L);
    m.put("sum", 0.1 + 0.2);
    m.put("unknown", null);
    m.put("heights", ProbeState.listOf(new double[] { 1.0 / 3, 2, 99 }, 2));
    m.put("rows", ProbeState.rowsOf(List.of(new double[] { 0, Double.NaN, 4 }, new double[] { 10, 2, Double.NaN })));
    ProbeState s = throughJson(m);
    assertEquals(3, s.whole("small"), "an Integer after JSON");
    assertEquals(5_000_000_000L, s.whole("large"));
    assertEquals(0.1 + 0.2, s.number("sum"), 0.0);
    assertTrue(Double.isNaN(s.number("unknown")), "a null written for unknown reads as NaN");
    assertEquals(7.5, s.number("unknown", 7.5), 0.0);
    assertArrayEquals(new double[] { 1.0 / 3, 2 }, s.numbers("heights"), 0.0);
    assertArrayEquals(new double[] { 0, Double.NaN, 4 }, s.rows("rows").get(0), 0.0, "NaN comes back as NaN");
    assertArrayEquals(new double[] { 10, 2, Double.NaN }, s.rows("rows").get(1), 0.0);
  }

  /** a key an older checkpoint lacks reads as the probe's default; a required one is an error that names it */
  @Test
  public void missingKeys() throws Exception {
    ProbeState s = throughJson(Map.of("walks", 2));
    assertEquals(0, s.whole("nanos", 0));
    assertEquals(2, s.whole("walks", 0));
    assertEquals(-1.0, s.number("heightM2", -1), 0.0);
    assertNull(s.vectors("vectors"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.whole("barriers"));
    assertEquals("the probe state has no 'barriers'", e.getMessage());
  }

  /** eigenvectors resume bit for bit; null ranks (a budget-starved computation) are left out */
  @Test
  public void vectorsRoundTripBitExactly() throws Exception {
    double[] v = { 1.0 / 3, -0.0, Double.MIN_VALUE, 1e300, Math.PI, Double.NaN };
    assertArrayEquals(v, ProbeState.decode(ProbeState.encode(v)), 0.0);
    double[] w = { -2, 0.5 };
    ProbeState s = throughJson(Map.of("vectors", ProbeState.vectorsOf(new double[][] { v, null, w }), "none",
        ProbeState.vectorsOf(null)));
    double[][] back = s.vectors("vectors");
    assertEquals(2, back.length);
    assertArrayEquals(v, back[0], 0.0);
    assertArrayEquals(w, back[1], 0.0);
    assertNull(s.vectors("none"), "no vectors before the first computation");
  }
}
