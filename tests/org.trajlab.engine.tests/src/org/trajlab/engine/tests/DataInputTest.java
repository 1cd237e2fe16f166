package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.engine.data.FashionMnist;

/** Data from a folder the user names, in the real IDX format; bad folders and files are one sentence each. */
public class DataInputTest {
  static ExperimentRunner runner;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void engine() throws Exception {
    runner = TestData.runner();
  }

  static RunSpec spec(Path dir) throws Exception {
    RunSpec s = Specs.parse("{\"name\":\"tiny\",\"data\":{\"trainEvalSize\":100},\"training\":{\"steps\":40,"
        + "\"batchSize\":20},\"eval\":{\"every\":20},\"optimizer\":{\"lr\":0.05},"
        + "\"model\":{\"hidden\":[32]},\"probes\":[{\"type\":\"walk\",\"schedule\":{\"every\":10}}]}");
    s.data.dir = dir.toString();
    return s;
  }

  @Test
  public void trainsOnGeneratedIdxFilesInAFolder() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("gen"), 200, 50, 28, 28, 1);
    FashionMnist d = FashionMnist.load(dir);
    assertEquals(200, d.train().size());
    assertEquals(50, d.test().size());
    assertEquals(3, d.train().labels()[3]);
    RunFolder f = RunFolder.create(tmp.resolve("gen-run"));
    RunOutcome o = runner.run(spec(dir), f, RunMonitor.NONE);
    assertEquals(RunState.DONE, o.state(), o.message());
    double l0 = (double) o.summary().get("final_loss_train_eval");
    assertTrue(l0 < 2.3, "learns the class-dependent pixels: " + l0);
  }

  private String problem(RunSpec s) {
    SpecException e = assertThrows(SpecException.class, () -> runner.check(s));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().endsWith("."), e.getMessage());
    return e.getMessage();
  }

  @Test
  public void missingFolder() throws Exception {
    String m = problem(spec(tmp.resolve("nowhere")));
    assertTrue(m.startsWith("The data folder " + tmp.resolve("nowhere") + " does not exist;"), m);
  }

  @Test
  public void folderWithoutTheFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertTrue(problem(spec(dir)).contains("has no train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)"));
  }

  @Test
  public void batchLargerThanTheData() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("small"), 200, 50, 28, 28, 2);
    RunSpec s = spec(dir);
    s.training.batchSize = 500;
    assertEquals("Field 'training.batchSize' is 500 but the training set has only 200 examples; choose at most 200.",
        problem(s));
    s.training.batchSize = 20;
    s.data.trainEvalSize = 1000;
    assertEquals("Field 'data.trainEvalSize' is 1000 but the training set has only 200 examples; choose at most 200.",
        problem(s));
  }

  @Test
  public void unknownProbe() throws Exception {
    RunSpec s = spec(TestData.writeIdx(tmp.resolve("p"), 200, 50, 28, 28, 3));
    s.probes.get(0).type = "hessian";
    assertEquals("Field 'probes[0].type' must be one of branch, curvature, endpoint, lrscan, noise, nsgd, sidetrip, subspace, walk, but it is 'hessian'.", problem(s));
  }

  @Test
  public void corruptFilesAreFoundWhenLoading() throws Exception {
    Path dir = TestData.writeIdx(tmp.resolve("bad-magic"), 200, 50, 28, 28, 4);
    TestData.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 1234, 200, 28, 28, new byte[200 * 28 * 28]);
    SpecException e = assertThrows(SpecException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().endsWith("is not an IDX image file (magic number 1234, expected 2051)."), e.getMessage());

    Path dir2 = TestData.writeIdx(tmp.resolve("truncated"), 200, 50, 28, 28, 5);
    TestData.writeImages(dir2.resolve("t10k-images-idx3-ubyte.gz"), 2051, 50, 28, 28, new byte[1000]);
    e = assertThrows(SpecException.class, () -> FashionMnist.load(dir2));
    assertTrue(e.getMessage().contains("is truncated: it declares 50 images of 28x28 but holds only 1000 of their 39200 pixel bytes."), e.getMessage());

    Path dir3 = TestData.writeIdx(tmp.resolve("label"), 200, 50, 28, 28, 6);
    byte[] lab = new byte[200];
    lab[17] = 12;
    TestData.writeLabels(dir3.resolve("train-labels-idx1-ubyte.gz"), 2049, 200, lab);
    e = assertThrows(SpecException.class, () -> FashionMnist.load(dir3));
    assertTrue(e.getMessage().endsWith("has label 12 at example 17, outside the classes 0..9."), e.getMessage());

    // and through run(): the spec error comes before anything is written
    RunFolder f = RunFolder.create(tmp.resolve("bad-run"));
    assertThrows(SpecException.class, () -> runner.run(spec(dir), f, RunMonitor.NONE));
    assertFalse(Files.exists(f.file(RunFolder.METRICS)));
  }
}
