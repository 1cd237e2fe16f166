package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trajlab.dl4j.Nd4jSetup;

/**
 * The OpenBLAS kernels: AVX-512 (SkylakeX) on AMD processors with AVX-512, which the embedded OpenBLAS 0.3.19 runs
 * with AVX2 kernels by itself; what was asked for is what the loaded library runs.
 */
public class BlasKernelsTest {
  private static final Set<String> AVX512 = Set.of("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

  @Test
  void autoAsksForAvx512KernelsOnlyOnAmdProcessorsWithAvx512() {
    assertEquals("SkylakeX", Nd4jSetup.blasKernelsFor("auto", "AuthenticAMD", AVX512));
    assertEquals("SkylakeX", Nd4jSetup.blasKernelsFor(null, "AuthenticAMD", AVX512));
    assertNull(Nd4jSetup.blasKernelsFor("auto", "GenuineIntel", AVX512));
    assertNull(Nd4jSetup.blasKernelsFor("auto", "AuthenticAMD", Set.of("avx2", "fma", "avx512f")));
    assertNull(Nd4jSetup.blasKernelsFor("auto", null, Set.of()));
    assertNull(Nd4jSetup.blasKernelsFor("openblas", "AuthenticAMD", AVX512));
    assertEquals("Haswell", Nd4jSetup.blasKernelsFor(" Haswell ", "AuthenticAMD", AVX512));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Nd4jSetup.blasKernelsFor("sky lake", "AuthenticAMD", AVX512));
    assertEquals("The OpenBLAS kernels (trajlab.blasKernels or TRAJLAB_BLAS_KERNELS) must be auto, openblas or a kernel"
        + " name such as Haswell or SkylakeX, not 'sky lake'.", e.getMessage());
  }

  @Test
  void theLoadedLibraryRunsTheKernelsAskedFor() {
    String running = Nd4jSetup.blasKernels();
    assertNotEquals("unknown", running, "openblas_get_corename of the loaded OpenBLAS");
    String asked = Nd4jSetup.blasKernelsAsked();
    if (asked != null) assertEquals(asked, running, Nd4jSetup.blasKernelsReason());
  }
}
