package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.LabelCorruption;
import org.trajlab.engine.data.LoadedData;
import org.trajlab.engine.data.Splits;

/** Subsets, the held-out split and label corruption: disjoint, within their ranges, seeded, reproducible. */
public class DataSplitsTest {
  @TempDir
  static Path tmp;

  static DataSpec data(String json) throws Exception {
    return Specs.parse("{\"data\":" + json + "}").data;
  }

  static DataSpec ranged() throws Exception {
    return data("{\"trainRange\":{\"from\":100,\"to\":900},\"heldOutSize\":100,\"trainSize\":500,"
        + "\"trainSelection\":\"random\",\"testSize\":50,\"testSelection\":\"random\"}");
  }

  static void assertSortedDistinctWithin(int[] idx, int from, int to) {
    for (int i = 0; i < idx.length; i++) {
      assertTrue(idx[i] >= from && idx[i] < to, idx[i] + " outside [" + from + ", " + to + ")");
      if (i > 0) assertTrue(idx[i] > idx[i - 1], "sorted without repeats at " + i);
    }
  }

  @Test
  public void heldOutTrainingAndTestSetsAreDisjointAndInTheirRanges() throws Exception {
    Splits.Plan p = Splits.plan(ranged(), 11, 1000, 300);
    assertEquals(100, p.heldOut().length);
    assertEquals(500, p.train().length);
    assertEquals(50, p.test().length);
    assertSortedDistinctWithin(p.heldOut(), 100, 900);
    assertSortedDistinctWithin(p.train(), 100, 900);
    assertSortedDistinctWithin(p.test(), 0, 300);
    BitSet held = new BitSet();
    for (int i : p.heldOut()) held.set(i);
    for (int i : p.train()) assertFalse(held.get(i), "example " + i + " is both held out and trained on");
    // the whole rest of the pool when no training size is given: 800 - 100
    DataSpec all = ranged();
    all.trainSize = null;
    Splits.Plan q = Splits.plan(all, 11, 1000, 300);
    assertEquals(700, q.train().length);
    assertArrayEquals(p.heldOut(), q.heldOut(), "the held-out split does not depend on the training size");
  }

  @Test
  public void sameSeedSameIndicesOtherSeedOthers() throws Exception {
    Splits.Plan a = Splits.plan(ranged(), 11, 1000, 300);
    Splits.Plan b = Splits.plan(ranged(), 11, 1000, 300);
    Splits.Plan c = Splits.plan(ranged(), 12, 1000, 300);
    assertArrayEquals(a.train(), b.train());
    assertArrayEquals(a.heldOut(), b.heldOut());
    assertArrayEquals(a.test(), b.test());
    assertFalse(Arrays.equals(a.train(), c.train()));
    assertFalse(Arrays.equals(a.heldOut(), c.heldOut()));
    assertFalse(Arrays.equals(a.test(), c.test()));

    DataSpec fixed = ranged();
    fixed.seed = 5L;
    assertArrayEquals(Splits.plan(fixed, 1, 1000, 300).train(), Splits.plan(fixed, 2, 1000, 300).train(),
        "data.seed wins over the run's seed");
  }

  @Test
  public void smallerRandomSubsetsLieInsideLargerOnes() throws Exception {
    DataSpec small = ranged();
    small.trainSize = 120;
    int[] large = Splits.plan(ranged(), 3, 1000, 300).train();
    int[] part = Splits.plan(small, 3, 1000, 300).train();
    for (int i : part) assertTrue(Arrays.binarySearch(large, i) >= 0, i + " is in the smaller subset only");
  }

  @Test
  public void firstSelectionTakesTheRangeInFileOrder() throws Exception {
    Splits.Plan p = Splits.plan(data("{\"trainRange\":{\"from\":40},\"trainSize\":10,\"testRange\":{\"from\":3,"
        + "\"to\":8}}"), 9, 100, 20);
    assertArrayEquals(Splits.range(40, 50), p.train());
    assertArrayEquals(Splits.range(3, 8), p.test());
    assertEquals(0, p.heldOut().length);
  }

  @Test
  public void labelNoiseCorruptsRoundedCountReproducibly() {
    int n = 1000;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % 10;
    LabelCorruption c = LabelCorruption.draw(labels, 10, 0.3, 8);
    assertEquals(300, c.count());
    assertSortedDistinctWithin(c.indices(), 0, n);
    int[] noisy = c.apply(labels);
    BitSet chosen = new BitSet();
    for (int k = 0; k < c.count(); k++) {
      int i = c.indices()[k];
      chosen.set(i);
      assertEquals(labels[i], c.originalLabels()[k]);
      assertEquals(c.randomLabels()[k], noisy[i]);
    }
    int differ = 0;
    for (int i = 0; i < n; i++) {
      if (!chosen.get(i)) assertEquals(labels[i], noisy[i], "clean example " + i + " keeps its label");
      if (noisy[i] != labels[i]) differ++;
    }
    assertEquals(c.changedCount(), differ);
    // a random label equals the true one with probability 1/10: 270 expected, sd 5.2
    assertTrue(differ >= 250 && differ <= 290, differ + " labels changed");
    assertEquals(n - 300, c.cleanIndices(n).length);

    LabelCorruption again = LabelCorruption.draw(labels, 10, 0.3, 8);
    assertArrayEquals(c.indices(), again.indices());
    assertArrayEquals(c.randomLabels(), again.randomLabels());
    assertFalse(Arrays.equals(c.indices(), LabelCorruption.draw(labels, 10, 0.3, 9).indices()));

    LabelCorruption less = LabelCorruption.draw(labels, 10, 0.1, 8);
    for (int k = 0; k < less.count(); k++) {
      int at = Arrays.binarySearch(c.indices(), less.indices()[k]);
      assertTrue(at >= 0, "p = 0.1 corrupts a subset of p = 0.3");
      assertEquals(c.randomLabels()[at], less.randomLabels()[k], "with the same random label");
    }
  }

