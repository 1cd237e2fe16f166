package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.data.DataShape;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.data.LoadedData;

/** The readers give the pixels and labels the files hold, in the layout the models expect. */
public class DataReadersTest {
  @TempDir
  static Path tmp;

  static DataSpec data(String json) throws Exception {
    RunSpec s = Specs.parse("{\"data\":" + json + "}");
    return s.data;
  }

  static DataSpec data(String dataset, Path dir) throws Exception {
    return data("{\"dataset\":\"" + dataset + "\",\"dir\":\"" + dir + "\",\"trainEvalSize\":5}");
  }

  @Test
  public void cifar10RecordsBecomeChannelMajorImagesInFileOrder() throws Exception {
    Path dir = TestData.writeCifar10(tmp.resolve("c10"), 4, 6);
    DataShape shape = Datasets.check(data("cifar10", dir));
    assertEquals(20, shape.trainFileSize());
    assertEquals(6, shape.testFileSize());
    assertEquals(3 * 32 * 32, shape.features());
    assertEquals(10, shape.numClasses());

    LoadedData d = Datasets.load(data("cifar10", dir), 0);
    ImageSet train = d.train();
    assertEquals(20, train.size());
    assertEquals(3, train.channels());
    assertEquals(3072, train.features());
    // record 13 is the second record of data_batch_4.bin: its label, and its blue pixel at row 7, column 30
    assertEquals(TestData.cifar10Label(13), train.labels()[13]);
    assertEquals(TestData.cifarPixel(13, 2, 7, 30) / 255f, train.pixel(13, 2, 7, 30));
    // the same pixel by hand: 1 label byte skipped, then the red and green planes, then row 7 of blue
    assertEquals(TestData.cifarPixel(13, 2, 7, 30) / 255f, train.pixels()[13 * 3072 + 2 * 1024 + 7 * 32 + 30]);
    assertEquals(TestData.cifarPixel(5, 0, 0, 0) / 255f, d.test().pixel(5, 0, 0, 0));
    assertEquals(TestData.cifar10Label(5), d.test().labels()[5]);
    assertNull(d.heldOut());
    assertEquals(6, d.checksums().size());
    assertTrue(d.checksums().containsKey("data_batch_5.bin"));
  }

  @Test
  public void cifar100UsesTheFineLabelUnlessCoarseIsAsked() throws Exception {
    Path dir = TestData.writeCifar100(tmp.resolve("c100"), 12, 5);
    LoadedData fine = Datasets.load(data("cifar100", dir), 0);
    assertEquals(100, fine.numClasses());
    assertEquals(100, fine.train().numClasses());
    for (int r = 0; r < 12; r++) assertEquals(TestData.cifar100Fine(r), fine.train().labels()[r], "record " + r);
    // two label bytes, then the pixels: the green pixel at row 31, column 0 of record 11
    assertEquals(TestData.cifarPixel(11, 1, 31, 0) / 255f, fine.train().pixel(11, 1, 31, 0));

    LoadedData coarse = Datasets.load(data("{\"dataset\":\"cifar100\",\"dir\":\"" + dir
        + "\",\"cifar100Labels\":\"coarse\",\"trainEvalSize\":5}"), 0);
    assertEquals(20, coarse.numClasses());
    for (int r = 0; r < 5; r++) assertEquals(TestData.cifar100Coarse(r), coarse.test().labels()[r], "record " + r);
    assertArrayEquals(fine.train().pixels(), coarse.train().pixels());
  }

  @Test
  public void cifarFilesAreFoundInTheFolderTheirArchiveUnpacksTo() throws Exception {
    Path top = Files.createDirectories(tmp.resolve("download"));
    TestData.writeCifar10(top.resolve("cifar-10-batches-bin"), 2, 3);
    DataShape shape = Datasets.check(data("cifar10", top));
    assertEquals(top.resolve("cifar-10-batches-bin"), shape.dir());
    assertEquals(10, shape.trainFileSize());
  }

