package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.pipelines.testing.Golden;
import dev.tessera.runners.cli.InProcessTessera;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera schedule ...} end to end in process, against a temporary TESSERA_HOME. */
class ScheduleCommandTest {
  @TempDir Path home;

  private Result tessera(String... args) {
    return InProcessTessera.run(home, args);
  }

  @Test
  void addListPauseResumeRemove() {
    Result add = tessera("schedule", "add", "demo", "--cron", "30 2 * * *", "--zone", "Europe/Berlin",
        "--name", "nightly", "--set", "seed=7", "--overlap", "queue");
    assertEquals(0, add.exitCode(), add.err());
    assertTrue(add.out().startsWith("Added schedule nightly: demo at '30 2 * * *' in Europe/Berlin; next firing "),
        add.out());
    assertTrue(Files.isRegularFile(home.resolve("schedules/nightly/schedule.json")));
    Result list = tessera("schedule", "list");
    assertTrue(list.out().contains("nightly") && list.out().contains("Europe/Berlin")
        && list.out().matches("(?s).*T02:30\\+0[12]:00.*"), list.out());
    assertEquals(0, tessera("schedule", "pause", "nightly").exitCode());
    assertTrue(tessera("schedule", "list").out().contains("paused"));
    assertEquals(2, tessera("schedule", "pause", "nightly").exitCode());
    assertEquals(0, tessera("schedule", "resume", "nightly").exitCode());
    Result history = tessera("schedule", "history", "nightly");
    assertEquals(0, history.exitCode(), history.err());
    assertTrue(history.out().startsWith("SCHEDULED"), history.out());
    Result duplicate = tessera("schedule", "add", "demo", "--cron", "0 3 * * *", "--name", "nightly");
    assertEquals(2, duplicate.exitCode());
    assertTrue(duplicate.err().contains("Schedule 'nightly' exists already"), duplicate.err());
    assertEquals(0, tessera("schedule", "remove", "nightly").exitCode());
    assertTrue(tessera("schedule", "list").out().startsWith("No schedules"));
  }

  @Test
  void badCronZoneExperimentAndPolicyAreUsageErrorsWithReasons() {
    Result cron = tessera("schedule", "add", "demo", "--cron", "0 25 * * *");
    assertEquals(2, cron.exitCode());
    assertTrue(cron.err().contains("--cron '0 25 * * *' is not valid") && cron.err().contains("Example:"),
        cron.err());
    Result zone = tessera("schedule", "add", "demo", "--cron", "0 2 * * *", "--zone", "Mars/Olympus");
    assertEquals(2, zone.exitCode());
    assertTrue(zone.err().contains("--zone 'Mars/Olympus' is not a time zone ID"), zone.err());
    Result experiment = tessera("schedule", "add", "demoo", "--cron", "0 2 * * *");
    assertEquals(2, experiment.exitCode());
    assertTrue(experiment.err().contains("Unknown experiment 'demoo'. Allowed: ["), experiment.err());
    Result overlap = tessera("schedule", "add", "demo", "--cron", "0 2 * * *", "--overlap", "wait");
    assertEquals(2, overlap.exitCode());
    assertTrue(overlap.err().contains("--overlap 'wait' is not a policy. Allowed: skip"), overlap.err());
    Result when = tessera("schedule", "add", "demo", "--cron", "0 2 * * *", "--when", "new-moon");
    assertEquals(2, when.exitCode());
    assertTrue(when.err().contains("--when 'new-moon' is not a condition. Allowed: ["), when.err());
    assertTrue(when.err().contains("data-changed"), when.err());
    assertEquals(2, tessera("schedule", "history", "nope").exitCode());
  }

  /** The unknown-experiment message lists every experiment, which others add to: it is checked above instead. */
  @Test
  void addErrorsMatchTheirGoldenFile() {
    StringBuilder errors = new StringBuilder();
    for (String[] args : List.of(
        new String[] {"schedule", "add", "demo", "--cron", "0 25 * * *", "--zone", "UTC"},
        new String[] {"schedule", "add", "demo", "--cron", "0 2 * *", "--zone", "UTC"},
        new String[] {"schedule", "add", "demo", "--cron", "0 2 * * *", "--zone", "Europe/Berlinn"},
        new String[] {"schedule", "add", "demo", "--cron", "0 2 * * *", "--zone", "UTC", "--missed", "never"})) {
      Result result = tessera(args);
      assertEquals(2, result.exitCode(), result.err());
      errors.append("$ tessera ").append(String.join(" ", args)).append('\n').append(result.err());
    }
    Golden.assertMatches("schedule-add-errors.txt", errors.toString());
  }

