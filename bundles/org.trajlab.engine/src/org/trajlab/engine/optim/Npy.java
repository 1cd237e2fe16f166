package org.trajlab.engine.optim;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-dimensional float64/float32 arrays in NumPy's {@code .npy} format (version 1.0, little-endian), so a researcher
 * opens a checkpoint with {@code numpy.load}. Only what checkpoints need: vectors.
 * <p>
 * {@link #read} trusts nothing in the file: it checks the header against the bytes present before it allocates, and
 * says what is wrong in a {@link DamagedFileException} (a damaged file) or a plain {@link IOException} (a file that
 * cannot be read at all).
 */
public final class Npy {
  private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** headers are at most a few hundred bytes; a larger claim is damage */
  private static final long MAX_HEADER = 1 << 16;
  /** the largest buffer Java allocates */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  /**
   * A file that is not a whole {@code .npy} vector. The message is a clause that starts with the file's name, e.g.
   * {@code params.npy is truncated (the header says 7850 values, the file holds 1200)}.
   */
  public static final class DamagedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedFileException(Path f, String what) {
      super(f.getFileName() + " " + what);
    }
  }

  private Npy() {}

  public static void write(Path f, double[] v, boolean asFloat) throws IOException {
    String dict = "{'descr': '<" + (asFloat ? "f4" : "f8") + "', 'fortran_order': False, 'shape': (" + v.length + ",), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + v.length * (asFloat ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (double x : v) {
      if (asFloat) b.putFloat((float) x);
      else b.putDouble(x);
    }
    try (OutputStream out = Files.newOutputStream(f)) {
      out.write(b.array());
    }
  }

  /** the vector in {@code f} (float32 values widened to double) */
  public static double[] read(Path f) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer pre = fill(ch, ByteBuffer.allocate((int) Math.min(size, 12)).order(ByteOrder.LITTLE_ENDIAN));
      for (int i = 0; i < MAGIC.length; i++) {
        if (i >= pre.limit() || pre.get(i) != MAGIC[i]) {
          throw new DamagedFileException(f, size == 0 ? "is empty" : "is not a NumPy .npy file (it does not start with the .npy magic string)");
        }
      }
      if (pre.limit() < 10) throw new DamagedFileException(f, "is truncated (it ends inside its header)");
      int major = Byte.toUnsignedInt(pre.get(6));
      int prefix;
      long headerLength;
      if (major == 1) {
        prefix = 10;
        headerLength = Short.toUnsignedInt(pre.getShort(8));
      } else if (major == 2 || major == 3) {
        if (pre.limit() < 12) throw new DamagedFileException(f, "is truncated (it ends inside its header)");
        prefix = 12;
        headerLength = Integer.toUnsignedLong(pre.getInt(8));
      } else {
        throw new DamagedFileException(f, "has .npy format version " + major + "." + Byte.toUnsignedInt(pre.get(7))
            + ", which trajlab does not read (1.0 to 3.0)");
      }
      if (prefix + headerLength > size) throw new DamagedFileException(f, "is truncated (it ends inside its header)");
      if (headerLength > MAX_HEADER) throw new DamagedFileException(f, "has a damaged header (" + headerLength + " bytes long)");
      ByteBuffer hb = fill(ch.position(prefix), ByteBuffer.allocate((int) headerLength));
      String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

      Matcher descr = DESCR.matcher(header);
      Matcher shape = SHAPE.matcher(header);
      if (!header.strip().startsWith("{") || !descr.find() || !shape.find() || !FORTRAN.matcher(header).find()) {
        throw new DamagedFileException(f, "has a damaged header (it lacks 'descr', 'fortran_order' or 'shape')");
      }
      String type = descr.group(1);
      if (!type.equals("<f8") && !type.equals("<f4")) {
        throw new DamagedFileException(f, "holds values of type '" + type + "', not little-endian float32 or float64 ('<f4' or '<f8')");
      }
      List<String> dims = new ArrayList<>();
      for (String d : shape.group(1).split(",")) {
        if (!d.isBlank()) dims.add(d.strip());
      }
      for (String d : dims) {
        if (!d.matches("\\d{1,30}")) throw new DamagedFileException(f, "has a damaged header (its shape is (" + shape.group(1).strip() + "))");
      }
      if (dims.size() != 1) {
        throw new DamagedFileException(f, "has shape (" + String.join(", ", dims) + "), not a vector (one dimension)");
      }
      BigInteger count = new BigInteger(dims.get(0));
      int item = type.equals("<f4") ? 4 : 8;
      long data = size - prefix - headerLength;
      BigInteger need = count.multiply(BigInteger.valueOf(item));
      int cmp = need.compareTo(BigInteger.valueOf(data));
      if (cmp > 0) {
        throw new DamagedFileException(f, "is truncated (the header says " + count + " values, the file holds " + data / item + ")");
      }
      if (cmp < 0) {
        long extra = data - need.longValueExact();
        throw new DamagedFileException(f, extra % item == 0
            ? "is longer than its header says (the header says " + count + " values, the file holds " + data / item + ")"
            : "has " + extra + " bytes after its " + count + " values");
      }
      if (data > MAX_BYTES) {
        throw new DamagedFileException(f, "holds " + count + " values, more than trajlab loads into one vector (" + MAX_BYTES / item + ")");
      }
      int n = count.intValueExact();
      ByteBuffer b = fill(ch.position(prefix + headerLength), ByteBuffer.allocate(n * item).order(ByteOrder.LITTLE_ENDIAN));
      if (b.limit() < n * item) {
        throw new DamagedFileException(f, "is truncated (the header says " + n + " values, the file holds " + b.limit() / item + ")");
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = item == 4 ? b.getFloat() : b.getDouble();
      return v;
    }
  }

  /** reads until {@code b} is full or the file ends; returns {@code b} flipped (its limit = the bytes read) */
  private static ByteBuffer fill(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // keep reading
    }
    return b.flip();
  }
}
