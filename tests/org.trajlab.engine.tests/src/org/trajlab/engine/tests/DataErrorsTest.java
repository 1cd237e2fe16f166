package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.engine.data.Datasets;

/**
 * Every bad data spec, folder or file gives one sentence naming the field: spec errors when the spec is parsed,
 * file errors from {@link Datasets#check} before a run starts, and the few that only reading finds (a truncated
 * gzipped IDX file, whose length says nothing) from {@link Datasets#load}.
 */
public class DataErrorsTest {
  @TempDir
  static Path tmp;

  /** name | fixture folder | stage (parse, check, load) | field | data spec JSON | the sentence ({dir} = the folder) */
  static final String TABLE = """
      unknown dataset | none | check | data.dataset | {"dataset":"imagenet"} | Field 'data.dataset' must be one of cifar10, cifar100, fashion-mnist, mnist, quadratic, text, but it is 'imagenet'.
      label noise above 1 | none | parse | data.labelNoise | {"labelNoise":1.5} | Field 'data.labelNoise' (the fraction of training labels replaced by random labels) must be a number from 0 to 1, but it is 1.5.
      label noise below 0 | none | parse | data.labelNoise | {"labelNoise":-0.1} | Field 'data.labelNoise' (the fraction of training labels replaced by random labels) must be a number from 0 to 1, but it is -0.1.
      label noise as text | none | parse | data.labelNoise | {"labelNoise":"half"} | Field 'data.labelNoise' must be a number, not "half".
      label noise without labels | none | check | data.labelNoise | {"dataset":"quadratic","labelNoise":0.2} | Field 'data.labelNoise' needs labels, but the dataset quadratic has none.
      unknown cifar100 labels | none | check | data.cifar100Labels | {"dataset":"cifar100","cifar100Labels":"medium"} | Field 'data.cifar100Labels' must be one of coarse, fine, but it is 'medium'.
      cifar100 labels for cifar10 | none | check | data.cifar100Labels | {"dataset":"cifar10","cifar100Labels":"fine"} | Field 'data.cifar100Labels' applies only to the dataset cifar100, but the dataset is 'cifar10'.
      quadratic for mnist | none | check | data.quadratic | {"dataset":"mnist","quadratic":{"dim":3}} | Field 'data.quadratic' applies only to the dataset quadratic, but the dataset is 'mnist'.
      quadratic fastCount | none | check | data.quadratic.fastCount | {"dataset":"quadratic","quadratic":{"dim":3,"fastCount":4}} | Field 'data.quadratic.fastCount' must be a number of coordinates from 0 to dim (3), but it is 4.
      quadratic unknown field | none | parse | data.quadratic.eta | {"dataset":"quadratic","quadratic":{"eta":3}} | Unknown field 'eta' in 'data.quadratic'; allowed fields: dim, fast, fastCount, linear, samples, sigma, slow, testSamples.
      empty range | none | parse | data.trainRange.to | {"trainRange":{"from":100,"to":100}} | Field 'data.trainRange.to' must be an example index after 'from' (the range is [from, to)), but it is 100.
      negative range | none | parse | data.testRange.from | {"testRange":{"from":-1}} | Field 'data.testRange.from' must be an example index of 0 or more, but it is -1.
      unknown selection | none | parse | data.trainSelection | {"trainSelection":"last"} | Field 'data.trainSelection' must be one of first, random, but it is 'last'.
      negative held-out size | none | parse | data.heldOutSize | {"heldOutSize":-5} | Field 'data.heldOutSize' must be zero or a positive number of examples, but it is -5.
      missing folder | none | check | data.dir | {"dataset":"cifar10","dir":"{dir}/nowhere"} | The data folder {dir}/nowhere does not exist; set 'data.dir' to a folder with the CIFAR-10 binary files (data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin and test_batch.bin).
      missing Fashion-MNIST folder | none | check | data.dir | {"dir":"{dir}/nowhere"} | The data folder {dir}/nowhere does not exist; set 'data.dir' to a folder with the Fashion-MNIST IDX files or install the Debian package dataset-fashion-mnist.
      mnist without folder | none | check | data.dir | {"dataset":"mnist"} | Field 'data.dir' must name the data folder for the dataset mnist, which has no default folder; set 'data.dir' to a folder with the MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally gzipped).
      missing CIFAR-10 file | cifar10-no-batch3 | check | data.dir | {"dataset":"cifar10","dir":"{dir}"} | The data folder {dir} has no data_batch_3.bin; CIFAR-10 (binary version) needs data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin and test_batch.bin.
      missing CIFAR-100 file | cifar100-no-test | check | data.dir | {"dataset":"cifar100","dir":"{dir}"} | The data folder {dir} has no test.bin; CIFAR-100 (binary version) needs train.bin and test.bin.
      missing IDX file | mnist-no-t10k-labels | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The data folder {dir} has no t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz); it needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.
      truncated CIFAR-10 | cifar10-truncated | check | data.dir | {"dataset":"cifar10","dir":"{dir}"} | The file {dir}/data_batch_2.bin has 12291 bytes, which is not a whole number of CIFAR-10 records of 3073 bytes (1 label byte and 3072 pixel bytes), so it is truncated or not a CIFAR-10 binary file.
      truncated CIFAR-100 | cifar100-truncated | check | data.dir | {"dataset":"cifar100","dir":"{dir}"} | The file {dir}/test.bin has 9322 bytes, which is not a whole number of CIFAR-100 records of 3074 bytes (2 label bytes and 3072 pixel bytes), so it is truncated or not a CIFAR-100 binary file.
      empty CIFAR-10 file | cifar10-empty | check | data.dir | {"dataset":"cifar10","dir":"{dir}"} | The file {dir}/test_batch.bin is empty, but it must hold CIFAR-10 records of 3073 bytes (1 label byte and 3072 pixel bytes).
      CIFAR-10 label 10 | cifar10-label10 | check | data.dir | {"dataset":"cifar10","dir":"{dir}"} | The file {dir}/data_batch_4.bin has label 10 at record 2, outside the classes 0..9 of CIFAR-10.
      CIFAR-100 fine label 100 | cifar100-fine100 | check | data.dir | {"dataset":"cifar100","dir":"{dir}"} | The file {dir}/train.bin has fine label 100 at record 7, outside the classes 0..99 of CIFAR-100.
      CIFAR-100 coarse label 20 | cifar100-coarse20 | check | data.dir | {"dataset":"cifar100","dir":"{dir}","cifar100Labels":"coarse"} | The file {dir}/train.bin has coarse label 20 at record 7, outside the classes 0..19 of CIFAR-100.
      IDX wrong image magic | mnist-magic | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/train-images-idx3-ubyte is not an IDX image file (magic number 2049, expected 2051).
      IDX wrong label magic | mnist-label-magic | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/t10k-labels-idx1-ubyte is not an IDX label file (magic number 2051, expected 2049).
      truncated IDX | mnist-truncated | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/t10k-images-idx3-ubyte is truncated: it declares 10 images of 6x6 but holds only 300 of their 360 pixel bytes.
      truncated gzipped IDX | mnist-gz-truncated | load | data.dir | {"dataset":"mnist","dir":"{dir}","trainEvalSize":5} | The file {dir}/train-images-idx3-ubyte.gz is truncated: it declares 30 images of 6x6 but holds only 100 of their 1080 pixel bytes.
      cut-off gzip IDX | mnist-gz-cut | load | data.dir | {"dataset":"mnist","dir":"{dir}","trainEvalSize":5} | The file {dir}/t10k-images-idx3-ubyte.gz is truncated: its gzip stream ends before the 10 images of 6x6 it declares.
      truncated IDX labels | mnist-labels-truncated | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/train-labels-idx1-ubyte is truncated: it declares 30 labels but holds 20.
      IDX label 12 | mnist-label12 | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/train-labels-idx1-ubyte has label 12 at example 17, outside the classes 0..9.
      IDX counts differ | mnist-count-mismatch | check | data.dir | {"dataset":"mnist","dir":"{dir}"} | The file {dir}/t10k-images-idx3-ubyte holds 10 images but {dir}/t10k-labels-idx1-ubyte holds 9 labels; they must match.
      held-out too large | cifar10 | check | data.heldOutSize | {"dataset":"cifar10","dir":"{dir}","heldOutSize":20} | Field 'data.heldOutSize' is 20 but only 20 training examples are available to carve it from and at least one must be left to train on; choose at most 19.
      held-out too large for the range | cifar10 | check | data.heldOutSize | {"dataset":"cifar10","dir":"{dir}","trainRange":{"from":4,"to":12},"heldOutSize":9} | Field 'data.heldOutSize' is 9 but only 8 training examples are available to carve it from (data.trainRange) and at least one must be left to train on; choose at most 7.
      training subset after held-out | cifar10 | check | data.trainSize | {"dataset":"cifar10","dir":"{dir}","heldOutSize":5,"trainSize":16} | Field 'data.trainSize' is 16 but only 15 training examples remain after the held-out split of 5; choose at most 15.
      training subset larger than the file | cifar10 | check | data.trainSize | {"dataset":"cifar10","dir":"{dir}","trainSize":21} | Field 'data.trainSize' is 21 but the training file has only 20 examples; choose at most 20.
      range beyond the file | cifar10 | check | data.trainRange.to | {"dataset":"cifar10","dir":"{dir}","trainRange":{"from":2,"to":21}} | Field 'data.trainRange.to' is 21 but the training file has only 20 examples; choose at most 20.
      range starts beyond the file | cifar10 | check | data.trainRange.from | {"dataset":"cifar10","dir":"{dir}","trainRange":{"from":20}} | Field 'data.trainRange.from' is 20 but the training file has only 20 examples (indices 0..19).
      test range beyond the file | cifar10 | check | data.testRange.to | {"dataset":"cifar10","dir":"{dir}","trainEvalSize":5,"testRange":{"from":0,"to":7}} | Field 'data.testRange.to' is 7 but the test file has only 6 examples; choose at most 6.
      test subset larger than the range | cifar10 | check | data.testSize | {"dataset":"cifar10","dir":"{dir}","trainEvalSize":5,"testRange":{"from":1,"to":4},"testSize":4} | Field 'data.testSize' is 4 but the range data.testRange holds only 3 examples; choose at most 3.
      train-eval larger than the training set | cifar10 | check | data.trainEvalSize | {"dataset":"cifar10","dir":"{dir}","trainSize":10} | Field 'data.trainEvalSize' is 5000 but the training set has only 10 examples; choose at most 10.
      quadratic subset larger than its samples | none | check | data.trainSize | {"dataset":"quadratic","quadratic":{"samples":50},"trainSize":60} | Field 'data.trainSize' is 60 but the training file has only 50 examples; choose at most 50.
      """;