  @Test
  public void corruptedCountRoundsHalvesUpAndCoversTheEnds() {
    assertEquals(3, LabelCorruption.corruptedCount(0.25, 10));
    assertEquals(0, LabelCorruption.corruptedCount(0, 10));
    assertEquals(10, LabelCorruption.corruptedCount(1, 10));
    assertEquals(1, LabelCorruption.corruptedCount(0.0005, 1000));
  }

  @Test
  public void randomLabelsAreUniformOverTheClasses() {
    int n = 10000;
    LabelCorruption c = LabelCorruption.draw(new int[n], 10, 1.0, 2);
    int[] perClass = new int[10];
    for (int l : c.randomLabels()) perClass[l]++;
    for (int k = 0; k < 10; k++) {
      assertTrue(perClass[k] > 850 && perClass[k] < 1150, "class " + k + " drawn " + perClass[k] + " times of 10000");
    }
  }

  /**
   * the wizard's class counts: the files' labels of exactly the examples the run trains on (CIFAR-10 and IDX files
   * the test writes), counted against the loaded training set's clean labels
   */
  @Test
  public void classCountsAreThoseOfTheExamplesTheRunTrainsOn() throws Exception {
    Path c10 = TestData.writeCifar10(tmp.resolve("c10-counts"), 8, 6);
    DataSpec cifar = data("{\"dataset\":\"cifar10\",\"dir\":\"" + c10 + "\",\"heldOutSize\":10,\"trainSize\":20,"
        + "\"trainSelection\":\"random\",\"trainEvalSize\":5,\"testSize\":4}");
    Path idx = TestData.writeIdx(tmp.resolve("idx-counts"), 300, 50, 8, 8, 5);
    DataSpec mnist = data("{\"dataset\":\"mnist\",\"dir\":\"" + idx + "\",\"trainSize\":120,\"trainEvalSize\":50}");
    for (DataSpec spec : List.of(cifar, mnist)) {
      int[] counts = Datasets.trainClassCounts(spec, Datasets.check(spec, 21));
      LoadedData d = Datasets.load(spec, 21);
      int[] expected = new int[d.numClasses()];
      for (int label : d.train().labels()) expected[label]++;
      assertArrayEquals(expected, counts, spec.dataset);
      assertEquals(d.train().size(), Arrays.stream(counts).sum(), spec.dataset);
      assertTrue(Arrays.stream(counts).filter(c -> c > 0).count() >= 3, spec.dataset + ": " + Arrays.toString(counts));
    }
  }

  @Test
  public void loadAppliesSplitsAndCorruptionToTheFiles() throws Exception {
    Path dir = TestData.writeCifar10(tmp.resolve("c10"), 8, 6);
    DataSpec spec = data("{\"dataset\":\"cifar10\",\"dir\":\"" + dir + "\",\"heldOutSize\":10,\"trainSize\":20,"
        + "\"trainSelection\":\"random\",\"labelNoise\":0.5,\"trainEvalSize\":5,\"testSize\":4}");
    LoadedData d = Datasets.load(spec, 21);
    assertEquals(20, d.train().size());
    assertEquals(10, d.heldOut().size());
    assertEquals(4, d.test().size());
    assertEquals(10, d.corruptedIndices().length);
    assertEquals(10, d.cleanIndices().length);
    for (int i = 0; i < 20; i++) {
      int record = d.plan().train()[i];
      assertEquals(TestData.cifarPixel(record, 1, 4, 9) / 255f, d.train().pixel(i, 1, 4, 9), "pixels of record " + record);
    }
    for (int i : d.cleanIndices()) {
      assertEquals(TestData.cifar10Label(d.plan().train()[i]), d.train().labels()[i], "clean label of " + i);
    }
    for (int k = 0; k < 10; k++) {
      int i = d.corruptedIndices()[k];
      assertEquals(TestData.cifar10Label(d.plan().train()[i]), d.corruption().originalLabels()[k]);
      assertEquals(d.corruption().randomLabels()[k], d.train().labels()[i]);
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(TestData.cifar10Label(d.plan().heldOut()[i]), d.heldOut().labels()[i], "held-out labels stay true");
    }
    List<String> table = d.corruptionTable();
    assertEquals(11, table.size());
    int first = d.corruptedIndices()[0];
    assertEquals(first + "," + d.plan().train()[first] + "," + d.corruption().originalLabels()[0] + ","
        + d.corruption().randomLabels()[0], table.get(1));
    assertEquals(10, d.summary().get("labels_corrupted"));

    LoadedData same = Datasets.load(spec, 21);
    assertArrayEquals(d.train().labels(), same.train().labels());
    assertArrayEquals(d.corruptedIndices(), same.corruptedIndices());
    LoadedData other = Datasets.load(spec, 22);
    assertNotEquals(Arrays.toString(d.plan().heldOut()), Arrays.toString(other.plan().heldOut()));
    assertTrue(d.description().endsWith("; 10 training labels (p = 0.5) replaced by random labels, "
        + d.corruption().changedCount() + " of them changed"), d.description());
  }
}
