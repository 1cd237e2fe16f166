package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.trajlab.dl4j.Nd4jSetup;

/** The engine's thread count: trajlab.threads (or $TRAJLAB_THREADS) sets ND4J's operations and its BLAS. */
public class ThreadsTest {
  @Test
  void theRequestedCountIsThePropertyElseTheEnvironmentElseNone() {
    assertEquals(0, Nd4jSetup.requestedThreads(null, null));
    assertEquals(0, Nd4jSetup.requestedThreads(" ", ""));
    assertEquals(3, Nd4jSetup.requestedThreads("3", "1"));
    assertEquals(1, Nd4jSetup.requestedThreads(null, " 1 "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nd4jSetup.requestedThreads("two", null));
    assertEquals("The number of threads (trajlab.threads or TRAJLAB_THREADS) must be a positive whole number, not 'two'.",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Nd4jSetup.requestedThreads("0", null));
  }

  @Test
  void applyingACountSetsTheOperationsAndBlasThreads() {
    int[] before = Nd4jSetup.threads();
    try {
      Nd4jSetup.applyThreads(1);
      assertArrayEquals(new int[] { 1, 1 }, Nd4jSetup.threads());
      Nd4jSetup.applyThreads(2);
      assertArrayEquals(new int[] { 2, 2 }, Nd4jSetup.threads());
    } finally {
      Nd4jSetup.applyThreads(before[0]);
    }
    assertThrows(IllegalArgumentException.class, () -> Nd4jSetup.applyThreads(0));
  }
}
