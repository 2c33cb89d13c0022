package dev.tessera.pipelines.data.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/** A channel that feeds every byte written through it into a digest, so a file is hashed while it is written. */
public final class HashingChannel implements WritableByteChannel {
  private final WritableByteChannel target;
  private final MessageDigest digest;
  private long bytesWritten;

  public HashingChannel(WritableByteChannel target, MessageDigest digest) {
    this.target = target;
    this.digest = digest;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer view = src.duplicate();
    int n = target.write(src);
    view.limit(view.position() + n);
    digest.update(view);
    bytesWritten += n;
    return n;
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public boolean isOpen() {
    return target.isOpen();
  }

  @Override
  public void close() throws IOException {
    target.close();
  }
}
