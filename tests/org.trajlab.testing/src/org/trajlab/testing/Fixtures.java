package org.trajlab.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reference numbers the tests reproduce, carried inside this bundle ({@code resources/fixtures}, with their
 * provenance), and the Fashion-MNIST folder they are computed on. Nothing here skips: a missing fixture or data
 * folder fails the test with a sentence that says how to get it.
 */
public final class Fixtures {
  /** where the Debian package {@code dataset-fashion-mnist} (installed by {@code ./build.sh}) puts the IDX files */
  public static final String DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
  public static final String SOFTMAX_TRAIN1000 = "softmax-fashion-mnist-train1000.json";

  private Fixtures() {}

  /** a fixture of {@code resources/fixtures} as JSON */
  public static JsonNode json(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/resources/fixtures/" + name)) {
      if (in == null) throw new IllegalStateException("the fixture " + name + " is not in org.trajlab.testing/resources/fixtures");
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("the fixture " + name + " cannot be read", e);
    }
  }

  /** softmax regression on the first 1,000 Fashion-MNIST training images: points A and B (see PROVENANCE.md) */
  public static JsonNode softmaxTrain1000() {
    return json(SOFTMAX_TRAIN1000);
  }

  /**
   * The Fashion-MNIST folder: {@code -Dtrajlab.fashionMnistDir}, else {@code $TRAJLAB_FASHION_MNIST_DIR}, else the
   * Debian package's folder. Fails (does not skip) when the training files are not there.
   */
  public static Path fashionMnistDir() {
    String dir = System.getProperty("trajlab.fashionMnistDir",
        System.getenv().getOrDefault("TRAJLAB_FASHION_MNIST_DIR", DEBIAN_FASHION_MNIST));
    Path d = Path.of(dir);
    if (!Files.isRegularFile(d.resolve("train-images-idx3-ubyte.gz")) || !Files.isRegularFile(d.resolve("train-labels-idx1-ubyte.gz"))) {
      throw new AssertionError("Fashion-MNIST is not in " + d + ": ./build.sh installs it (Debian package dataset-fashion-mnist)");
    }
    return d;
  }
}
