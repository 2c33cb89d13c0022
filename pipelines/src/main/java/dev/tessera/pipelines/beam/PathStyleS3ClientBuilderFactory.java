package dev.tessera.pipelines.beam;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client, addressing buckets by path ({@code http://host:port/bucket/key}) whenever an endpoint override
 * ({@code --endpoint}) is set. S3-compatible servers (MinIO, moto, Ceph) are reached by an address such as
 * {@code 127.0.0.1:9000}, under which the SDK's default bucket-as-host-name addressing cannot resolve; AWS itself,
 * without an endpoint override, keeps the default. {@link BeamPipelines#options} selects this factory
 * ({@code --s3ClientFactoryClass}) unless the arguments choose another.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(options.getEndpoint() != null);
  }
}
