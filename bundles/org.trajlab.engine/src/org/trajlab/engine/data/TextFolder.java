package org.trajlab.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.trajlab.api.spec.DataSpec;
import org.trajlab.api.spec.SpecException;

/**
 * The {@code text} dataset: a folder with {@code train/<class>/*.txt} and {@code test/<class>/*.txt}, one example per
 * file, the classes being the subfolder names in sorted order (see {@link DataSpec.Text}). Examples become rows of
 * {@code length} word ids stored as floats in an {@link ImageSet} of 1x1x{@code length} (ids are exact in a float up
 * to 2^24), so batches, subsets, splits and label noise work as for images.
 */
public final class TextFolder {
  static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
  public static final int PAD = 0;
  public static final int UNKNOWN = 1;

  /** the files of one split, by class */
  record Split(List<String> classes, List<Path> files, int[] labels) {}

  private TextFolder() {}

  /** the files of {@code dir/name}, checked: a folder per class, at least two classes, at least one file each */
  static Split split(Path dir, String name) throws SpecException {
    Path root = dir.resolve(name);
    if (!Files.isDirectory(root)) {
      throw new SpecException("data.dir", "The data folder " + dir + " has no " + name + "/ folder; a text dataset needs"
          + " train/<class>/*.txt and test/<class>/*.txt, one folder per class.");
    }
    List<String> classes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path c : s.filter(Files::isDirectory).sorted().toList()) classes.add(c.getFileName().toString());
      for (int k = 0; k < classes.size(); k++) {
        try (Stream<Path> fs = Files.list(root.resolve(classes.get(k)))) {
          List<Path> txt = fs.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".txt")).sorted().toList();
          if (txt.isEmpty()) {
            throw new SpecException("data.dir", "The class folder " + root.resolve(classes.get(k)) + " has no .txt file.");
          }
          for (Path f : txt) {
            files.add(f);
            labels.add(k);
          }
        }
      }
    } catch (IOException e) {
      throw new SpecException("data.dir", "The folder " + root + " cannot be read (" + e.getMessage() + ").");
    }
    if (classes.size() < 2) {
      throw new SpecException("data.dir", "The folder " + root + " has " + classes.size() + " class folder(s); a"
          + " classifier needs at least 2.");
    }
    return new Split(classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** the shape of the folder's data for a spec: train and test file counts, classes (train and test must agree) */
  static ImageFormat.Summary check(Path dir, DataSpec.Text t) throws SpecException {
    Split train = split(dir, "train");
    Split test = split(dir, "test");
    if (!train.classes().equals(test.classes())) {
      throw new SpecException("data.dir", "The folder " + dir + " has the classes " + train.classes() + " in train/ but "
          + test.classes() + " in test/; they must be the same.");
    }
    return new ImageFormat.Summary(train.files().size(), test.files().size(), 1, 1, t.length, train.classes().size());
  }

  /** lower-cased words of a text */
  public static List<String> words(String text) {
    List<String> w = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(java.util.Locale.ROOT));
    while (m.find()) w.add(m.group());
    return w;
  }

  /** the vocabulary: word -> id (2...), the vocab - 2 most frequent words of {@code texts}, ties alphabetical */
  public static Map<String, Integer> vocabulary(List<List<String>> texts, int vocab) {
    Map<String, Integer> counts = new HashMap<>();
    for (List<String> t : texts) {
      for (String w : t) counts.merge(w, 1, Integer::sum);
    }
    List<String> ordered = counts.keySet().stream()
        .sorted(Comparator.comparing((String w) -> -counts.get(w)).thenComparing(Comparator.naturalOrder()))
        .limit(Math.max(0, vocab - 2)).toList();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) ids.put(ordered.get(i), i + 2);
    return ids;
  }

  /** the first {@code length} ids of {@code words}, padded with 0 at the front */
  public static float[] encode(List<String> words, Map<String, Integer> ids, int length) {
    float[] row = new float[length];
    int n = Math.min(length, words.size());
    int offset = length - n;
    for (int i = 0; i < n; i++) row[offset + i] = ids.getOrDefault(words.get(i), UNKNOWN);
    return row;
  }

  /** the training and test files as id rows (the vocabulary from all training files) */
  static RawText read(Path dir, DataSpec.Text t) throws SpecException {
    Split train = split(dir, "train");
    Split test = split(dir, "test");
    List<List<String>> trainWords = readAll(train.files());
    Map<String, Integer> ids = vocabulary(trainWords, t.vocab);
    return new RawText(rows(trainWords, ids, t.length, train.labels(), train.classes().size()),
        rows(readAll(test.files()), ids, t.length, test.labels(), test.classes().size()), ids.size() + 2);
  }

  /** the two sets and the number of ids in use (at most vocab) */
  record RawText(ImageSet train, ImageSet test, int idsInUse) {}

  private static List<List<String>> readAll(List<Path> files) throws SpecException {
    List<List<String>> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(words(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new SpecException("data.dir", "The file " + f + " cannot be read (" + e.getMessage() + ").");
      }
    }
    return out;
  }

  private static ImageSet rows(List<List<String>> texts, Map<String, Integer> ids, int length, int[] labels, int classes) {
    float[] px = new float[texts.size() * length];
    for (int i = 0; i < texts.size(); i++) System.arraycopy(encode(texts.get(i), ids, length), 0, px, i * length, length);
    return new ImageSet(px, labels, 1, 1, length, classes);
  }

  static List<Path> files(Path dir) {
    List<Path> all = new ArrayList<>();
    try {
      all.addAll(split(dir, "train").files());
      all.addAll(split(dir, "test").files());
    } catch (SpecException e) {
      // checked before; nothing to add
    }
    return all;
  }

}
