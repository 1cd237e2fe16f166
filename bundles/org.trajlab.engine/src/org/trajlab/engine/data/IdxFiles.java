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

  /** the dimensions an IDX image file declares in its header */
  public record ImageHeader(int count, int rows, int cols) {}

  /** all images and labels of a pair of IDX files, single-channel, pixels scaled to [0, 1] */
  public static ImageSet read(Path images, Path labels, int numClasses, String field) throws SpecException {
    return readRaw(images, labels, numClasses, field).all();
  }

  /** all images and labels of a pair of IDX files, pixels as stored (one unsigned byte each) */
  public static RawImages readRaw(Path images, Path labels, int numClasses, String field) throws SpecException {
    try {
      int[] lab = readLabelsOrThrow(labels, numClasses, field);
      try (DataInputStream in = new DataInputStream(open(images))) {
        ImageHeader h = imageHeader(in, images, field);
        if (h.count() != lab.length) {
          throw countMismatch(images, h.count(), labels, lab.length, field);
        }
        byte[] raw = new byte[h.count() * h.rows() * h.cols()];
        int got;
        try {
          got = in.readNBytes(raw, 0, raw.length);
        } catch (EOFException e) {
          throw cutOff(images, h.count() + " images of " + h.rows() + "x" + h.cols(), field);
        }
        if (got < raw.length) {
          throw truncated(images, h, got, field);
        }
        return new RawImages(raw, lab, 1, h.rows(), h.cols(), numClasses);
      }
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + images + " or " + labels + " ends before its header does.");
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + images + " or " + labels + " cannot be read ("
          + e.getMessage() + ").");
    }
  }

  /**
   * The header of an IDX image file, checked without reading the pixels: the magic number, a usable image size and,
   * for a file that is not gzipped, that its length holds every declared pixel (a gzipped file's pixels are only
   * counted when it is read).
   */
  public static ImageHeader imageHeader(Path images, String field) throws SpecException {
    try (DataInputStream in = new DataInputStream(open(images))) {
      ImageHeader h = imageHeader(in, images, field);
      if (!images.getFileName().toString().endsWith(".gz")) {
        long pixelBytes = Files.size(images) - 16;
        if (pixelBytes < (long) h.count() * h.rows() * h.cols()) {
          throw truncated(images, h, pixelBytes, field);
        }
      }
      return h;
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + images + " ends before its header does.");
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + images + " cannot be read (" + e.getMessage() + ").");
    }
  }

  private static ImageHeader imageHeader(DataInputStream in, Path images, String field)
      throws IOException, SpecException {
    int magic = header(in, images, field);
    if (magic != IMAGES_MAGIC) {
      throw new SpecException(field, "The file " + images + " is not an IDX image file (magic number " + magic
          + ", expected " + IMAGES_MAGIC + ").");
    }
    int n = in.readInt();
    int rows = in.readInt();
    int cols = in.readInt();
    if (n < 0) {
      throw new SpecException(field, "The file " + images + " declares a negative number of images.");
    }
    if (rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 20 || (long) n * rows * cols > Integer.MAX_VALUE - 16) {
      throw new SpecException(field, "The file " + images + " declares " + n + " images of " + rows + "x" + cols
          + " pixels, which is not a usable image size.");
    }
    return new ImageHeader(n, rows, cols);
  }

  /** a gzipped file whose compressed stream was cut off (the inflater meets the end of the file) */
  private static SpecException cutOff(Path f, String declared, String field) {
    return new SpecException(field, "The file " + f + " is truncated: its gzip stream ends before the " + declared
        + " it declares.");
  }

  static SpecException countMismatch(Path images, int n, Path labels, int nLabels, String field) {
    return new SpecException(field, "The file " + images + " holds " + n + " images but " + labels + " holds "
        + nLabels + " labels; they must match.");
  }

  private static SpecException truncated(Path images, ImageHeader h, long got, String field) {
    return new SpecException(field, "The file " + images + " is truncated: it declares " + h.count() + " images of "
        + h.rows() + "x" + h.cols() + " but holds only " + got + " of their " + (long) h.count() * h.rows() * h.cols()
        + " pixel bytes.");
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

  /** every label of an IDX label file, each checked to be a class 0..numClasses-1 */
  public static int[] readLabels(Path f, int numClasses, String field) throws SpecException {
    try {
      return readLabelsOrThrow(f, numClasses, field);
    } catch (EOFException e) {
      throw new SpecException(field, "The file " + f + " ends before its header does.");
    } catch (IOException e) {
      throw new SpecException(field, "The data file " + f + " cannot be read (" + e.getMessage() + ").");
    }
  }

  private static int[] readLabelsOrThrow(Path f, int numClasses, String field) throws IOException, SpecException {
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
      int got;
      try {
        got = in.readNBytes(raw, 0, n);
      } catch (EOFException e) {
        throw cutOff(f, n + " labels", field);
      }
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
