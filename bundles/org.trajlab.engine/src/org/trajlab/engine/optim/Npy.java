package org.trajlab.engine.optim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-dimensional float64/float32 arrays in NumPy's {@code .npy} format (version 1.0, little-endian), so a researcher
 * opens a checkpoint with {@code numpy.load}. Only what checkpoints need: vectors.
 */
public final class Npy {
  private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
  private static final Pattern HEADER = Pattern.compile("'descr':\\s*'<(f8|f4)'.*'fortran_order':\\s*False.*'shape':\\s*\\((\\d+),?\\)");

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

  public static double[] read(Path f) throws IOException {
    byte[] all;
    try (InputStream in = Files.newInputStream(f)) {
      all = in.readAllBytes();
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.get() != m) throw new IOException(f + " is not a .npy file");
    }
    b.get();
    b.get();
    int hl = Short.toUnsignedInt(b.getShort());
    String header = new String(all, b.position(), hl, StandardCharsets.US_ASCII);
    b.position(b.position() + hl);
    Matcher m = HEADER.matcher(header);
    if (!m.find()) throw new IOException(f + " is not a 1-d little-endian float vector: " + header.trim());
    boolean f4 = m.group(1).equals("f4");
    int n = Integer.parseInt(m.group(2));
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = f4 ? b.getFloat() : b.getDouble();
    return v;
  }
}
