package dev.vlmadapt.jobs.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.executor.TorchThreads;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.io.StagedDirectory;
import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.TextPromptObjective;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.SubspacePrompt;
import dev.vlmadapt.runtime.text.TokenBatch;
import dev.vlmadapt.runtime.train.RandomClip;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One SharpZO query here against the same query as the peer runs it ({@code tools/peer/sharpzo_query.py}: CoOp-style
 * prompts through the full 77-token text pass in PyTorch), on the same model, prompts, cached features and
 * candidate, with the same number of threads, in alternating rounds; writes {@code bench-results/peer.json}. The
 * model is a ViT-B/16-shaped text tower with random weights (its vision tower is a small stand-in: no query
 * touches it), the K class prompts have 12–20 tokens, and the cached features are 16 per class.
 */
public final class BenchPeerJob implements Job {
    private static final String INIT = "a photo of a";

    @Override
    public String name() {
        return "bench-peer";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        int k = config.integer("bench.classes", 1);
        int repeats = config.integer("bench.repeats", 1);
        int rounds = config.integer("bench.peer.rounds", 1);
        Path output = Path.of(config.string("bench.peer.output"));
        Path dir = Files.createTempDirectory("vlmadapt-bench-peer-");
        try (RunDirectory run = RunDirectory.create(config, name())) {
            int threads = TorchThreads.current();
            List<String> classes = classNames(k, 11);
            Path modelDir = dir.resolve("model");
            RandomClip.write(architecture(), classes.stream().map(c -> INIT + " " + c + ".").toList(), 1, modelDir);
            Map<String, Object> r = new LinkedHashMap<>();
            try (ClipModel model = ClipModel.load(modelDir, Device.cpu())) {
                ClassPrompts prompts = ClassPrompts.create(model, classes, INIT);
                int n = 16 * k;
                SplittableRandom random = new SplittableRandom(5);
                float[][] features = new float[n][model.config().projectionDim()];
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < features[i].length; j++) {
                        features[i][j] = (float) random.nextGaussian();
                    }
                    labels[i] = i % k;
                }
                SubspacePrompt space = new SubspacePrompt(prompts.initialContext(), 512, 0.2, 1);
                double[] w = new double[space.dimension()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.1 * random.nextGaussian();               // a CMA-ES candidate near the start (σ = 0.1)
                }
                writeQuery(modelDir.resolve("query.safetensors"), prompts, space, features, labels, w);
                try (TextPromptObjective objective = new TextPromptObjective(space,
                        new FewShotObjective(model, prompts, features, labels), true)) {
                    double[][] point = {w};
                    double ours = objective.evaluate(point)[0].loss();                       // also the warm-up
                    List<Double> mine = new ArrayList<>();
                    List<Double> peer = new ArrayList<>();
                    JsonNode last = null;
                    for (int round = 0; round < rounds; round++) {
                        // Alternating rounds: a change in the machine's load hits both sides.
                        for (int t = 0; t < repeats; t++) {
                            long start = System.nanoTime();
                            objective.evaluate(point);
                            mine.add((System.nanoTime() - start) / 1e9);
                        }
                        last = peer(config, modelDir, threads, repeats);
                        last.get("seconds").forEach(s -> peer.add(s.asDouble()));
                        System.out.printf(Locale.ROOT, "round %d: vlmadapt %.3f s, peer %.3f s per query%n", round + 1,
                                median(mine.subList(mine.size() - repeats, mine.size())),
                                last.get("query_seconds").asDouble());
                    }
                    double peerLoss = last.get("loss").asDouble();
                    if (Math.abs(peerLoss - ours) > 1e-3 * Math.max(1, Math.abs(ours))) {
                        throw new IllegalStateException("the peer computes loss " + peerLoss + " where vlmadapt computes "
                                + ours + ": they do not run the same query");
                    }
                    r.put("peer_query_seconds", round(median(peer)));
                    r.put("vlmadapt_query_seconds", round(median(mine)));
                    r.put("speedup_vs_peer", round(median(peer) / median(mine)));
                    r.put("threads", threads);
                    r.put("peer_threads", last.get("threads").asInt());
                    r.put("repeats", repeats);
                    r.put("rounds", rounds);
                    r.put("loss_vlmadapt", ours);
                    r.put("loss_peer", peerLoss);
                    r.put("peer_torch", last.get("torch").asText());
                    r.put("classes", k);
                    r.put("cached_features", n);
                    r.put("prompt_lengths", lengths(prompts.tokens()));
                    r.put("model", "ViT-B/16-shaped text tower (width 512, 12 layers, 8 heads, context 77, projection "
                            + "512), random weights");
                }
            }
            Files.createDirectories(output.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), r);
            System.out.printf(Locale.ROOT, "one query on %d threads: vlmadapt %.3f s, peer (77-token pass in PyTorch) "
                    + "%.3f s, speedup %.2f (goal >= 3); written to %s%n", threads, r.get("vlmadapt_query_seconds"),
                    r.get("peer_query_seconds"), r.get("speedup_vs_peer"), output);
            return run.commit(config, r);
        } finally {
            StagedDirectory.deleteRecursively(dir);
        }
    }

    /** ViT-B/16's text tower and projection; a small vision tower, since a tuning query never runs it. */
    static ClipConfig architecture() {
        ClipConfig b16 = dev.vlmadapt.runtime.clip.ClipArchitectures.vitB16();
        return b16.toBuilder()
                .setVision(new TowerConfig(64, 1, 2, 256, Activation.QUICK_GELU, 1e-5f), 32, 16)
                .build();
    }

    /**
     * Made-up class names of two words of 5–8 letters: with the small vocabulary learned from them, the prompts
     * "a photo of a &lt;name&gt;." come out at 12–19 tokens (median 16), the length of real class prompts.
     */
    static List<String> classNames(int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> names = new ArrayList<>(k);
        while (names.size() < k) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 2; i++) {
                s.append(i > 0 ? " " : "");
                int letters = 5 + r.nextInt(4);
                for (int j = 0; j < letters; j++) {
                    s.append((char) ('a' + r.nextInt(26)));
                }
            }
            if (!names.contains(s.toString())) {
                names.add(s.toString());
            }
        }
        return names;
    }

    private static void writeQuery(Path file, ClassPrompts prompts, SubspacePrompt space, float[][] features,
            int[] labels, double[] w) throws IOException {
        TokenBatch tokens = prompts.tokens();
        int k = tokens.size();
        int length = tokens.contextLength();
        long[] ids = tokens.idsCropped(length);                        // (K, 77), padded as the model pads
        int p = features[0].length;
        float[] flat = new float[features.length * p];
        for (int i = 0; i < features.length; i++) {
            System.arraycopy(features[i], 0, flat, i * p, p);
        }
        float[] wf = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
        }
        int n = prompts.contextTokens();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                OutputStream out = Files.newOutputStream(file)) {
            NDList list = new NDList();
            list.add(named(m.create(ids, new Shape(k, length)), "token_ids"));
            list.add(named(m.create(Arrays.stream(tokens.eotIndices()).asLongStream().toArray()), "eot"));
            list.add(named(m.create(flat, new Shape(features.length, p)), "features"));
            list.add(named(m.create(Arrays.stream(labels).asLongStream().toArray()), "labels"));
            list.add(named(m.create(space.projection(), new Shape((long) n * prompts.width(), space.dimension())),
                    "subspace"));
            list.add(named(m.create(prompts.initialContext(), new Shape(n, prompts.width())), "p0"));
            list.add(named(m.create(wf), "w"));
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /** Runs the peer script; @return its JSON line. */
    private static JsonNode peer(JobConfig config, Path dir, int threads, int repeats) throws IOException,
            InterruptedException {
        List<String> command = List.of(config.string("bench.peer.python"), config.string("bench.peer.script"),
                dir.toString(), "--threads", Integer.toString(threads), "--repeats", Integer.toString(repeats));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // Debian's torch does its GEMMs in the system BLAS (OpenBLAS, which make bench installs): same threads.
        builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the peer script did not finish in 10 minutes: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the peer script failed (exit " + process.exitValue() + "): " + command
                    + " (make bench installs Debian's python3-torch)");
        }
        return new ObjectMapper().readTree(stdout);
    }

    private static String lengths(TokenBatch tokens) {
        int[] e = Arrays.stream(tokens.eotIndices()).map(i -> i + 1).sorted().toArray();
        return e[0] + "–" + e[e.length - 1] + " tokens (median " + e[e.length / 2] + ")";
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
