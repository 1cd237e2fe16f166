package org.trajlab.engine.tests;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.trajlab.api.run.ExperimentRunner;

/** Small IDX data sets in the real format, written by the tests, and the engine's service. */
public final class TestData {
  private TestData() {}

  /** writes train (n) and t10k (nTest) images of rows x cols and labels 0..9 (gzipped) into dir */
  public static Path writeIdx(Path dir, int n, int nTest, int rows, int cols, long seed) throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(seed);
    writeSet(dir, "train", n, rows, cols, r);
    writeSet(dir, "t10k", nTest, rows, cols, r);
    return dir;
  }

  private static void writeSet(Path dir, String prefix, int n, int rows, int cols, Random r) throws IOException {
    byte[] px = new byte[n * rows * cols];
    byte[] lab = new byte[n];
    for (int i = 0; i < n; i++) {
      lab[i] = (byte) (i % 10);
      for (int j = 0; j < rows * cols; j++) {
        // class-dependent pixels, so a network can learn something
        px[i * rows * cols + j] = (byte) ((j % 10 == i % 10 ? 200 : 0) + r.nextInt(50));
      }
    }
    writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 2051, n, rows, cols, px);
    writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 2049, n, lab);
  }

  public static void writeImages(Path f, int magic, int n, int rows, int cols, byte[] px) throws IOException {
    try (DataOutputStream out = new DataOutputStream(gz(f))) {
      out.writeInt(magic);
      out.writeInt(n);
      out.writeInt(rows);
      out.writeInt(cols);
      out.write(px);
    }
  }

  public static void writeLabels(Path f, int magic, int n, byte[] lab) throws IOException {
    try (DataOutputStream out = new DataOutputStream(gz(f))) {
      out.writeInt(magic);
      out.writeInt(n);
      out.write(lab);
    }
  }

  private static OutputStream gz(Path f) throws IOException {
    return new GZIPOutputStream(Files.newOutputStream(f));
  }

  public static ExperimentRunner runner() throws InterruptedException {
    var bundle = FrameworkUtil.getBundle(TestData.class);
    if (bundle.getBundleContext() == null) {
      try {
        bundle.start(org.osgi.framework.Bundle.START_TRANSIENT);
      } catch (org.osgi.framework.BundleException e) {
        throw new IllegalStateException(e);
      }
    }
    var bc = bundle.getBundleContext();
    ServiceTracker<ExperimentRunner, ExperimentRunner> t = new ServiceTracker<>(bc, ExperimentRunner.class, null);
    t.open();
    ExperimentRunner r = t.waitForService(TimeUnit.SECONDS.toMillis(30));
    if (r == null) {
      throw new IllegalStateException("the ExperimentRunner service did not appear (is felix.scr started?)");
    }
    return r;
  }
}