  static Stream<Arguments> table() {
    return TABLE.lines().filter(l -> !l.isBlank()).map(l -> {
      String[] c = l.split("\\|", 6);
      return Arguments.of(c[0].trim(), c[1].trim(), c[2].trim(), c[3].trim(), c[4].trim(), c[5].trim());
    });
  }

  @BeforeAll
  static void fixtures() throws IOException {
    Files.createDirectories(tmp.resolve("none"));
    TestData.writeCifar10(tmp.resolve("cifar10"), 4, 6);
    Files.delete(TestData.writeCifar10(tmp.resolve("cifar10-no-batch3"), 1, 1).resolve("data_batch_3.bin"));
    truncate(TestData.writeCifar10(tmp.resolve("cifar10-truncated"), 4, 6).resolve("data_batch_2.bin"), 4 * 3073 - 1);
    truncate(TestData.writeCifar10(tmp.resolve("cifar10-empty"), 4, 6).resolve("test_batch.bin"), 0);
    // record 2 of data_batch_4.bin starts at byte 2*3073; its label byte is the first
    poke(TestData.writeCifar10(tmp.resolve("cifar10-label10"), 4, 6).resolve("data_batch_4.bin"), 2 * 3073, 10);
    Files.delete(TestData.writeCifar100(tmp.resolve("cifar100-no-test"), 4, 2).resolve("test.bin"));
    truncate(TestData.writeCifar100(tmp.resolve("cifar100-truncated"), 4, 3).resolve("test.bin"), 3 * 3074 + 100);
    poke(TestData.writeCifar100(tmp.resolve("cifar100-fine100"), 10, 2).resolve("train.bin"), 7 * 3074 + 1, 100);
    poke(TestData.writeCifar100(tmp.resolve("cifar100-coarse20"), 10, 2).resolve("train.bin"), 7 * 3074, 20);

    Files.delete(plainMnist("mnist-no-t10k-labels").resolve("t10k-labels-idx1-ubyte"));
    TestData.writeImagesPlain(plainMnist("mnist-magic").resolve("train-images-idx3-ubyte"), 2049, 30, 6, 6,
        new byte[30 * 36]);
    TestData.writeLabelsPlain(plainMnist("mnist-label-magic").resolve("t10k-labels-idx1-ubyte"), 2051, 10,
        new byte[10]);
    TestData.writeImagesPlain(plainMnist("mnist-truncated").resolve("t10k-images-idx3-ubyte"), 2051, 10, 6, 6,
        new byte[300]);
    Path gz = TestData.writeIdx(tmp.resolve("mnist-gz-truncated"), 30, 10, 6, 6, 1);
    TestData.writeImages(gz.resolve("train-images-idx3-ubyte.gz"), 2051, 30, 6, 6, new byte[100]);
    // random pixels do not compress, so cutting the file to 300 bytes cuts its pixels, not only the gzip trailer
    Path cut = TestData.writeIdx(tmp.resolve("mnist-gz-cut"), 30, 10, 6, 6, 2);
    byte[] noise = new byte[360];
    new java.util.Random(4).nextBytes(noise);
    TestData.writeImages(cut.resolve("t10k-images-idx3-ubyte.gz"), 2051, 10, 6, 6, noise);
    truncate(cut.resolve("t10k-images-idx3-ubyte.gz"), 300);
    TestData.writeLabelsPlain(plainMnist("mnist-labels-truncated").resolve("train-labels-idx1-ubyte"), 2049, 30,
        new byte[20]);
    byte[] lab = new byte[30];
    lab[17] = 12;
    TestData.writeLabelsPlain(plainMnist("mnist-label12").resolve("train-labels-idx1-ubyte"), 2049, 30, lab);
    TestData.writeLabelsPlain(plainMnist("mnist-count-mismatch").resolve("t10k-labels-idx1-ubyte"), 2049, 9,
        new byte[9]);
  }

