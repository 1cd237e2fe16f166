package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Batches;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;

/** Batches gathered into kept arrays hold exactly what freshly built batches hold, in float and double. */
public class BatchGatherTest {
  @TempDir
  static Path tmp;
  static ImageSet train;

  @BeforeAll
  static void data() throws Exception {
    Nd4jSetup.init();
    train = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 300, 10, 6, 6, 5)).train();
  }

  @Test
  public void gatheredBatchesAreTheFreshOnes() {
    SplittableRandom r = new SplittableRandom(1);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      INDArray x = Nd4j.create(dt, new long[] { 40, train.features() }, 'c');
      INDArray y = Nd4j.create(dt, new long[] { 40, train.numClasses() }, 'c');
      for (int round = 0; round < 3; round++) { // the same arrays again: nothing of the last batch is left
        int[] idx = r.ints(50, 0, train.size()).toArray();
        Batches.gather(train, idx, 10, 50, x);
        Batches.oneHotInto(train, idx, 10, 50, y);
        assertArrayEquals(DenseStackTest.values(Batches.features(train, idx, 10, 50, dt)), DenseStackTest.values(x), 0.0);
        assertArrayEquals(DenseStackTest.values(Batches.oneHot(train, idx, 10, 50, dt)), DenseStackTest.values(y), 0.0);
        for (int i = 0; i < 40; i++) { // row i: 1 at the label of example idx[10 + i], 0 elsewhere
          for (int c = 0; c < train.numClasses(); c++) {
            assertEquals(c == train.labels()[idx[10 + i]] ? 1.0 : 0.0, y.getDouble(i, c), dt + " row " + i + " class " + c);
          }
        }
      }
      INDArray wrong = Nd4j.create(dt, new long[] { 39, train.features() }, 'c');
      assertThrows(IllegalArgumentException.class, () -> Batches.gather(train, new int[40], 0, 40, wrong));
    }
  }
}
