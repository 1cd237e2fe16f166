package org.trajlab.engine.data;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trajlab.api.spec.SpecException;

/**
 * The decoded files of the latest data folders read, and the examples runs selected from them, kept while memory
 * allows, so that the runs of one JVM (the workbench's, a sweep's) read a folder once: loading Fashion-MNIST took
 * 0.7-1.3 s a run, most of it the first touch of the 220 MB of fresh heap its examples in float fill (page faults
 * are dear on this machine kind), against 50 ms from kept arrays. Kept by the data set and each file's real path,
 * size and modification time (a file changed since is read again), as soft references (the garbage collector frees
 * them before memory runs out), at most {@link #KEPT} folders and {@link #KEPT_SELECTIONS} selections of each. A
 * folder is read by one caller at a time: parallel runs of a sweep decode it once. Nothing kept is written: the
 * engine only reads examples ({@link ImageSet}'s arrays are shared by the runs that select the same examples; label
 * noise makes labels of its own).
 */
public final class DataFileCache {
  private DataFileCache() {}

  /** the most folders kept */
  static final int KEPT = 2;

  /** the most selections kept of a folder's examples (a run's training, held-out and test examples) */
  static final int KEPT_SELECTIONS = 6;

  /** a folder's files as read: the training and test images and the files' SHA-256 (in the files' order) */
  static final class Decoded {
    private final RawImages train;
    private final RawImages test;
    private final Map<String, String> checksums;
    /** the selections made of these files, least recently used first (guarded by the class) */
    private final LinkedHashMap<Selection, SoftReference<ImageSet>> selections = new LinkedHashMap<>(8, 0.75f, true);

    Decoded(RawImages train, RawImages test, Map<String, String> checksums) {
      this.train = train;
      this.test = test;
      this.checksums = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    }

    Map<String, String> checksums() {
      return checksums;
    }
  }

  /** examples of the training file (or the test file) at these indices, in this order */
  private static final class Selection {
    private final boolean train;
    private final int[] idx;
    private final int hash;

    Selection(boolean train, int[] idx) {
      this.train = train;
      this.idx = idx.clone();
      this.hash = 31 * java.util.Arrays.hashCode(idx) + (train ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Selection s && s.train == train && java.util.Arrays.equals(s.idx, idx);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** reads a folder's files */
  interface Reader {
    Decoded read() throws SpecException;
  }

  private record Key(String dataset, List<String> files) {}

  private static final LinkedHashMap<Key, SoftReference<Decoded>> KEPT_FOLDERS = new LinkedHashMap<>(4, 0.75f, true);
  private static long reads;

  /**
   * the files of {@code dataset} (any name that tells its formats apart), read by {@code reader} unless kept from an
   * earlier read of the same, unchanged files; a file whose attributes cannot be read is read (and reported) by
   * {@code reader}, and nothing is kept
   */
  static synchronized Decoded get(String dataset, List<Path> files, Reader reader) throws SpecException {
    Key key = key(dataset, files);
    SoftReference<Decoded> kept = key == null ? null : KEPT_FOLDERS.get(key);
    Decoded d = kept == null ? null : kept.get();
    if (d != null) return d;
    d = reader.read();
    reads++;
    if (key != null) {
      KEPT_FOLDERS.put(key, new SoftReference<>(d));
      Iterator<Key> eldest = KEPT_FOLDERS.keySet().iterator();
      while (KEPT_FOLDERS.size() > KEPT) {
        eldest.next();
        eldest.remove();
      }
    }
    return d;
  }

  /**
   * the examples at {@code idx} of the training file (else the test file), in that order, with pixels in [0, 1]: kept
   * from an earlier run's same selection of the same files, else made ({@link RawImages#select}) and kept
   */
  static synchronized ImageSet select(Decoded d, boolean train, int[] idx) {
    Selection key = new Selection(train, idx);
    SoftReference<ImageSet> kept = d.selections.get(key);
    ImageSet s = kept == null ? null : kept.get();
    if (s != null) return s;
    s = (train ? d.train : d.test).select(idx);
    d.selections.put(key, new SoftReference<>(s));
    Iterator<Selection> eldest = d.selections.keySet().iterator();
    while (d.selections.size() > KEPT_SELECTIONS) {
      eldest.next();
      eldest.remove();
    }
    return s;
  }

  /** how many times a folder's files have been read in this JVM (not served from the kept ones) */
  public static synchronized long reads() {
    return reads;
  }

  /** forgets every kept folder */
  public static synchronized void clear() {
    KEPT_FOLDERS.clear();
  }

  private static Key key(String dataset, List<Path> files) {
    List<String> ids = new ArrayList<>();
    try {
      for (Path f : files) {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        ids.add(f.toRealPath() + " " + a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey());
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return new Key(dataset, List.copyOf(ids));
  }
}
