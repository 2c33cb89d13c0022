package dev.tessera.pipelines.dag;

/** The one {@link StageContext.Progress#none()}: progress that goes nowhere. */
enum NoProgress implements StageContext.Progress {
  INSTANCE;

  @Override
  public void update(long done, long total, String message) {}

  @Override
  public void log(String message) {}
}
