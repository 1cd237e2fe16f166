package org.trajlab.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Freeing ND4J arrays at once: left to the garbage collector, off-heap memory piles up until JavaCPP forces
 * System.gc() with pauses of tens of milliseconds (measured: a top-5 Lanczos went from 4.8 s to 9 s).
 */
final class NdArrays {
  private NdArrays() {}

  /** closes each array that owns its buffer and is still open (views, nulls and closed arrays are skipped) */
  static void free(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null && !a.wasClosed() && a.closeable()) a.close();
    }
  }
}
