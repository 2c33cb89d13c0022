package dev.tessera.pipelines.data;

/**
 * A shard that failed verification against its manifest.
 *
 * @param split the split the manifest lists it under
 * @param file the shard's file name
 * @param expectedSha256 the SHA-256 the manifest records
 * @param actualSha256 the SHA-256 of the file now, or {@code null} when the file is missing
 */
public record ShardProblem(String split, String file, String expectedSha256, String actualSha256) {

  /** One line for error messages. */
  public String describe() {
    return split + "/" + file + ": " + (actualSha256 == null
        ? "file is missing"
        : "sha256 is " + actualSha256 + ", but the manifest records " + expectedSha256);
  }
}
