package dev.tessera.pipelines.tracking.mlflow.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code file://} URIs spelled as MLflow spells them: Python's {@code pathlib.Path(abs).as_uri()}. */
public final class FileUris {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FileUris() {}

  /**
   * {@code file:///abs/path}, percent-encoding every byte of the UTF-8 path except {@code A-Z a-z 0-9 _ . - ~ /},
   * as {@code urllib.parse.quote_from_bytes} does.
   */
  public static String of(Path path) {
    String abs = path.toAbsolutePath().normalize().toString().replace(path.getFileSystem().getSeparator(), "/");
    StringBuilder out = new StringBuilder("file://");
    if (!abs.startsWith("/")) {
      out.append('/'); // a Windows drive path: file:///C:/...
    }
    for (byte b : abs.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '-' || c == '~' || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }
}
