package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.DataSpec;
import org.trajlab.engine.data.DataFileCache;
import org.trajlab.engine.data.Datasets;
import org.trajlab.engine.data.FashionMnist;
import org.trajlab.engine.data.LoadedData;

/**
 * Data folders read once per JVM while their files are unchanged (DataFileCache): the same examples and checksums as
 * a first read, a changed file read again, the oldest of three folders forgotten.
 */
public class DataFileCacheTest {
  @TempDir
  Path tmp;

  private static DataSpec mnist(Path dir) throws Exception {
    return DataReadersTest.data("mnist", dir);
  }

  @Test
  public void aFolderIsReadOnceWhileItsFilesAreUnchanged() throws Exception {
    DataFileCache.clear();
    Path a = TestData.writeIdx(tmp.resolve("a"), 40, 10, 5, 5, 1);
    long before = DataFileCache.reads();
    LoadedData first = Datasets.load(mnist(a), 0);
    LoadedData second = Datasets.load(mnist(a), 0);
    assertEquals(1, DataFileCache.reads() - before, "the second load is served from the kept files");
    assertArrayEquals(first.train().pixels(), second.train().pixels());
    assertArrayEquals(first.test().labels(), second.test().labels());
    assertEquals(first.checksums(), second.checksums());
    // in the files' order, as environment.json lists them
    java.util.List<String> names = new java.util.ArrayList<>(second.checksums().keySet());
    assertEquals(FashionMnist.FILES.length, names.size());
    for (int i = 0; i < names.size(); i++) {
      assertTrue(names.get(i).startsWith(FashionMnist.FILES[i]), names + " in the order of " + java.util.Arrays.toString(FashionMnist.FILES));
    }
    assertArrayEquals(FashionMnist.load(a).train().pixels(), second.train().pixels(), "the files' own examples");
    assertSame(first.train().pixels(), second.train().pixels(), "the same selection's examples are kept");
    // another selection of the same files (a held-out split): its own examples, the files' own
    DataSpec split = DataReadersTest.data("{\"dataset\":\"mnist\",\"dir\":\"" + a + "\",\"trainEvalSize\":5,"
        + "\"heldOutSize\":10}");
    LoadedData held = Datasets.load(split, 0);
    assertEquals(1, DataFileCache.reads() - before);
    assertEquals(30, held.train().size());
    assertEquals(10, held.heldOut().size());
    float[] all = FashionMnist.load(a).train().pixels();
    for (int i = 0; i < held.train().size(); i++) {
      int source = held.plan().train()[i];
      assertEquals(all[source * 25 + 3], held.train().pixels()[i * 25 + 3], "example " + i + " is file example " + source);
    }

    // the same folder written again with other examples: read again, the new examples and checksums
    TestData.writeIdx(a, 40, 10, 5, 5, 2);
    LoadedData third = Datasets.load(mnist(a), 0);
    assertEquals(2, DataFileCache.reads() - before, "a changed file is read again");
    assertArrayEquals(FashionMnist.load(a).train().pixels(), third.train().pixels());
    assertFalse(first.checksums().equals(third.checksums()));

    // two more folders: the first one's files are forgotten (two folders kept) and read again
    Datasets.load(mnist(TestData.writeIdx(tmp.resolve("b"), 30, 10, 5, 5, 3)), 0);
    Datasets.load(mnist(TestData.writeIdx(tmp.resolve("c"), 30, 10, 5, 5, 4)), 0);
    assertEquals(4, DataFileCache.reads() - before);
    Datasets.load(mnist(a), 0);
    assertEquals(5, DataFileCache.reads() - before);
  }
}
