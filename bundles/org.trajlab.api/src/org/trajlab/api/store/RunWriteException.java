package org.trajlab.api.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * A file of the run folder that could not be written. The message is one clause a researcher can act on, naming the
 * file and saying whether the disk is full, e.g. {@code the disk is full: metrics.csv could not be written (No space
 * left on device)}.
 */
public class RunWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param file the file or folder, relative to the run folder */
  public RunWriteException(String file, IOException cause) {
    super(clause(file, cause), cause);
  }

  private static String clause(String file, IOException cause) {
    return diskFull(cause) ? "the disk is full: " + file + " could not be written (" + reason(cause) + ")"
        : file + " could not be written in the run folder (" + reason(cause) + ")";
  }

  /** whether the operating system said the disk (or the user's quota) is full */
  static boolean diskFull(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = c instanceof FileSystemException fs ? fs.getReason() : c.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
    }
    return false;
  }

  /** what the operating system said, without the path (the clause names the file) */
  static String reason(IOException e) {
    if (e instanceof RunWriteException w && w.getCause() instanceof IOException c) return reason(c);
    if (e instanceof FileSystemException fs) {
      if (fs.getReason() != null) return fs.getReason();
      if (e instanceof AccessDeniedException) return "permission denied";
      return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
