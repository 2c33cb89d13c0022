package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --artifact-root}: in the help, wins over {@code TESSERA_ARTIFACT_ROOT}, and bad values exit with 2. */
class ArtifactRootOptionTest {
  @TempDir Path home;

  @Test
  void theFlagWinsOverTheVariable() {
    Map<String, String> env = ArtifactRootOption.apply(List.of("run", "demo", "--artifact-root", "s3://team/x"),
        Map.of("TESSERA_ARTIFACT_ROOT", "s3://other/y", "HOME", "/h"));
    assertEquals("s3://team/x", env.get("TESSERA_ARTIFACT_ROOT"));
    assertEquals("/h", env.get("HOME"));
    assertEquals("s3://team/z", ArtifactRootOption.apply(List.of("run", "--artifact-root=s3://team/z"), Map.of())
        .get("TESSERA_ARTIFACT_ROOT"));
  }

  @Test
  void withoutTheFlagTheVariableStays() {
    Map<String, String> given = Map.of("TESSERA_ARTIFACT_ROOT", "s3://other/y");
    assertEquals(given, ArtifactRootOption.apply(List.of("run", "demo", "--", "--artifact-root=s3://a/b"), given));
  }

  @Test
  void helpShowsTheFlag() {
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, "run", "--help"));
    assertTrue(out.toString().contains("--artifact-root=URI"), out.toString());
    assertTrue(out.toString().contains("s3://bucket/prefix"), out.toString());
  }

  @Test
  void aLocalPathExitsWithTwoNamingFlagValueAndForm() {
    StringWriter out = new StringWriter();
    assertEquals(2, run(out, "run", "demo", "--artifact-root", "/tmp/artifacts"));
    assertEquals("error: --artifact-root must be a Beam file system URI with a bucket, such as s3://bucket/prefix, "
        + "but was '/tmp/artifacts' (it is a local path; for a local folder set TESSERA_HOME instead).",
        out.toString().strip());
  }

  @Test
  void aUriWithoutBucketExitsWithTwo() {
    StringWriter out = new StringWriter();
    assertEquals(2, run(out, "run", "demo", "--artifact-root=s3:///prefix"));
    assertTrue(out.toString().contains("but was 's3:///prefix' (it names no bucket after s3://)"), out.toString());
  }

  @Test
  void aMissingValueExitsWithTwo() {
    StringWriter out = new StringWriter();
    assertEquals(2, run(out, "run", "demo", "--artifact-root"));
    assertTrue(out.toString().contains("--artifact-root needs a value: a Beam file system URI with a bucket"),
        out.toString());
  }

  private int run(StringWriter output, String... args) {
    PrintWriter writer = new PrintWriter(output, true);
    return Main.run(args, Map.of("TESSERA_HOME", home.resolve(".tessera").toString(),
        "MLFLOW_TRACKING_URI", home.resolve("mlruns").toString()), writer, writer);
  }
}
