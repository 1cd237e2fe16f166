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

  /** IDX images without gzip (the reader takes both) */
  public static void writeImagesPlain(Path f, int magic, int n, int rows, int cols, byte[] px) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(f))) {
      out.writeInt(magic);
      out.writeInt(n);
      out.writeInt(rows);
      out.writeInt(cols);
      out.write(px);
    }
  }

  /** IDX labels without gzip */
  public static void writeLabelsPlain(Path f, int magic, int n, byte[] lab) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(f))) {
      out.writeInt(magic);
      out.writeInt(n);
      out.write(lab);
    }
  }

  /**
   * The pixel byte that the generated CIFAR files hold for record {@code r} (counted over all training files, or in
   * the test file), channel c (0 red, 1 green, 2 blue), row y, column x: distinct per channel, row and column.
   */
  public static int cifarPixel(int r, int c, int y, int x) {
    return (r * 7 + c * 80 + y * 3 + x * 5) & 0xff;
  }

  /** the label byte of generated CIFAR-10 record r, and the fine and coarse label bytes of CIFAR-100 record r */
  public static int cifar10Label(int r) {
    return r % 10;
  }

  public static int cifar100Fine(int r) {
    return (r * 3 + 1) % 100;
  }

  public static int cifar100Coarse(int r) {
    return r % 20;
  }

  /**
   * CIFAR-10 in the binary format: data_batch_1.bin … data_batch_5.bin of {@code perBatch} records each and
   * test_batch.bin of {@code nTest}; record bytes per {@link #cifarPixel} and {@link #cifar10Label}.
   */
  public static Path writeCifar10(Path dir, int perBatch, int nTest) throws IOException {
    Files.createDirectories(dir);
    for (int b = 0; b < 5; b++) {
      writeCifarFile(dir.resolve("data_batch_" + (b + 1) + ".bin"), b * perBatch, perBatch, false);
    }
    writeCifarFile(dir.resolve("test_batch.bin"), 0, nTest, false);
    return dir;
  }

  /** CIFAR-100 in the binary format: train.bin and test.bin, records with a coarse and a fine label byte */
  public static Path writeCifar100(Path dir, int nTrain, int nTest) throws IOException {
    Files.createDirectories(dir);
    writeCifarFile(dir.resolve("train.bin"), 0, nTrain, true);
    writeCifarFile(dir.resolve("test.bin"), 0, nTest, true);
    return dir;
  }

  /** records first .. first+n-1: label byte(s), then the red, green and blue 32x32 planes row by row */
  public static void writeCifarFile(Path f, int first, int n, boolean cifar100) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f))) {
      for (int r = first; r < first + n; r++) {
        if (cifar100) {
          out.write(cifar100Coarse(r));
          out.write(cifar100Fine(r));
        } else {
          out.write(cifar10Label(r));
        }
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) out.write(cifarPixel(r, c, y, x));
          }
        }
      }
    }
  }

  /** the rows of one probe's quantity in a run's metrics.csv, in file order */
  public static java.util.List<org.trajlab.api.store.MetricRow> rows(org.trajlab.api.store.RunFolder f, String probe,
      String quantity) throws IOException {
    return org.trajlab.api.store.MetricsReader.readAll(f.file(org.trajlab.api.store.RunFolder.METRICS)).stream()
        .filter(r -> r.probe().equals(probe) && r.quantity().equals(quantity)).toList();
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
