package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.Batches;
import org.trajlab.engine.Dl4jObjective;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.ModelZoo;
import org.trajlab.engine.models.Network;

/**
 * The objective's arithmetic over a view's parts without ND4J temporaries (θ written straight into the network, the
 * parts' gradients weighted and summed in Java) gives exactly what the ND4J arithmetic gave: the mean gradient over
 * two chunks (5,000 and 1,200 examples) is (g_1·5000 + g_2·1200)/6200 of each chunk's gradient on a twin network
 * to the last bit, and the loss at a point set through the objective is the loss at the point the twin is set to.
 */
public class ObjectivePartsTest {
  @TempDir
  static Path tmp;
  /** 6,200 small generated examples: the train-eval view is cut into chunks of 5,000 and 1,200 */
  static ImageSet train;
  static ImageSet test;

  @BeforeAll
  static void data() throws Exception {
    Nd4jSetup.init();
    FashionMnist d = FashionMnist.load(TestData.writeIdx(tmp.resolve("d"), 6200, 10, 6, 6, 21));
    train = d.train();
    test = d.test();
  }

  @Test
  public void gradientOverPartsIsTheNd4jArithmeticToTheLastBit() throws Exception {
    ModelSpec m = ModelZooTest.model("{\"type\":\"mlp\",\"hidden\":[30,20]}");
    int[] idx = GroupGradientsTest.range(6200);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      Network twin = ModelZoo.build(m, dt, 4, InputShape.flat(1, 6, 6), 10);
      Dl4jObjective o = new Dl4jObjective(ModelZoo.build(m, dt, 4, InputShape.flat(1, 6, 6), 10), null,
          train, test, idx);
      DataView v = o.view("train-eval");
      double[] theta = WalkBlendTest.next(twin.params().toDoubleVector(), 7);
      twin.params().assign(Nd4j.createFromArray(theta).reshape(twin.params().shape()).castTo(dt));
      double[] got = new double[theta.length];
      double loss = o.gradient(v, theta, got);
      INDArray sum = Nd4j.zeros(DataType.DOUBLE, twin.params().shape());
      double lossSum = 0;
      for (int[] part : new int[][] { { 0, 5000 }, { 5000, 6200 } }) {
        int rows = part[1] - part[0];
        INDArray g = Nd4j.create(dt, twin.params().shape());
        lossSum += twin.meanGradient(Batches.features(train, idx, part[0], part[1], dt),
            Batches.oneHot(train, idx, part[0], part[1], dt), g) * rows;
        sum.addi(dt == DataType.DOUBLE ? g.mul(rows) : g.castTo(DataType.DOUBLE).muli(rows));
      }
      assertArrayEquals(sum.divi(6200).toDoubleVector(), got, 0.0, dt + " gradient");
      assertEquals(lossSum / 6200, loss, 0.0, dt + " loss");
      int[] labels = new int[6200];
      for (int i = 0; i < labels.length; i++) labels[i] = train.labels()[i];
      double twinLoss = (twin.lossAndHits(Batches.features(train, idx, 0, 5000, dt), java.util.Arrays.copyOf(labels, 5000))[0]
          + twin.lossAndHits(Batches.features(train, idx, 5000, 6200, dt), java.util.Arrays.copyOfRange(labels, 5000, 6200))[0]) / 6200;
      assertEquals(twinLoss, o.loss(v, theta), 0.0, dt + " loss at the point");
    }
  }
}