  @Test
  public void pixelsReshapeToDl4jConvolutionalInput() throws Exception {
    Nd4jSetup.init();
    ImageSet train = Datasets.load(data("cifar10", TestData.writeCifar10(tmp.resolve("nchw"), 1, 2)), 0).train();
    INDArray x = Nd4j.create(train.pixels(), new long[] { train.size(), train.channels(), train.rows(), train.cols() },
        'c');
    for (int[] p : new int[][] { { 0, 0, 0, 0 }, { 3, 1, 5, 17 }, { 4, 2, 31, 31 }, { 2, 2, 0, 9 } }) {
      assertEquals(TestData.cifarPixel(p[0], p[1], p[2], p[3]) / 255f, x.getFloat(p[0], p[1], p[2], p[3]),
          "example " + p[0] + " channel " + p[1] + " at (" + p[2] + ", " + p[3] + ")");
    }
  }

  @Test
  public void mnistFromPlainAndGzippedIdxFiles() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("mnist-plain"));
    byte[] px = new byte[12 * 5 * 4];
    for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 13);
    byte[] lab = new byte[12];
    for (int i = 0; i < 12; i++) lab[i] = (byte) ((i * 7) % 10);
    TestData.writeImagesPlain(plain.resolve("train-images-idx3-ubyte"), 2051, 12, 5, 4, px);
    TestData.writeLabelsPlain(plain.resolve("train-labels-idx1-ubyte"), 2049, 12, lab);
    TestData.writeImagesPlain(plain.resolve("t10k-images-idx3-ubyte"), 2051, 12, 5, 4, px);
    TestData.writeLabelsPlain(plain.resolve("t10k-labels-idx1-ubyte"), 2049, 12, lab);
    LoadedData d = Datasets.load(data("mnist", plain), 0);
    assertEquals(1, d.train().channels());
    assertEquals(5, d.train().rows());
    assertEquals(4, d.train().cols());
    // example 9, row 3, column 2 is byte 9*20 + 3*4 + 2 of the pixels
    assertEquals(((9 * 20 + 3 * 4 + 2) * 13 & 0xff) / 255f, d.train().pixel(9, 0, 3, 2));
    assertEquals(3, d.train().labels()[9]);

    Path gz = TestData.writeIdx(tmp.resolve("mnist-gz"), 30, 10, 6, 6, 3);
    LoadedData g = Datasets.load(data("mnist", gz), 0);
    assertEquals(30, g.train().size());
    assertEquals(7, g.train().labels()[17]);
    assertEquals(FashionMnist.load(gz).train().pixels()[17 * 36 + 8], g.train().pixel(17, 0, 1, 2));
  }

  @Test
  public void realFashionMnistFromTheDebianFolder() throws Exception {
    DataSpec spec = data("{\"trainSize\":1000,\"trainSelection\":\"random\",\"heldOutSize\":500,\"testSize\":300,"
        + "\"trainEvalSize\":100}");
    DataShape shape = Datasets.check(data("{}"));
    assertEquals(60000, shape.trainFileSize());
    assertEquals(10000, shape.testFileSize());
    assertEquals(784, shape.features());
    assertEquals(FashionMnist.DEBIAN_DIR, Datasets.resolveDir(spec));

    LoadedData d = Datasets.load(spec, 4);
    assertEquals(1000, d.train().size());
    assertEquals(500, d.heldOut().size());
    assertEquals(300, d.test().size());
    ImageSet whole = FashionMnist.load(FashionMnist.DEBIAN_DIR).train();
    int e = d.plan().heldOut()[123];
    assertEquals(whole.labels()[e], d.heldOut().labels()[123]);
    assertArrayEquals(java.util.Arrays.copyOfRange(whole.pixels(), e * 784, (e + 1) * 784),
        java.util.Arrays.copyOfRange(d.heldOut().pixels(), 123 * 784, 124 * 784));
    assertTrue(d.description().startsWith("Fashion-MNIST from " + FashionMnist.DEBIAN_DIR + ": 1000 training"
        + " examples of 60000, 500 held out, subset random, 300 test examples of 10000, 1x28x28, 10 classes"),
        d.description());
    assertEquals(4, d.checksums().size());
  }
}
