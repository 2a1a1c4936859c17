package dev.vlmadapt.jobs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 server on 127.0.0.1 for tests: s3proxy over jclouds' in-memory ("transient") blob store, with
 * signature checking and fresh random credentials, and one bucket.
 */
final class S3TestServer implements AutoCloseable {
    final String accessKey;
    final String secretKey;
    /**
     * A bucket name of this server's own: Hadoop caches S3A file systems per bucket, so a second server in the
     * same JVM must not reuse a name the cache still maps to the first server's endpoint.
     */
    final String bucket;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    S3TestServer() throws Exception {
        SecureRandom random = new SecureRandom();
        bucket = "vlmadapt-" + HexFormat.of().formatHex(bytes(random, 6));
        accessKey = "AKTEST" + HexFormat.of().withUpperCase().formatHex(bytes(random, 7));
        secretKey = "sk" + HexFormat.of().formatHex(bytes(random, 19));
        context = ContextBuilder.newBuilder("transient").credentials(accessKey, secretKey)
                .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** @return HOCON for vlmadapt.s3 pointing at this server with the given secret */
    String conf(String secret) {
        return "vlmadapt.s3 { endpoint = \"" + endpoint() + "\", access-key = \"" + accessKey + "\", secret-key = \""
                + secret + "\", path-style-access = true, attempts = 1 }\n";
    }

    BlobStore store() {
        return context.getBlobStore();
    }

    /** @return every object name in the bucket */
    List<String> keys() {
        List<String> names = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options = options.afterMarker(marker);
            }
            var page = store().list(bucket, options);
            for (StorageMetadata m : page) {
                names.add(m.getName());
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return names;
    }

    /** @return the object's bytes as UTF-8 text (for scanning for credentials) */
    String text(String key) throws java.io.IOException {
        try (var in = store().getBlob(bucket, key).getPayload().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