  /** MNIST-format IDX files, not gzipped: 30 training and 10 test images of 6x6 */
  static Path plainMnist(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String set : new String[] { "train", "t10k" }) {
      int n = set.equals("train") ? 30 : 10;
      TestData.writeImagesPlain(dir.resolve(set + "-images-idx3-ubyte"), 2051, n, 6, 6, new byte[n * 36]);
      TestData.writeLabelsPlain(dir.resolve(set + "-labels-idx1-ubyte"), 2049, n, new byte[n]);
    }
    return dir;
  }

  static void truncate(Path f, long length) throws IOException {
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(length);
    }
  }

  static void poke(Path f, long at, int value) throws IOException {
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.seek(at);
      r.write(value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  public void badDataIsOneSentence(String name, String fixture, String stage, String field, String json,
      String sentence) throws Exception {
    String dir = tmp.resolve(fixture).toString();
    String spec = "{\"data\":" + json.replace("{dir}", dir) + "}";
    SpecException e;
    if (stage.equals("parse")) {
      e = assertThrows(SpecException.class, () -> Specs.parse(spec));
    } else {
      RunSpec s = Specs.parse(spec);
      if (stage.equals("check")) {
        e = assertThrows(SpecException.class, () -> Datasets.check(s.data));
      } else {
        assertDoesNotThrow(() -> Datasets.check(s.data), "the check reads headers only");
        e = assertThrows(SpecException.class, () -> Datasets.load(s.data, 0));
      }
    }
    assertEquals(sentence.replace("{dir}", dir), e.getMessage());
    assertEquals(field, e.field());
    assertFalse(e.getMessage().contains("\n"));
  }
}
