package org.trajlab.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.trajlab.api.spec.SpecException;

/**
 * Reads the binary version of CIFAR-10 and CIFAR-100 (Krizhevsky 2009): a file is a sequence of fixed-size records,
 * each the label byte(s) and then 3072 pixel bytes, the 32x32 red plane, then green, then blue, each row by row.
 * That is already the channel-major (CHW) layout of {@link ImageSet}, so pixels are copied as they are.
 */
public final class CifarFiles {
  public static final int CHANNELS = 3;
  public static final int ROWS = 32;
  public static final int COLS = 32;
  public static final int PIXEL_BYTES = CHANNELS * ROWS * COLS;

  /** how a record starts and which of its label bytes is the class */
  public enum Layout {
    /** CIFAR-10: 1 label byte (0..9) */
    CIFAR10("CIFAR-10", 1, 0, 10, "label"),
    /** CIFAR-100 with its 100 fine classes: 1 coarse and 1 fine label byte, the class is the second */
    CIFAR100_FINE("CIFAR-100", 2, 1, 100, "fine label"),
    /** CIFAR-100 with its 20 coarse classes (superclasses): the class is the first label byte */
    CIFAR100_COARSE("CIFAR-100", 2, 0, 20, "coarse label");

    public final String title;
    public final int labelBytes;
    public final int labelOffset;
    public final int numClasses;
    public final String labelName;

    Layout(String title, int labelBytes, int labelOffset, int numClasses, String labelName) {
      this.title = title;
      this.labelBytes = labelBytes;
      this.labelOffset = labelOffset;
      this.numClasses = numClasses;
      this.labelName = labelName;
    }

    /** bytes per record: the label bytes and 3072 pixel bytes */
    public int recordSize() {
      return labelBytes + PIXEL_BYTES;
    }
  }

  private CifarFiles() {}

  /** the number of records in {@code f}, from its length alone; a length that is not whole records is an error */
  public static int recordCount(Path f, Layout layout, String field) throws SpecException {
    long size;
    try {
      size = Files.size(f);
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + f + " cannot be read (" + e.getMessage() + ").");
    }
    String record = layout.title + " records of " + layout.recordSize() + " bytes (" + layout.labelBytes + " label byte"
        + (layout.labelBytes > 1 ? "s" : "") + " and " + PIXEL_BYTES + " pixel bytes)";
    if (size == 0) {
      throw new SpecException(field, "The file " + f + " is empty, but it must hold " + record + ".");
    }
    if (size % layout.recordSize() != 0) {
      throw new SpecException(field, "The file " + f + " has " + size + " bytes, which is not a whole number of "
          + record + ", so it is truncated or not a " + layout.title + " binary file.");
    }
    long n = size / layout.recordSize();
    if (n * PIXEL_BYTES > Integer.MAX_VALUE) {
      throw new SpecException(field, "The file " + f + " holds " + n + " records, more than trajlab can hold in memory.");
    }
    return (int) n;
  }

  /** every class label of {@code f}, read record by record without reading the pixels, each checked to be a class */
  public static int[] readLabels(Path f, Layout layout, String field) throws SpecException {
    int n = recordCount(f, layout, field);
    int[] labels = new int[n];
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      for (int r = 0; r < n; r++) {
        b.clear();
        long pos = (long) r * layout.recordSize() + layout.labelOffset;
        while (b.hasRemaining()) {
          if (ch.read(b, pos + b.position()) < 0) throw new EOFException();
        }
        labels[r] = checkedLabel(b.get(0), r, f, layout, field);
      }
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + f + " cannot be read (" + e.getMessage() + ").");
    }
    return labels;
  }

  /** the records of {@code files}, one after the other, as one set of 3x32x32 images */
  public static RawImages read(List<Path> files, Layout layout, String field) throws SpecException {
    int[] counts = new int[files.size()];
    long total = 0;
    for (int i = 0; i < files.size(); i++) {
      counts[i] = recordCount(files.get(i), layout, field);
      total += counts[i];
    }
    if (total * PIXEL_BYTES > Integer.MAX_VALUE) {
      throw new SpecException(field, "The files " + files + " hold " + total
          + " records together, more than trajlab can hold in memory.");
    }
    byte[] pixels = new byte[(int) total * PIXEL_BYTES];
    int[] labels = new int[(int) total];
    int at = 0;
    for (int i = 0; i < files.size(); i++) {
      readInto(files.get(i), counts[i], layout, pixels, labels, at, field);
      at += counts[i];
    }
    return new RawImages(pixels, labels, CHANNELS, ROWS, COLS, layout.numClasses);
  }

  private static void readInto(Path f, int n, Layout layout, byte[] pixels, int[] labels, int at, String field)
      throws SpecException {
    byte[] head = new byte[layout.labelBytes];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
      for (int r = 0; r < n; r++) {
        if (in.readNBytes(head, 0, head.length) < head.length
            || in.readNBytes(pixels, (at + r) * PIXEL_BYTES, PIXEL_BYTES) < PIXEL_BYTES) {
          throw new SpecException(field, "The file " + f + " ended at record " + r + " while it was being read.");
        }
        labels[at + r] = checkedLabel(head[layout.labelOffset], r, f, layout, field);
      }
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + f + " cannot be read (" + e.getMessage() + ").");
    }
  }

  private static int checkedLabel(byte b, int record, Path f, Layout layout, String field) throws SpecException {
    int label = b & 0xff;
    if (label >= layout.numClasses) {
      throw new SpecException(field, "The file " + f + " has " + layout.labelName + " " + label + " at record " + record
          + ", outside the classes 0.." + (layout.numClasses - 1) + " of " + layout.title + ".");
    }
    return label;
  }
}
