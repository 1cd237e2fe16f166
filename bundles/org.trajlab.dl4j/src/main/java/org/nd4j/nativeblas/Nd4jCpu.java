package org.nd4j.nativeblas;

/**
 * Shim for DL4J 1.0.0-M2.1: its oneDNN helper check (BaseMKLDNNHelper) looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}, but nd4j-native M2.1 moved that
 * class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method
 * {@code isUseONEDNN()}. Without this class DL4J never uses oneDNN for convolutions even when the native
 * library has it. It lives in the same bundle (class loader) as ND4J so DL4J's reflective lookup finds it.
 */
public class Nd4jCpu {
  public static class Environment {
    private static final Environment INSTANCE = new Environment();

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }
  }
}
