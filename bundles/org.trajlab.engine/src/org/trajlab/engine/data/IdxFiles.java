package org.trajlab.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.trajlab.api.spec.SpecException;

/** Reads the IDX format of (Fashion-)MNIST, gzipped or not, with one-sentence errors for bad files. */
public final class IdxFiles {
  public static final int IMAGES_MAGIC = 2051;
  public static final int LABELS_MAGIC = 2049;

  private IdxFiles() {}

  /** {@code base} with ".gz" if that exists, else the plain file, else null */
  public static Path find(Path dir, String base) {
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) return gz;
    Path raw = dir.resolve(base);
    return Files.isRegularFile(raw) ? raw : null;
  }

  private static InputStream open(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
    if (f.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  public static ImageSet read(Path images, Path labels, int numClasses, String field) throws SpecException {
    try {
      int[] lab = readLabels(labels, numClasses, field);
      try (DataInputStream in = new DataInputStream(open(images))) {
        int magic = header(in, images, field);
        if (magic != IMAGES_MAGIC) {
          throw new SpecException(field, "The file " + images + " is not an IDX image file (magic number " + magic
              + ", expected " + IMAGES_MAGIC + ").");
        }
        int n = in.readInt();
        int rows = in.readInt();
        int cols = in.readInt();
        if (n != lab.length) {
          throw new SpecException(field, "The file " + images + " holds " + n + " images but " + labels + " holds "
              + lab.length + " labels; they must match.");
        }
        if (rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 20) {
          throw new SpecException(field, "The file " + images + " declares images of " + rows + "x" + cols
              + " pixels, which is not a usable image size.");
        }
        byte[] raw = new byte[n * rows * cols];
        int got = in.readNBytes(raw, 0, raw.length);
        if (got < raw.length) {
          throw new SpecException(field, "The file " + images + " is truncated: it declares " + n + " images of "
              + rows + "x" + cols + " but holds only " + got + " of their " + raw.length + " pixel bytes.");
        }
        float[] px = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
          px[i] = (raw[i] & 0xff) / 255.0f;
        }
        return new ImageSet(px, lab, rows, cols, numClasses);
      }
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + images + " or " + labels + " ends before its header does.");
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + images + " or " + labels + " cannot be read ("
          + e.getMessage() + ").");
    }
  }

  /** the number of labels an IDX label file declares (reads only its header) */
  public static int labelCount(Path f, String field) throws SpecException {
    try (DataInputStream in = new DataInputStream(open(f))) {
      int magic = header(in, f, field);
      if (magic != LABELS_MAGIC) {
        throw new SpecException(field, "The file " + f + " is not an IDX label file (magic number " + magic
            + ", expected " + LABELS_MAGIC + ").");
      }
      return in.readInt();
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + f + " ends before its header does.");
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + f + " cannot be read (" + e.getMessage() + ").");
    }
  }

  static int[] readLabels(Path f, int numClasses, String field) throws IOException, SpecException {
    try (DataInputStream in = new DataInputStream(open(f))) {
      int magic = header(in, f, field);
      if (magic != LABELS_MAGIC) {
        throw new SpecException(field, "The file " + f + " is not an IDX label file (magic number " + magic
            + ", expected " + LABELS_MAGIC + ").");
      }
      int n = in.readInt();
      if (n < 0) {
        throw new SpecException(field, "The file " + f + " declares a negative number of labels.");
      }
      byte[] raw = new byte[n];
      int got = in.readNBytes(raw, 0, n);
      if (got < n) {
        throw new SpecException(field, "The file " + f + " is truncated: it declares " + n + " labels but holds "
            + got + ".");
      }
      int[] lab = new int[n];
      for (int i = 0; i < n; i++) {
        lab[i] = raw[i] & 0xff;
        if (lab[i] >= numClasses) {
          throw new SpecException(field, "The file " + f + " has label " + lab[i] + " at example " + i
              + ", outside the classes 0.." + (numClasses - 1) + ".");
        }
      }
      return lab;
    }
  }

  private static int header(DataInputStream in, Path f, String field) throws IOException, SpecException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + f + " is empty or shorter than an IDX header.");
    } catch (java.util.zip.ZipException e) {
      throw new SpecException(field, "The file " + f + " is not a valid gzip file (" + e.getMessage() + ").");
    }
  }
}