  @Test
  void kubernetesExportIsACronJobWithTheFields() throws Exception {
    tessera("schedule", "add", "demo", "--cron", "30 2 * * *", "--zone", "Europe/Berlin", "--name", "Nightly_1",
        "--set", "seed=7");
    Result export = tessera("schedule", "export", "Nightly_1", "--format", "kubernetes", "--image", "reg/t:1",
        "--tracking-uri", "http://mlflow.example:5000");
    assertEquals(0, export.exitCode(), export.err());
    JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(export.out());
    assertEquals("CronJob", job.at("/kind").asText());
    assertEquals("tessera-nightly-1", job.at("/metadata/name").asText());
    assertEquals("30 2 * * *", job.at("/spec/schedule").asText());
    assertEquals("Europe/Berlin", job.at("/spec/timeZone").asText());
    assertEquals("Forbid", job.at("/spec/concurrencyPolicy").asText());
    JsonNode pod = job.at("/spec/jobTemplate/spec/template/spec");
    assertEquals("reg/t:1", pod.at("/containers/0/image").asText());
    assertEquals(List.of("run", "demo", "--plain", "--set", "seed=7"),
        new ObjectMapper().convertValue(pod.at("/containers/0/args"), List.class));
    assertEquals("MLFLOW_TRACKING_URI", pod.at("/containers/0/env/0/name").asText());
    assertEquals("http://mlflow.example:5000", pod.at("/containers/0/env/0/value").asText());
    assertEquals("tessera-home", pod.at("/containers/0/volumeMounts/0/name").asText());
    assertEquals("tessera-home", pod.at("/volumes/0/name").asText());
    assertTrue(pod.at("/volumes/0/persistentVolumeClaim/claimName").isTextual());
  }

  @Test
  void systemdExportVerifiesAndItsCalendarMatchesTheCron() throws Exception {
    tessera("schedule", "add", "demo", "--cron", "30 2 * * 1-5", "--zone", "America/New_York", "--name", "n");
    Path dir = home.resolve("units");
    Path launcher = Path.of("../../tessera").toAbsolutePath().normalize();
    Result export = tessera("schedule", "export", "n", "--format", "systemd", "--output", dir.toString(),
        "--tessera", launcher.toString());
    assertEquals(0, export.exitCode(), export.err());
    String timer = Files.readString(dir.resolve("tessera-n.timer"));
    assertTrue(timer.contains("\nOnCalendar=Mon..Fri *-*-* 02:30:00 America/New_York\n"), timer);
    assertTrue(timer.contains("\nPersistent=true\n"), timer);
    assertTrue(Files.readString(dir.resolve("tessera-n.service")).contains("ExecStart=" + launcher + " run demo"));
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed; the units were not "
        + "verified");
    String verify = run(analyze.toString(), "verify", dir.resolve("tessera-n.timer").toString(),
        dir.resolve("tessera-n.service").toString());
    assertEquals("", verify.replaceAll("(?m)^.*(Failed to connect|No such file or directory.*bus).*$\\n?", ""),
        verify);
    // systemd's own next elapses of the calendar equal the scheduler's next firings.
    String calendar = run(analyze.toString(), "calendar", "--iterations=3",
        "Mon..Fri *-*-* 02:30:00 America/New_York");
    CronSchedule cron = CronSchedule.of("30 2 * * 1-5", "America/New_York");
    Instant t = Instant.now();
    for (int i = 0; i < 3; i++) {
      t = cron.next(t);
      String utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(ZoneOffset.UTC).format(t);
      assertTrue(calendar.contains(utc), utc + " in\n" + calendar);
    }
  }

  @Test
  void systemdExportRejectsCronOutsideTheSubset() {
    tessera("schedule", "add", "demo", "--cron", "0 2 1 * 1", "--zone", "UTC", "--name", "both");
    Result export = tessera("schedule", "export", "both", "--format", "systemd");
    assertEquals(2, export.exitCode());
    assertTrue(export.err().contains("cannot be written as a systemd OnCalendar: day-of-month and day-of-week"),
        export.err());
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    return output;
  }

  @Test
  void promoteIfIsCheckedStoredAndPassedToEveryRunAndExport() throws Exception {
    Result add = tessera("schedule", "add", "mnist-lenet", "--cron", "0 2 * * *", "--zone", "UTC", "--name",
        "gated", "--when", "data-changed", "--promote-if", "evaluate/accuracy:max:0.001");
    assertEquals(0, add.exitCode(), add.err());
    ScheduleSpec stored = new ScheduleStore(home).load("gated").orElseThrow();
    assertEquals("evaluate/accuracy:max:0.001", stored.promoteIf());
    assertEquals(List.of("run", "mnist-lenet", "--plain", "--promote-if", "evaluate/accuracy:max:0.001"),
        stored.runArgs());
    Result systemd = tessera("schedule", "export", "gated", "--format", "systemd", "--output",
        home.resolve("units").toString());
    assertEquals(0, systemd.exitCode(), systemd.err());
    assertTrue(Files.readString(home.resolve("units/tessera-gated.service"))
        .contains("--promote-if evaluate/accuracy:max:0.001"));

    Result noModel = tessera("schedule", "add", "demo", "--cron", "0 2 * * *", "--promote-if", "squares/sum");
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("experiment 'demo' has no stage that trains a model"), noModel.err());
    Result badMode = tessera("schedule", "add", "mnist-lenet", "--cron", "0 2 * * *", "--promote-if",
        "evaluate/accuracy:up");
    assertEquals(2, badMode.exitCode());
    assertTrue(badMode.err().contains("promotion gate mode must be max or min, but was 'up'"), badMode.err());
  }
}
