package org.trajlab.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.trajlab.api.spec.SpecException;

/**
 * CIFAR-10 ({@code data_batch_1.bin} … {@code data_batch_5.bin} for training, {@code test_batch.bin}) and CIFAR-100
 * ({@code train.bin}, {@code test.bin}), the binary versions, in {@code data.dir} or in the subfolder their archives
 * unpack to ({@code cifar-10-batches-bin}, {@code cifar-100-binary}). The training set is the training files' records
 * one after the other.
 */
final class CifarFormat implements ImageFormat {
  static final String FIELD = "data.dir";
  static final List<String> CIFAR10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
      "data_batch_4.bin", "data_batch_5.bin");

  private final CifarFiles.Layout layout;
  private final List<String> trainFiles;
  private final String testFile;
  private final String archiveFolder;

  private CifarFormat(CifarFiles.Layout layout, List<String> trainFiles, String testFile, String archiveFolder) {
    this.layout = layout;
    this.trainFiles = trainFiles;
    this.testFile = testFile;
    this.archiveFolder = archiveFolder;
  }

  static CifarFormat cifar10() {
    return new CifarFormat(CifarFiles.Layout.CIFAR10, CIFAR10_TRAIN, "test_batch.bin", "cifar-10-batches-bin");
  }

  /** CIFAR-100 with its fine (100) or coarse (20) labels as the classes */
  static CifarFormat cifar100(boolean coarse) {
    return new CifarFormat(coarse ? CifarFiles.Layout.CIFAR100_COARSE : CifarFiles.Layout.CIFAR100_FINE,
        List.of("train.bin"), "test.bin", "cifar-100-binary");
  }

  @Override
  public String title() {
    return layout.title;
  }

  /** "data_batch_1.bin, …, data_batch_5.bin and test_batch.bin" */
  String fileList() {
    List<String> all = new ArrayList<>(trainFiles);
    all.add(testFile);
    return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
  }

  @Override
  public String missingFolderAdvice() {
    return "set 'data.dir' to a folder with the " + layout.title + " binary files (" + fileList() + ").";
  }

  @Override
  public Path locate(Path dir) throws SpecException {
    if (!Files.isDirectory(dir)) {
      throw new SpecException(FIELD, "The data folder " + dir + " does not exist; " + missingFolderAdvice());
    }
    Path unpacked = dir.resolve(archiveFolder);
    Path where = missing(dir) != null && Files.isDirectory(unpacked) && missing(unpacked) == null ? unpacked : dir;
    String absent = missing(where);
    if (absent != null) {
      throw new SpecException(FIELD, "The data folder " + dir + " has no " + absent + "; " + layout.title
          + " (binary version) needs " + fileList() + ".");
    }
    return where;
  }

  private String missing(Path dir) {
    for (String f : trainFiles) {
      if (!Files.isRegularFile(dir.resolve(f))) return f;
    }
    return Files.isRegularFile(dir.resolve(testFile)) ? null : testFile;
  }

  /** every file's length is whole records, and every record's class label is in range (pixels are not read) */
  @Override
  public Summary check(Path dir) throws SpecException {
    int train = 0;
    for (String f : trainFiles) {
      train += CifarFiles.readLabels(dir.resolve(f), layout, FIELD).length;
    }
    int test = CifarFiles.readLabels(dir.resolve(testFile), layout, FIELD).length;
    return new Summary(train, test, CifarFiles.CHANNELS, CifarFiles.ROWS, CifarFiles.COLS, layout.numClasses);
  }

  @Override
  public RawImages readTrain(Path dir) throws SpecException {
    return CifarFiles.read(trainFiles.stream().map(dir::resolve).toList(), layout, FIELD);
  }

  @Override
  public int[] trainLabels(Path dir) throws SpecException {
    java.util.List<int[]> parts = new ArrayList<>();
    for (String f : trainFiles) parts.add(CifarFiles.readLabels(dir.resolve(f), layout, FIELD));
    return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
  }

  @Override
  public RawImages readTest(Path dir) throws SpecException {
    return CifarFiles.read(List.of(dir.resolve(testFile)), layout, FIELD);
  }

  @Override
  public List<Path> files(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String f : trainFiles) out.add(dir.resolve(f));
    out.add(dir.resolve(testFile));
    return out;
  }
}
