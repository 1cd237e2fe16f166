package org.trajlab.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SHA-256 of data files as stored, for environment.json: which bytes a run's numbers came from. */
final class Checksums {
  private Checksums() {}

  /** file name to SHA-256, in the order given */
  static Map<String, String> of(List<Path> files) {
    Map<String, String> sums = new LinkedHashMap<>();
    for (Path f : files) sums.put(f.getFileName().toString(), sha256(f));
    return sums;
  }

  static String sha256(Path f) {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0;) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
